/*
 * report_category: a page per category (a tag of a source, or a topic)
 * asked about at least once: its 52-week volume, its whole history by
 * year (questions, answer rate, accepted rate, median time to the first
 * answer), the words its questions of the last 4 weeks use that older
 * ones never did, its recurring issues and its open flags; and beside
 * it weeks.csv, every week of its history (ten years at most).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "render/report_int.h"

#define SHOW_ISSUES 10

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* "3 h", "5 d" or "-": the median of the n seconds in v (sorted here). */
static void
median_text(int64_t *v, size_t n, char *out, size_t len)
{
	int64_t m;

	if (n == 0) {
		snprintf(out, len, "-");
		return;
	}
	qsort(v, n, sizeof *v, cmp_i64);
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	if (m < 2 * RDAY)
		snprintf(out, len, "%.1f h", (double)m / 3600);
	else
		snprintf(out, len, "%.1f d", (double)m / RDAY);
}

/* The numbers of one period: questions idx[from..to) of a category. */
struct period {
	int64_t questions, answered, accepted;
	int64_t *first; /* seconds to the first answer of the answered */
};

static void
period_add(struct period *p, const struct rq *q)
{
	p->questions++;
	p->accepted += q->accepted != 0;
	if (q->first_answer >= 0)
		p->first[p->answered++] = q->first_answer;
}

static void
period_set(struct tval *m, struct period *p)
{
	char t[32];

	tval_set_int(m, "questions", p->questions);
	report_fmt(m, "answered", "%.0f%%", p->questions ? 100.0 *
	    (double)p->answered / (double)p->questions : 0);
	report_fmt(m, "accepted", "%.0f%%", p->questions ? 100.0 *
	    (double)p->accepted / (double)p->questions : 0);
	median_text(p->first, (size_t)p->answered, t, sizeof t);
	tval_set_cstr(m, "first", t);
}

/* The years of k's history (its questions are by id, which is not by
 * date: each year is gathered in one pass over them). */
static void
years(struct rctx *c, struct tval *root, const struct rcat *k)
{
	struct tval *l = tval_set_list(root, "years");
	struct period p;
	char y[5], last[5] = "";
	size_t i;

	p.first = xcalloc(k->nq + 1, sizeof *p.first);
	for (;;) {
		y[0] = '\0';
		for (i = 0; i < k->nq; i++) { /* the next year after last */
			const char *d = c->d.q[k->q[i]].created;

			if (strlen(d) >= 4 && strncmp(d, last, 4) > 0 &&
			    (!*y || strncmp(d, y, 4) < 0))
				snprintf(y, sizeof y, "%.4s", d);
		}
		if (!*y)
			break;
		memset(&p, 0, offsetof(struct period, first));
		for (i = 0; i < k->nq; i++)
			if (strncmp(c->d.q[k->q[i]].created, y, 4) == 0)
				period_add(&p, &c->d.q[k->q[i]]);
		{
			struct tval *m = tval_map(c->cx);

			tval_set_cstr(m, "year", y);
			period_set(m, &p);
			tval_list_push(l, m);
		}
		memcpy(last, y, sizeof last);
	}
	free(p.first);
}

/* weeks.csv: every week from k's oldest question to now, at most
 * RCSV_WEEKS of them (a thread dated 1970 and one dated 9999 made
 * 417,000 rows per category: 6 MB each from a few bytes of input). */
