/*
 * answers: which answer each thread would publish (accepted, community
 * or none), and how sure we are.  Internal to index/; the method and
 * its measured precision are in docs/answer-selection.md.
 *
 *   answers_load.c   the store -> struct ans_set (threads, answers,
 *                    dated votes, the asker's words), phrase lists
 *   answers.c        snapshots, features, the evidence gate, and the
 *                    `faqtory index` step that writes answer_choice
 *   answers_fit.c    the conditional logit, its fits per source with a
 *                    pooled prior, cross-validation and thresholds
 *   answers_eval.c   `faqtory answers --eval`: held-out accepted threads
 *
 * Every step is deterministic: fixed iteration counts, fixed folds
 * (CRC32 of "SOURCE:ID"), ties to the earlier answer, no clock.
 * A set owns all of its memory (ans_set_free).
 */
#ifndef FQ_ANSWERS_H
#define FQ_ANSWERS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/store.h"

/* The features of a candidate (docs/answer-selection.md). */
enum {
	F_SCORE, F_MARGIN, F_TOP, F_TIED, F_FIRST, F_THANKS, F_NEG,
	F_ASKER_C, F_SELF, F_SELF_SOLVED, F_STAFF, F_AUTH_ACC, F_AUTH_ANS,
	F_LEN, F_CODE, ANS_NF
};
extern const char *const ans_feature_names[ANS_NF];

#define ANS_TIME 20 /* "YYYY-MM-DDTHH:MM:SS" and its NUL */

/* The phrase lists, per source (built-in per language, or curated:
 * curation_phrases rows whose lang is "LIST.LANGUAGE"). */
enum { PH_THANKS, PH_NEGATIVE, PH_SELF_FIX, PH_REVEALS, PH_NLISTS };
extern const char *const ans_list_names[PH_NLISTS];

struct ans_phrases {
	char **p[PH_NLISTS];
	size_t n[PH_NLISTS];
};

struct ans_source {
	int64_t id;
	char *name, *kind;
	int se;      /* a Stack Exchange source: pooled into the prior */
	int dated;   /* its votes are dated (the votes table has rows) */
	struct ans_phrases ph;
};

struct ans_vote {
	char day[11];
	int32_t delta; /* up - down */
};

/* Something the asker said about an answer. */
struct ans_remark {
	char t[ANS_TIME];
	unsigned char thanks, neg;
};

struct ans_post {
	int64_t ext, author; /* author: authors.ext_id, or a name's hash */
	int anon;            /* no account: history not counted */
	char t[ANS_TIME];
	int64_t score;       /* final score (likes on Discourse) */
	int32_t words;
	unsigned char code, staff, solved; /* solved: reports a fix */
	uint32_t prior_acc, prior_ans;     /* author history */
	size_t vote0, nvote;  /* in set->votes, by day */
	size_t rem0, nrem;    /* in set->rems, by time */
};

struct ans_thread {
	int64_t id, ext, views, asker;
	int asker_anon;
	int src;               /* in set->srcs */
	int has_accepted;      /* and the accepted answer is among posts */
	int64_t accepted;      /* its ext_id */
	char acc[ANS_TIME];    /* acceptance: a day, or an exact time */
	int acc_exact;         /* acc is a time (GitHub's chosenAt) */
	char t[ANS_TIME];      /* the question's creation */
	size_t post0, npost;   /* answers in set->posts, chronological */
};

struct ans_set {
	struct ans_source *srcs;
	size_t nsrcs;
	struct ans_thread *th;
	size_t nth;
	struct ans_post *posts;
	size_t nposts;
	struct ans_vote *votes;
	size_t nvotes;
	struct ans_remark *rems;
	size_t nrems;
};

/* How a snapshot is cut. */
struct ans_opts {
	int hide;          /* as the thread stood at its acceptance */
	int strict_votes;  /* hide: drop the acceptance day's votes too */
};

struct ans_cand {
	size_t post;        /* in set->posts */
	int64_t score;      /* in the snapshot */
	unsigned char thanks, neg, asker_c;
};

/* Loads every source, thread and answer of the store.  Returns 0, or
 * -1 after printing an error. */
int ans_load(struct store *st, struct ans_set *s);
void ans_set_free(struct ans_set *s);

/* After posts, votes and remarks are in place (ans_load, or a test):
 * sorts each post's votes and remarks and fills the author history. */
void ans_finish(struct ans_set *s);

/* Phrases: the built-in lists of each language in `lang` (a comma-
 * separated Snowball list, NULL: english; english always applies). */
void ans_phrases_builtin(struct ans_phrases *ph, const char *lang);
void ans_phrases_free(struct ans_phrases *ph);
/* Into src->ph: the curated lists of lang's languages, and the built-in
 * ones they do not replace.  Returns 0, or -1 after printing an error. */
int ans_phrases_load(struct store *st, struct ans_source *src,
    const char *lang);
/* Whether folded text (ASCII lowercase) contains the phrase: words at
 * word boundaries; a trailing '*' matches any word ending; " ... "
 * matches up to 30 bytes of the same sentence (no '.'). */
int ans_phrase_match(const char *text, size_t n, const char *phrase);
/* The verdict of the asker's words: 0 thanks/neg set, -1 when the words
 * reveal the mark (dropped everywhere). */
