/*
 * vectors: the context of related questions, topics and issues
 * (cluster_int.h), loaded from the store: each question's BM25-weighted
 * vector over its terms (title, tags, question and accepted answer,
 * field-weighted when the vector was extracted, see index_int.h; tf
 * saturated with BM25_K1, length normalized with BM25_B), idf per
 * source: a community's own vocabulary decides what is distinctive.
 * Only the TOP_M heaviest terms that occur in at least two questions
 * are kept (after the vector is normalized over all its terms).  Then
 * each source's postings, impact-ordered for query() (neighbours.c),
 * the human duplicate links, and the doc of each thread id.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sort.h"
#include "core/strtab.h"
#include "core/xmalloc.h"
#include "index/cluster_int.h"
#include "index/index_int.h"

#define TOP_M 70
#define BM25_K1 40.0 /* weights are field-weighted counts: a title word is 6 */
#define BM25_B 0.3

/* Returns the term id of t[0..n) (n <= 255: the stored vectors give
 * a term's length in one byte), adding it if new with df 0. */
static uint32_t
dict_intern(struct src *s, const char *t, size_t n)
{
	int added;
	uint32_t id = (uint32_t)strtab_add(&s->terms, t, n, &added);

	if (added && s->capdf < s->terms.cap) {
		s->capdf = s->terms.cap;
		s->df = xreallocarray(s->df, s->capdf, sizeof *s->df);
	}
	if (added)
		s->df[id] = 0;
	return id;
}

static void
src_free(struct src *s)
{
	strtab_release(&s->terms);
	free(s->df);
	free(s->poff);
	free(s->pdoc);
	free(s->pw);
	free(s->lang);
}

void
cluster_ctx_free(struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->ndocs; i++) {
		free(c->docs[i].title);
		free(c->docs[i].tags);
	}
	for (i = 0; i < c->nsrcs; i++)
		src_free(&c->srcs[i]);
	free(c->docs);
	free(c->srcs);
	free(c->rterm);
	free(c->rweight);
	free(c->vterm);
	free(c->vw);
	free(c->knn);
	free(c->nknn);
	free(c->cands);
	free(c->ncands);
	free(c->hub);
	free(c->todo);
	free(c->nbstate);
	free(c->dups);
	free(c->byid);
}

/* Adds the terms of one stored vector to doc d.  Malformed bytes end
 * the vector (they cannot come from index/, but the store is a file). */
static void
add_terms(struct ctx *c, struct src *s, struct doc *d, const unsigned char *b,
    size_t n)
{
	size_t i = 0;

	d->roff = (uint32_t)c->nraw;
	while (i < n) {
		size_t len = b[i];
		uint32_t id;

		if (len == 0 || i + 1 + len + 2 > n)
			break;
		id = dict_intern(s, (const char *)b + i + 1, len);
		s->df[id]++;
		if (c->nraw == c->capraw) {
			c->capraw = c->capraw ? 2 * c->capraw : 65536;
			c->rterm = xreallocarray(c->rterm, c->capraw,
			    sizeof *c->rterm);
			c->rweight = xreallocarray(c->rweight, c->capraw,
			    sizeof *c->rweight);
		}
		c->rterm[c->nraw] = id;
		c->rweight[c->nraw++] = (uint16_t)(b[i + 1 + len] |
		    b[i + 2 + len] << 8);
		i += 1 + len + 2;
	}
	d->rn = (uint32_t)(c->nraw - d->roff);
}

struct cand {
	uint32_t term;
	float w;
};

static int
cand_by_weight(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->term < y->term ? -1 : x->term > y->term;
}

static int
cand_by_term(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->term < y->term ? -1 : x->term > y->term;
}

struct posting {
	float w;
	uint32_t doc;
};

