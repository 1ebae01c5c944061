/*
 * report_brief: the weekly brief, the report's front page (index.html,
 * and brief.html: the same page with its stylesheet inlined, to mail),
 * and the brief of each of the last 12 weeks (week/<date>/index.html,
 * the week picker's pages), each with its CSV tables beside it:
 *
 *   intake.csv      questions, answered, accepted, community answers
 *                   published, unanswered: the week, the mean of the 4
 *                   and of the 12 weeks before
 *   categories.csv  every tag and topic asked about in those 13 weeks:
 *                   the week, the means, the change, the 12 weeks
 *   contributors.csv the authors of the answers accepted or published,
 *                   written in the week and in the 12 weeks to it
 *
 * The week ends at "now" (the newest date in the data) minus k weeks.
 * The flags' sections (gaps, suspect answers, answers to confirm,
 * duplicates) are the current state: on the front page only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "render/report_int.h"

#define SHOW_CATS 6     /* rising and falling categories shown */
#define SHOW_PEOPLE 12  /* contributors shown */
#define SHOW_ITEMS 10   /* items of a flags' section */

enum { M_QUESTIONS, M_ANSWERED, M_ACCEPTED, M_COMMUNITY, M_UNANSWERED, NM };
static const char *const metric_keys[NM] = { "questions", "answered",
	"accepted", "community", "unanswered" };

/* One week's brief being built. */
struct week {
	int k;             /* weeks before now */
	char day[11];      /* its last day */
	const char *root;  /* back to the report's folder */
	struct buf csv;
};

/* ---- intake ------------------------------------------------------------- */

static void
intake_counts(const struct rctx *c, int64_t m[NM][RHIST])
{
	size_t i;

	memset(m, 0, sizeof(int64_t) * NM * RHIST);
	for (i = 0; i < c->d.nq; i++) {
		const struct rq *q = &c->d.q[i];

		if (q->week < 0 || q->week >= RHIST)
			continue;
		m[M_QUESTIONS][q->week]++;
		m[q->first_answer >= 0 ? M_ANSWERED : M_UNANSWERED][q->week]++;
		m[M_ACCEPTED][q->week] += q->accepted != 0;
		m[M_COMMUNITY][q->week] += q->pub == ANSWER_COMMUNITY;
	}
}

/* The mean of v[from .. from+n). */
static double
mean(const int64_t *v, int from, int n)
{
	double s = 0;
	int i;

	for (i = from; i < from + n && i < RHIST; i++)
		s += (double)v[i];
	return n > 0 ? s / n : 0;
}

/* "+40%", "-10%", "=" or "new": the week against a mean. */
static void
change(struct rctx *c, struct tval *m, int64_t now, double base)
{
	char v[32];

	if (base <= 0)
		snprintf(v, sizeof v, "%s", now ? report_str(c, "new") : "=");
	else if ((double)now == base)
		snprintf(v, sizeof v, "=");
	else
		snprintf(v, sizeof v, "%+.0f%%", 100.0 * ((double)now - base) /
		    base);
	tval_set_cstr(m, "change", v);
}

static void
intake(struct rctx *c, struct tval *root, struct week *w)
{
	int64_t m[NM][RHIST];
	struct tval *l = tval_set_list(root, "intake");
	int i;

	intake_counts(c, m);
	buf_reset(&w->csv);
	buf_puts(&w->csv, "metric,week,mean_4_weeks,mean_12_weeks\r\n");
	for (i = 0; i < NM; i++) {
		struct tval *r = tval_map(c->cx);
		double a4 = mean(m[i], w->k + 1, 4), a12 = mean(m[i], w->k + 1, 12);

		tval_set_cstr(r, "label", report_str(c, metric_keys[i]));
		tval_set_int(r, "week", m[i][w->k]);
		report_fmt(r, "avg4", "%.1f", a4);
		report_fmt(r, "avg12", "%.1f", a12);
		change(c, r, m[i][w->k], a4);
		tval_list_push(l, r);
		report_csv(&w->csv, metric_keys[i], 0);
		report_csv_int(&w->csv, m[i][w->k], 0);
		buf_printf(&w->csv, "%.2f,%.2f\r\n", a4, a12);
	}
	if (m[M_QUESTIONS][w->k] == 0)
		tval_set_bool(root, "quiet", 1);
}

/* ---- categories --------------------------------------------------------- */

struct ranked {
	size_t cat;
	double delta;
};

static const struct rctx *sort_c; /* for qsort; one thread */
static int sort_k;               /* the week ranked */

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	const struct rcat *p = &sort_c->d.cat[x->cat], *q = &sort_c->d.cat[y->cat];

	if (x->delta != y->delta)
		return x->delta > y->delta ? -1 : 1;
	if (p->weeks[sort_k] != q->weeks[sort_k])
		return p->weeks[sort_k] > q->weeks[sort_k] ? -1 : 1;
	return strcmp(p->path, q->path);
}

