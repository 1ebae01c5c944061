/*
 * Shared inside index/ only (not an interface for other stages).
 */
#ifndef FQ_INDEX_INT_H
#define FQ_INDEX_INT_H

#include "core/buf.h"
#include "core/store.h"
#include "core/strtab.h"
#include "index/index.h"

/* ---- fields.c: the thread fields and their weights ------------------ */

/* The fields of a thread, in the order of the FTS5 columns. */
enum {
	INDEX_F_TITLE,
	INDEX_F_QUESTION,
	INDEX_F_ACCEPTED,
	INDEX_F_ANSWERS, /* the other answers, best first */
	INDEX_F_TAGS,
	INDEX_NFIELDS
};

/*
 * The one table of field weights.  bm25: FTS5 column weight of
 * `faqtory search` and the field weight of the search data (render's
 * static search reads it back from index_meta 'fields').  vector:
 * weight of an occurrence in the term vectors of related questions and
 * clusters (0: not counted).  Changing a weight changes index_meta
 * 'fields', which rebuilds everything built from it.
 */
struct index_field {
	const char *name; /* FTS5 column */
	int html;         /* stored as sanitized HTML (else plain text) */
	int bm25;
	int vector;
};
extern const struct index_field index_fields[INDEX_NFIELDS];

/* Appends the table as stored in index_meta 'fields':
 * {"title":{"bm25":8,"vector":6},...} in field order. */
void index_fields_json(struct buf *out);

/*
 * Appends the fields of thread `id` (its source and ext_id) to f[],
 * indexed by INDEX_F_*: title and tags as text (tags space-separated),
 * the question, the accepted answer and the other answers as their
 * stored HTML (other answers up to INDEX_OTHER_HTML_MAX).  What the
 * full-text table, the term vectors and the search data all read.
 * Returns 0, or -1 after printing an error.
 */
int index_read_thread(struct store *st, int64_t id, int64_t source,
    int64_t ext, struct buf f[INDEX_NFIELDS]);

/* Other answers, best first, are indexed up to this many bytes of HTML
 * per thread (the question and the accepted answer are never cut). */
#define INDEX_OTHER_HTML_MAX 16384

/*
 * A thread's term vector, as stored in index_threads.terms: entries
 * sorted by term bytes, each [u8 len][len bytes of term][u16 weight,
 * little-endian].  Weights are occurrence counts multiplied by the
 * fields' vector weights, at most 65535; at most INDEX_TERMS_MAX terms
 * (the heaviest).
 */
#define INDEX_TERMS_MAX 256
/* Bump when the vectors' format or counting changes: stored vectors
 * are then recomputed (part of index_meta 'config'). */
#define INDEX_TERMS_VERSION "terms2"

/* index_meta 'config', what the full-text table and the vectors were
 * built with: "faqtory LANGS|INDEX_TERMS_VERSION|fts2", LANGS the FTS5
 * tokenizer's language list.  index_config_format appends the value for
 * langs; index_config_read appends the stored value to cfg and its
 * language list to langs, and returns 1, 0 (never indexed: both
 * unchanged) or -1 (error printed). */
void index_config_format(struct buf *out, const char *langs);
int index_config_read(struct store *st, struct buf *cfg, struct buf *langs);

/* ---- answers_text.c: phrase text, for answers and trends ------------ */

/* Whether Snowball language `name` (n bytes) is in `list`, the
 * comma-separated sources.lang (NULL: english).  english is in every
 * list: it is the lingua franca of comments. */
int index_lang_wanted(const char *list, const char *name, size_t n);
/* Appends s (n bytes) ASCII-lowercased, with the typographic
 * apostrophes U+2018 and U+2019 folded to ', as phrases are matched. */
void index_fold(struct buf *out, const char *s, size_t n);

/* ---- complaint.c: "it does not work" in comments, for trends ------- */

/* One source's lists, folded as index_fold does: w[0] the "does not
 * work" phrases, w[1] the conditional markers, w[2] the negation
 * markers (docs/trends.md).  Owns its strings: complaint_free. */
struct complaint_set {
	char **w[3];
	size_t n[3];
};

/* Fills sets[i] (zeroed by the caller) for the Snowball language list
 * langs[i] (NULL: english), from the curation file's lists and the
 * built-in ones.  0, or -1 after printing an error. */
int complaint_load(struct store *st, struct complaint_set *sets,
    const char *const *langs, size_t n);
void complaint_free(struct complaint_set *s);
/* Whether a comment's stored HTML (n bytes) says the answer does not
 * work: a phrase outside quotations and code, not conditional, not
 * negated (complaint.c). */
int complaint_match(const struct complaint_set *s, const char *html,
    size_t n);

/* ---- the stages index_run() runs, in its transaction ----------------- */

/* With FAQTORY_TIMING set, prints "index: STEP N ms" (the wall time
 * since *t0) to stderr; restarts the clock either way (index.c). */
void index_lap(const char *step, int64_t *t0);

/* The text pass (fts.c): brings the FTS5 table `fts`, index_threads
 * (term vectors) and the search data (searchdata.c) up to date with the
 * threads, tokenizing on `jobs` threads; rebuilds them when index_meta
 * 'config' changed or `rebuild` is set (the field table changed).
 * Counts into r's threads, added, changed, removed and unchanged.  Runs
 * in the caller's transaction; 0, or -1 after printing an error. */
