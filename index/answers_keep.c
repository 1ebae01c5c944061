/*
 * answers_keep: the fitted answer model kept between runs, so that a
 * nightly index chooses with yesterday's model instead of refitting it
 * (the fit and its 5-fold calibration were 12% of a nightly build at
 * 100,000 questions).  docs/answer-selection.md, "Between runs".
 *
 * index_meta 'answer_fit', text, every double as C99 hex (exact):
 *   "1 BASE SINCE NSRCS PHRASES"   threads at the fit, threads new,
 *                                  changed or removed since, sources,
 *                                  hash of their phrase lists
 *   "THRESHOLD STUDY_THRESHOLD"
 *   "PRIOR..."                     ANS_NF weights
 *   one line per source: "ID OWN_FIT OWN_THR TRAIN TRAIN2 THR W..."
 *
 * The model is refitted when there is none, when the sources or their
 * phrase lists (languages, curation) are not those it was fitted on,
 * once the threads new, changed or removed since the fit pass a tenth
 * of those it saw (the drift bound), and on `index --full`.  The value
 * is untrusted: anything that does not parse means a refit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xmalloc.h"
#include "index/answers.h"
#include "index/index_int.h"

#define FIT_VERSION 1
#define DRIFT_SHARE 10 /* a refit once a tenth changed */

/* A hash of every source's phrase lists, in order. */
static uint64_t
phrases_hash(const struct ans_set *s)
{
	uint64_t h = 0;
	size_t i, k, j;

	for (i = 0; i < s->nsrcs; i++)
		for (k = 0; k < PH_NLISTS; k++)
			for (j = 0; j < s->srcs[i].ph.n[k]; j++) {
				const char *p = s->srcs[i].ph.p[k][j];

				h = fq_hash64(p, strlen(p) + 1,
				    h ^ (uint64_t)(k + 1));
			}
	return h;
}

/* Reads n doubles of the text at *t into v; 0, or -1. */
static int
doubles(const char **t, double *v, int n)
{
	int k, used;

	for (k = 0; k < n; k++) {
		if (sscanf(*t, " %la%n", &v[k], &used) != 1)
			return -1;
		*t += used;
	}
	return 0;
}

/* Parses the kept model for the sources of s into m (model_init'ed by
 * the caller's ans_model_alloc).  0, or -1. */
static int
parse(const char *t, const struct ans_set *s, struct ans_model *m,
    long long *base, long long *since)
{
	int version, used, own_fit, own_thr;
	unsigned long long ph;
	long long id, tr, tr2;
	size_t nsrcs, i;

	if (sscanf(t, "%d %lld %lld %zu %llx%n", &version, base, since,
	    &nsrcs, &ph, &used) != 5 || version != FIT_VERSION ||
	    nsrcs != s->nsrcs || ph != phrases_hash(s) || *base < 0 ||
	    *since < 0)
		return -1;
	t += used;
	if (doubles(&t, &m->threshold, 1) < 0 ||
	    doubles(&t, &m->study_threshold, 1) < 0 ||
	    doubles(&t, m->prior, ANS_NF) < 0)
		return -1;
	for (i = 0; i < nsrcs; i++) {
		if (sscanf(t, " %lld %d %d %lld %lld%n", &id, &own_fit,
		    &own_thr, &tr, &tr2, &used) != 5 || id != s->srcs[i].id ||
		    tr < 0 || tr2 < 0)
			return -1;
		t += used;
		m->own_fit[i] = own_fit != 0;
		m->own_thr[i] = own_thr != 0;
		m->train[i] = (size_t)tr;
		m->train2[i] = (size_t)tr2;
		if (doubles(&t, &m->thr[i], 1) < 0 ||
		    doubles(&t, m->w[i], ANS_NF) < 0)
			return -1;
	}
	return 0;
}

int
ans_model_restore(struct store *st, const struct ans_set *s,
    int64_t changed, struct ans_model *m, int64_t *base, int64_t *since)
{
	struct buf v = BUF_INIT;
	long long b = 0, n = 0;
	int got;

	ans_model_alloc(s, m);
	if ((got = store_meta_get(st, "answer_fit", &v)) < 0) {
		buf_release(&v);
		return -1;
	}
	got = got > 0 && parse(v.data, s, m, &b, &n) == 0 &&
	    (n + changed) * DRIFT_SHARE <= b;
	buf_release(&v);
	if (!got) {
		ans_model_free(m);
		return 0;
	}
	*base = b;
	*since = n + changed;
	return 1;
}

int
ans_model_keep(struct store *st, const struct ans_set *s,
    const struct ans_model *m, int64_t base, int64_t since)
{
	struct buf v = BUF_INIT;
	size_t i;
	int k, rc;

	buf_printf(&v, "%d %lld %lld %zu %llx\n%a %a\n", FIT_VERSION,
	    (long long)base, (long long)since, s->nsrcs,
	    (unsigned long long)phrases_hash(s), m->threshold,
	    m->study_threshold);
	for (k = 0; k < ANS_NF; k++)
		buf_printf(&v, "%s%a", k ? " " : "", m->prior[k]);
	for (i = 0; i < s->nsrcs; i++) {
		buf_printf(&v, "\n%lld %d %d %zu %zu %a", (long long)s->srcs[i].id,
		    m->own_fit[i], m->own_thr[i], m->train[i], m->train2[i],
		    m->thr[i]);
		for (k = 0; k < ANS_NF; k++)
			buf_printf(&v, " %a", m->w[i][k]);
	}
	buf_putc(&v, '\n');
	rc = store_meta_set(st, "answer_fit", v.data, v.len);
	buf_release(&v);
	return rc;
}
