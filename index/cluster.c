/*
 * cluster: related questions and topics (the loose clusters, for
 * browsing).  Recurring issues, the tight level, are index/issues.c's,
 * computed here from the same context (cluster_int.h) after the topics.
 *
 * Method (docs/index.md has the reasoning and the numbers):
 *  1. Each question is a BM25-weighted vector over its top terms, idf
 *     per source (index/vectors.c loads them, with their postings).
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
 *     clusters over the candidate graph falls below EDGE_AVG (read from
 *     the smaller one's side; a pair refused stays refused until one
 *     of them grows: index/groups.c) or the
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
#include <stdint.h>
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

#define EDGE_K 10
#define EDGE_MIN 0.20f
#define EDGE_AVG 0.10
#define CAP_SHARE 50

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

/* A member as write_cluster orders them: the canonical question
 * first, then by similarity to it, then by thread id. */
struct mkey {
	float sim;
	int canon;
	int64_t id;
	uint32_t doc;
};

static int
mkey_cmp(const void *x, const void *y)
{
	const struct mkey *a = x, *b = y;

	if (a->canon != b->canon)
		return a->canon ? -1 : 1;
	if (a->sim != b->sim)
		return a->sim > b->sim ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Who holds each doc among their candidates (CSR: the docs x whose
 * candidates name d are from[off[d] .. off[d + 1]), with x's cosine to
 * d), so that linkage() reads only the smaller cluster's side.  8 bytes
 * a candidate (about 240 MB at a million questions), for the merge
 * only.  The sums add the same pairs as reading both sides did, in
 * another order: the same on every run, not always the same last bit
 * as before. */
struct rev {
	uint32_t *off, *from;
	float *cos;
};

static void
rev_build(const struct ctx *c, struct rev *rv)
{
	uint32_t *fill;
	size_t i, k, n = 0;

	rv->off = xcalloc(c->ndocs + 2, sizeof *rv->off);
	for (i = 0; i < c->ndocs; i++) {
		for (k = 0; k < c->ncands[i]; k++)
			rv->off[c->cands[i * KC + k].doc + 1]++;
		n += c->ncands[i];
	}
	for (i = 0; i < c->ndocs; i++)
		rv->off[i + 1] += rv->off[i];
	rv->from = xmalloc((n ? n : 1) * sizeof *rv->from);
	rv->cos = xmalloc((n ? n : 1) * sizeof *rv->cos);
	fill = xmalloc((c->ndocs + 1) * sizeof *fill);
	memcpy(fill, rv->off, (c->ndocs + 1) * sizeof *fill);
	for (i = 0; i < c->ndocs; i++) {
		for (k = 0; k < c->ncands[i]; k++) {
			const struct nb *cd = &c->cands[i * KC + k];

			rv->from[fill[cd->doc]] = (uint32_t)i;
			rv->cos[fill[cd->doc]++] = cd->cos;
		}
	}
	free(fill);
}

static void
rev_free(struct rev *rv)
{
	free(rv->off);
	free(rv->from);
	free(rv->cos);
}

/* Sum of the cosines between the members of clusters a and b (roots)
 * that are among each other's candidates: a pair seen from both sides
 * counts once, from one side half; pairs not seen count 0.  Divided by
 * |a||b| it is the average linkage over the candidate graph.  Only the
 * members of `small` (a or b, the smaller) are read: their own
 * candidates, and the docs that hold them as one (rv), so a question
 * joining a topic of thousands costs its own lists, not the topic's. */
static double
linkage(const struct ctx *c, uint32_t *parent, const uint32_t *next,
    const struct rev *rv, uint32_t small, uint32_t big)
{
	double sum = 0;
	uint32_t x = small, j;
	size_t k;

	do {
		const struct nb *cd = &c->cands[(size_t)x * KC];

		for (k = 0; k < c->ncands[x]; k++) {
			if (cluster_find(parent, cd[k].doc) == big)
				sum += cd[k].cos / 2;
		}
		for (j = rv->off[x]; j < rv->off[x + 1]; j++) {
			if (cluster_find(parent, rv->from[j]) == big)
				sum += rv->cos[j] / 2;
		}
		x = next[x];
	} while (x != small);
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
	struct refused no = { NULL, 0, 0 };
	struct rev rv;
	size_t i;

	rev_build(c, &rv);
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
		    (cluster_refused(&no, a, size[a], b, size[b], 0) ||
		    linkage(c, parent, next, &rv, size[a] <= size[b] ? a : b,
		    size[a] <= size[b] ? b : a) / ((double)size[a] *
		    size[b]) < EDGE_AVG)) {
			cluster_refused(&no, a, size[a], b, size[b], 1);
			continue;
		}
		cluster_union(parent, size, next, a, b);
	}
	cluster_refused_free(&no);
	rev_free(&rv);
	free(next);
	free(size);
	for (i = 0; i < c->ndocs; i++)
		parent[i] = cluster_find(parent, (uint32_t)i);
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
	struct mkey *keys;
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
	/* A sort, not insertion: a topic may hold thousands. */
	keys = xmalloc(n * sizeof *keys);
	for (k = 0; k < n; k++) {
		keys[k].sim = sim[mem[k]];
		keys[k].canon = mem[k] == best;
		keys[k].id = c->docs[mem[k]].id;
		keys[k].doc = mem[k];
	}
	fq_sort(keys, n, sizeof *keys, mkey_cmp);
	for (k = 0; k < n; k++)
		mem[k] = keys[k].doc;
	free(keys);
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

	if (cluster_load(st, &c) < 0)
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
	cluster_ctx_free(&c);
	return rc;
}
