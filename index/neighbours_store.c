/*
 * neighbours_store: the cosine candidates kept between runs, so that a
 * nightly index queries the questions that changed, not all of them
 * (docs/index.md, "Incremental related questions").
 *
 *   index_neighbours(thread_id, hash, cands)   one row per question:
 *       the content hash its candidates were computed for, and their
 *       thread ids (8 bytes each, little-endian), at most KC.
 *   index_meta 'neighbours' = "1 BASE SINCE"   questions when every one
 *       was last queried, and questions queried since as new or changed.
 *
 * A question is queried when it has no row, its hash changed, or one of
 * its stored candidates is gone or moved to another source.  The others
 * keep their stored candidates, rescored exactly with today's vectors,
 * and gain the questions queried that found them (neighbours.c).  What
 * drifts from a full run: today's idf could have chosen other
 * candidates for a kept question, and a changed question that did not
 * find a kept one among its own KC does not join its list.  So once the
 * questions queried as new or changed since the last full run pass
 * BASE / DRIFT_SHARE, every question is queried again; `index --full`
 * does it at once, and a tokenizer or field change (fts.c) too.
 *
 * The rows are read as untrusted (the store is a file): a malformed
 * blob, an unknown id, or a candidate in another source makes the
 * question queried.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xmalloc.h"
#include "index/cluster_int.h"
#include "index/index_int.h"

#define NB_VERSION 1
#define DRIFT_SHARE 10 /* a full run once a tenth changed */

static const char SQL_ROWS[] =
    "SELECT thread_id, hash, cands FROM index_neighbours ORDER BY thread_id";
static const char SQL_GONE[] =
    "DELETE FROM index_neighbours WHERE thread_id NOT IN"
    " (SELECT thread_id FROM index_threads)";
static const char SQL_SAVE[] =
    "INSERT OR REPLACE INTO index_neighbours(thread_id, hash, cands)"
    " VALUES(?1, ?2, ?3)";

/* The drift counters of the last run; 0 if there are none to trust. */
static int
read_meta(struct store *st, int64_t *base, int64_t *since)
{
	struct buf v = BUF_INIT;
	int version = 0, got = store_meta_get(st, "neighbours", &v);
	long long b, s;

	if (got > 0 && sscanf(v.data, "%d %lld %lld", &version, &b, &s) == 3 &&
	    version == NB_VERSION && b >= 0 && s >= 0) {
		*base = b;
		*since = s;
	} else {
		got = got < 0 ? -1 : 0;
	}
	buf_release(&v);
	return got < 0 ? -1 : got > 0;
}

/* Fills doc i's candidates from a stored blob, each rescored with
 * today's vectors (in query()'s bits); -1 if one cannot be used. */
static int
keep_row(struct ctx *c, uint32_t i, const unsigned char *b, size_t n,
    float *qd)
{
	const struct doc *d = &c->docs[i];
	struct nb *top = &c->cands[(size_t)i * KC];
	uint32_t js[KC];
	int ntop = 0;
	size_t k, m = n / 8;

	if (n % 8 != 0 || m > KC)
		return -1;
	for (k = 0; k < m; k++) {
		uint64_t id = 0;
		long j;
		int z;

		for (z = 7; z >= 0; z--)
			id = id << 8 | b[k * 8 + (size_t)z];
		j = cluster_doc_index(c, (int64_t)id);
		if (j < 0 || (uint32_t)j == i || c->docs[j].src != d->src)
			return -1;
		js[k] = (uint32_t)j;
	}
	for (k = 0; k < d->vn; k++)
		qd[c->vterm[d->voff + k]] = c->vw[d->voff + k];
	for (k = 0; k < m; k++) {
		float cos;

		/* The next candidates' vectors fetched ahead: each is a
		 * miss in a big source. */
		if (k + 4 < m) {
			const struct doc *n4 = &c->docs[js[k + 4]];

			__builtin_prefetch(&c->vterm[n4->voff]);
			__builtin_prefetch(&c->vw[n4->voff]);
		}
		cos = neighbours_dense_dot(c, qd, &c->docs[js[k]]);
		/* A term shared no more (today's top terms): dropped, and
		 * the row saved again, as query() would not list it. */
		if (cos > 0)
			neighbours_insert(top, &ntop, KC, js[k], cos);
	}
	for (k = 0; k < d->vn; k++)
		qd[c->vterm[d->voff + k]] = 0;
	c->ncands[i] = (uint8_t)ntop;
	c->nbstate[i] = ntop == (int)(n / 8) ? NB_KEPT : NB_DIRTY;
	return 0;
}

/* The stored rows of the docs whose hash is unchanged: blob bytes in
 * one arena, doc i's len[i] bytes at at[i] when has[i]. */
struct rows {
	unsigned char *b;
	size_t *at, *len;
	uint8_t *has;
};

struct keep_job {
	struct ctx *c;
	const struct rows *rw;
	size_t part, njobs;
};

/* Rescores the kept rows of every njobs-th doc: a doc's result depends
 * on its row alone, so any split gives the same lists. */
