/*
 * Shared inside index/ only (not an interface for other stages).
 */
#ifndef FQ_INDEX_INT_H
#define FQ_INDEX_INT_H

#include "core/store.h"
#include "index/index.h"

/*
 * A thread's term vector, as stored in index_threads.terms: entries
 * sorted by term bytes, each [u8 len][len bytes of term][u16 weight,
 * little-endian].  Weights are occurrence counts multiplied by the
 * field weights below, at most 65535; at most INDEX_TERMS_MAX terms
 * (the heaviest).
 */
#define INDEX_TERMS_MAX 256
#define INDEX_W_TITLE 6
#define INDEX_W_TAGS 2
#define INDEX_W_QUESTION 2
#define INDEX_W_ACCEPTED 1
/* Bump when the vectors or their weights change: stored vectors are
 * then recomputed (part of index_meta 'config'). */
#define INDEX_TERMS_VERSION "terms2"

/* Other answers, best first, are indexed up to this many bytes of HTML
 * per thread (the question and the accepted answer are never cut). */
#define INDEX_OTHER_HTML_MAX 16384

/* Appends the indexed fields of thread `id` (its source and ext_id):
 * title and tags as text (tags space-separated), the question, the
 * accepted answer and the other answers as their stored HTML.  What the
 * full-text table, the term vectors and the search data all read.
 * Returns 0, or -1 after printing an error. */
int index_read_thread(struct store *st, int64_t id, int64_t source,
    int64_t ext, struct buf *title, struct buf *tags, struct buf *qhtml,
    struct buf *ahtml, struct buf *ohtml);

/* How many related questions are stored per question. */
#define INDEX_RELATED_K 10

/* Computes related questions and clusters from index_threads and the
 * human duplicate links, replacing the rows of related, clusters and
 * cluster_members.  Runs inside the caller's transaction.  Returns 0,
 * or -1 after printing an error. */
int index_cluster_run(struct store *st, struct index_result *r);

/* Brings search_docs and search_forms (what render writes the static
 * search shards from, see searchdata.c) up to date, inside the caller's
 * transaction.  Returns 0, or -1 after printing an error. */
int index_searchdata_run(struct store *st);

/* Computes the writers' flags (index/trends.c) from the threads, posts,
 * comments, clusters and the curation tables, replacing the rows of
 * `flags`.  Runs inside the caller's transaction, after clustering.
 * Returns 0, or -1 after printing an error. */
int index_trends_run(struct store *st, struct index_result *r);

/* Chooses each thread's answer (index/answers.c) and replaces the rows
 * of answer_choice, with index_meta answer_threshold and answer_model.
 * Runs inside the caller's transaction.  Returns 0, or -1 after
 * printing an error. */
int index_answers_run(struct store *st, struct index_result *r);

#endif
