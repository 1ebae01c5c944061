/*
 * siterank: the ranking of the static search (docs/search.md,
 * "Ranking"), step for step as site-template/search.js does it, over
 * the files sitesearch.c reads.  Any change here is a change there:
 * tests/vectors/ranking.jsonl checks that both give the same orders.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "index/sitesearch_int.h"
#include "index/tokenize.h"

#define K1 1.2
#define MAX_WORDS 32
#define MAX_PREFIX 50
#define QUERY_UNITS 1000 /* the browser cuts the query to 1,000 UTF-16 units */

/* A word's matches: term, postings, weight (1, or 0.7 for a prefix). */
struct match {
	const char *term;
	const struct post *p;
	double w;
};

struct matches {
	struct match v[2 * MAX_PREFIX + 2];
	int n;
};

/* Per document: running score, words matched, this word's best. */
struct acc {
	int64_t *id;
	double *score, *best, *pre;
	int *cover, *tcover, *stamp, *pstamp, *tstamp;
	size_t n, cap;
	size_t *slot; /* open addressing: index + 1 */
	size_t nslot;
};

static int
bytecmp(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

static int
starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* UTF-8 (valid: tokens are) to code points; returns how many. */
static size_t
decode(const char *s, uint32_t *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p && n < cap) {
		uint32_t c = *p++;
		int k = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

		c &= k == 3 ? 0x07 : k == 2 ? 0x0F : k == 1 ? 0x1F : 0x7F;
		while (k-- > 0 && (*p & 0xC0) == 0x80)
			c = (c << 6) | (*p++ & 0x3F);
		out[n++] = c;
	}
	return n;
}

static int
min3(int a, int b, int c)
{
	return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

/* Edit distance (insert, delete, substitute, swap neighbours) of a and
 * b, or max + 1 once above max: search.js's dist(). */
static int
dist(const uint32_t *a, size_t la, const uint32_t *b, size_t lb, int max)
{
	static int d[66][66];
	size_t i, j;

	if ((la > lb ? la - lb : lb - la) > (size_t)max || la > 64 || lb > 64)
		return max + 1;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		int lo = max + 1;

		for (j = 1; j <= lb; j++) {
			int v = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
			    d[i - 1][j - 1] + (a[i - 1] != b[j - 1]));

			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			if (v < lo)
				lo = v;
		}
		if (lo > max)
			return max + 1;
	}
	return d[la][lb];
}

/* The best correction so far. */
struct fix {
	const uint32_t *cps;
	size_t n;
	int max, bd, bf;
	double bdf;
	const char *best, *term;
};

static void
consider(struct fix *f, const char *w, double df, const char *term)
{
	uint32_t c[65];
	size_t n = decode(w, c, 65);
	int d = dist(f->cps, f->n, c, n, f->max);
	int first = n > 0 && f->n > 0 && c[0] == f->cps[0];

	if (d > f->max || d < 1 || strpbrk(w, "0123456789"))
		return;
	if (d < f->bd || (d == f->bd && (first > f->bf || (first == f->bf &&
	    (df > f->bdf || (df == f->bdf && bytecmp(w, strlen(w), f->best,
	    strlen(f->best)) < 0)))))) {
		f->best = w;
		f->term = term;
		f->bd = d;
		f->bf = first;
		f->bdf = df;
	}
}

/* The correction of word t (search.js's fix()): *term and *df set, or
 * NULL. */
static const char *
fix_word(struct site *s, const char *t, const char **term, double *df)
{
	uint32_t cps[65];
	char rev[260];
	struct fix f;
	struct shard *sh;
	struct rshard *r;
	size_t i, k = 0, tl = strlen(t);

	memset(&f, 0, sizeof f);
	f.cps = cps;
	f.n = decode(t, cps, 65);
	f.max = f.n < 4 ? 0 : f.n < 8 ? 1 : 2;
	if (!f.max || strpbrk(t, "0123456789") || !s->has_r)
		return NULL;
	f.bd = f.max + 1;
	f.bdf = -1;
	for (i = tl; i > 0;) { /* code points reversed */
		size_t e = i;

		while (i > 1 && ((unsigned char)t[i - 1] & 0xC0) == 0x80)
			i--;
		i--;
		memcpy(rev + k, t + i, e - i);
		k += e - i;
	}
	rev[k] = '\0';
	sh = site_shard(s, site_shard_of(s->shards, s->nshards, t, tl));
	r = site_rshard(s, site_shard_of(s->rshards, s->nrshards, rev, k));
	for (i = 0; i < sh->terms.n; i++)
		consider(&f, sh->tw[i], sh->post[i].df, sh->tw[i]);
	for (i = 0; i < sh->nforms; i++) {
		const char *w = sh->fw[i];
		long x = strtab_find(&sh->terms, sh->fstem[i],
		    strlen(sh->fstem[i]));

		consider(&f, w, x < 0 ? 0 : sh->post[x].df, sh->fstem[i]);
	}
	for (i = 0; i < r->n; i++)
		consider(&f, r->v[i].w, r->v[i].df, r->v[i].term);
	*term = f.term;
	*df = f.bdf;
	return f.best;
}