static void *
keep_part(void *arg)
{
	struct keep_job *j = arg;
	struct ctx *c = j->c;
	const struct rows *rw = j->rw;
	size_t i, nterms = 1;
	float *qd;

	for (i = 0; i < c->nsrcs; i++)
		if (c->srcs[i].terms.n > nterms)
			nterms = c->srcs[i].terms.n;
	qd = xcalloc(nterms, sizeof *qd);
	for (i = j->part; i < c->ndocs; i += j->njobs) {
		if (!rw->has[i])
			continue;
		if (keep_row(c, (uint32_t)i, rw->len[i] ? rw->b + rw->at[i] :
		    NULL, rw->len[i], qd) < 0) {
			c->ncands[i] = 0;
			/* The right hash but a bad candidate: queried,
			 * not counted as changed. */
			c->nbstate[i] = NB_STALE;
		}
	}
	free(qd);
	return NULL;
}

/* Reads the stored rows into rw.  0 or -1. */
static int
load_rows(struct store *st, const struct ctx *c, struct rows *rw)
{
	sqlite3_stmt *q = store_stmt(st, SQL_ROWS);
	size_t n = 0, cap = 0;
	int rc;

	rw->at = xcalloc(c->ndocs + 1, sizeof *rw->at);
	rw->len = xcalloc(c->ndocs + 1, sizeof *rw->len);
	rw->has = xcalloc(c->ndocs + 1, 1);
	rw->b = NULL;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long j = cluster_doc_index(c, sqlite3_column_int64(q, 0));
		size_t len = (size_t)sqlite3_column_bytes(q, 2);

		if (j < 0 || sqlite3_column_int64(q, 1) != c->docs[j].hash)
			continue;
		if (n + len > cap) {
			cap = (n + len) * 2 + 4096;
			rw->b = xrealloc(rw->b, cap);
		}
		if (len)
			memcpy(rw->b + n, sqlite3_column_blob(q, 2), len);
		rw->at[j] = n;
		rw->len[j] = len;
		rw->has[j] = 1;
		n += len;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_fail(st);
	return 0;
}

/* Reads and rescores the stored rows on njobs threads; *changed counts
 * the docs new or changed since their row.  0 or -1. */
static int
read_rows(struct store *st, struct ctx *c, int njobs, int64_t *changed)
{
	struct rows rw;
	struct keep_job *jobs = xcalloc((size_t)njobs, sizeof *jobs);
	size_t i;
	int k, rc;

	if ((rc = load_rows(st, c, &rw)) == 0) {
		for (k = 0; k < njobs; k++) {
			jobs[k].c = c;
			jobs[k].rw = &rw;
			jobs[k].part = (size_t)k;
			jobs[k].njobs = (size_t)njobs;
		}
		index_parts(keep_part, jobs, sizeof *jobs, njobs);
		*changed = 0;
		for (i = 0; i < c->ndocs; i++) {
			if (c->nbstate[i] == NB_STALE)
				c->nbstate[i] = NB_QUERY;
			else if (c->nbstate[i] == NB_QUERY)
				(*changed)++;
		}
	}
	free(rw.b);
	free(rw.at);
	free(rw.len);
	free(rw.has);
	free(jobs);
	return rc;
}

int
neighbours_plan(struct store *st, struct ctx *c, int njobs)
{
	int64_t changed = 0;
	size_t i;
	int known;

	c->cands = xcalloc(c->ndocs * KC + 1, sizeof *c->cands);
	c->ncands = xcalloc(c->ndocs + 1, 1);
	c->nbstate = xcalloc(c->ndocs + 1, 1);
	c->todo = xmalloc((c->ndocs + 1) * sizeof *c->todo);
	c->ntodo = 0;
	if ((known = read_meta(st, &c->nb_base, &c->nb_since)) < 0)
		return -1;
	if (known && read_rows(st, c, njobs < 1 ? 1 : njobs, &changed) < 0)
		return -1;
	if (!known ||
	    (c->nb_since + changed) * DRIFT_SHARE > c->nb_base) {
		memset(c->ncands, 0, c->ndocs);
		memset(c->nbstate, NB_QUERY, c->ndocs);
		c->nb_base = (int64_t)c->ndocs;
		c->nb_since = 0;
	} else {
		c->nb_since += changed;
	}
	for (i = 0; i < c->ndocs; i++)
		if (c->nbstate[i] == NB_QUERY)
			c->todo[c->ntodo++] = (uint32_t)i;
	return 0;
}

int
neighbours_save(struct store *st, const struct ctx *c)
{
	sqlite3_stmt *q = store_stmt(st, SQL_SAVE);
	unsigned char b[KC * 8];
	char meta[80];
	size_t i;
	int k, z, n;

	if (c->ntodo == c->ndocs &&
	    store_exec(st, "DELETE FROM index_neighbours") < 0)
		return -1;
	if (store_exec(st, SQL_GONE) < 0)
		return -1;
	for (i = 0; i < c->ndocs; i++) {
		if (c->nbstate[i] == NB_KEPT)
			continue;
		/* Candidates in any order: a run sorts them again. */
		for (k = 0; k < c->ncands[i]; k++) {
			uint64_t id = (uint64_t)c->docs[c->cands[i * KC +
			    (size_t)k].doc].id;

			for (z = 0; z < 8; z++)
				b[k * 8 + z] = (unsigned char)(id >> (8 * z));
		}
		sqlite3_bind_int64(q, 1, c->docs[i].id);
		sqlite3_bind_int64(q, 2, c->docs[i].hash);
		sqlite3_bind_blob(q, 3, b, c->ncands[i] * 8, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			return store_fail(st);
		sqlite3_reset(q);
	}
	n = snprintf(meta, sizeof meta, "%d %lld %lld", NB_VERSION,
	    (long long)c->nb_base, (long long)c->nb_since);
	return store_meta_set(st, "neighbours", meta, (size_t)n);
}
