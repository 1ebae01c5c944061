/*
 * trends: the flags of the writers' report (docs/trends.md has the
 * method, the thresholds and their measured false-alarm rate).
 *
 * Computed from the store at the end of index_run(), inside its
 * transaction, replacing every row of `flags`:
 *
 * Clusters here are the recurring issues (tables issues, issue_members;
 * index/issues.c), never the topics.
 *
 *  rising          a recurring issue (cluster) whose share of its
 *                  source's questions in the last RISING_DAYS is well
 *                  above its share before.  Conditional test for two
 *                  Poisson rates: given the cluster's s questions, the
 *                  number k asked in the window is Binomial(s, q) under
 *                  "no change", q being the source's share of questions
 *                  asked in the window.  Flagged when k >= RISING_MIN,
 *                  k >= 2 s q and P(X >= k) <= RISING_ALPHA / m, m the
 *                  number of clusters of the source (Bonferroni).
 *                  Score: 4 x the excess k - s q (the extra questions
 *                  over the next 8 weeks if the pace holds).
 *  gap             a cluster of at least GAP_MIN questions, none with an
 *                  accepted answer.  Score: its size.
 *  suspect_answer  an accepted answer with a negative score, outscored
 *                  by a later answer (by OUTSCORE_MIN and twice its
 *                  score), with comments saying it does not work (a
 *                  phrase of the source's languages, not quoted, not
 *                  conditional or negated, not by the answer's author:
 *                  index/complaint.c), or, for a cluster's
 *                  canonical question, accepted STALE_DAYS or more
 *                  before at least STALE_MIN of the cluster's questions.
 *                  Score: points (negative 3 + |score|, outscored 2 +
 *                  half the margin, 3 per complaint, stale 1 + a
 *                  quarter per late question up to 5) x (1 + log10(1 +
 *                  views / 1000)).
 *  unanswered      no accepted answer, not closed (threads.closed) and
 *                  views >= the source's UNANSWERED_PCT percentile and
 *                  >= UNANSWERED_MIN.
 *                  Score: 10 log10(views / 100).  Its summary tells "no
 *                  answer" from "N answers, none accepted"; the report
 *                  adds whether a community answer is published.
 *
 * "Now" is each source's newest date (sources.newest), never the clock:
 * the same store gives the same flags.  A flag the curation file
 * dismissed (kind, question, score then) stays dismissed while its
 * score is at most DISMISS_MARGIN times that score.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/flags.h"
#include "core/xmalloc.h"
#include "index/index_int.h"

#define DAY 86400
#define RISING_DAYS 14
#define RISING_MIN 3
#define RISING_ALPHA 0.001
#define RISING_WEEKS 12 /* weekly counts kept as evidence */
#define GAP_MIN 3
#define OUTSCORE_MIN 3
#define STALE_DAYS 730
#define STALE_MIN 2
#define UNANSWERED_PCT 95
#define UNANSWERED_MIN 1000
#define DISMISS_MARGIN 1.5

struct tsrc {
	int64_t id;
	int64_t now;      /* epoch of the newest date, -1 unknown */
	char now_s[DATE_LEN + 1];
	char *lang;       /* comma-separated Snowball names, or NULL */
	int64_t total, recent; /* dated questions; of those in the window */
	int64_t nclusters;
	int64_t views_cut; /* unanswered threshold */
	struct complaint_set cs; /* index/complaint.c */
};

struct tq {
	int64_t id, ext, views, created; /* created: epoch or -1 */
	int src;
	int accepted;
	int closed;      /* threads.closed: never "unanswered" */
	int64_t cluster; /* 0: none */
	size_t canon;    /* 1 + the index of the issue it is canonical of */
	int answers;
	/* the accepted answer */
	int64_t a_score, a_created, later_max;
	int has_later;
	int complaints;
};

struct tcl {
	int64_t id, canonical;
	int src;
	int *m; /* question indexes */
	size_t nm;
};

struct tflag {
	const char *kind;
	int64_t thread, cluster;
	double score;
	char *evidence;
	int dismissed;
};