static int
posting_by_weight(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;

	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* Orders the first POST_CAP postings of each term heaviest first (then
 * by doc), for query()'s cut, which reads no further: the order is a
 * function of the weights alone.  The rest stay in no particular (but
 * reproducible) order. */
static void
impact_order(struct src *s)
{
	struct posting *tmp = NULL;
	size_t cap = 0, t, p;

	for (t = 0; t < s->terms.n; t++) {
		size_t a = s->poff[t], n = s->poff[t + 1] - a;

		if (n <= POST_CAP)
			continue; /* read whole: the order does not matter */
		if (n > cap) {
			cap = n;
			tmp = xreallocarray(tmp, cap, sizeof *tmp);
		}
		for (p = 0; p < n; p++) {
			tmp[p].w = s->pw[a + p];
			tmp[p].doc = s->pdoc[a + p];
		}
		fq_select(tmp, n, sizeof *tmp, POST_CAP, posting_by_weight);
		fq_sort(tmp, POST_CAP, sizeof *tmp, posting_by_weight);
		for (p = 0; p < n; p++) {
			s->pw[a + p] = tmp[p].w;
			s->pdoc[a + p] = tmp[p].doc;
		}
	}
	free(tmp);
}

/* Weights, normalizes and truncates the vectors of source s, then
 * builds its postings. */
static void
finish_source(struct ctx *c, struct src *s)
{
	struct cand *cand = NULL;
	size_t capcand = 0, i, j, total = 0;
	double n = (double)s->n;

	double avglen = 0;

	for (i = s->first; i < s->first + s->n; i++) {
		for (j = 0; j < c->docs[i].rn; j++)
			avglen += c->rweight[c->docs[i].roff + j];
	}
	avglen = s->n ? avglen / (double)s->n : 1.0;
	for (i = s->first; i < s->first + s->n; i++) {
		struct doc *d = &c->docs[i];
		double norm = 0, len = 0;
		size_t nc = 0;

		for (j = 0; j < d->rn; j++)
			len += c->rweight[d->roff + j];

		if (d->rn > capcand) {
			capcand = d->rn;
			cand = xreallocarray(cand, capcand, sizeof *cand);
		}
		for (j = 0; j < d->rn; j++) {
			uint32_t t = c->rterm[d->roff + j];
			double tf = (double)c->rweight[d->roff + j];
			double w = tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 -
			    BM25_B + BM25_B * len / avglen)) *
			    log(1.0 + n / (double)s->df[t]);

			norm += w * w;
			if (s->df[t] >= 2) {
				cand[nc].term = t;
				cand[nc++].w = (float)w;
			}
		}
		norm = norm > 0 ? sqrt(norm) : 1.0;
		/* The TOP_M heaviest (ties: lower term id), by term. */
		if (nc > TOP_M) {
			fq_select(cand, nc, sizeof *cand, TOP_M, cand_by_weight);
			nc = TOP_M;
		}
		fq_sort(cand, nc, sizeof *cand, cand_by_term);
		if (c->nvec + nc > c->capvec) {
			c->capvec = (c->nvec + nc) * 2;
			c->vterm = xreallocarray(c->vterm, c->capvec,
			    sizeof *c->vterm);
			c->vw = xreallocarray(c->vw, c->capvec, sizeof *c->vw);
		}
		d->voff = (uint32_t)c->nvec;
		d->vn = (uint32_t)nc;
		for (j = 0; j < nc; j++) {
			c->vterm[c->nvec] = cand[j].term;
			c->vw[c->nvec++] = (float)(cand[j].w / norm);
		}
		total += nc;
	}
	free(cand);
	/* Postings: count, prefix sums, fill (docs in id order). */
	s->poff = xcalloc(s->terms.n + 1, sizeof *s->poff);
	s->pdoc = xmalloc((total ? total : 1) * sizeof *s->pdoc);
	s->pw = xmalloc((total ? total : 1) * sizeof *s->pw);
	for (i = s->first; i < s->first + s->n; i++) {
		for (j = 0; j < c->docs[i].vn; j++)
			s->poff[c->vterm[c->docs[i].voff + j] + 1]++;
	}
	for (i = 0; i < s->terms.n; i++)
		s->poff[i + 1] += s->poff[i];
	{
		uint32_t *fill = xmalloc((s->terms.n + 1) * sizeof *fill);

		memcpy(fill, s->poff, (s->terms.n + 1) * sizeof *fill);
		for (i = s->first; i < s->first + s->n; i++) {
			struct doc *d = &c->docs[i];

			for (j = 0; j < d->vn; j++) {
				uint32_t t = c->vterm[d->voff + j];

				s->pdoc[fill[t]] = (uint32_t)i;
				s->pw[fill[t]++] = c->vw[d->voff + j];
			}
		}
		free(fill);
	}
	impact_order(s);
}

static const char SQL_LOAD[] =
    "SELECT t.id, t.source_id, t.ext_id, t.score, t.views,"
    " t.accepted_ext IS NOT NULL, coalesce(t.created, ''), t.title,"
    " i.terms, s.lang, i.hash, (SELECT group_concat(tag, char(10)) FROM (SELECT"
    " tag FROM thread_tags g WHERE g.source_id = t.source_id"
    " AND g.thread_ext = t.ext_id ORDER BY g.pos))"
    " FROM threads t JOIN index_threads i ON i.thread_id = t.id"
    " JOIN sources s ON s.id = t.source_id"
    " ORDER BY t.source_id, t.id";

