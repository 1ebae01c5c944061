/*
 * answers_fit: the conditional logit of answer selection.  Within a
 * thread, P(candidate i) = exp(w.x_i) / sum_j exp(w.x_j): it answers
 * "which answer did the asker accept, given that one was accepted",
 * has no intercept, and learns nothing from a lone answer.
 *
 * Fitted by full-batch gradient descent on the mean negative
 * log-likelihood plus lambda |w - prior|^2, a fixed ANS_STEPS steps of
 * ANS_RATE from the prior: first a pooled prior on the Stack Exchange
 * sources (ANS_LAMBDA0 towards 0), then each source pulled to it
 * (ANS_LAMBDA); a source with fewer than ANS_MIN_SRC multi-answer
 * examples keeps the prior.  Thresholds come from 5-fold
 * cross-validation (folds: CRC32 of "fold:SOURCE:ID").  Everything is
 * a fixed sequence of floating-point operations: the same examples
 * give the same model, bit for bit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/xmalloc.h"
#include "index/answers.h"
#include "index/index_int.h"

/* Items a fit reads: multi-answer examples of the chosen sources. */
struct fitset {
	const struct ans_item **it;
	size_t n;
};

static void
fit(const struct fitset *d, const double *prior, double lam, double *w)
{
	double g[ANS_NF], z[64], *zs = z;
	size_t cap = 64, i, j;
	int step, k;

	memcpy(w, prior, ANS_NF * sizeof *w);
	if (d->n == 0)
		return;
	for (step = 0; step < ANS_STEPS; step++) {
		memset(g, 0, sizeof g);
		for (i = 0; i < d->n; i++) {
			const struct ans_item *it = d->it[i];
			double mz = 0, tot = 0;

			if (it->n > cap) {
				cap = it->n;
				zs = xreallocarray(zs == z ? NULL : zs, cap,
				    sizeof *zs);
			}
			for (j = 0; j < it->n; j++) {
				for (zs[j] = 0, k = 0; k < ANS_NF; k++)
					zs[j] += w[k] * it->x[j * ANS_NF + k];
				if (j == 0 || zs[j] > mz)
					mz = zs[j];
			}
			for (j = 0; j < it->n; j++)
				tot += (zs[j] = exp(zs[j] - mz));
			for (j = 0; j < it->n; j++)
				for (k = 0; k < ANS_NF; k++)
					g[k] += zs[j] / tot * it->x[j * ANS_NF + k];
			for (k = 0; k < ANS_NF; k++)
				g[k] -= it->x[it->pos * ANS_NF + k];
		}
		for (k = 0; k < ANS_NF; k++)
			w[k] -= ANS_RATE * (g[k] / (double)d->n +
			    2 * lam * (w[k] - prior[k]));
	}
	if (zs != z)
		free(zs);
}

/*
 * A fit reads at most ANS_FIT_MAX examples: every k-th of the list (in
 * its order, by thread), so a big store's fit costs what one of that
 * many does, and the same examples still give the same model.  The
 * weights of a model of ANS_NF features hardly move past a few
 * thousand examples (docs/answer-selection.md has the measurement).
 */
static void
thin(struct fitset *d)
{
	size_t i, k, step;

	if (d->n <= ANS_FIT_MAX)
		return;
	step = (d->n + ANS_FIT_MAX - 1) / ANS_FIT_MAX;
	for (i = k = 0; i < d->n; i += step)
		d->it[k++] = d->it[i];
	d->n = k;
}

/* Whether a source is pooled into the prior: Stack Exchange sources,
 * or every source when the store has no Stack Exchange examples. */
static int
pooled(const struct ans_set *s, const struct ans_items *l,
    const unsigned char *use, int src)
{
	size_t i;

	if (s->srcs[src].se)
		return 1;
	for (i = 0; i < l->n; i++)
		if ((!use || use[i]) && s->srcs[l->it[i].src].se)
			return 0;
	return 1;
}

/* Fits the prior and every source's weights on the examples with
 * use[i] (NULL: all) and, when fold >= 0, fold != fold. */