/* Up to 3 of k's questions of week wk, newest first (the questions are
 * by id), as list "asked" of m; the newest one with an entry carries
 * the line that pins it first on the site's home page. */
static void
week_questions(struct rctx *c, struct tval *m, const struct rcat *k, int wk)
{
	struct tval *l = NULL;
	struct buf line = BUF_INIT;
	size_t i, n = 0;

	for (i = k->nq; i-- > 0 && n < 3;) {
		const struct rq *q = &c->d.q[k->q[i]];
		struct tval *x;

		if (q->week != wk)
			continue;
		if (l == NULL) {
			l = tval_set_list(m, "asked");
			tval_set_bool(m, "hasasked", 1);
		}
		x = tval_map(c->cx);
		report_question(c, x, q, 0);
		if (q->pub != ANSWER_NONE && line.len == 0) {
			buf_printf(&line, "[%s:%lld]\npin = yes", q->sn,
			    (long long)q->ext);
			tval_set_str(x, "line", line.data, line.len);
		}
		tval_list_push(l, x);
		n++;
	}
	buf_release(&line);
}

/* A category of the rising or falling list. */
static struct tval *
cat_row(struct rctx *c, const struct rcat *k, const struct week *w,
    double delta)
{
	struct tval *m = tval_map(c->cx);
	struct buf h = BUF_INIT;

	report_ctext(c, m, "name", k->name);
	tval_set_cstr(m, "kind", report_str(c, k->topic ? "topic" : "tag"));
	if (!k->topic)
		tval_set_cstr(m, "source", k->sn);
	buf_printf(&h, "%s%s", w->root, k->path);
	tval_set_cstr(m, "href", h.data);
	buf_release(&h);
	tval_set_int(m, "week", k->weeks[w->k]);
	report_fmt(m, "avg", "%.1f", mean(k->weeks, w->k + 1, RBASE));
	report_fmt(m, "delta", "%+.1f", delta);
	tval_set(m, "spark", report_spark(c, k->weeks + w->k, RBASE,
	    report_str(c, "spark_name")));
	report_new_words(c, m, k->q, k->nq, w->k, 1, 8);
	week_questions(c, m, k, w->k);
	return m;
}

static void
cat_csv(struct rctx *c, struct buf *b, const struct rcat *k, int wk,
    double delta)
{
	int i;

	report_csv(b, k->topic ? "topic" : "tag", 0);
	report_csv(b, k->topic ? "" : k->sn, 0);
	report_csv(b, k->name, 0);
	report_csv(b, k->path, 0);
	report_csv_int(b, k->weeks[wk], 0);
	buf_printf(b, "%.2f,%.2f,%.2f", mean(k->weeks, wk + 1, 4),
	    mean(k->weeks, wk + 1, RBASE), delta);
	for (i = RBASE; i-- > 0;)
		buf_printf(b, ",%lld", (long long)k->weeks[wk + i]);
	buf_puts(b, "\r\n");
	(void)c;
}

/* The categories asked about in the 13 weeks, ranked by the week's
 * count minus the mean of the 12 before; rising and falling lists. */
static void
categories(struct rctx *c, struct tval *root, struct week *w)
{
	struct ranked *r = xcalloc(c->d.ncat + 1, sizeof *r);
	struct tval *up = tval_set_list(root, "rising");
	struct tval *down = tval_set_list(root, "falling");
	size_t i, n = 0, shown;

	for (i = 0; i < c->d.ncat; i++) {
		const struct rcat *k = &c->d.cat[i];
		double base = mean(k->weeks, w->k + 1, RBASE);

		if (k->weeks[w->k] > 0 || base > 0) {
			r[n].cat = i;
			r[n++].delta = (double)k->weeks[w->k] - base;
		}
	}
	sort_c = c;
	sort_k = w->k;
	if (n > 1)
		qsort(r, n, sizeof *r, cmp_ranked);
	buf_reset(&w->csv);
	buf_puts(&w->csv, "kind,source,name,path,week,mean_4_weeks,"
	    "mean_12_weeks,change,weeks_oldest_first\r\n");
	for (i = 0; i < n; i++)
		cat_csv(c, &w->csv, &c->d.cat[r[i].cat], w->k, r[i].delta);
	for (i = 0, shown = 0; i < n && shown < SHOW_CATS && r[i].delta > 0;
	    i++, shown++)
		tval_list_push(up, cat_row(c, &c->d.cat[r[i].cat], w,
		    r[i].delta));
	for (i = n, shown = 0; i-- > 0 && shown < SHOW_CATS &&
	    r[i].delta < 0; shown++)
		tval_list_push(down, cat_row(c, &c->d.cat[r[i].cat], w,
		    r[i].delta));
	free(r);
}

