/*
 * index: the root of the index stage (index/index.h): opens the store
 * with our tokenizer, runs every part of `faqtory index` in one
 * transaction and checks the result.  The parts never call each other
 * or back into this file; what they share (the thread fields, their
 * weights, index_meta 'config') is index/fields.c:
 *
 *   index.c ─┬─ fts.c         the text pass: full-text table, term
 *            │                vectors (textwork.c: its workers), and
 *            ├─ searchdata.c  the static search's data
 *            ├─ cluster.c     related questions, topics (+ neighbours.c,
 *            │                neighbours_store.c, issues.c)
 *            ├─ answers.c     each thread's answer
 *            └─ trends.c      the writers' flags
 *   fts.c, searchdata.c ── fields.c (leaf)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "index/index_int.h"
#include "index/tokenize.h"

struct store *
index_open(const char *path, int readonly)
{
	struct store *st = store_open(path, readonly);

	if (st && tok_register_fts5(store_db(st)) != SQLITE_OK) {
		fq_err("%s: cannot register the tokenizer", path);
		store_close(st);
		st = NULL;
	}
	return st;
}

/*
 * index_meta 'fields': the field table (fields.c) everything below was
 * built with, which render reads its weights from.  Returns 1 if it
 * changed (or a store indexed before it was stored: then everything
 * built from it is rebuilt once), 0, or -1 (error printed).
 */
static int
fields_changed(struct store *st)
{
	struct buf now = BUF_INIT, old = BUF_INIT;
	int rc;

	index_fields_json(&now);
	rc = store_meta_get(st, "fields", &old);
	if (rc >= 0)
		rc = rc == 0 || strcmp(old.data, now.data) != 0;
	if (rc == 1 && store_meta_set(st, "fields", now.data, now.len) < 0)
		rc = -1;
	buf_release(&now);
	buf_release(&old);
	return rc;
}

/*
 * A table rebuilt whole (the full-text table of a store from before it
 * was contentless, `--full`) leaves its old pages free, and the file
 * keeps its size until VACUUM.  Done after the commit when more than an
 * eighth of the file is free: a nightly run frees far less (3% on the
 * beer site after a night of 5% edited, 3% new questions).
 */
static const char SQL_FREE[] =
    "SELECT f.freelist_count * 8 > p.page_count"
    " FROM pragma_freelist_count f, pragma_page_count p";

static int
reclaim(struct store *st)
{
	sqlite3_stmt *q = store_stmt(st, SQL_FREE);
	int big = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);

	sqlite3_reset(q);
	return big ? store_exec(st, "VACUUM") : 0;
}

void
index_lap(const char *step, int64_t *t0)
{
	int64_t now = fq_now_ms();

	if (getenv("FAQTORY_TIMING"))
		fprintf(stderr, "index: %s %lld ms\n", step,
		    (long long)(now - *t0));
	*t0 = now;
}

int
index_run(struct store *st, int jobs, struct index_result *r)
{
	int64_t t0, t1;
	int rc = -1, rebuild;

	memset(r, 0, sizeof *r);
	t0 = t1 = fq_now_ms();
	store_bulk(st, 1); /* new pages written once, not WAL + checkpoint */
	if (store_begin(st) < 0)
		goto out;
	if ((rebuild = fields_changed(st)) < 0 ||
	    index_fts_run(st, rebuild, jobs < 1 ? 1 : jobs, r) < 0)
		goto out;
	index_lap("text", &t1);
	r->ms_text = fq_now_ms() - t0;
	t0 = fq_now_ms();
	/* Before clusters (a recurring issue's canonical question is the
	 * best published answer) and trends (the choice is evidence the
	 * writers' flags may read). */
	if (index_answers_run(st, jobs < 1 ? 1 : jobs, r) < 0)
		goto out;
	index_lap("answers", &t1);
	r->ms_answers = fq_now_ms() - t0;
	t0 = fq_now_ms();
	if (index_cluster_run(st, jobs < 1 ? 1 : jobs, r) < 0)
		goto out;
	r->ms_cluster = fq_now_ms() - t0;
	t0 = t1 = fq_now_ms();
	if (index_trends_run(st, r) < 0)
		goto out;
	index_lap("trends", &t1);
	if (store_commit(st) < 0)
		goto out;
	index_lap("commit", &t1);
	r->ms_cluster += fq_now_ms() - t0;
	rc = 0;
out:
	if (rc < 0)
		store_rollback(st);
	if (rc == 0)
		rc = reclaim(st);
	store_bulk(st, 0);
	return rc;
}

int
index_forget(struct store *st)
{
	/* Every part compares what it built with index_meta 'config'
	 * (fts.c), 'fields' (index.c), 'neighbours' (neighbours_store.c)
	 * or 'answer_fit' (answers_keep.c): without them it starts over. */
	return store_exec(st, "DELETE FROM index_meta WHERE key IN"
	    " ('config', 'fields', 'neighbours', 'answer_fit')");
}

static const char SQL_FTS_CHECK[] =
    "INSERT INTO fts(fts) VALUES('integrity-check')";

int
index_check(struct store *st)
{
	if (index_fts_exists(st) && store_exec(st, SQL_FTS_CHECK) < 0)
		return -1;
	/* The store's own check (core/store.h). */
	return store_check(st);
}