int ans_verdict(const struct ans_phrases *ph, const char *text, size_t n,
    unsigned char *thanks, unsigned char *neg);
int ans_any(const struct ans_phrases *ph, int list, const char *text,
    size_t n);

/* The thread's candidates as they stood (o->hide: at the acceptance,
 * else now), chronological; *out is caller-owned (free()).  Returns
 * their number. */
size_t ans_snapshot(const struct ans_set *s, const struct ans_thread *t,
    const struct ans_opts *o, struct ans_cand **out);
/* Features of n candidates into x[n * ANS_NF]. */
void ans_features(const struct ans_set *s, const struct ans_thread *t,
    const struct ans_cand *c, size_t n, double *x);
/* The evidence gate: score >= 1, the asker's thanks, the asker's own
 * reported fix, or a staff author. */
int ans_gate(const struct ans_set *s, const struct ans_thread *t,
    const struct ans_cand *c);

/* The model: index of the best candidate (ties: the earlier one) and
 * its softmax share (a lone candidate: 1). */
size_t ans_choose(const double *w, const double *x, size_t n, double *conf);

/* A labelled example: an accepted thread as it stood at acceptance. */
struct ans_item {
	size_t thread;   /* in set->th */
	int src;
	size_t n, pos;   /* candidates; the accepted one's index */
	double *x;       /* n * ANS_NF, owned by the item list */
	unsigned half, fold;
	unsigned char *gate; /* n: each candidate passes the gate, owned */
	int64_t *score;  /* n snapshot scores, owned */
};

struct ans_items {
	struct ans_item *it;
	size_t n;
};

/* The labelled examples of every source.  *skipped[src] counts
 * accepted threads with no known acceptance date (dated sources) or
 * whose accepted answer is not in the snapshot. */
void ans_items_build(const struct ans_set *s, const struct ans_opts *o,
    struct ans_items *out, size_t *skipped);
void ans_items_free(struct ans_items *l);

/* Fitting. */
#define ANS_STEPS 200
#define ANS_RATE 2.0
#define ANS_LAMBDA0 0.001
#define ANS_LAMBDA 0.05
#define ANS_MIN_SRC 30      /* multi-answer examples for an own fit */
#define ANS_FIT_MAX 100000  /* examples a fit reads, at most (thin) */
#define ANS_CAL_MULTI 100   /* out-of-fold examples for an own threshold */
#define ANS_CAL_ALL 200
#define ANS_TARGET2 0.85    /* precision, >= 2 candidates */
#define ANS_TARGETALL 0.90  /* precision, all */
#define ANS_MARGIN 0.03     /* asked of the out-of-fold precision */
#define ANS_DEFAULT_THRESHOLD 0.77

struct ans_model {
	size_t nsrcs;
	double prior[ANS_NF];
	double (*w)[ANS_NF];   /* per source */
	int *own_fit;          /* per source: 1 fitted, 0 the prior */
	double threshold;      /* pooled */
	double study_threshold; /* the study's rule: pooled, ungated, no
				 * margin (for comparison only) */
	double *thr;           /* per source */
	int *own_thr;          /* per source: 1 calibrated on its own */
	size_t *train, *train2; /* examples per source, all and >= 2 */
};

/* Fits the model on the items with use[i] (NULL: all), and calibrates
 * the thresholds by 5-fold cross-validation on them (margin: added to
 * both precision targets).  The six trainings (the model, the five
 * folds) run on up to `jobs` threads; each is the same fixed sequence
 * of operations whatever the count.  The model is caller-owned
 * (ans_model_free). */
void ans_model_fit(const struct ans_set *s, const struct ans_items *l,
    const unsigned char *use, double margin, int jobs, struct ans_model *m);
void ans_model_free(struct ans_model *m);
/* m zeroed with its arrays for the sources of s (ans_model_free). */
void ans_model_alloc(const struct ans_set *s, struct ans_model *m);

/* The model kept between runs (answers_keep.c, index_meta
 * 'answer_fit').  restore: 1 with m filled and the drift counters set
 * (*since includes `changed`, the threads new, changed or removed this
 * run) when the kept model may serve, 0 when it must be refitted (m
 * freed), -1 on a store error (printed).  keep: 0 or -1 (printed). */
int ans_model_restore(struct store *st, const struct ans_set *s,
    int64_t changed, struct ans_model *m, int64_t *base, int64_t *since);
int ans_model_keep(struct store *st, const struct ans_set *s,
    const struct ans_model *m, int64_t base, int64_t since);
/* Appends the model as JSON (index_meta answer_model). */
void ans_model_json(const struct ans_set *s, const struct ans_model *m,
    struct buf *out);

/* Lowest confidence among `conf` at which the covered rows (conf >=
 * t and gate) reach both targets; 1.0 if none does. */
double ans_pick_threshold(const double *conf, const unsigned char *ok,
    const unsigned char *gate, const size_t *ncand, size_t n, double t2,
    double tall);

/* CRC32 of "SOURCE:ID" (and of "fold:SOURCE:ID"). */
unsigned ans_half(const char *src, int64_t ext);
unsigned ans_fold_of(const char *src, int64_t ext);

#endif
