/*
 * cluster: related questions and topics (the loose clusters, for
 * browsing).  Recurring issues, the tight level, are index/issues.c's,
 * computed here from the same context (cluster_int.h) after the topics.
 *
 * Method (docs/index.md has the reasoning and the numbers):
 *  1. Each question is a BM25-weighted vector over its terms (title,
 *     tags, question and accepted answer, field-weighted when the vector
 *     was extracted, see index_int.h; tf saturated with BM25_K1, length
 *     normalized with BM25_B), idf per source: a community's own
 *     vocabulary decides what is distinctive.  Only the TOP_M heaviest
 *     terms that occur in at least two questions are kept (after the
 *     vector is normalized over all its terms).
 *  2. Cosine: the KC nearest candidates within the source through an
 *     inverted index of those vectors (impact-ordered, each list read
 *     up to POST_CAP postings: see query()), on `jobs` threads.  They are
 *     re-ranked with a hubness correction (CSLS): cosine minus the mean
 *     of both questions' HUB_K-neighbour cosines, so a question in a
 *     sparse neighbourhood is not crowded out by hubs.  Related
 *     questions are the first INDEX_RELATED_K; their score is the cosine.
 *  3. Human duplicate links are certain: they come first in `related`
 *     and always join clusters.  Other edges: mutual neighbours (each in
 *     the other's first EDGE_K) with cosine >= EDGE_MIN.  Edges are
 *     merged strongest first unless the average linkage of the two
 *     clusters over the candidate graph falls below EDGE_AVG or the
 *     merged cluster would hold more than max(2, n / CAP_SHARE) of the
 *     source's n questions: a topic stays one area, not a chain of
 *     them.
 *  4. A cluster's canonical question is the best answered: accepted
 *     answer, then score, views, lowest id.  Its id is the canonical
 *     thread's id; members carry their cosine to the canonical.  Its
 *     label is made by index/labels.c from the members' shared terms,
 *     titles and tags.
 * Everything is ordered by thread id, so the same store gives the same
 * rows whatever the thread timing.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/sort.h"
#include "core/strtab.h"
#include "core/xmalloc.h"
#include "index/cluster_int.h"
#include "index/index_int.h"
#include "index/labels.h"

#define TOP_M 70
#define BM25_K1 40.0 /* weights are field-weighted counts: a title word is 6 */
#define BM25_B 0.3
#define EDGE_K 10
#define EDGE_MIN 0.20f
#define EDGE_AVG 0.10
#define CAP_SHARE 50

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

static void
ctx_free(struct ctx *c)
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

/* Orders each term's postings heaviest first (then by doc), for
 * query()'s cut: the order is a function of the weights alone. */
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
		fq_sort(tmp, n, sizeof *tmp, posting_by_weight);
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
		fq_sort(cand, nc, sizeof *cand, cand_by_weight);
		if (nc > TOP_M)
			nc = TOP_M;
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
load(struct store *st, struct ctx *c)
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

/* Index of the doc with thread id `id`, or -1 (docs are sorted by
 * source, then id: search each source's range). */
