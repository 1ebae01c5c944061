/*
 * neighbours: the cosine candidates of every question (KC each) and its
 * related questions, the INDEX_RELATED_K best after the hubness
 * correction; index/cluster.c loads the vectors and writes the rows.
 *
 * A run queries only the questions it must (neighbours_plan, in
 * neighbours_store.c): those new or changed since their candidates were
 * stored, and those that lost a candidate.  Every other question keeps
 * its stored candidates, rescored exactly with today's vectors, and
 * gains the changed questions that found it among their own.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/sort.h"
#include "core/xmalloc.h"
#include "index/cluster_int.h"
#include "index/index_int.h"

struct job {
	struct ctx *c;
	size_t part, njobs;
	struct progress *pg; /* part 0 draws it */
};

/* A doc's sum in the hashed accumulator; doc NO_DOC: an empty slot. */
struct hslot {
	uint32_t doc;
	float acc;
};
#define NO_DOC UINT32_MAX
/* Past this many docs the per-doc sums (4 bytes a doc) outgrow a
 * core's cache and every posting read is a miss: a query then sums in
 * a table hashed by doc, sized by what it can touch (at most half
 * full), which stays in cache. */
#define DENSE_MAX (1u << 18)
/* How far ahead a loop over known docs fetches what it will read. */
#define PREFETCH 8

struct scratch {
	float *acc;        /* per doc: the sum so far (dense) */
	uint32_t *touched; /* the docs (dense) or slots (hashed) with a sum */
	struct nb *found;  /* the docs found, before the best are chosen */
	float *qd;         /* per term of the source: the query's weight */
	struct hslot *ht;  /* hashed sums, hcap = 2^hbits slots */
	size_t hcap;
	unsigned hbits;
	size_t dense_max;  /* DENSE_MAX, or FAQTORY_DENSE_MAX (tests) */
};

/* Inserts doc e with score sim into top[0..*ntop) (sim desc, doc asc),
 * which holds at most kmax. */
void
neighbours_insert(struct nb *top, int *ntop, int kmax, uint32_t e, float sim)
{
	int at;

	if (*ntop == kmax && (top[kmax - 1].sim > sim ||
	    (top[kmax - 1].sim == sim && top[kmax - 1].doc < e)))
		return;
	for (at = *ntop; at > 0; at--) {
		if (top[at - 1].sim > sim || (top[at - 1].sim == sim &&
		    top[at - 1].doc < e))
			break;
	}
	if (*ntop < kmax)
		(*ntop)++;
	memmove(&top[at + 1], &top[at], (size_t)(*ntop - 1 - at) *
	    sizeof *top);
	top[at].doc = e;
	top[at].sim = top[at].cos = sim;
}

/* sim descending, then doc ascending: the order neighbours_insert
 * keeps. */