/* ---- contributors ------------------------------------------------------- */

struct credit {
	const char *sn, *name;
	size_t q;   /* the question (index into c->d.q) */
};

static int
cmp_credit(const void *a, const void *b)
{
	const struct credit *x = a, *y = b;
	int r = strcmp(x->sn, y->sn);

	if (r == 0)
		r = strcmp(x->name, y->name);
	if (r == 0)
		r = (x->q < y->q) - (x->q > y->q); /* newest question first */
	return r;
}

struct person {
	size_t from, n; /* a run of credits */
};

static const struct credit *sort_cr; /* for qsort; one thread */

static int
cmp_person(const void *a, const void *b)
{
	const struct person *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return cmp_credit(&sort_cr[x->from], &sort_cr[y->from]);
}

/* One contributor: name, source, count, up to 3 answers. */
static struct tval *
person_row(struct rctx *c, const struct credit *cr, size_t n)
{
	struct tval *m = tval_map(c->cx), *l;
	size_t i;

	report_ctext(c, m, "name", cr->name);
	tval_set_cstr(m, "source", cr->sn);
	tval_set_int(m, "count", (int64_t)n);
	tval_set_cstr(m, "noun", locale_noun(c->strings, c->nstrings, c->lang,
	    "answers_published", (int64_t)n));
	l = tval_set_list(m, "answers");
	for (i = 0; i < n && i < 3; i++) {
		const struct rq *q = &c->d.q[cr[i].q];
		struct tval *a = tval_map(c->cx);

		report_question(c, a, q, q->post);
		tval_list_push(l, a);
	}
	return m;
}