static void
train(const struct ans_set *s, const struct ans_items *l,
    const unsigned char *use, int fold, struct ans_model *m)
{
	struct fitset d = { NULL, 0 };
	double zero[ANS_NF] = { 0 };
	int *pool = xcalloc(s->nsrcs ? s->nsrcs : 1, sizeof *pool);
	size_t i;
	int src;

	for (src = 0; src < (int)s->nsrcs; src++)
		pool[src] = pooled(s, l, use, src);
	d.it = xreallocarray(NULL, l->n ? l->n : 1, sizeof *d.it);
	for (i = 0; i < l->n; i++) {
		const struct ans_item *it = &l->it[i];

		if ((!use || use[i]) && (fold < 0 || (int)it->fold != fold) &&
		    it->n >= 2 && pool[it->src])
			d.it[d.n++] = it;
	}
	free(pool);
	thin(&d);
	fit(&d, zero, ANS_LAMBDA0, m->prior);
	for (src = 0; src < (int)s->nsrcs; src++) {
		d.n = 0;
		for (i = 0; i < l->n; i++) {
			const struct ans_item *it = &l->it[i];

			if ((!use || use[i]) && (fold < 0 ||
			    (int)it->fold != fold) && it->n >= 2 &&
			    it->src == src)
				d.it[d.n++] = it;
		}
		m->own_fit[src] = d.n >= ANS_MIN_SRC;
		thin(&d);
		if (m->own_fit[src])
			fit(&d, m->prior, ANS_LAMBDA, m->w[src]);
		else
			memcpy(m->w[src], m->prior, sizeof m->w[src]);
	}
	free(d.it);
}

/* A row of ans_pick_threshold, sorted by confidence, highest first. */
struct thr_row {
	double conf; /* NaN as +inf: `conf < t` is false for it too */
	unsigned char ok, two, in;
};

static int
thr_row_cmp(const void *pa, const void *pb)
{
	const struct thr_row *a = pa, *b = pb;

	return a->conf > b->conf ? -1 : a->conf < b->conf;
}

/* Rows with conf >= t: a prefix of v (sorted highest first). */
static size_t
thr_prefix(const struct thr_row *v, size_t n, double t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].conf < t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * Every candidate threshold (each confidence, to 4 decimals) is tried;
 * the rows a threshold covers are a prefix of the rows sorted by
 * confidence, so their counts are prefix sums: n log n, where counting
 * each threshold's rows afresh was n^2 (two thirds of the index stage's
 * time at 100,000 questions).  The counts, and so the threshold, are
 * those of the direct count.
 */
double
ans_pick_threshold(const double *conf, const unsigned char *ok,
    const unsigned char *gate, const size_t *ncand, size_t n, double t2,
    double tall)
{
	struct thr_row *v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	size_t *ca = xreallocarray(NULL, n + 1, 4 * sizeof *ca);
	size_t *ka = ca + (n + 1), *c2 = ka + (n + 1), *k2 = c2 + (n + 1);
	double best = 1.0;
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].conf = isnan(conf[i]) ? INFINITY : conf[i];
		v[i].ok = ok[i] != 0;
		v[i].two = ncand[i] >= 2;
		v[i].in = !gate || gate[i];
	}
	if (n > 1)
		qsort(v, n, sizeof *v, thr_row_cmp);
	ca[0] = ka[0] = c2[0] = k2[0] = 0;
	for (i = 0; i < n; i++) {
		ca[i + 1] = ca[i] + v[i].in;
		ka[i + 1] = ka[i] + (size_t)(v[i].in && v[i].ok);
		c2[i + 1] = c2[i] + (size_t)(v[i].in && v[i].two);
		k2[i + 1] = k2[i] + (size_t)(v[i].in && v[i].two && v[i].ok);
	}
	for (i = 0; i < n; i++) {
		double t = floor(conf[i] * 10000 + 0.5) / 10000;
		size_t m;

		if (isnan(t) || t >= best)
			continue; /* a NaN threshold is never below best */
		m = thr_prefix(v, n, t);
		if (ca[m] && (double)ka[m] >= tall * (double)ca[m] &&
		    (c2[m] == 0 || (double)k2[m] >= t2 * (double)c2[m]))
			best = t;
	}
	free(v);
	free(ca);
	return best;
}

