/*
 * report_issue: a page per recurring issue (issue/<id>/index.html, its
 * weekly counts beside it as weeks.csv): how people phrased it (every
 * member's title, newest first, with its date), the words its recent
 * questions (last 12 weeks) use that its older ones never did, its
 * 52-week volume, its flags; and the brief's list of the issues new or
 * growing in a week.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "render/report_int.h"

#define SHOW_ISSUES 8

/* One question of an issue's history. */
static struct tval *
member_row(struct rctx *c, const struct rq *q)
{
	struct tval *m = tval_map(c->cx);

	tval_set_cstr(m, "created", q->created);
	report_text(c, m, "day", q->created, strnlen(q->created, 10));
	report_question(c, m, q, 0);
	tval_set_cstr(m, "accepted", report_str(c, q->accepted ? "yes" :
	    "no"));
	return m;
}

static int
weeks_csv(struct rctx *c, const int64_t *v, const char *folder)
{
	struct buf b = BUF_INIT;
	char day[11], rel[96];
	int i, rc;

	buf_puts(&b, "week_ending,questions\r\n");
	for (i = RCHART; i-- > 0;) {
		report_day(c->d.now - (int64_t)i * RWEEK, day);
		report_csv(&b, day, 0);
		report_csv_int(&b, v[i], 1);
	}
	snprintf(rel, sizeof rel, "%sweeks.csv", folder);
	rc = report_put_file(c, rel, b.data, b.len);
	buf_release(&b);
	return rc;
}

static int
issue_page(struct rctx *c, const struct riss *s)
{
	struct tval *root, *hist;
	char folder[64], rel[96];
	size_t i;

	tctx_reset(c->cx);
	root = report_root(c, "../../", s->label);
	tval_set_int(root, "size", (int64_t)s->nq);
	tval_set_cstr(root, "first", s->first);
	tval_set_cstr(root, "last", s->last);
	tval_set(root, "volume", report_chart(c, s->weeks, RCHART, 0,
	    report_str(c, "chart_issue"), "v"));
	report_new_words(c, root, s->q, s->nq, 0, RBASE, 12);
	hist = tval_set_list(root, "history");
	for (i = 0; i < s->nq; i++)
		tval_list_push(hist, member_row(c, &c->d.q[s->q[i]]));
	if (report_flag_rows(c, root, s->id, NULL, NULL, 0, -1) < 0)
		return -1;
	snprintf(folder, sizeof folder, "issue/%lld/", (long long)s->id);
	snprintf(rel, sizeof rel, "%sindex.html", folder);
	if (weeks_csv(c, s->weeks, folder) < 0)
		return -1;
	return report_put_page(c, "issue", root, rel);
}

int
report_issues(struct rctx *c)
{
	size_t i;

	for (i = 0; i < c->d.niss; i++)
		if (issue_page(c, &c->d.iss[i]) < 0)
			return -1;
	return 0;
}

/* ---- the brief's list ------------------------------------------------- */

struct grow {
	size_t i;
	double delta;
};

static int
cmp_grow(const void *a, const void *b)
{
	const struct grow *x = a, *y = b;

	if (x->delta != y->delta)
		return x->delta > y->delta ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static double
before(const int64_t *v, int k)
{
	double s = 0;
	int i;

	for (i = k + 1; i <= k + RBASE; i++)
		s += (double)v[i];
	return s / RBASE;
}

/* An issue of the brief: its page, label, counts, canonical question
 * and the line that pins that question first on the site's home. */
static struct tval *
grow_row(struct rctx *c, const struct riss *s, int k, double delta)
{
	struct tval *m = tval_map(c->cx);
	const struct rq *q = report_find(c, s->canonical);
	struct buf b = BUF_INIT;

	tval_set_int(m, "id", s->id);
	report_ctext(c, m, "label", s->label);
	tval_set_int(m, "week", s->weeks[k]);
	tval_set_int(m, "size", (int64_t)s->nq);
	report_fmt(m, "delta", "%+.1f", delta);
	if (s->first_week >= k && s->first_week < k + 4)
		tval_set_bool(m, "new", 1);
	tval_set(m, "spark", report_spark(c, s->weeks + k, RBASE,
	    report_str(c, "spark_name")));
	if (q) {
		report_question(c, m, q, 0);
		buf_printf(&b, "[%s:%lld]\npin = yes", q->sn, (long long)q->ext);
		tval_set_str(m, "line", b.data, b.len);
	}
	buf_release(&b);
	return m;
}

int
report_issue_rows(struct rctx *c, struct tval *root, int k)
{
	struct grow *g = xcalloc(c->d.niss + 1, sizeof *g);
	struct tval *l = tval_set_list(root, "issues");
	size_t i, n = 0;

	for (i = 0; i < c->d.niss; i++) {
		const struct riss *s = &c->d.iss[i];
		double d = (double)s->weeks[k] - before(s->weeks, k);

		if (s->weeks[k] > 0 && d > 0) {
			g[n].i = i;
			g[n++].delta = d;
		}
	}
	if (n > 1)
		qsort(g, n, sizeof *g, cmp_grow);
	for (i = 0; i < n && i < SHOW_ISSUES; i++)
		tval_list_push(l, grow_row(c, &c->d.iss[g[i].i], k, g[i].delta));
	free(g);
	return 0;
}
