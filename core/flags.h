/*
 * flags: the writers' flags as rows, read by one query for every
 * reader: `faqtory trends` (its text, JSON and CSV, index/trends.c) and
 * the writers' report (render/report.c).  index/trends.c computes the
 * table `flags`; docs/trends.md describes both.
 *
 *   struct flag_list l;
 *   flag_list_begin(&l, st, 0, 0);
 *   while ((rc = flag_list_next(&l)) > 0)
 *           use(&l.row);   // valid until the next call
 *
 * Rows come highest score first (kind, then thread, break ties), the
 * dismissed ones after the others when they are included.
 */
#ifndef FQ_FLAGS_H
#define FQ_FLAGS_H

#include <stdint.h>

#include "answerpolicy.h"
#include "store.h"

/* One flag with its question.  The strings belong to the statement and
 * stay valid until the next flag_list_next(); none is NULL. */
struct flag_row {
	const char *kind;     /* rising, gap, suspect_answer, unanswered */
	double score;
	int64_t cluster;      /* issues.id, 0: in no recurring issue */
	const char *label;    /* the label (its canonical title) */
	int dismissed;
	const char *evidence; /* JSON written by index_trends_run */
	const char *summary;  /* evidence.summary, "" if absent */
	const char *weeks;    /* evidence.weeks as JSON, "" if absent */
	int64_t answers;      /* evidence.answers, 0 if absent */
	const char *source;   /* sources.name */
	const char *short_name; /* sources.short */
	int64_t ext;          /* the question's id in its source */
	const char *title, *url; /* url "" when the source gave none */
	int64_t thread;       /* threads.id of the question */
	struct answer_choice choice; /* what it may publish (answerpolicy.h) */
};

struct flag_list {
	struct store *st;
	sqlite3_stmt *q; /* the store's cached statement */
	struct flag_row row;
};

/* Starts listing the flags of one cluster (cluster > 0) or all, with the
 * dismissed ones or without. */
void flag_list_begin(struct flag_list *l, struct store *st, int64_t cluster,
    int dismissed);
/* Reads the next flag into l->row: 1, 0 at the end (the statement is
 * then reset), or -1 after printing the store's error. */
int flag_list_next(struct flag_list *l);

/* The date flags were computed as of (index_meta trends_now) into now
 * (DATE_LEN + 1 bytes, "" when the data has no date) and the number of
 * dismissed flags: 1, or 0 when `faqtory index` has not computed any. */
int flag_list_now(struct store *st, char *now, int64_t *dismissed);

#endif
