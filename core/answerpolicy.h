/*
 * answerpolicy: which answer a thread publishes, the one rule that the
 * render, `faqtory stats` and the writers' report apply (docs/site.md,
 * "Which answer an entry publishes").
 *
 * `faqtory index` selects an answer per thread (table answer_choice,
 * docs/answer-selection.md); the config's [publish] section and the
 * writers' curation decide whether it is published:
 *
 *   accepted   the answer the asker or staff marked in the source;
 *   community  the selected answer of an unmarked thread, when
 *              [publish] answers = community or voted, it passed the
 *              evidence gate (score >= 1, the asker's thanks or
 *              reported fix, staff author) and its confidence is at
 *              least [publish] min_confidence (default: the calibrated
 *              index_meta answer_threshold, else 0.77);
 *   voted      when [publish] answers = voted (the default), the
 *              selected answer of an unmarked thread of two or more
 *              answers that is not confident enough to be a community
 *              answer but has the highest score (at least 1, and
 *              more than any other: a tie settles nothing): shown as
 *              the top-voted answer, not confirmed, with the others
 *              beside it;
 *   none       otherwise: the thread has no entry.
 *
 * A curation `answer = ID` publishes that answer, even over an accepted
 * one, as a community answer chosen by the site's writers (naming the
 * accepted answer itself leaves it accepted); `answer = none` publishes
 * nothing.  A store not indexed since answer_choice
 * exists publishes the accepted answers only, as before.
 */
#ifndef FQ_ANSWERPOLICY_H
#define FQ_ANSWERPOLICY_H

#include <stdint.h>

#include "store.h"

/* The confidence a community answer needs when neither the config nor
 * the index gives one (docs/answer-selection.md: 0.766). */
#define ANSWER_DEFAULT_CONFIDENCE 0.77

enum answer_kind { ANSWER_NONE, ANSWER_ACCEPTED, ANSWER_COMMUNITY,
	ANSWER_VOTED };

/* One row of answer_choice, with the writers' `answer =` beside it. */
struct answer_choice {
	enum answer_kind kind;
	int64_t post;       /* posts.ext_id of the chosen answer */
	double confidence;
	int gate;           /* the evidence gate passed */
	int64_t score, next_score;
	int has_score, has_next; /* 0: the column is NULL */
	int64_t nanswers;   /* candidates considered */
	int thanks, self_fix, staff;
	/* The writers' curation: 0 none, 1 `answer = ID` (writers_post),
	 * -1 `answer = none`. */
	int writers;
	int64_t writers_post;
};

struct answer_policy {
	int community;         /* [publish] answers = community or voted */
	double min_confidence;
	int voted;             /* [publish] answers = voted */
};

/* The columns answer_choice_read() reads, in order, for a query over
 * `threads t` joined with ANSWER_CHOICE_JOIN. */
#define ANSWER_CHOICE_COLS                                               \
	" coalesce(ac.kind, CASE WHEN t.accepted_ext IS NULL THEN 'none'"  \
	"  ELSE 'accepted' END), coalesce(ac.post_ext, t.accepted_ext),"   \
	" coalesce(ac.confidence, 1), coalesce(ac.gate, 1), ac.score,"     \
	" ac.next_score, coalesce(ac.nanswers, 0), coalesce(ac.thanks, 0),"\
	" coalesce(ac.self_fix, 0), coalesce(ac.staff, 0), cu.line,"        \
	" cu.target_id, EXISTS(SELECT 1 FROM posts p"                       \
	"  WHERE p.source_id=t.source_id AND p.thread_ext=t.ext_id"          \
	"  AND p.kind=2 AND p.ext_id=coalesce(ac.post_ext, t.accepted_ext)),"\
	" EXISTS(SELECT 1 FROM posts p WHERE p.source_id=t.source_id"       \
	"  AND p.thread_ext=t.ext_id AND p.kind=2 AND p.ext_id=cu.target_id)"
/* The last `answer =` of a thread in the curation file wins, as every
 * curation action read in line order does. */
#define ANSWER_CHOICE_JOIN                                               \
	" LEFT JOIN answer_choice ac ON ac.thread_id=t.id"                  \
	" LEFT JOIN curation cu ON cu.line=(SELECT max(line) FROM curation" \
	"  WHERE thread_id=t.id AND action='answer')"
#define ANSWER_CHOICE_NCOLS 14

/* Fills c from columns col .. col + ANSWER_CHOICE_NCOLS - 1 of q.  A
 * thread without a row (a store not indexed since schema 9) counts as
 * its accepted answer, if any.  An answer no longer in the thread (the
 * store ingested again since it was chosen) counts as none chosen: a
 * page never names an answer it cannot show. */
void answer_choice_read(sqlite3_stmt *q, int col, struct answer_choice *c);

/* Sets p from the config's [publish] values as written (NULL: not
 * given; config.c has checked them) and the store's calibrated
 * threshold (st may be NULL).  Never fails: a threshold in the store
 * that does not parse counts as absent. */
void answer_policy_init(struct answer_policy *p, const char *answers,
    const char *min_confidence, struct store *st);

/* The answer c publishes under p: its kind, and in *post the answer's
 * posts.ext_id (unset for ANSWER_NONE).  The writers' `answer = ID`
 * gives ANSWER_COMMUNITY, the answer they named. */
enum answer_kind answer_publish(const struct answer_policy *p,
    const struct answer_choice *c, int64_t *post);

/* The number of threads of the source source_id that publish each kind
 * of answer under p, into n[kind] (n has ANSWER_VOTED + 1 slots; the
 * writers' `answer =` included; scope, `hide` and merges not applied),
 * in one pass.  0, or -1 after printing the store's error. */
int answer_count(struct store *st, const struct answer_policy *p,
    int64_t source_id, int64_t n[ANSWER_VOTED + 1]);

/* "accepted", "community" or "voted" (the data-answer-kind of an
 * entry), or NULL for ANSWER_NONE. */
const char *answer_kind_name(enum answer_kind k);

/* For config.c: NULL if v is a valid `answers` / `min_confidence`
 * value, else why not (a static string). */
const char *answer_check_answers(const char *v);
const char *answer_check_confidence(const char *v);

#endif