/* The credits of answers written in weeks [k, k + span). */
static size_t
credits(const struct rctx *c, int k, int span, struct credit **out)
{
	struct credit *v = xcalloc(c->d.nq + 1, sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < c->d.nq; i++) {
		const struct rq *q = &c->d.q[i];

		if (q->author && q->aweek >= k && q->aweek < k + span) {
			v[n].sn = q->sn;
			v[n].name = q->author;
			v[n++].q = i;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_credit);
	*out = v;
	return n;
}

static void
people(struct rctx *c, struct tval *root, const char *key, struct week *w,
    int span)
{
	struct credit *v;
	size_t n = credits(c, w->k, span, &v), i = 0, np = 0;
	struct person *p = xcalloc(n + 1, sizeof *p);
	struct tval *l = tval_set_list(root, key);

	while (i < n) {
		size_t j = i + 1;

		while (j < n && cmp_credit(&v[i], &v[j]) <= 0 &&
		    strcmp(v[i].sn, v[j].sn) == 0 &&
		    strcmp(v[i].name, v[j].name) == 0)
			j++;
		p[np].from = i;
		p[np++].n = j - i;
		i = j;
	}
	sort_cr = v;
	if (np > 1)
		qsort(p, np, sizeof *p, cmp_person);
	for (i = 0; i < np; i++) {
		if (i < SHOW_PEOPLE)
			tval_list_push(l, person_row(c, v + p[i].from, p[i].n));
		report_csv(&w->csv, key, 0);
		report_csv(&w->csv, v[p[i].from].sn, 0);
		report_csv(&w->csv, v[p[i].from].name, 0);
		report_csv_int(&w->csv, (int64_t)p[i].n, 1);
	}
	free(p);
	free(v);
}

/* ---- the current state -------------------------------------------------- */

/* The community answers published without the writers' word, newest
 * question first, each with the line that confirms it. */
static void
to_confirm(struct rctx *c, struct tval *root)
{
	struct tval *l = tval_set_list(root, "confirm");
	struct buf line = BUF_INIT;
	size_t i, n = 0;

	for (i = c->d.nq; i-- > 0;) {
		const struct rq *q = &c->d.q[i];
		struct tval *m;

		if ((q->pub != ANSWER_COMMUNITY && q->pub != ANSWER_VOTED) ||
		    q->confirmed)
			continue;
		if (n++ >= SHOW_ITEMS)
			continue;
		m = tval_map(c->cx);
		report_question(c, m, q, q->post);
		tval_set_cstr(m, "day", q->created);
		buf_reset(&line);
		buf_printf(&line, "[%s:%lld]\nanswer = %lld", q->sn,
		    (long long)q->ext, (long long)q->post);
		tval_set_str(m, "line", line.data, line.len);
		tval_list_push(l, m);
	}
	tval_set_int(root, "nconfirm", (int64_t)n);
	buf_release(&line);
}

static int
current(struct rctx *c, struct tval *root)
{
	struct tval *g = tval_set_map(root, "gaps");
	struct tval *s = tval_set_map(root, "suspect");

	tval_set_bool(root, "front", 1);
	to_confirm(c, root);
	/* Gaps whose issue was asked about in the last 4 weeks: new, or
	 * grown; all of them are on flags.html. */
	if (report_flag_rows(c, g, 0, "gap", NULL, SHOW_ITEMS, 4) < 0 ||
	    report_flag_rows(c, s, 0, "suspect_answer", NULL, SHOW_ITEMS,
	    -1) < 0)
		return -1;
	return report_merge_rows(c, root, SHOW_ITEMS);
}

/* ---- pages -------------------------------------------------------------- */

static void
picker(struct rctx *c, struct tval *root, const struct week *w)
{
	struct tval *l = tval_set_list(root, "picker");
	struct buf h = BUF_INIT;
	int k;

	for (k = 0; k < RPICK; k++) {
		struct tval *m = tval_map(c->cx);
		char day[11];

		report_day(c->d.now - (int64_t)k * RWEEK, day);
		tval_set_cstr(m, "day", day);
		buf_reset(&h);
		if (k == 0)
			buf_printf(&h, "%s", *w->root ? w->root : "./");
		else
			buf_printf(&h, "%sweek/%s/", w->root, day);
		tval_set_cstr(m, "href", h.data);
		if (k == w->k)
			tval_set_bool(m, "current", 1);
		tval_list_push(l, m);
	}
	buf_release(&h);
}

/* Writes the CSV in w->csv as folder/name. */
static int
put_csv(struct rctx *c, const char *folder, const char *name, struct week *w)
{
	char rel[96];

	snprintf(rel, sizeof rel, "%s%s", folder, name);
	return report_put_file(c, rel, w->csv.data ? w->csv.data : "",
	    w->csv.len);
}

/* The values of week w's brief, its CSV written into folder. */
static struct tval *
week_root(struct rctx *c, struct week *w, const char *folder)
{
	struct tval *root;
	char from[11];

	tctx_reset(c->cx);
	report_day(c->d.now - (int64_t)w->k * RWEEK, w->day);
	report_day(c->d.now - (int64_t)(w->k + 1) * RWEEK + RDAY, from);
	root = report_root(c, w->root, report_str(c, w->k ? "week_title" :
	    "brief_title"));
	tval_set_cstr(root, "day", w->day);
	tval_set_cstr(root, "from", from);
	tval_set_cstr(root, "now", c->d.now_s);
	picker(c, root, w);
	intake(c, root, w);
	if (put_csv(c, folder, "intake.csv", w) < 0)
		return NULL;
	categories(c, root, w);
	if (put_csv(c, folder, "categories.csv", w) < 0)
		return NULL;
	buf_reset(&w->csv);
	buf_puts(&w->csv, "period,source,name,answers\r\n");
	people(c, root, "thanks_week", w, 1);
	people(c, root, "thanks_12", w, RBASE);
	if (put_csv(c, folder, "contributors.csv", w) < 0 ||
	    report_issue_rows(c, root, w->k) < 0)
		return NULL;
	return root;
}

static int
week_page(struct rctx *c, int k)
{
	struct week w = { k, "", "../../", BUF_INIT };
	char folder[64], rel[96];
	struct tval *root;
	int rc = -1;

	report_day(c->d.now - (int64_t)k * RWEEK, w.day);
	snprintf(folder, sizeof folder, "week/%s/", w.day);
	if ((root = week_root(c, &w, folder)) != NULL) {
		snprintf(rel, sizeof rel, "%sindex.html", folder);
		rc = report_put_page(c, "brief", root, rel);
	}
	buf_release(&w.csv);
	return rc;
}

/* index.html and brief.html (the stylesheet inlined, no icon). */
static int
front_page(struct rctx *c)
{
	struct week w = { 0, "", "", BUF_INIT };
	struct tval *root;
	int rc = -1;

	if ((root = week_root(c, &w, "")) != NULL && current(c, root) == 0 &&
	    report_put_page(c, "brief", root, "index.html") == 0) {
		tval_set_html(root, "css", c->css.data ? c->css.data : "",
		    c->css.len);
		tval_set_bool(root, "mail", 1);
		rc = report_put_page(c, "brief", root, "brief.html");
	}
	buf_release(&w.csv);
	return rc;
}

int
report_brief(struct rctx *c)
{
	int k;

	if (front_page(c) < 0)
		return -1;
	for (k = 1; k < RPICK; k++)
		if (week_page(c, k) < 0)
			return -1;
	return 0;
}