long
cluster_doc_index(const struct ctx *c, int64_t id)
{
	size_t k;

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

static const char SQL_DEL_RELATED[] = "DELETE FROM related";
static const char SQL_DEL_MEMBERS[] = "DELETE FROM cluster_members";
static const char SQL_DEL_CLUSTERS[] = "DELETE FROM clusters";
static const char SQL_INS_RELATED[] =
    "INSERT INTO related(thread_id, rank, other_id, score)"
    " VALUES(?1, ?2, ?3, ?4)";
static const char SQL_INS_CLUSTER[] =
    "INSERT INTO clusters(id, canonical_thread, label, size, first_seen,"
    " last_seen) VALUES(?1, ?1, ?2, ?3, nullif(?4, ''), nullif(?5, ''))";
static const char SQL_INS_MEMBER[] =
    "INSERT INTO cluster_members(cluster_id, thread_id, similarity)"
    " VALUES(?1, ?2, ?3)";

static double
round4(double x)
{
	return floor(x * 10000.0 + 0.5) / 10000.0;
}

/* Writes the related rows: human duplicates first, then neighbours. */
static int
write_related(struct store *st, struct ctx *c, struct index_result *r)
{
	size_t i, k, dp = 0;
	sqlite3_stmt *ins;

	/* dups sorted by (a, b) so each doc's partners are contiguous. */
	for (i = 0; i < c->ndocs; i++) {
		int rank = 0;
		size_t d0;

		while (dp < c->ndups && c->dups[dp].a < i)
			dp++;
		d0 = dp;
		for (; dp < c->ndups && c->dups[dp].a == i &&
		    rank < INDEX_RELATED_K; dp++) {
			if (dp > d0 && c->dups[dp].b == c->dups[dp - 1].b)
				continue;
			ins = store_stmt(st, SQL_INS_RELATED);
			bind_int(ins, 1, c->docs[i].id);
			bind_int(ins, 2, rank++);
			bind_int(ins, 3, c->docs[c->dups[dp].b].id);
			sqlite3_bind_double(ins, 4, 1.0);
			if (store_done(st, ins) < 0)
				return -1;
		}
		for (k = 0; k < c->nknn[i] && rank < INDEX_RELATED_K; k++) {
			const struct nb *nb = &c->knn[i * INDEX_RELATED_K + k];
			size_t q;
			int linked = 0;

			for (q = d0; q < dp; q++)
				linked |= c->dups[q].b == nb->doc;
			if (linked)
				continue;
			ins = store_stmt(st, SQL_INS_RELATED);
			bind_int(ins, 1, c->docs[i].id);
			bind_int(ins, 2, rank++);
			bind_int(ins, 3, c->docs[nb->doc].id);
			sqlite3_bind_double(ins, 4, round4(nb->cos));
			if (store_done(st, ins) < 0)
				return -1;
		}
		r->related += rank;
	}
	return 0;
}

static int
edge_cmp(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->sim != y->sim)
		return x->sim > y->sim ? -1 : 1;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	return x->b < y->b ? -1 : x->b > y->b;
}

void
cluster_union(uint32_t *parent, uint32_t *size, uint32_t *next, uint32_t a,
    uint32_t b)
{
	uint32_t t;

	if (b < a) {
		t = a;
		a = b;
		b = t;
	}
	parent[b] = a;
	size[a] += size[b];
	t = next[a];
	next[a] = next[b];
	next[b] = t;
}

uint32_t
cluster_find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

double
cluster_cosine(const struct ctx *c, const struct doc *a, const struct doc *b)
{
	uint32_t i = 0, j = 0;
	double dot = 0;

	while (i < a->vn && j < b->vn) {
		uint32_t ta = c->vterm[a->voff + i], tb = c->vterm[b->voff + j];

		if (ta == tb)
			dot += (double)c->vw[a->voff + i++] *
			    c->vw[b->voff + j++];
		else if (ta < tb)
			i++;
		else
			j++;
	}
	return dot > 1.0 ? 1.0 : dot;
}

/* Whether doc a makes a better canonical question than doc b. */
static int
better(const struct doc *a, const struct doc *b)
{
	if (a->accepted != b->accepted)
		return a->accepted > b->accepted;
	if (a->score != b->score)
		return a->score > b->score;
	if (a->views != b->views)
		return a->views > b->views;
	return a->id < b->id;
}

/* Where each term of the cluster being labelled is in its list: slot[t]
 * holds when stamp[t] is the cluster's (so nothing is cleared between
 * clusters).  Sized for the source with the most terms. */
struct termslots {
	uint32_t *slot, *stamp;
	uint32_t now;
};

/* The label of a cluster (index/labels.c) from the terms of its
 * members' vectors, in the order first met: how many members hold
 * each, their summed weight. */