void
ans_model_alloc(const struct ans_set *s, struct ans_model *m)
{
	size_t n = s->nsrcs ? s->nsrcs : 1;

	memset(m, 0, sizeof *m);
	m->nsrcs = s->nsrcs;
	m->w = xcalloc(n, sizeof *m->w);
	m->own_fit = xcalloc(n, sizeof *m->own_fit);
	m->thr = xcalloc(n, sizeof *m->thr);
	m->own_thr = xcalloc(n, sizeof *m->own_thr);
	m->train = xcalloc(n, sizeof *m->train);
	m->train2 = xcalloc(n, sizeof *m->train2);
}

/* Out-of-fold rows of the examples in use. */
struct oof {
	double *conf;
	unsigned char *ok, *gate;
	size_t *ncand;
	int *src;
	size_t n;
};

/* The six trainings of a fit: the five folds' (into cv[0..4]) and the
 * model's (fold -1, into the caller's model), shared out over threads. */
struct trainings {
	const struct ans_set *s;
	const struct ans_items *l;
	const unsigned char *use;
	struct ans_model *cv, *m;
};

struct train_job {
	const struct trainings *t;
	int part, njobs;
};

static void *
train_part(void *arg)
{
	const struct train_job *j = arg;
	const struct trainings *t = j->t;
	int k;

	for (k = j->part; k < 6; k += j->njobs)
		train(t->s, t->l, t->use, k < 5 ? k : -1,
		    k < 5 ? &t->cv[k] : t->m);
	return NULL;
}

/* The out-of-fold rows, fold by fold, from the folds' models. */
static void
cross_validate(const struct ans_items *l, const unsigned char *use,
    const struct ans_model *cv, struct oof *o)
{
	size_t i, k;
	int fold;

	memset(o, 0, sizeof *o);
	o->conf = xreallocarray(NULL, l->n ? l->n : 1, sizeof *o->conf);
	o->ok = xmalloc(l->n ? l->n : 1);
	o->gate = xmalloc(l->n ? l->n : 1);
	o->ncand = xreallocarray(NULL, l->n ? l->n : 1, sizeof *o->ncand);
	o->src = xreallocarray(NULL, l->n ? l->n : 1, sizeof *o->src);
	for (fold = 0; fold < 5; fold++) {
		for (i = 0; i < l->n; i++) {
			const struct ans_item *it = &l->it[i];

			if ((use && !use[i]) || (int)it->fold != fold)
				continue;
			k = ans_choose(cv[fold].w[it->src], it->x, it->n,
			    &o->conf[o->n]);
			o->ok[o->n] = k == it->pos;
			o->gate[o->n] = it->gate[k];
			o->ncand[o->n] = it->n;
			o->src[o->n++] = it->src;
		}
	}
}

/* Trains the model m and the five folds' on up to `jobs` threads, then
 * reads the out-of-fold rows into o. */
static void
train_all(const struct ans_set *s, const struct ans_items *l,
    const unsigned char *use, int jobs, struct ans_model *m, struct oof *o)
{
	struct ans_model cv[5];
	struct trainings t = { s, l, use, cv, m };
	struct train_job j[6];
	int n = jobs < 1 ? 1 : jobs > 6 ? 6 : jobs, i;

	for (i = 0; i < 5; i++)
		ans_model_alloc(s, &cv[i]);
	for (i = 0; i < n; i++) {
		j[i].t = &t;
		j[i].part = i;
		j[i].njobs = n;
	}
	index_parts(train_part, j, sizeof j[0], n);
	cross_validate(l, use, cv, o);
	for (i = 0; i < 5; i++)
		ans_model_free(&cv[i]);
}

/* The threshold of the rows whose source passes keep(). */
static double
pick_for(const struct oof *o, const int *keep, double margin, int gated,
    size_t *nall, size_t *nmulti)
{
	struct oof sub;
	double t;
	size_t i;

	memset(&sub, 0, sizeof sub);
	sub.conf = xreallocarray(NULL, o->n ? o->n : 1, sizeof *sub.conf);
	sub.ok = xmalloc(o->n ? o->n : 1);
	sub.gate = xmalloc(o->n ? o->n : 1);
	sub.ncand = xreallocarray(NULL, o->n ? o->n : 1, sizeof *sub.ncand);
	*nall = *nmulti = 0;
	for (i = 0; i < o->n; i++) {
		if (!keep[o->src[i]])
			continue;
		sub.conf[sub.n] = o->conf[i];
		sub.ok[sub.n] = o->ok[i];
		sub.gate[sub.n] = o->gate[i];
		sub.ncand[sub.n++] = o->ncand[i];
		*nmulti += o->ncand[i] >= 2;
	}
	*nall = sub.n;
	t = ans_pick_threshold(sub.conf, sub.ok, gated ? sub.gate : NULL,
	    sub.ncand, sub.n,
	    ANS_TARGET2 + margin, ANS_TARGETALL + margin);
	free(sub.conf);
	free(sub.ok);
	free(sub.gate);
	free(sub.ncand);
	return t;
}