static int
weeks_csv(struct rctx *c, const struct rcat *k, const char *folder)
{
	struct buf b = BUF_INIT;
	int64_t *n, *a;
	int max = 0, w, rc;
	char day[11], rel[160];
	size_t i;

	for (i = 0; i < k->nq; i++)
		if (c->d.q[k->q[i]].week > max)
			max = c->d.q[k->q[i]].week;
	if (max > RCSV_WEEKS - 1)
		max = RCSV_WEEKS - 1;
	n = xcalloc((size_t)max + 1, sizeof *n);
	a = xcalloc((size_t)max + 1, sizeof *a);
	for (i = 0; i < k->nq; i++) {
		const struct rq *q = &c->d.q[k->q[i]];

		if (q->week >= 0 && q->week <= max) {
			n[q->week]++;
			a[q->week] += q->first_answer >= 0;
		}
	}
	buf_puts(&b, "week_ending,questions,answered\r\n");
	for (w = max; w >= 0; w--) {
		report_day(c->d.now - (int64_t)w * RWEEK, day);
		report_csv(&b, day, 0);
		report_csv_int(&b, n[w], 0);
		report_csv_int(&b, a[w], 1);
	}
	snprintf(rel, sizeof rel, "%sweeks.csv", folder);
	rc = report_put_file(c, rel, b.data, b.len);
	free(n);
	free(a);
	buf_release(&b);
	return rc;
}

struct icount {
	int64_t issue, n;
};

static int
cmp_icount(const void *a, const void *b)
{
	const struct icount *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return (x->issue > y->issue) - (x->issue < y->issue);
}

static int
cmp_issue_id(const void *a, const void *b)
{
	const struct icount *x = a, *y = b;

	return (x->issue > y->issue) - (x->issue < y->issue);
}

/* The recurring issues of k's questions, the most shared first. */
static void
issues(struct rctx *c, struct tval *root, const struct rcat *k)
{
	struct icount *v = xcalloc(k->nq + 1, sizeof *v);
	struct tval *l = tval_set_list(root, "issues");
	size_t i, n = 0, nid = 0;

	/* Counted as runs of the sorted ids (a look back per question over
	 * the issues seen made a big tag quadratic); the order below is
	 * total, so the list is the same. */
	for (i = 0; i < k->nq; i++)
		if (c->d.q[k->q[i]].issue)
			v[nid++].issue = c->d.q[k->q[i]].issue;
	if (nid > 1)
		qsort(v, nid, sizeof *v, cmp_issue_id);
	for (i = 0; i < nid; i++) {
		if (n == 0 || v[n - 1].issue != v[i].issue)
			v[n++].issue = v[i].issue;
		v[n - 1].n++;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_icount);
	for (i = 0; i < n && i < SHOW_ISSUES; i++) {
		const struct riss *s = report_find_issue(c, v[i].issue);
		struct tval *m = tval_map(c->cx);

		tval_set_int(m, "id", v[i].issue);
		report_ctext(c, m, "label", s ? s->label : "");
		tval_set_int(m, "n", v[i].n);
		tval_set_int(m, "size", s ? (int64_t)s->nq : 0);
		tval_list_push(l, m);
	}
	free(v);
}

static int
category_page(struct rctx *c, const struct rcat *k)
{
	struct tval *root;
	struct buf rel = BUF_INIT;
	int rc = -1;

	tctx_reset(c->cx);
	root = report_root(c, k->topic ? "../../" : "../../../", k->name);
	tval_set_cstr(root, "kind", report_str(c, k->topic ? "topic" : "tag"));
	if (!k->topic)
		tval_set_cstr(root, "source", k->sn);
	tval_set_int(root, "size", (int64_t)k->nq);
	tval_set(root, "volume", report_chart(c, k->weeks, RCHART, 0,
	    report_str(c, "chart_category"), "v"));
	years(c, root, k);
	report_new_words(c, root, k->q, k->nq, 0, 4, 12);
	issues(c, root, k);
	if (report_flag_rows(c, root, 0, NULL, k, 0, -1) == 0 &&
	    weeks_csv(c, k, k->path) == 0) {
		buf_printf(&rel, "%sindex.html", k->path);
		rc = report_put_page(c, "category", root, rel.data);
	}
	buf_release(&rel);
	return rc;
}

int
report_categories(struct rctx *c)
{
	size_t i;

	for (i = 0; i < c->d.ncat; i++)
		if (c->d.cat[i].nq > 0 && category_page(c, &c->d.cat[i]) < 0)
			return -1;
	return 0;
}