struct tctx {
	struct tsrc *srcs;
	size_t nsrcs;
	struct tq *q;
	size_t nq, capq;
	struct tcl *cl;
	size_t ncl, capcl;
	struct tflag *f;
	size_t nf, capf;
	int64_t now;
	char now_s[DATE_LEN + 1];
};

static const char SQL_T_SOURCES[] =
    "SELECT s.id, coalesce(s.newest, (SELECT max(max(coalesce(created,''),"
    " coalesce(last_activity,''))) FROM threads WHERE source_id=s.id)),"
    " s.lang FROM sources s ORDER BY s.id";
static const char SQL_T_THREADS[] =
    "SELECT t.id, t.source_id, t.ext_id, t.created, t.views,"
    " t.accepted_ext IS NOT NULL, coalesce(m.issue_id, 0),"
    " t.closed IS NOT NULL"
    " FROM threads t LEFT JOIN issue_members m ON m.thread_id=t.id"
    " ORDER BY t.id";
static const char SQL_T_ANSWERS[] =
    "SELECT t.id, count(*) FROM posts p JOIN threads t"
    " ON t.source_id=p.source_id AND t.ext_id=p.thread_ext"
    " WHERE p.kind=2 GROUP BY t.id";
static const char SQL_T_ACCEPTED[] =
    "SELECT t.id, p.score, p.created,"
    " (SELECT max(o.score) FROM posts o WHERE o.source_id=p.source_id"
    "  AND o.thread_ext=p.thread_ext AND o.kind=2 AND o.ext_id<>p.ext_id"
    "  AND o.created>p.created)"
    " FROM posts p JOIN threads t"
    " ON t.source_id=p.source_id AND t.ext_id=p.thread_ext"
    " WHERE p.kind=2 AND p.accepted=1 ORDER BY t.id, p.ext_id";
/* The answer's own author answering a comment is no complaint ("it is
 * not outdated"): by the author's id, or by name when neither has one
 * (a deleted account). */
static const char SQL_T_COMMENTS[] =
    "SELECT t.id, c.body_html FROM comments c JOIN posts p"
    " ON p.source_id=c.source_id AND p.ext_id=c.post_ext"
    " JOIN threads t ON t.source_id=p.source_id AND t.ext_id=p.thread_ext"
    " WHERE p.kind=2 AND p.accepted=1 AND NOT coalesce("
    "  c.author_ext=p.author_ext, c.author_ext IS NULL"
    "  AND p.author_ext IS NULL AND c.author_name=p.author_name, 0)"
    " ORDER BY t.id, c.ext_id";
/* The recurring issues (index/issues.c), not the topics: a flag is
 * about one problem asked again, which one article answers. */
static const char SQL_T_CLUSTERS[] =
    "SELECT c.id, c.canonical_thread, m.thread_id FROM issues c"
    " JOIN issue_members m ON m.issue_id=c.id ORDER BY c.id, m.thread_id";
static const char SQL_T_DISMISS[] =
    "SELECT kind, thread_id, score FROM curation WHERE action='dismiss'";
static const char SQL_T_DEL[] = "DELETE FROM flags";
static const char SQL_T_INS[] =
    "INSERT OR REPLACE INTO flags(kind, thread_id, cluster_id, score,"
    " evidence, dismissed) VALUES(?1, ?2, nullif(?3, 0), ?4, ?5, ?6)";