int index_fts_run(struct store *st, int rebuild, int jobs,
    struct index_result *r);

/* fts_delete.c: a contentless row's delete key.  search_vocab's terms
 * by id (pointing into blob, which the struct owns). */
struct fts_vocab {
	const unsigned char **term;
	unsigned char *len;
	unsigned char *blob;
	size_t n;
};
/* 0, 1 (no usable vocabulary: no delete key), or -1 (error printed). */
int index_fts_vocab_load(struct store *st, struct fts_vocab *v);
void index_fts_vocab_release(struct fts_vocab *v);
/* Deletes thread id's row, indexed at content hash `hash`, from `fts`
 * through its key (fts_delete.c).  0, 1 when it has no key (the caller
 * rebuilds the table), or -1 (error printed). */
int index_fts_delete(struct store *st, const struct fts_vocab *v,
    int64_t id, int64_t hash);

/* snippet.c: appends to out the snippet FTS5 makes of thread id (its
 * source and ext_id) for the MATCH expression expr, with char(1) and
 * char(2) around matches, as `fts` would if it kept its text.  0, or
 * -1 (error printed). */
int index_snippet(struct store *st, int64_t id, int64_t source, int64_t ext,
    const char *expr, struct buf *out);

/* Whether the store has the table `fts` (1) or was never indexed (0). */
int index_fts_exists(struct store *st);

/* How many related questions are stored per question. */
#define INDEX_RELATED_K 10

/* Computes related questions, topics and recurring issues from
 * index_threads and the human duplicate links, replacing the rows of
 * related, clusters, cluster_members, issues and issue_members.  Runs
 * inside the caller's transaction, after the answers are chosen (an
 * issue's canonical question is the best published answer).  Returns
 * 0, or -1 after printing an error. */
int index_cluster_run(struct store *st, int jobs, struct index_result *r);

/* ---- searchdata.c: search_vocab, search_docs and search_forms (what
 * render writes the static search shards from), made in the text pass */

struct tokenizer;

/* One thread's search data, filled on a worker from its tokens; owned
 * by the caller (index_sdoc_init/release), reused through reset. */
struct sdoc {
	struct strtab terms;  /* index terms, first seen first */
	uint32_t *f, *tt;     /* per term: weighted count, title count */
	size_t cap;           /* of f and tt */
	int64_t len;          /* token positions, all fields (bm25's D) */
	struct strtab forms;  /* plain words (unstemmed), first seen first */
	struct buf snippet;   /* the start of the question's text */
};
void index_sdoc_init(struct sdoc *d);
void index_sdoc_release(struct sdoc *d);
void index_sdoc_reset(struct sdoc *d);
/* One document-mode token of the index's tokenizer, in a field of
 * bm25 weight w (title: the title field). */
void index_sdoc_token(struct sdoc *d, int flags, const char *tok, size_t n,
    uint32_t w, int title);
/* A plain word: a query-mode token before stemming (tok_unstemmed),
 * what the browser's tokenizer makes of it. */
void index_sdoc_form(struct sdoc *d, const char *form, size_t n);
/* The snippet, from the question's text. */
void index_sdoc_snippet(struct sdoc *d, const char *text, size_t n);

/* The run's state (caller's thread).  Open starts over when the
 * tokenizer configuration changed or `rebuild` is set; NULL on error
 * (printed).  The language list is the full-text table's, for the
 * workers' tokenizers. */
struct sdata;
struct sdata *index_sdata_open(struct store *st, int rebuild);
const char *index_sdata_langs(const struct sdata *d);
/* Numbers the thread's terms and writes its rows.  0 or -1. */
int index_sdata_write(struct sdata *d, int64_t id, int64_t hash,
    const struct sdoc *doc);
/* Stores the vocabulary and the stopterms when `save`, and frees d.
 * 0 or -1. */
int index_sdata_close(struct sdata *d, int save);
/* Stores index_meta 'stopterms': the stopwords of english and the
 * languages `langs` as unstemmed query tokens of t (stopterms.c). */
struct tokenizer;
/* The tokenizer the index was built with (search.c); tok_free it. */
struct tokenizer *index_query_tokenizer(struct store *st);
int index_stopterms_save(struct store *st, struct tokenizer *t,
    const char *langs);

/* Computes the writers' flags (index/trends.c) from the threads, posts,
 * comments, clusters and the curation tables, replacing the rows of
 * `flags`.  Runs inside the caller's transaction, after clustering.
 * Returns 0, or -1 after printing an error. */
int index_trends_run(struct store *st, struct index_result *r);

/* Chooses each thread's answer (index/answers.c) and replaces the rows
 * of answer_choice, with index_meta answer_threshold and answer_model;
 * a fit's trainings run on `jobs` threads.  Runs inside the caller's
 * transaction.  Returns 0, or -1 after printing an error. */
int index_answers_run(struct store *st, int jobs, struct index_result *r);

/* Runs fn on each of jobs[0..njobs) (elements of size bytes) on njobs
 * threads, the caller's included; where a thread cannot start, its job
 * runs on the caller's (index/parts.c). */
void index_parts(void *(*fn)(void *), void *jobs, size_t size, int njobs);

#endif