static int
nb_cmp(const void *a, const void *b)
{
	const struct nb *x = a, *y = b;

	if (x->sim != y->sim)
		return x->sim > y->sim ? -1 : 1;
	return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static int
before(const struct nb *a, const struct nb *b)
{
	return nb_cmp(a, b) < 0;
}

static void
nb_swap(struct nb *a, struct nb *b)
{
	struct nb t = *a;

	*a = *b;
	*b = t;
}

/* Moves the k best of a[0, n) (in `before` order, a total order: docs
 * are distinct) into a[0, k), in no particular order: a quickselect,
 * linear on average where keeping a sorted list of k costs up to k
 * moves per doc. */
static void quickselect(struct nb *a, size_t n, size_t k);

#define SAMPLE 256
/* The j-th highest sum (from 0, j < SAMPLE) of SAMPLE docs spread over
 * a[0, n): kept in a short descending list as the sample is read. */
static float
sampled(const struct nb *a, size_t n, size_t j)
{
	float top[SAMPLE];
	size_t i, m = 0, at;

	for (i = 0; i < SAMPLE; i++) {
		float v = a[i * (n / SAMPLE)].sim;

		if (m == j + 1 && v <= top[j])
			continue;
		at = m < j + 1 ? m++ : j;
		while (at > 0 && top[at - 1] < v) {
			top[at] = top[at - 1];
			at--;
		}
		top[at] = v;
	}
	return top[m - 1];
}

/* Moves the best k of a[0, n) to a[0, k), in any order, as quickselect
 * does.  Most of a long list is far below them: one pass keeps the docs
 * at or above a sum that 2k + 8 of a sample of SAMPLE reach, and the
 * selection runs on those when they are k or more (then they hold the
 * best k, ties included). */
static void
select_best(struct nb *a, size_t n, size_t k)
{
	size_t i, front = 0, j;
	float thr;

	j = n >= 16 * SAMPLE ? (2 * k * SAMPLE + n - 1) / n + 8 : SAMPLE;
	if (k == 0 || j >= SAMPLE / 2) {
		quickselect(a, n, k);
		return;
	}
	thr = sampled(a, n, j);
	for (i = 0; i < n; i++)
		if (a[i].sim >= thr)
			nb_swap(&a[i], &a[front++]);
	quickselect(a, front >= k ? front : n, k);
}

static void
quickselect(struct nb *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n, i, at;

	while (k > lo && k < hi && hi - lo > 1) {
		nb_swap(&a[lo + (hi - lo) / 2], &a[hi - 1]);
		for (at = i = lo; i < hi - 1; i++)
			if (before(&a[i], &a[hi - 1]))
				nb_swap(&a[i], &a[at++]);
		nb_swap(&a[at], &a[hi - 1]);
		if (at == k || at + 1 == k)
			return;
		if (at > k)
			hi = at;
		else
			lo = at + 1;
	}
}

/* The best kmax of found[0, n) into top, ranked; returns how many. */
static int
best_of(struct nb *found, size_t n, struct nb *top, int kmax)
{
	size_t k = n < (size_t)kmax ? n : (size_t)kmax, i;

	select_best(found, n, k);
	fq_sort(found, k, sizeof *found, nb_cmp);
	for (i = 0; i < k; i++) {
		top[i] = found[i];
		top[i].cos = top[i].sim;
	}
	return (int)k;
}

/* The dot product of doc d with a query spread by term id (qd): one
 * pass over d's own terms, in term order, which is the order query()
 * adds a doc's shared terms in (a term the query lacks adds an exact
 * zero), so a doc scores the same bits whichever way it was found. */
float
neighbours_dense_dot(const struct ctx *c, const float *qd, const struct doc *d)
{
	const uint32_t *dt = &c->vterm[d->voff];
	const float *dw = &c->vw[d->voff];
	float acc = 0;
	size_t j;

	for (j = 0; j < d->vn; j++)
		acc += qd[dt[j]] * dw[j];
	return acc;
}

/*
 * The top kmax docs of source s by dot product with the query vector
 * (qt, qw, qn), doc `self` left out, into top (sim desc, doc asc).
 * Returns how many.
 *
 * Each term's postings are read heaviest first and at most POST_CAP of
 * them (finish_source orders them), so a query costs at most
 * qn * POST_CAP steps however big the source is.  When no list was cut
 * the accumulated sums are the exact dot products; when one was, they
 * are lower bounds that choose the RESCORE best candidates, which are
 * then scored exactly (dot_doc).  A doc cut from every list it shares
 * with the query is missed: its weight in each is below the POST_CAP-th
 * heaviest, the evidence docs/index.md measures.
 */
/* Where a query stops reading term t's postings: at most POST_CAP, the
 * heaviest (finish_source orders them). */
static size_t
read_end(const struct src *s, uint32_t t)
{
	size_t end = s->poff[t + 1];

	return end - s->poff[t] > POST_CAP ? s->poff[t] + POST_CAP : end;
}

/* The sums of the query's postings per doc into sc->found (first
 * touched first), in sc->acc indexed by doc; returns how many. */
static size_t
sum_dense(const struct src *s, const uint32_t *qt, const float *qw,
    size_t qn, uint32_t self, struct scratch *sc)
{
	size_t k, p, nt = 0, nf = 0;

	for (k = 0; k < qn; k++) {
		size_t end = read_end(s, qt[k]);
		float w = qw[k];

		for (p = s->poff[qt[k]]; p < end; p++) {
			uint32_t e = s->pdoc[p];

			if (sc->acc[e] == 0)
				sc->touched[nt++] = e;
			sc->acc[e] += w * s->pw[p];
		}
	}
	for (k = 0; k < nt; k++) {
		uint32_t e = sc->touched[k];
		float sim = sc->acc[e];

		sc->acc[e] = 0;
		if (e == self || sim <= 0)
			continue;
		sc->found[nf].doc = e;
		sc->found[nf++].sim = sim;
	}
	return nf;
}

/* As sum_dense, the sums in a table hashed by doc: the same additions
 * in the same order, so the same bits and the same order of found. */
static size_t
sum_hashed(const struct src *s, const uint32_t *qt, const float *qw,
    size_t qn, uint32_t self, size_t bound, struct scratch *sc)
{
	size_t k, p, nt = 0, nf = 0, mask;

	if (sc->hcap < 2 * bound) {
		while (sc->hcap < 2 * bound) {
			sc->hcap = sc->hcap ? 2 * sc->hcap : 1024;
			sc->hbits = sc->hbits ? sc->hbits + 1 : 10;
		}
		free(sc->ht);
		sc->ht = xreallocarray(NULL, sc->hcap, sizeof *sc->ht);
		for (k = 0; k < sc->hcap; k++)
			sc->ht[k].doc = NO_DOC;
	}
	mask = sc->hcap - 1;
	for (k = 0; k < qn; k++) {
		size_t end = read_end(s, qt[k]);
		float w = qw[k];

		for (p = s->poff[qt[k]]; p < end; p++) {
			uint32_t e = s->pdoc[p];
			size_t h = (uint32_t)(e * UINT32_C(0x9e3779b1)) >>
			    (32 - sc->hbits);

			/* The slot a few postings on, fetched ahead: the
			 * table outgrows the first caches. */
			if (p + PREFETCH < end)
				__builtin_prefetch(&sc->ht[(uint32_t)(
				    s->pdoc[p + PREFETCH] *
				    UINT32_C(0x9e3779b1)) >> (32 - sc->hbits)]);

			while (sc->ht[h].doc != e) {
				if (sc->ht[h].doc == NO_DOC) {
					sc->ht[h].doc = e;
					sc->ht[h].acc = 0;
					sc->touched[nt++] = (uint32_t)h;
					break;
				}
				h = (h + 1) & mask;
			}
			sc->ht[h].acc += w * s->pw[p];
		}
	}
	for (k = 0; k < nt; k++) {
		struct hslot *sl = &sc->ht[sc->touched[k]];
		uint32_t e = sl->doc;
		float sim = sl->acc;

		sl->doc = NO_DOC;
		if (e == self || sim <= 0)
			continue;
		sc->found[nf].doc = e;
		sc->found[nf++].sim = sim;
	}
	return nf;
}

static int
query(const struct ctx *c, const struct src *s, const uint32_t *qt,
    const float *qw, size_t qn, uint32_t self, struct nb *top, int kmax,
    struct scratch *sc)
{
	size_t k, nf, bound = 0;
	int ntop = 0, npre, cut = 0;

	for (k = 0; k < qn; k++) {
		size_t len = s->poff[qt[k] + 1] - s->poff[qt[k]];

		cut |= len > POST_CAP;
		bound += len > POST_CAP ? POST_CAP : len;
	}
	/* (FAQTORY_DENSE_MAX=0: every query hashed, whatever it touches.) */
	nf = c->ndocs <= sc->dense_max ||
	    (sc->dense_max > 0 && 2 * bound >= c->ndocs) ?
	    sum_dense(s, qt, qw, qn, self, sc) :
	    sum_hashed(s, qt, qw, qn, self, bound, sc);
	if (!cut)
		return best_of(sc->found, nf, top, kmax);
	/* The RESCORE best lower bounds, scored exactly. */
	select_best(sc->found, nf, RESCORE);
	npre = nf < RESCORE ? (int)nf : RESCORE;
	for (k = 0; k < qn; k++)
		sc->qd[qt[k]] = qw[k];
	for (k = 0; k < (size_t)npre; k++) {
		float sim;

		/* The candidates are known: their vectors are fetched
		 * ahead, each a miss in a big source. */
		if (k + 16 < (size_t)npre)
			__builtin_prefetch(&c->docs[sc->found[k + 16].doc]);
		if (k + 8 < (size_t)npre) {
			const struct doc *n8 = &c->docs[sc->found[k + 8].doc];

			__builtin_prefetch(&c->vterm[n8->voff]);
			__builtin_prefetch(&c->vw[n8->voff]);
		}
		sim = neighbours_dense_dot(c, sc->qd,
		    &c->docs[sc->found[k].doc]);

		if (sim > 0)
			neighbours_insert(top, &ntop, kmax, sc->found[k].doc,
			    sim);
	}
	for (k = 0; k < qn; k++)
		sc->qd[qt[k]] = 0;
	return ntop;
}

/* Computes the candidates of every njobs-th doc to query (c->todo):
 * each doc's result depends on the doc alone, so any split gives the
 * same rows. */
static void *
knn_part(void *arg)
{
	struct job *j = arg;
	struct ctx *c = j->c;
	struct scratch sc;
	size_t k, nterms;
	const char *env;

	sc.acc = xcalloc(c->ndocs ? c->ndocs : 1, sizeof *sc.acc);
	sc.touched = xmalloc((c->ndocs ? c->ndocs : 1) * sizeof *sc.touched);
	sc.found = xmalloc((c->ndocs ? c->ndocs : 1) * sizeof *sc.found);
	for (k = 0, nterms = 1; k < c->nsrcs; k++)
		if (c->srcs[k].terms.n > nterms)
			nterms = c->srcs[k].terms.n;
	sc.qd = xcalloc(nterms, sizeof *sc.qd);
	sc.ht = NULL;
	sc.hcap = 0;
	sc.hbits = 0;
	/* Tests take the hashed path on small stores: the same rows. */
	env = getenv("FAQTORY_DENSE_MAX");
	sc.dense_max = env && *env >= '0' && *env <= '9' ?
	    (size_t)strtoull(env, NULL, 10) : DENSE_MAX;
	for (k = j->part; k < c->ntodo; k += j->njobs) {
		uint32_t i = c->todo[k];
		const struct doc *d = &c->docs[i];
		const struct src *s = &c->srcs[d->src];

		c->ncands[i] = (uint8_t)query(c, s, &c->vterm[d->voff],
		    &c->vw[d->voff], d->vn, i, &c->cands[(size_t)i * KC], KC,
		    &sc);
		if (j->pg && (k & 1023) == 0)
			progress_update(j->pg, k);
	}
	free(sc.acc);
	free(sc.touched);
	free(sc.found);
	free(sc.qd);
	free(sc.ht);
	return NULL;
}

/* Hubness reduction (CSLS): a candidate's score is its cosine minus
 * HUB_L / 2 times the mean cosine of its own nearest neighbours, so a
 * question in a sparse neighbourhood is not pushed down by the hubs. */
static void
rescore(struct ctx *c)
{
	size_t i, k;

	for (i = 0; i < c->ndocs; i++) {
		double m = 0;
		size_t n = c->ncands[i] < HUB_K ? c->ncands[i] : HUB_K;

		for (k = 0; k < n; k++)
			m += c->cands[i * KC + k].cos;
		c->hub[i] = (float)(m / HUB_K);
	}
	for (i = 0; i < c->ndocs; i++) {
		struct nb *cd = &c->cands[i * KC];
		size_t n = c->ncands[i];

		for (k = 0; k < n; k++)
			cd[k].sim = (float)(cd[k].cos - HUB_L / 2 * (c->hub[i] +
			    c->hub[cd[k].doc]));
		fq_sort(cd, n, sizeof *cd, nb_cmp);
		if (n > INDEX_RELATED_K)
			n = INDEX_RELATED_K;
		memcpy(&c->knn[i * INDEX_RELATED_K], cd, n * sizeof *cd);
		c->nknn[i] = (uint8_t)n;
	}
}

/*
 * Each doc queried joins the candidates of the kept docs it found, as
 * their own query would have found it (cosine is symmetric), if it
 * beats their weakest.  Serial, in doc order: the rows do not depend on
 * the threads.  A kept doc that gains one is saved again (dirty).
 */
static void
merge_back(struct ctx *c)
{
	size_t k;
	int r, q;

	for (k = 0; k < c->ntodo; k++) {
		uint32_t i = c->todo[k];

		for (r = 0; r < c->ncands[i]; r++) {
			const struct nb *e = &c->cands[(size_t)i * KC + r];
			struct nb *u = &c->cands[(size_t)e->doc * KC];
			int n = c->ncands[e->doc];

			if (c->nbstate[e->doc] != NB_KEPT)
				continue;
			for (q = 0; q < n && u[q].doc != i; q++)
				;
			if (q < n)
				continue; /* a stored candidate, rescored */
			neighbours_insert(u, &n, KC, i, e->cos);
			c->ncands[e->doc] = (uint8_t)n;
			for (q = 0; q < n && u[q].doc != i; q++)
				;
			if (q < n)
				c->nbstate[e->doc] = NB_DIRTY;
		}
	}
}

/* The candidates of the docs to query (c->todo, neighbours_plan) on
 * njobs threads (this one included), merged back into the others'; then
 * every doc's related questions. */
void
neighbours_run(struct ctx *c, int njobs)
{
	struct job *jobs = xcalloc((size_t)njobs, sizeof *jobs);
	struct progress pg;
	int i;

	c->knn = xcalloc(c->ndocs * INDEX_RELATED_K + 1, sizeof *c->knn);
	c->nknn = xcalloc(c->ndocs + 1, 1);
	c->hub = xcalloc(c->ndocs + 1, sizeof *c->hub);
	progress_start(&pg, "related", c->ntodo);
	for (i = 0; i < njobs; i++) {
		jobs[i].c = c;
		jobs[i].part = (size_t)i;
		jobs[i].njobs = (size_t)njobs;
		jobs[i].pg = i == 0 ? &pg : NULL;
	}
	index_parts(knn_part, jobs, sizeof *jobs, njobs);
	progress_end(&pg);
	free(jobs);
	if (c->ntodo < c->ndocs)
		merge_back(c);
	rescore(c);
}

int
cluster_is_neighbour(const struct ctx *c, uint32_t of, uint32_t e, int k)
{
	int r;

	for (r = 0; r < c->nknn[of] && r < k; r++) {
		if (c->knn[(size_t)of * INDEX_RELATED_K + r].doc == e)
			return 1;
	}
	return 0;
}

