/*
 * index: the full-text index, related questions and clusters of
 * recurring issues, the static search's data, each thread's answer and
 * the writers' flags.  Reads threads and posts from the store, writes
 * its own tables (created by core/store.c's migrations, except the FTS5
 * table `fts`, which index/fts.c creates because its definition names
 * our tokenizer and the sources' languages), and depends only on core/
 * (plain text of stored HTML: core/htmltext.h).  index/index.c is the
 * root of the folder (docs/index.md).
 *
 *   index_open()    a store with the "faqtory" FTS5 tokenizer registered
 *   index_run()     build or update everything, in one transaction
 *   index_search()  bm25-ranked results for any user input
 *   index_related() / index_clusters()   what index_run() stored
 *
 * Output functions append text or JSON (shapes in docs/index.md) to a
 * caller-owned buf and return 0, or -1 after printing one error line.
 * The method is described in docs/index.md.
 */
#ifndef FQ_INDEX_H
#define FQ_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/store.h"

struct tokenizer;

/* Opens the store (see store_open) and registers the tokenizer.  NULL
 * after printing an error. */
struct store *index_open(const char *path, int readonly);

struct index_result {
	int64_t threads;   /* threads in the store */
	int64_t added, changed, removed, unchanged; /* full-text rows */
	int64_t related;   /* rows in `related` */
	int64_t queried;   /* questions whose candidates were computed anew
			    * (the others kept theirs: neighbours_store.c) */
	int64_t clusters;  /* clusters of at least two questions */
	int64_t clustered; /* questions in those clusters */
	int64_t issues;    /* recurring issues (index/issues.c); not printed */
	int64_t in_issues; /* questions in those */
	int64_t flags;     /* writers' flags, not dismissed */
	/* answer_choice (docs/answer-selection.md): threads with an
	 * accepted answer; threads with a community candidate; of those,
	 * the ones that pass the evidence gate and their source's
	 * calibrated threshold */
	int64_t answers_accepted, answers_community, answers_confident;
	int64_t ms_text, ms_cluster, ms_answers; /* wall time of the phases */
};

/* Brings fts, index_threads, related, clusters, cluster_members, issues
 * and issue_members up to date with the threads in the store, all in
 * one transaction: an interrupted run leaves the previous index.  Only
 * threads whose content hash changed are re-tokenized; related
 * questions, topics and issues are recomputed from the stored term
 * vectors.  Related questions are computed on `jobs` threads (the
 * caller's included), the text on `jobs` workers besides the caller's
 * (none for one job); the rows never depend on it.  Returns 0 or -1
 * (error printed, nothing changed). */
int index_run(struct store *st, int jobs, struct index_result *r);

/* Makes the next index_run recompute everything (`--full`): the
 * full-text table, the term vectors and the search data are rebuilt
 * from the threads, as in a store indexed for the first time.  0, or
 * -1 (error printed). */
int index_forget(struct store *st);

/* What a run did, in the stage's words (output.c): the two summary
 * lines of `faqtory index` (fq_note), the one line of `faqtory build`
 * (ms: its wall time), and the --json document (one line, appended to
 * out). */
void index_result_note(const struct index_result *r);
void index_result_brief(const struct index_result *r, int64_t ms);
void index_result_json(const struct index_result *r, struct buf *out);

/* Checks the full-text index (FTS5 integrity-check) and the store
 * (PRAGMA integrity_check).  Returns 0 if both pass. */
int index_check(struct store *st);

/*
 * Builds a safe FTS5 MATCH expression from any user input (q, n bytes,
 * any bytes at all): the query's words as found by tok_run(TOK_QUERY),
 * each one a quoted string (so no input is ever FTS5 syntax), joined by
 * AND (any == 0) or OR.  The last word, unless the query ends with a
 * space, may also match as a prefix.  At most INDEX_QUERY_MAX_TERMS
 * distinct words are used.  Appends to out; returns the number of
 * words (0: nothing searchable, out unchanged).
 */
#define INDEX_QUERY_MAX_TERMS 32
int index_query_build(struct tokenizer *t, const char *q, size_t n, int any,
    struct buf *out);

struct index_search_opts {
	int json;
	int limit; /* at most this many results (>= 1) */
	int any;   /* match any word instead of all of them */
	int nofix; /* --entries: no typo correction */
};

/* Searches the index for q (n bytes, any bytes).  With all words
 * required and no result, falls back to any word.  Appends the results
 * (text, or JSON {"query","results":[...]}) to out. */
int index_search(struct store *st, const char *q, size_t n,
    const struct index_search_opts *o, struct buf *out);

/* Resolves a question named by the user: "ID" (its id in its source,
 * unique across sources) or "SOURCE:ID".  Returns the thread id, 0 if
 * unknown, -1 if ambiguous (both after printing an error). */
int64_t index_find_thread(struct store *st, const char *arg);

/* Related questions of thread `thread` (0: every question), at most k
 * each.  Appends text or JSON {"questions":[...]}. */
int index_related(struct store *st, int64_t thread, int k, int json,
    struct buf *out);

/* Every cluster of level ("issue", "topic"; NULL: both), largest first,
 * each with its level.  Appends text or JSON {"clusters":[...]}. */
int index_clusters(struct store *st, int json, const char *level,
    struct buf *out);

/* The writers' flags that index_run() stored (docs/trends.md), ranked
 * by score, dismissed ones left out.  Appends a text table, JSON
 * {"now","dismissed","flags":[{"kind","score","cluster","thread":
 * {"source","id"},"title","url","evidence":{...}}]} or CSV (RFC 4180). */
enum { INDEX_TRENDS_TEXT, INDEX_TRENDS_JSON, INDEX_TRENDS_CSV };
int index_trends(struct store *st, int format, struct buf *out);

/* `faqtory answers --eval` (docs/answer-selection.md): hides the mark
 * of a deterministic half of the accepted threads, with everything
 * after its date, fits on the rest and appends precision @ coverage
 * per source and pooled, beside the baselines, and the entries and
 * question views covered before/after (text, or JSON).  strict_votes:
 * the acceptance day's votes are hidden too.  Reads only. */
int index_answers_eval(struct store *st, int json, int strict_votes,
    struct buf *out);

#endif/* The static search of the site built in dir (its search/ files),
 * ranked as the browser ranks it (docs/search.md), over its published
 * entries: `faqtory search --entries DIR`.  The store gives only the
 * tokenizer.  Returns 0, or -1 (error printed). */
int index_search_site(struct store *st, const char *dir, const char *q,
    size_t n, const struct index_search_opts *o, struct buf *out);