static void
oof_free(struct oof *o)
{
	free(o->conf);
	free(o->ok);
	free(o->gate);
	free(o->ncand);
	free(o->src);
}

void
ans_model_fit(const struct ans_set *s, const struct ans_items *l,
    const unsigned char *use, double margin, int jobs, struct ans_model *m)
{
	struct oof o;
	int *keep = xcalloc(s->nsrcs ? s->nsrcs : 1, sizeof *keep);
	int *keep_pool = xcalloc(s->nsrcs ? s->nsrcs : 1, sizeof *keep);
	size_t i, na, n2;

	ans_model_alloc(s, m);
	for (i = 0; i < l->n; i++) {
		if (use && !use[i])
			continue;
		m->train[l->it[i].src]++;
		m->train2[l->it[i].src] += l->it[i].n >= 2;
	}
	train_all(s, l, use, jobs, m, &o);
	for (i = 0; i < s->nsrcs; i++)
		keep[i] = keep_pool[i] = pooled(s, l, use, (int)i);
	m->threshold = pick_for(&o, keep, margin, 1, &na, &n2);
	m->study_threshold = pick_for(&o, keep, 0, 0, &na, &n2);
	if (na == 0)
		m->threshold = m->study_threshold = ANS_DEFAULT_THRESHOLD;
	for (i = 0; i < s->nsrcs; i++) {
		memset(keep, 0, s->nsrcs * sizeof *keep);
		keep[i] = 1;
		m->thr[i] = pick_for(&o, keep, margin, 1, &na, &n2);
		/* Sources pooled into the prior share its threshold:
		 * per-site thresholds from 60-130 multi-answer threads
		 * were noise, and cost pooled precision (docs). */
		m->own_thr[i] = !keep_pool[i] &&
		    (n2 >= ANS_CAL_MULTI || na >= ANS_CAL_ALL);
		if (!m->own_thr[i])
			m->thr[i] = m->threshold;
	}
	oof_free(&o);
	free(keep);
	free(keep_pool);
}

void
ans_model_free(struct ans_model *m)
{
	free(m->w);
	free(m->own_fit);
	free(m->thr);
	free(m->own_thr);
	free(m->train);
	free(m->train2);
	memset(m, 0, sizeof *m);
}

static void
weights_json(const double *w, struct buf *out)
{
	int k;

	buf_putc(out, '[');
	for (k = 0; k < ANS_NF; k++)
		buf_printf(out, "%s%.4f", k ? "," : "", w[k]);
	buf_putc(out, ']');
}

void
ans_model_json(const struct ans_set *s, const struct ans_model *m,
    struct buf *out)
{
	size_t i;
	int k;

	buf_puts(out, "{\"features\":[");
	for (k = 0; k < ANS_NF; k++)
		buf_printf(out, "%s\"%s\"", k ? "," : "", ans_feature_names[k]);
	buf_printf(out, "],\"threshold\":%.4f,\"margin\":%.2f,\"prior\":",
	    m->threshold, ANS_MARGIN);
	weights_json(m->prior, out);
	buf_puts(out, ",\"sources\":[");
	for (i = 0; i < s->nsrcs; i++) {
		buf_puts(out, i ? ",{\"name\":\"" : "{\"name\":\"");
		esc_json(out, s->srcs[i].name, strlen(s->srcs[i].name));
		buf_printf(out, "\",\"examples\":%zu,\"multi\":%zu,\"weights\":",
		    m->train[i], m->train2[i]);
		weights_json(m->w[i], out);
		buf_printf(out, ",\"fit\":\"%s\",\"threshold\":%.4f,"
		    "\"calibrated\":\"%s\"}", m->own_fit[i] ? "own" : "prior",
		    m->thr[i], m->own_thr[i] ? "own" : "pooled");
	}
	buf_puts(out, "]}");
}