static void
add_match(struct site *s, struct matches *m, const char *term, double w)
{
	const struct post *p;
	int i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].term, term) == 0)
			return;
	if ((p = site_term(s, term, strlen(term))) == NULL)
		return;
	m->v[m->n].term = term;
	m->v[m->n].p = p;
	m->v[m->n++].w = w;
}

/* A word's terms (search.js's resolve()). */
static void
resolve(struct site *s, const struct qword *w, struct matches *m)
{
	size_t tl = strlen(w->t), own = site_shard_of(s->shards, s->nshards,
	    w->t, tl), i;
	struct shard *sh = site_shard(s, own);
	long f = strtab_find(&sh->forms, w->t, tl);
	uint32_t cps[3];
	int extra = 0;

	m->n = 0;
	if (f >= 0) {
		add_match(s, m, sh->fstem[f], 1);
		return;
	}
	if ((f = strtab_find(&sh->terms, w->t, tl)) >= 0) {
		add_match(s, m, sh->tw[f], 1);
		return;
	}
	if (!w->prefix || decode(w->t, cps, 3) < 2)
		return;
	for (i = 0; i < sh->terms.n; i++) {
		const char *t = sh->tw[i];

		if (strlen(t) > tl && starts(t, w->t) && extra++ < MAX_PREFIX)
			add_match(s, m, t, 0.7);
	}
	for (i = 0; i < sh->nforms; i++) {
		const char *t = sh->fw[i];

		if (starts(t, w->t) && extra++ < MAX_PREFIX &&
		    site_shard_of(s->shards, s->nshards, sh->fstem[i],
		    strlen(sh->fstem[i])) == own)
			add_match(s, m, sh->fstem[i], 0.7);
	}
}

static size_t
acc_at(struct acc *a, int64_t id)
{
	size_t h, i;

	if (2 * (a->n + 1) > a->nslot) {
		size_t ns = a->nslot ? 2 * a->nslot : 1024;

		free(a->slot);
		a->slot = xcalloc(ns, sizeof *a->slot);
		a->nslot = ns;
		for (i = 0; i < a->n; i++) {
			h = (size_t)((uint64_t)a->id[i] * 0x9E3779B97F4A7C15u) &
			    (ns - 1);
			while (a->slot[h])
				h = (h + 1) & (ns - 1);
			a->slot[h] = i + 1;
		}
	}
	h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15u) & (a->nslot - 1);
	while (a->slot[h] && a->id[a->slot[h] - 1] != id)
		h = (h + 1) & (a->nslot - 1);
	if (a->slot[h])
		return a->slot[h] - 1;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 1024;
		a->id = xreallocarray(a->id, a->cap, sizeof *a->id);
		a->score = xreallocarray(a->score, a->cap, sizeof *a->score);
		a->best = xreallocarray(a->best, a->cap, sizeof *a->best);
		a->pre = xreallocarray(a->pre, a->cap, sizeof *a->pre);
		a->cover = xreallocarray(a->cover, a->cap, sizeof *a->cover);
		a->tcover = xreallocarray(a->tcover, a->cap,
		    sizeof *a->tcover);
		a->tstamp = xreallocarray(a->tstamp, a->cap,
		    sizeof *a->tstamp);
		a->stamp = xreallocarray(a->stamp, a->cap, sizeof *a->stamp);
		a->pstamp = xreallocarray(a->pstamp, a->cap,
		    sizeof *a->pstamp);
	}
	a->id[a->n] = id;
	a->score[a->n] = 0;
	a->cover[a->n] = a->tcover[a->n] = 0;
	a->stamp[a->n] = a->pstamp[a->n] = a->tstamp[a->n] = -1;
	a->slot[h] = a->n + 1;
	return a->n++;
}

static double
idf(const struct site *s, double df)
{
	double v = log((s->n - df + 0.5) / (df + 0.5));

	return v > 1e-6 ? v : 1e-6;
}

/* Adds word k's matches to the documents (search.js's rank()). */
static void
score_word(struct site *s, struct acc *a, const struct matches *m, int k)
{
	size_t i, j, npre = 0;
	int x;

	for (x = 0; x < m->n; x++) {
		const struct post *p = m->v[x].p;
		double f = idf(s, p->df);

		for (j = 0; j < p->m; j++) {
			size_t d = acc_at(a, p->ids[j]);
			double v = (p->ws[j] & 127) * (K1 + 1) / 127;

			if (p->ws[j] & 128)
				a->tstamp[d] = k;

			if (m->v[x].w < 1) {
				if (a->pstamp[d] != k) {
					a->pstamp[d] = k;
					a->pre[d] = v;
					npre++;
				} else if (!(a->pre[d] >= v)) {
					a->pre[d] = v;
				}
			} else if (a->stamp[d] != k) {
				a->stamp[d] = k;
				a->best[d] = f * v;
			} else if (f * v > a->best[d]) {
				a->best[d] = f * v;
			}
		}
	}
	for (i = 0; i < a->n; i++) {
		double b = a->stamp[i] == k ? a->best[i] : 0;

		if (a->pstamp[i] == k) {
			double pv = idf(s, (double)npre) * 0.7 * a->pre[i];

			b = a->stamp[i] == k && b > pv ? b : pv;
		}
		if (a->stamp[i] == k || a->pstamp[i] == k) {
			a->score[i] += b;
			a->cover[i]++;
			a->tcover[i] += a->tstamp[i] == k;
		}
	}
}