static int
tq_find(const struct tctx *c, int64_t id)
{
	size_t lo = 0, hi = c->nq;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->q[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nq && c->q[lo].id == id ? (int)lo : -1;
}

static int
src_find(const struct tctx *c, int64_t id)
{
	size_t i;

	for (i = 0; i < c->nsrcs; i++)
		if (c->srcs[i].id == id)
			return (int)i;
	return -1;
}

static int64_t
epoch_of(sqlite3_stmt *s, int col)
{
	const char *d = (const char *)sqlite3_column_text(s, col);

	return d ? date_epoch(d) : -1;
}

/* Each source's "does not work" lists (index/complaint.c): english
 * applies everywhere, it is the lingua franca of comments. */
static int
load_phrases(struct store *st, struct tctx *c)
{
	const char **langs = xcalloc(c->nsrcs + 1, sizeof *langs);
	struct complaint_set *sets = xcalloc(c->nsrcs + 1, sizeof *sets);
	size_t i;
	int rc;

	for (i = 0; i < c->nsrcs; i++)
		langs[i] = c->srcs[i].lang;
	rc = complaint_load(st, sets, langs, c->nsrcs);
	for (i = 0; i < c->nsrcs; i++)
		c->srcs[i].cs = sets[i];
	free(sets);
	free(langs);
	return rc;
}

static int
load(struct store *st, struct tctx *c)
{
	sqlite3_stmt *q;
	int rc, i;

	q = store_stmt(st, SQL_T_SOURCES);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct tsrc *s;
		const char *d = (const char *)sqlite3_column_text(q, 1);
		const char *lang = (const char *)sqlite3_column_text(q, 2);

		c->srcs = xreallocarray(c->srcs, c->nsrcs + 1, sizeof *c->srcs);
		s = &c->srcs[c->nsrcs++];
		memset(s, 0, sizeof *s);
		s->id = sqlite3_column_int64(q, 0);
		s->now = epoch_of(q, 1);
		snprintf(s->now_s, sizeof s->now_s, "%s", d ? d : "");
		s->lang = lang && *lang ? xstrdup(lang) : NULL;
		if (strcmp(s->now_s, c->now_s) > 0)
			memcpy(c->now_s, s->now_s, sizeof c->now_s);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	c->now = *c->now_s ? date_epoch(c->now_s) : -1;
	q = store_stmt(st, SQL_T_THREADS);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct tq *t;

		if (c->nq == c->capq) {
			c->capq = c->capq ? c->capq * 2 : 1024;
			c->q = xreallocarray(c->q, c->capq, sizeof *c->q);
		}
		t = &c->q[c->nq++];
		memset(t, 0, sizeof *t);
		t->id = sqlite3_column_int64(q, 0);
		t->src = src_find(c, sqlite3_column_int64(q, 1));
		t->ext = sqlite3_column_int64(q, 2);
		t->created = epoch_of(q, 3);
		t->views = sqlite3_column_int64(q, 4);
		t->accepted = sqlite3_column_int(q, 5);
		t->cluster = sqlite3_column_int64(q, 6);
		t->closed = sqlite3_column_int(q, 7);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	q = store_stmt(st, SQL_T_ANSWERS);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((i = tq_find(c, sqlite3_column_int64(q, 0))) >= 0)
			c->q[i].answers = sqlite3_column_int(q, 1);
	if (rc != SQLITE_DONE)
		goto fail;
	q = store_stmt(st, SQL_T_ACCEPTED);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((i = tq_find(c, sqlite3_column_int64(q, 0))) < 0)
			continue;
		c->q[i].accepted = 2; /* an accepted answer row exists */
		c->q[i].a_score = sqlite3_column_int64(q, 1);
		c->q[i].a_created = epoch_of(q, 2);
		c->q[i].has_later = sqlite3_column_type(q, 3) != SQLITE_NULL;
		c->q[i].later_max = sqlite3_column_int64(q, 3);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	if (load_phrases(st, c) < 0)
		return -1;
	q = store_stmt(st, SQL_T_COMMENTS);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(q, 1);

		if ((i = tq_find(c, sqlite3_column_int64(q, 0))) < 0 ||
		    c->q[i].src < 0 || h == NULL)
			continue;
		if (complaint_match(&c->srcs[c->q[i].src].cs, h,
		    (size_t)sqlite3_column_bytes(q, 1)))
			c->q[i].complaints++;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	q = store_stmt(st, SQL_T_CLUSTERS);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		struct tcl *cl = c->ncl ? &c->cl[c->ncl - 1] : NULL;

		if (cl == NULL || cl->id != id) {
			if (c->ncl == c->capcl) {
				c->capcl = c->capcl ? 2 * c->capcl : 256;
				c->cl = xreallocarray(c->cl, c->capcl,
				    sizeof *c->cl);
			}
			cl = &c->cl[c->ncl++];
			memset(cl, 0, sizeof *cl);
			cl->id = id;
			cl->canonical = sqlite3_column_int64(q, 1);
			cl->src = -1;
		}
		if ((i = tq_find(c, sqlite3_column_int64(q, 2))) >= 0) {
			cl->m = xreallocarray(cl->m, cl->nm + 1, sizeof *cl->m);
			cl->m[cl->nm++] = i;
			cl->src = c->q[i].src;
		}
	}
	if (rc != SQLITE_DONE)
		goto fail;
	return 0;
fail:
	return store_fail(st);
}