static void
make_label(struct ctx *c, struct labeler *lb, const uint32_t *mem, size_t n,
    struct termslots *tsl, struct buf *out)
{
	const struct src *s = &c->srcs[c->docs[mem[0]].src];
	struct label_term *ts = NULL;
	struct label_member *m = xmalloc(n * sizeof *m);
	size_t nts = 0, cap = 0, i, j, k;

	tsl->now++;
	for (i = 0; i < n; i++) {
		const struct doc *d = &c->docs[mem[i]];

		m[i].title = d->title;
		m[i].tags = d->tags;
		for (j = 0; j < d->vn; j++) {
			uint32_t t = c->vterm[d->voff + j];

			if (tsl->stamp[t] != tsl->now) {
				if (nts == cap) {
					cap = cap ? 2 * cap : 64;
					ts = xreallocarray(ts, cap, sizeof *ts);
				}
				tsl->stamp[t] = tsl->now;
				tsl->slot[t] = (uint32_t)nts;
				ts[nts].term = strtab_key(&s->terms, t,
				    &ts[nts].len);
				ts[nts].members = 0;
				ts[nts++].w = 0;
			}
			k = tsl->slot[t];
			ts[k].members++;
			ts[k].w += c->vw[d->voff + j];
		}
	}
	label_make(lb, m, n, ts, nts, out);
	free(ts);
	free(m);
}

static int
member_cmp_ctx(const struct ctx *c, uint32_t a, uint32_t b, const float *sim)
{
	if (sim[a] != sim[b])
		return sim[a] > sim[b] ? -1 : 1;
	return c->docs[a].id < c->docs[b].id ? -1 : 1;
}

/* Sum of the cosines between the members of clusters a and b (roots)
 * that are among each other's candidates: a pair seen from both sides
 * counts once, from one side half; pairs not seen count 0.  Divided by
 * |a||b| it is the average linkage over the candidate graph. */
static double
linkage(const struct ctx *c, uint32_t *parent, const uint32_t *next,
    uint32_t a, uint32_t b)
{
	double sum = 0;
	uint32_t roots[2] = { a, b }, x;
	size_t k;
	int side;

	for (side = 0; side < 2; side++) {
		uint32_t from = roots[side], to = roots[!side];

		x = from;
		do {
			const struct nb *cd = &c->cands[(size_t)x * KC];

			for (k = 0; k < c->ncands[x]; k++) {
				if (cluster_find(parent, cd[k].doc) == to)
					sum += cd[k].cos / 2;
			}
			x = next[x];
		} while (x != from);
	}
	return sum;
}

static void
push_edge(struct edge **edges, size_t *n, size_t *cap, struct edge e)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		*edges = xreallocarray(*edges, *cap, sizeof **edges);
	}
	(*edges)[(*n)++] = e;
}

/* The candidate edges, strongest first: mutual neighbours (each edge
 * once, a < b) and the duplicate links.  Returns the array (the caller
 * frees it) and its length in *nedges. */
static struct edge *
collect_edges(const struct ctx *c, size_t *nedges)
{
	struct edge *edges = NULL, e;
	size_t cap = 0, i, k;

	*nedges = 0;
	for (i = 0; i < c->ndocs; i++) {
		for (k = 0; k < c->nknn[i] && k < EDGE_K; k++) {
			const struct nb *nb = &c->knn[i * INDEX_RELATED_K + k];

			/* Mutual neighbours only, each edge once. */
			if (nb->cos < EDGE_MIN || nb->doc < i ||
			    !cluster_is_neighbour(c, nb->doc, (uint32_t)i, EDGE_K))
				continue;
			e.a = (uint32_t)i < nb->doc ? (uint32_t)i : nb->doc;
			e.b = (uint32_t)i < nb->doc ? nb->doc : (uint32_t)i;
			e.sim = nb->cos;
			push_edge(&edges, nedges, &cap, e);
		}
	}
	for (i = 0; i < c->ndups; i++)
		push_edge(&edges, nedges, &cap, c->dups[i]);
	fq_sort(edges, *nedges, sizeof *edges, edge_cmp);
	return edges;
}

