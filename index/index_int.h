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

#endif