static struct tflag *
add_flag(struct tctx *c, const char *kind, int64_t thread, int64_t cluster,
    double score, struct buf *ev)
{
	struct tflag *f;

	if (c->nf == c->capf) {
		c->capf = c->capf ? c->capf * 2 : 64;
		c->f = xreallocarray(c->f, c->capf, sizeof *c->f);
	}
	f = &c->f[c->nf++];
	f->kind = kind;
	f->thread = thread;
	f->cluster = cluster;
	f->score = floor(score * 100.0 + 0.5) / 100.0;
	f->evidence = buf_detach(ev);
	f->dismissed = 0;
	return f;
}

/* P(X >= k) for X ~ Binomial(n, p), summed in log space (exact enough
 * for the tiny tails the Bonferroni threshold asks about). */
static double
binom_sf(int64_t k, int64_t n, double p)
{
	double s = 0;
	int64_t i;

	if (k <= 0)
		return 1;
	if (k > n || p <= 0)
		return 0;
	if (p >= 1)
		return 1;
	for (i = k; i <= n; i++)
		s += exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
		    lgamma((double)(n - i) + 1) + (double)i * log(p) +
		    (double)(n - i) * log1p(-p));
	return s > 1 ? 1 : s;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Per source: window counts, cluster counts, the views cut-off. */
static void
source_stats(struct tctx *c)
{
	size_t i, k;

	for (i = 0; i < c->nq; i++) {
		struct tq *t = &c->q[i];
		struct tsrc *s;

		if (t->src < 0 || t->created < 0)
			continue;
		s = &c->srcs[t->src];
		s->total++;
		if (s->now >= 0 && t->created > s->now - RISING_DAYS * DAY)
			s->recent++;
	}
	for (i = 0; i < c->ncl; i++) {
		int q = tq_find(c, c->cl[i].canonical);

		if (c->cl[i].src >= 0)
			c->srcs[c->cl[i].src].nclusters++;
		/* The last issue of a canonical question wins, as a
		 * question is canonical of one issue at most. */
		if (q >= 0)
			c->q[q].canon = i + 1;
	}
	for (k = 0; k < c->nsrcs; k++) {
		int64_t *v = xcalloc(c->nq + 1, sizeof *v);
		size_t n = 0;

		for (i = 0; i < c->nq; i++)
			if (c->q[i].src == (int)k)
				v[n++] = c->q[i].views;
		if (n > 1)
			qsort(v, n, sizeof *v, cmp_i64);
		c->srcs[k].views_cut = n ? v[(n - 1) * UNANSWERED_PCT / 100] : 0;
		if (c->srcs[k].views_cut < UNANSWERED_MIN)
			c->srcs[k].views_cut = UNANSWERED_MIN;
		free(v);
	}
}

static void
rising(struct tctx *c, const struct tcl *cl)
{
	const struct tsrc *s;
	struct buf ev = BUF_INIT;
	int64_t n = 0, k = 0, weeks[RISING_WEEKS] = { 0 };
	double q, expect, p, thr;
	size_t i;

	if (cl->src < 0)
		return;
	s = &c->srcs[cl->src];
	if (s->now < 0 || s->total == 0 || s->recent == 0)
		return;
	for (i = 0; i < cl->nm; i++) {
		int64_t cr = c->q[cl->m[i]].created, w;

		if (cr < 0)
			continue;
		n++;
		if (cr > s->now - RISING_DAYS * DAY)
			k++;
		w = (s->now - cr) / (7 * DAY);
		if (w >= 0 && w < RISING_WEEKS)
			weeks[RISING_WEEKS - 1 - w]++;
	}
	q = (double)s->recent / (double)s->total;
	expect = (double)n * q;
	if (k < RISING_MIN || (double)k < 2 * expect)
		return;
	p = binom_sf(k, n, q);
	thr = RISING_ALPHA / (double)(s->nclusters ? s->nclusters : 1);
	if (p > thr)
		return;
	buf_printf(&ev, "{\"summary\":\"%lld of its %lld questions asked in "
	    "the last %d days (expected %.2f); p=%.2g <= %.2g\","
	    "\"recent\":%lld,\"questions\":%lld,\"window_days\":%d,"
	    "\"source_recent\":%lld,\"source_questions\":%lld,"
	    "\"expected\":%.4f,\"p\":%.3g,\"threshold\":%.3g,\"tests\":%lld,"
	    "\"now\":\"%s\",\"weeks\":[", (long long)k, (long long)n,
	    RISING_DAYS, expect, p, thr, (long long)k, (long long)n,
	    RISING_DAYS, (long long)s->recent, (long long)s->total, expect, p,
	    thr, (long long)s->nclusters, s->now_s);
	for (i = 0; i < RISING_WEEKS; i++)
		buf_printf(&ev, "%s%lld", i ? "," : "", (long long)weeks[i]);
	buf_puts(&ev, "]}");
	add_flag(c, "rising", cl->canonical, cl->id, 4.0 * ((double)k - expect),
	    &ev);
}