/* Average-linkage merging over the edges (strongest first) into the
 * union-find `parent`: a merge is refused when it would pass the
 * source's size cap or when the clusters' average linkage is below
 * EDGE_AVG; duplicate links (sim > 1) always merge.  Afterwards
 * parent[i] is the root of i. */
static void
merge_edges(const struct ctx *c, const struct edge *edges, size_t nedges,
    uint32_t *parent)
{
	uint32_t *size = xmalloc((c->ndocs + 1) * sizeof *size);
	/* A circular list of each cluster's members, for linkage(). */
	uint32_t *next = xmalloc((c->ndocs + 1) * sizeof *next);
	size_t i;

	for (i = 0; i < c->ndocs; i++) {
		parent[i] = (uint32_t)i;
		size[i] = 1;
		next[i] = (uint32_t)i;
	}
	for (i = 0; i < nedges; i++) {
		uint32_t a = cluster_find(parent, edges[i].a);
		uint32_t b = cluster_find(parent, edges[i].b);
		size_t n = c->srcs[c->docs[edges[i].a].src].n;
		size_t capn = n / CAP_SHARE > 2 ? n / CAP_SHARE : 2;

		if (a == b)
			continue;
		if (edges[i].sim <= 1.0f && size[a] + size[b] > capn)
			continue;
		if (edges[i].sim <= 1.0f && (size[a] > 1 || size[b] > 1) &&
		    linkage(c, parent, next, a, b) / ((double)size[a] *
		    size[b]) < EDGE_AVG)
			continue;
		cluster_union(parent, size, next, a, b);
	}
	free(next);
	free(size);
	for (i = 0; i < c->ndocs; i++)
		parent[i] = cluster_find(parent, (uint32_t)i);
}

/* The docs ordered by (root, index) into order, so that the members of
 * each cluster are contiguous: a counting sort by root. */
void
cluster_group_by_root(const struct ctx *c, const uint32_t *root,
    uint32_t *order)
{
	uint32_t *start = xcalloc(c->ndocs + 1, sizeof *start);
	size_t i;

	for (i = 0; i < c->ndocs; i++)
		start[root[i] + 1]++;
	for (i = 0; i < c->ndocs; i++)
		start[i + 1] += start[i];
	for (i = 0; i < c->ndocs; i++)
		order[start[root[i]]++] = (uint32_t)i;
	free(start);
}

/* Stores one cluster of n >= 2 members mem[] (reordered here: the
 * canonical question first, then by similarity to it); sim and label
 * are scratch.  0 or -1. */
static int
write_cluster(struct store *st, struct ctx *c, struct labeler *lb,
    uint32_t *mem, size_t n, float *sim, struct termslots *tsl,
    struct buf *label)
{
	const char *first = NULL, *last = NULL;
	sqlite3_stmt *ins;
	uint32_t best = mem[0];
	size_t k;

	for (k = 1; k < n; k++) {
		if (better(&c->docs[mem[k]], &c->docs[best]))
			best = mem[k];
	}
	for (k = 0; k < n; k++) {
		const char *cr = c->docs[mem[k]].created;

		sim[mem[k]] = mem[k] == best ? 1.0f :
		    (float)cluster_cosine(c, &c->docs[mem[k]], &c->docs[best]);
		if (*cr && (first == NULL || strcmp(cr, first) < 0))
			first = cr;
		if (*cr && (last == NULL || strcmp(cr, last) > 0))
			last = cr;
	}
	/* Insertion sort: canonical first, then by similarity. */
	for (k = 1; k < n; k++) {
		uint32_t v = mem[k];
		size_t at = k;

		while (at > 0 && member_cmp_ctx(c, v, mem[at - 1], sim) < 0) {
			mem[at] = mem[at - 1];
			at--;
		}
		mem[at] = v;
	}
	buf_reset(label);
	make_label(c, lb, mem, n, tsl, label);
	ins = store_stmt(st, SQL_INS_CLUSTER);
	bind_int(ins, 1, c->docs[best].id);
	bind_text(ins, 2, label->data, label->len);
	bind_int(ins, 3, (int64_t)n);
	bind_text(ins, 4, first ? first : "", first ? strlen(first) : 0);
	bind_text(ins, 5, last ? last : "", last ? strlen(last) : 0);
	if (store_done(st, ins) < 0)
		return -1;
	for (k = 0; k < n; k++) {
		ins = store_stmt(st, SQL_INS_MEMBER);
		bind_int(ins, 1, c->docs[best].id);
		bind_int(ins, 2, c->docs[mem[k]].id);
		sqlite3_bind_double(ins, 3, round4(sim[mem[k]]));
		if (store_done(st, ins) < 0)
			return -1;
	}
	return 0;
}

