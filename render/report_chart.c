/*
 * report_chart: the numbers of the report's SVG charts, drawn at build
 * time by the theme's chart.mustache and spark.mustache: bars with
 * their axes and labels (the largest count, zero, the first and the
 * last week), every count as text for screen readers (the chart's
 * <desc>, and the CSV beside the page), and "no questions in this
 * period" written in the frame when every count is zero.
 */
#include <stdio.h>
#include <string.h>

#include "render/report_int.h"

#define LEFT 40   /* room for the y labels */
#define TOP 8
#define PLOT 80   /* the bars' height at the largest count */
#define BOTTOM 20 /* room for the x labels */
#define BAR 8

static int64_t
max_of(const int64_t *v, size_t n)
{
	int64_t m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

/* "week ending DATE: N, ..." oldest first, the counts v[0] newest, the
 * newest week `end` weeks before now. */
static void
counts_text(struct rctx *c, struct buf *b, const int64_t *v, size_t n,
    int end)
{
	char day[11];
	size_t i;

	for (i = n; i-- > 0;) {
		report_day(c->d.now - (int64_t)(end + (int)i) * RWEEK, day);
		buf_printf(b, "%s%s %s: %lld", i + 1 == n ? "" : "; ",
		    report_str(c, "week_ending"), day, (long long)v[i]);
	}
}

static void
bars(struct rctx *c, struct tval *m, const int64_t *v, size_t n, int w,
    int h, int x0, int y0)
{
	struct tval *l = tval_set_list(m, "bars");
	int64_t max = max_of(v, n);
	size_t i;

	for (i = 0; i < n && max > 0; i++) {
		int64_t x = v[n - 1 - i], bh = x * h / max;
		struct tval *b;

		if (x && bh < 2)
			bh = 2;
		if (bh == 0)
			continue;
		b = tval_map(c->cx);
		tval_set_int(b, "x", x0 + (int64_t)i * w + 1);
		tval_set_int(b, "y", y0 + h - bh);
		tval_set_int(b, "w", w - 2);
		tval_set_int(b, "h", bh);
		tval_list_push(l, b);
	}
}

/* The axes' labels: the largest count and 0 at the left, the first and
 * the last week's end below. */
static void
labels(struct rctx *c, struct tval *m, int64_t max, size_t n, int end,
    int width)
{
	char day[11];

	tval_set_int(m, "ymax", max);
	tval_set_int(m, "ytop", TOP + 4);
	tval_set_int(m, "ybottom", TOP + PLOT);
	tval_set_int(m, "ylx", LEFT - 4);
	tval_set_int(m, "xly", TOP + PLOT + BOTTOM - 4);
	tval_set_int(m, "xlast", width - 2);
	tval_set_int(m, "x0", LEFT);
	report_day(c->d.now - (int64_t)(end + (int)n - 1) * RWEEK, day);
	tval_set_cstr(m, "first", day);
	report_day(c->d.now - (int64_t)end * RWEEK, day);
	tval_set_cstr(m, "last", day);
}

struct tval *
report_chart(struct rctx *c, const int64_t *v, size_t n, int end,
    const char *name, const char *id)
{
	struct tval *m = tval_map(c->cx);
	struct buf t = BUF_INIT;
	int width = LEFT + (int)n * BAR + 4;
	int64_t max = max_of(v, n);

	tval_set_cstr(m, "id", id);
	tval_set_int(m, "width", width);
	tval_set_int(m, "height", TOP + PLOT + BOTTOM);
	tval_set_int(m, "axis", TOP + PLOT);
	report_ctext(c, m, "name", name);
	counts_text(c, &t, v, n, end);
	report_text(c, m, "counts", t.data, t.len);
	buf_release(&t);
	bars(c, m, v, n, BAR, PLOT, LEFT, TOP);
	labels(c, m, max, n, end, width);
	if (max == 0) {
		tval_set_bool(m, "empty", 1);
		tval_set_int(m, "ex", LEFT + (int)n * BAR / 2);
		tval_set_int(m, "ey", TOP + PLOT / 2);
	}
	return m;
}

struct tval *
report_spark(struct rctx *c, const int64_t *v, size_t n, const char *name)
{
	struct tval *m = tval_map(c->cx);
	struct buf t = BUF_INIT;
	size_t i;

	tval_set_int(m, "width", (int64_t)n * 5);
	tval_set_int(m, "height", 18);
	tval_set_int(m, "axis", 17);
	for (i = n; i-- > 0;)
		buf_printf(&t, "%s%lld", i + 1 == n ? "" : ", ", (long long)v[i]);
	report_text(c, m, "counts", t.data, t.len);
	buf_release(&t);
	tval_set_cstr(m, "name", name); /* an attribute: {{name}} escapes */
	bars(c, m, v, n, 5, 16, 0, 0);
	if (max_of(v, n) == 0)
		tval_set_bool(m, "empty", 1);
	return m;
}