static void
gap(struct tctx *c, const struct tcl *cl)
{
	struct buf ev = BUF_INIT;
	int64_t answers = 0, answered = 0, views = 0;
	size_t i;

	if (cl->nm < GAP_MIN)
		return;
	for (i = 0; i < cl->nm; i++) {
		const struct tq *t = &c->q[cl->m[i]];

		if (t->accepted)
			return;
		answers += t->answers;
		answered += t->answers > 0;
		views += t->views;
	}
	buf_printf(&ev, "{\"summary\":\"asked %zu times, no accepted answer "
	    "(%lld answers on %lld of them, %lld views)\",\"questions\":%zu,"
	    "\"answers\":%lld,\"answered\":%lld,\"views\":%lld}", cl->nm,
	    (long long)answers, (long long)answered, (long long)views, cl->nm,
	    (long long)answers, (long long)answered, (long long)views);
	add_flag(c, "gap", cl->canonical, cl->id, (double)cl->nm, &ev);
}

static void
suspect(struct tctx *c, size_t qi)
{
	const struct tq *t = &c->q[qi];
	const struct tcl *cl = NULL;
	struct buf ev = BUF_INIT, why = BUF_INIT;
	double pts = 0;
	int64_t late = 0;
	size_t i;
	int neg = 0, out = 0;

	if (t->accepted != 2)
		return;
	if (t->canon)
		cl = &c->cl[t->canon - 1];
	if (t->a_score < 0) {
		neg = 1;
		pts += 3 + (double)-t->a_score;
		buf_printf(&why, "accepted answer scores %lld",
		    (long long)t->a_score);
	}
	if (t->has_later && t->later_max >= t->a_score + OUTSCORE_MIN &&
	    t->later_max >= 2 * t->a_score) {
		out = 1;
		pts += 2 + (double)(t->later_max - t->a_score) / 2;
		buf_printf(&why, "%sa later answer scores %lld vs %lld",
		    why.len ? "; " : "", (long long)t->later_max,
		    (long long)t->a_score);
	}
	if (t->complaints) {
		pts += 3 * (double)t->complaints;
		buf_printf(&why, "%s%d comment%s say%s it does not work",
		    why.len ? "; " : "", t->complaints,
		    t->complaints > 1 ? "s" : "", t->complaints > 1 ? "" : "s");
	}
	if (cl && t->a_created >= 0) {
		for (i = 0; i < cl->nm; i++) {
			int64_t cr = c->q[cl->m[i]].created;

			if (cr >= 0 && cr - t->a_created >= STALE_DAYS * DAY)
				late++;
		}
		if (late >= STALE_MIN) {
			/* Weak alone: a popular issue keeps being asked. */
			pts += 1 + fmin(4, (double)late / 4);
			buf_printf(&why, "%s%lld questions of its issue asked "
			    "%d+ days after it was accepted", why.len ? "; " :
			    "", (long long)late, STALE_DAYS);
		} else {
			late = 0;
		}
	}
	if (pts <= 0)
		goto out;
	buf_puts(&ev, "{\"summary\":\"");
	esc_json(&ev, why.data, why.len);
	buf_printf(&ev, "\",\"answer_score\":%lld,\"negative\":%s,"
	    "\"later_best\":", (long long)t->a_score, neg ? "true" : "false");
	if (t->has_later)
		buf_printf(&ev, "%lld", (long long)t->later_max);
	else
		buf_puts(&ev, "null");
	buf_printf(&ev, ",\"outscored\":%s,\"complaints\":%d,"
	    "\"stale_questions\":%lld,\"views\":%lld}", out ? "true" : "false",
	    t->complaints, (long long)late, (long long)t->views);
	add_flag(c, "suspect_answer", t->id, t->cluster,
	    pts * (1 + log10(1 + (double)t->views / 1000)), &ev);
out:
	buf_release(&why);
}