/* The clusters: edges, merged, grouped by root, each group of two or
 * more stored. */
static int
write_clusters(struct store *st, struct ctx *c, struct index_result *r)
{
	size_t nedges, i, j;
	struct edge *edges = collect_edges(c, &nedges);
	uint32_t *parent = xmalloc((c->ndocs + 1) * sizeof *parent);
	uint32_t *order = xmalloc((c->ndocs + 1) * sizeof *order);
	float *sim = xcalloc(c->ndocs + 1, sizeof *sim);
	struct buf label = BUF_INIT;
	struct labeler *lb = NULL;
	struct termslots tsl;
	uint32_t lbsrc = 0;
	size_t nterms = 1;
	int rc = -1;

	for (i = 0; i < c->nsrcs; i++)
		if (c->srcs[i].terms.n > nterms)
			nterms = c->srcs[i].terms.n;
	tsl.slot = xmalloc(nterms * sizeof *tsl.slot);
	tsl.stamp = xcalloc(nterms, sizeof *tsl.stamp);
	tsl.now = 0;
	merge_edges(c, edges, nedges, parent);
	cluster_group_by_root(c, parent, order);
	for (i = 0; i < c->ndocs; i = j) {
		for (j = i; j < c->ndocs && parent[order[j]] == parent[order[i]];
		     j++)
			;
		if (j - i < 2)
			continue;
		/* One labeler per source (its stopwords): clusters come in
		 * root order, and roots in source order. */
		if (lb == NULL || c->docs[order[i]].src != lbsrc) {
			labeler_free(lb);
			lbsrc = c->docs[order[i]].src;
			lb = labeler_new(c->srcs[lbsrc].lang);
		}
		if (write_cluster(st, c, lb, &order[i], j - i, sim, &tsl,
		    &label) < 0)
			goto out;
		r->clusters++;
		r->clustered += (int64_t)(j - i);
	}
	rc = 0;
out:
	free(edges);
	free(parent);
	free(order);
	free(sim);
	free(tsl.slot);
	free(tsl.stamp);
	buf_release(&label);
	labeler_free(lb);
	return rc;
}

int
index_cluster_run(struct store *st, int jobs, struct index_result *r)
{
	struct ctx c;
	int rc = -1;
	int64_t t0 = fq_now_ms();

	memset(&c, 0, sizeof c);
	if (load(st, &c) < 0 || load_dups(st, &c) < 0)
		goto out;
	index_lap("vectors", &t0);
	if (neighbours_plan(st, &c, jobs) < 0)
		goto out;
	neighbours_run(&c, jobs);
	r->queried = (int64_t)c.ntodo;
	index_lap("neighbours", &t0);
	if (store_exec(st, SQL_DEL_RELATED) < 0 ||
	    store_exec(st, SQL_DEL_MEMBERS) < 0 ||
	    store_exec(st, SQL_DEL_CLUSTERS) < 0 ||
	    write_related(st, &c, r) < 0 || neighbours_save(st, &c) < 0)
		goto out;
	index_lap("related rows", &t0);
	if (write_clusters(st, &c, r) < 0)
		goto out;
	index_lap("topics", &t0);
	if (index_issues_write(st, &c, r) < 0)
		goto out;
	index_lap("issues", &t0);
	rc = 0;
out:
	ctx_free(&c);
	return rc;
}