static int
load_vectors(struct store *st, struct ctx *c)
{
	sqlite3_stmt *q = store_stmt(st, SQL_LOAD);
	struct src *s = NULL;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(q, 1);
		const char *created = (const char *)sqlite3_column_text(q, 6);
		const char *title = (const char *)sqlite3_column_text(q, 7);
		const char *lang = (const char *)sqlite3_column_text(q, 9);
		struct doc *d;

		if (s == NULL || s->id != sid) {
			if (s)
				finish_source(c, s);
			if (c->nsrcs == c->capsrcs) {
				c->capsrcs = c->capsrcs ? 2 * c->capsrcs : 16;
				c->srcs = xreallocarray(c->srcs, c->capsrcs,
				    sizeof *c->srcs);
			}
			s = &c->srcs[c->nsrcs++];
			memset(s, 0, sizeof *s);
			strtab_init(&s->terms);
			s->id = sid;
			s->lang = lang ? xstrdup(lang) : NULL;
			s->first = c->ndocs;
		}
		if (c->ndocs == c->capdocs) {
			c->capdocs = c->capdocs ? 2 * c->capdocs : 1024;
			c->docs = xreallocarray(c->docs, c->capdocs,
			    sizeof *c->docs);
		}
		d = &c->docs[c->ndocs++];
		memset(d, 0, sizeof *d);
		d->id = sqlite3_column_int64(q, 0);
		d->ext = sqlite3_column_int64(q, 2);
		d->score = sqlite3_column_int64(q, 3);
		d->views = sqlite3_column_int64(q, 4);
		d->accepted = sqlite3_column_int(q, 5);
		d->src = (uint32_t)(c->nsrcs - 1);
		snprintf(d->created, sizeof d->created, "%s", created ? created
		    : "");
		d->title = xstrdup(title ? title : "");
		d->hash = sqlite3_column_int64(q, 10);
		d->tags = sqlite3_column_type(q, 11) == SQLITE_NULL ? NULL :
		    xstrdup((const char *)sqlite3_column_text(q, 11));
		add_terms(c, s, d, sqlite3_column_blob(q, 8),
		    (size_t)sqlite3_column_bytes(q, 8));
		s->n++;
	}
	if (s)
		finish_source(c, s);
	if (rc != SQLITE_DONE)
		return store_fail(st);
	return 0;
}

static const char SQL_DUPS[] =
    "SELECT a.id, b.id FROM links l"
    " JOIN threads a ON a.source_id = l.source_id AND a.ext_id = l.from_ext"
    " JOIN threads b ON b.source_id = l.source_id AND b.ext_id = l.to_ext"
    " WHERE l.kind = 'duplicate' AND a.id <> b.id ORDER BY a.id, b.id";

/* The table of cluster_doc_index: thread ids are the store's row ids,
 * dense but for the threads removed, so a lookup is one read instead of
 * a binary search per source (tens of millions of them at a million
 * questions: every stored candidate, every answer choice).  Ids spread
 * over more than 8 slots per doc keep the search. */
static void
byid_build(struct ctx *c)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	size_t i;

	for (i = 0; i < c->ndocs; i++) {
		if (c->docs[i].id < lo)
			lo = c->docs[i].id;
		if (c->docs[i].id > hi)
			hi = c->docs[i].id;
	}
	/* Differences as unsigned: ids from a damaged store may be far
	 * apart or negative. */
	if (c->ndocs == 0 || (uint64_t)hi - (uint64_t)lo >= 8 *
	    (uint64_t)c->ndocs + 1024 || c->ndocs > INT32_MAX)
		return;
	c->byid_lo = lo;
	c->byid_n = (size_t)((uint64_t)hi - (uint64_t)lo) + 1;
	c->byid = xmalloc(c->byid_n * sizeof *c->byid);
	memset(c->byid, 0xff, c->byid_n * sizeof *c->byid);
	for (i = 0; i < c->ndocs; i++)
		c->byid[(uint64_t)c->docs[i].id - (uint64_t)lo] = (int32_t)i;
}

/* Index of the doc with thread id `id`, or -1 (docs are sorted by
 * source, then id: search each source's range). */
long
cluster_doc_index(const struct ctx *c, int64_t id)
{
	size_t k;

	if (c->byid) {
		uint64_t at = (uint64_t)id - (uint64_t)c->byid_lo;

		return id >= c->byid_lo && at < c->byid_n ? c->byid[at] : -1;
	}

	for (k = 0; k < c->nsrcs; k++) {
		size_t lo = c->srcs[k].first, hi = lo + c->srcs[k].n;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (c->docs[mid].id < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->srcs[k].first + c->srcs[k].n &&
		    c->docs[lo].id == id)
			return (long)lo;
	}
	return -1;
}

static int
dup_cmp(const void *x, const void *y)
{
	const struct edge *a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

static int
load_dups(struct store *st, struct ctx *c)
{
	sqlite3_stmt *q = store_stmt(st, SQL_DUPS);
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long a = cluster_doc_index(c, sqlite3_column_int64(q, 0));
		long b = cluster_doc_index(c, sqlite3_column_int64(q, 1));

		if (a < 0 || b < 0)
			continue;
		if (c->ndups + 2 > c->capdups) {
			c->capdups = c->capdups ? 2 * c->capdups : 64;
			c->dups = xreallocarray(c->dups, c->capdups,
			    sizeof *c->dups);
		}
		c->dups[c->ndups].a = (uint32_t)a;
		c->dups[c->ndups].b = (uint32_t)b;
		c->dups[c->ndups++].sim = 2.0f;
		c->dups[c->ndups].a = (uint32_t)b;
		c->dups[c->ndups].b = (uint32_t)a;
		c->dups[c->ndups++].sim = 2.0f;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st);
	fq_sort(c->dups, c->ndups, sizeof *c->dups, dup_cmp);
	return 0;
}


int
cluster_load(struct store *st, struct ctx *c)
{
	memset(c, 0, sizeof *c);
	if (load_vectors(st, c) < 0)
		return -1;
	byid_build(c);
	return load_dups(st, c);
}