static void
unanswered(struct tctx *c, size_t qi)
{
	const struct tq *t = &c->q[qi];
	struct buf ev = BUF_INIT;

	/* A closed question takes no answer: nothing for a writer to do. */
	if (t->accepted || t->closed || t->src < 0 ||
	    t->views < c->srcs[t->src].views_cut)
		return;
	/* "No answer" and "answered, none accepted" ask the writers for
	 * different work; the report adds whether a community answer is
	 * published (render/report.c). */
	buf_printf(&ev, "{\"summary\":\"%lld views, ", (long long)t->views);
	if (t->answers == 0)
		buf_puts(&ev, "no answer");
	else
		buf_printf(&ev, "%d answer%s, none accepted", t->answers,
		    t->answers == 1 ? "" : "s");
	buf_printf(&ev, "\",\"views\":%lld,\"answers\":%d,\"threshold\":"
	    "%lld}", (long long)t->views, t->answers,
	    (long long)c->srcs[t->src].views_cut);
	add_flag(c, "unanswered", t->id, t->cluster,
	    10 * log10((double)t->views / 100), &ev);
}

static int
dismiss(struct store *st, struct tctx *c)
{
	sqlite3_stmt *q = store_stmt(st, SQL_T_DISMISS);
	int rc;
	size_t i;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 0);
		int64_t th = sqlite3_column_int64(q, 1);
		double was = sqlite3_column_double(q, 2);

		for (i = 0; i < c->nf; i++)
			if (c->f[i].thread == th && kind &&
			    strcmp(c->f[i].kind, kind) == 0 &&
			    c->f[i].score <= was * DISMISS_MARGIN)
				c->f[i].dismissed = 1;
	}
	return rc == SQLITE_DONE ? 0 : store_fail(st);
}

static void
ctx_free(struct tctx *c)
{
	size_t i;

	for (i = 0; i < c->nsrcs; i++) {
		complaint_free(&c->srcs[i].cs);
		free(c->srcs[i].lang);
	}
	free(c->srcs);
	free(c->q);
	for (i = 0; i < c->ncl; i++)
		free(c->cl[i].m);
	free(c->cl);
	for (i = 0; i < c->nf; i++)
		free(c->f[i].evidence);
	free(c->f);
}

int
index_trends_run(struct store *st, struct index_result *r)
{
	struct tctx c;
	sqlite3_stmt *ins;
	size_t i;
	int rc = -1;

	memset(&c, 0, sizeof c);
	if (load(st, &c) < 0)
		goto out;
	source_stats(&c);
	for (i = 0; i < c.ncl; i++) {
		rising(&c, &c.cl[i]);
		gap(&c, &c.cl[i]);
	}
	for (i = 0; i < c.nq; i++) {
		suspect(&c, i);
		unanswered(&c, i);
	}
	if (dismiss(st, &c) < 0 || store_exec(st, SQL_T_DEL) < 0)
		goto out;
	ins = store_stmt(st, SQL_T_INS);
	for (i = 0; i < c.nf; i++) {
		const struct tflag *f = &c.f[i];

		bind_text(ins, 1, f->kind, strlen(f->kind));
		bind_int(ins, 2, f->thread);
		bind_int(ins, 3, f->cluster);
		sqlite3_bind_double(ins, 4, f->score);
		bind_text(ins, 5, f->evidence, strlen(f->evidence));
		bind_int(ins, 6, f->dismissed);
		if (store_done(st, ins) < 0)
			goto out;
		if (r && !f->dismissed)
			r->flags++;
	}
	if (store_meta_set(st, "trends_now", c.now_s, strlen(c.now_s)) < 0)
		goto out;
	rc = 0;
out:
	ctx_free(&c);
	return rc;
}