/* A word without terms gets its correction's; a word on at most 3
 * entries (perhaps a misspelling made on the site) gets it as well if
 * the correction is 10 times as common (search.js's search()). */
static void
correct(struct site *s, struct qword *w, struct matches *m)
{
	const struct match *rare = m->n == 1 && m->v[0].w == 1 &&
	    m->v[0].p->df <= 3 ? &m->v[0] : NULL;
	const char *term = NULL, *fixed;
	double df = 0;
	int before = m->n;

	if (m->n && !rare)
		return;
	if ((fixed = fix_word(s, w->t, &term, &df)) == NULL)
		return;
	if (rare && (df < 10.0 * rare->p->df || strcmp(term, rare->term) == 0))
		return;
	add_match(s, m, term, 1);
	if (!rare || m->n > before)
		w->fixed = xstrdup(fixed);
}

static int
cmp_hit(const void *pa, const void *pb)
{
	const struct hit *a = pa, *b = pb;

	if (a->cover != b->cover)
		return a->cover > b->cover ? -1 : 1;
	if (a->title != b->title)
		return a->title > b->title ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

struct words {
	struct query *q;
	size_t last_end; /* end of the last token */
	int last_new;    /* whether the last token added a word */
};

static int
collect(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct words *c = ctx;
	struct query *q = c->q;
	int i;

	(void)flags;
	(void)start;
	c->last_end = end;
	for (i = 0; i < q->nw; i++)
		if (strlen(q->w[i].t) == n && memcmp(q->w[i].t, tok, n) == 0)
			break;
	c->last_new = i == q->nw && q->nw < MAX_WORDS;
	if (c->last_new)
		q->w[q->nw++].t = xstrndup(tok, n);
	return 0;
}

/* The query's length cut to QUERY_UNITS UTF-16 units. */
static size_t
cut_units(const char *q, size_t n)
{
	size_t i = 0, u = 0;

	while (i < n) {
		unsigned char c = (unsigned char)q[i];
		size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;

		if (u + (k == 4 ? 2 : 1) > QUERY_UNITS)
			break;
		u += k == 4 ? 2 : 1;
		i += k;
	}
	return i < n ? i : n;
}

/* Distinct words in order; the last one a prefix when the last token
 * is that word and ends the text (search.js's search()). */
static void
words(struct tokenizer *t, const char *q, size_t n, struct query *qr)
{
	struct words c;

	memset(&c, 0, sizeof c);
	c.q = qr;
	tok_run(t, TOK_QUERY | TOK_PREFIX, q, n, collect, &c);
	if (qr->nw && c.last_new && c.last_end == n)
		qr->w[qr->nw - 1].prefix = 1;
}

void
site_query(struct site *s, struct tokenizer *t, const char *q, size_t n,
    struct query *qr)
{
	struct acc a;
	struct matches m;
	int i, rare = 0;
	size_t k;

	memset(&a, 0, sizeof a);
	n = cut_units(q, n);
	words(t, q, n, qr);
	for (i = 0; i < qr->nw; i++)
		rare += strtab_find(&s->stop, qr->w[i].t,
		    strlen(qr->w[i].t)) < 0;
	for (i = 0; i < qr->nw; i++) {
		if (rare && strtab_find(&s->stop, qr->w[i].t,
		    strlen(qr->w[i].t)) >= 0)
			continue;
		resolve(s, &qr->w[i], &m);
		if (!s->nofix)
			correct(s, &qr->w[i], &m);
		score_word(s, &a, &m, i);
	}
	qr->hits = xcalloc(a.n + 1, sizeof *qr->hits);
	for (k = 0; k < a.n; k++) {
		if (a.cover[k] == 0)
			continue;
		qr->hits[qr->nhits].id = a.id[k];
		qr->hits[qr->nhits].score = floor(a.score[k] * 1e6 + 0.5) / 1e6;
		qr->hits[qr->nhits].title = a.tcover[k];
		qr->hits[qr->nhits++].cover = a.cover[k];
	}
	if (qr->nhits > 1)
		qsort(qr->hits, qr->nhits, sizeof *qr->hits, cmp_hit);
	free(a.id);
	free(a.score);
	free(a.best);
	free(a.pre);
	free(a.cover);
	free(a.tcover);
	free(a.tstamp);
	free(a.stamp);
	free(a.pstamp);
	free(a.slot);
}

void
query_free(struct query *qr)
{
	int i;

	for (i = 0; i < qr->nw; i++) {
		free(qr->w[i].t);
		free(qr->w[i].fixed);
	}
	free(qr->hits);
}