/* ---- output: `faqtory trends` over core/flags.h ------------------------- */

static void
flag_json(struct buf *out, const struct flag_row *f, int n)
{
	buf_printf(out, "%s{\"kind\":\"%s\",\"score\":%.2f,\"cluster\":",
	    n > 1 ? "," : "", f->kind, f->score);
	if (f->cluster > 0)
		buf_printf(out, "%lld", (long long)f->cluster);
	else
		buf_puts(out, "null");
	buf_puts(out, ",\"thread\":{\"source\":\"");
	esc_json(out, f->source, strlen(f->source));
	buf_printf(out, "\",\"id\":%lld},\"title\":\"", (long long)f->ext);
	esc_json(out, f->title, strlen(f->title));
	buf_puts(out, "\",\"url\":\"");
	esc_json(out, f->url, strlen(f->url));
	/* evidence is JSON written by index_trends_run. */
	buf_printf(out, "\",\"evidence\":%s}", f->evidence);
}

static void
flag_csv(struct buf *out, const struct flag_row *f, int n)
{
	buf_printf(out, "%d,%s,%.2f,", n, f->kind, f->score);
	esc_csv(out, f->source, strlen(f->source));
	buf_printf(out, ",%lld,", (long long)f->ext);
	if (f->cluster > 0)
		buf_printf(out, "%lld", (long long)f->cluster);
	buf_putc(out, ',');
	esc_csv(out, f->title, strlen(f->title));
	buf_putc(out, ',');
	esc_csv(out, f->url, strlen(f->url));
	buf_putc(out, ',');
	esc_csv(out, f->summary, strlen(f->summary));
	buf_putc(out, ',');
	esc_csv(out, f->evidence, strlen(f->evidence));
	buf_puts(out, "\r\n");
}

static void
flag_text(struct buf *out, const struct flag_row *f, int n)
{
	if (n == 1)
		buf_printf(out, "%4s  %-14s %7s  %s\n", "rank", "kind",
		    "score", "question");
	buf_printf(out, "%4d  %-14s %7.2f  %s:%lld  %s\n", n, f->kind,
	    f->score, f->source, (long long)f->ext, f->title);
	buf_printf(out, "%28s%s\n", "", f->summary);
}

int
index_trends(struct store *st, int format, struct buf *out)
{
	struct flag_list l;
	char now[DATE_LEN + 1];
	int64_t dismissed;
	int rc, n = 0;

	if (!flag_list_now(st, now, &dismissed)) {
		fq_err("%s: no trends yet (run 'faqtory index')",
		    store_path(st));
		return -1;
	}
	if (format == INDEX_TRENDS_JSON) {
		buf_puts(out, "{\"now\":");
		if (*now) {
			buf_putc(out, '"');
			esc_json(out, now, strlen(now));
			buf_putc(out, '"');
		} else {
			buf_puts(out, "null");
		}
		buf_printf(out, ",\"dismissed\":%lld,\"flags\":[",
		    (long long)dismissed);
	} else if (format == INDEX_TRENDS_CSV) {
		buf_puts(out, "rank,kind,score,source,id,cluster,title,url,"
		    "summary,evidence\r\n");
	}
	flag_list_begin(&l, st, 0, 0);
	while ((rc = flag_list_next(&l)) > 0) {
		n++;
		if (format == INDEX_TRENDS_JSON)
			flag_json(out, &l.row, n);
		else if (format == INDEX_TRENDS_CSV)
			flag_csv(out, &l.row, n);
		else
			flag_text(out, &l.row, n);
	}
	if (rc < 0)
		return -1;
	if (format == INDEX_TRENDS_JSON)
		buf_puts(out, "]}\n");
	else if (format == INDEX_TRENDS_TEXT)
		buf_printf(out, "%s%d flag%s as of %s (%lld dismissed)\n",
		    n ? "\n" : "", n, n == 1 ? "" : "s", *now ? now : "-",
		    (long long)dismissed);
	return 0;
}
