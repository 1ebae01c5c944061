/*
 * report_flags: the flags (core/flags.h) as the report shows them, each
 * with its question (linked at its public entry where there is one),
 * evidence, chart and the curation line that dismisses it; the
 * machine-found duplicates with the lines that merge them; the page of
 * every flag and duplicate (flags.html) and the Atom feed of the flags
 * (flags.xml: dates from the data, ids from the questions' entries).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/flags.h"
#include "core/fold.h"
#include "core/xmalloc.h"
#include "render/report_int.h"

#define FEED_MAX 50

/* Which flags a list shows: 0, NULL and -1 mean any. */
struct filter {
	int64_t cluster;
	const char *kind;
	const struct rcat *cat;
	size_t max;
	int recent; /* newest question asked within that many weeks */
};

/*
 * What an unanswered flag asks of the writers, after its summary
 * (template note.mustache): "no answer" is a question to answer; an
 * answered one either publishes a community or top-voted answer (to
 * confirm, change or withdraw with the curation's `answer =`) or
 * publishes none (to choose one).
 */
static struct tval *
unanswered_note(struct rctx *c, const struct answer_choice *ch,
    enum answer_kind k, int64_t post, int64_t answers)
{
	struct tval *m = tval_map(c->cx);
	const char *what;

	if (answers == 0 && k == ANSWER_NONE)
		what = "no_answer";
	else if (k != ANSWER_NONE && ch->writers > 0)
		what = "writers";
	else if (k == ANSWER_COMMUNITY)
		what = "community";
	else if (k == ANSWER_VOTED)
		what = "voted";
	else if (ch->writers < 0)
		what = "withdrawn";
	else
		what = "unpublished";
	tval_set_bool(m, what, 1);
	tval_set_int(m, "post", post);
	return m;
}

/* Weeks from a JSON array of integers (evidence.weeks, oldest first)
 * into v, newest first. */
static size_t
parse_weeks(const char *j, int64_t *v, size_t max)
{
	int64_t t[64];
	size_t n = 0, i;

	while (j && *j && n < max && n < 64) {
		char *end;

		while (*j == '[' || *j == ',' || *j == ' ')
			j++;
		if (*j < '0' || *j > '9')
			break;
		t[n++] = strtoll(j, &end, 10);
		j = end;
	}
	for (i = 0; i < n; i++)
		v[i] = t[n - 1 - i];
	return n;
}

static void
dismiss_line(struct tval *m, const struct flag_row *f)
{
	char line[160];

	snprintf(line, sizeof line, "[%s:%lld]\ndismiss = %s %.2f",
	    f->short_name, (long long)f->ext, f->kind, f->score);
	tval_set_cstr(m, "line", line);
}

/* One flag (template flagrow.mustache), number n. */
static struct tval *
flag_row(struct rctx *c, const struct flag_row *f, int n)
{
	struct tval *m = tval_map(c->cx);
	enum answer_kind ak;
	int64_t post = 0, v[64];
	size_t nw;
	char id[48];

	ak = answer_publish(&c->pol, &f->choice, &post);
	tval_set_int(m, "n", n);
	tval_set_cstr(m, "kind", f->kind);
	tval_set_bool(m, "dismissed", f->dismissed);
	report_fmt(m, "score", "%.2f", f->score);
	/* A community answer is linked at itself: the one to confirm. */
	tval_set(m, "q", report_question_raw(c, f->short_name, f->ext,
	    f->title, f->url,
	    ak == ANSWER_COMMUNITY || ak == ANSWER_VOTED ? post : 0));
	if (f->cluster > 0) {
		tval_set_int(m, "issue", f->cluster);
		report_ctext(c, m, "label", f->label);
	}
	report_ctext(c, m, "summary", f->summary);
	if (strcmp(f->kind, "unanswered") == 0)
		tval_set(m, "note", unanswered_note(c, &f->choice, ak, post,
		    f->answers));
	snprintf(id, sizeof id, "c%lld%.2s", (long long)f->thread, f->kind);
	if ((nw = parse_weeks(f->weeks, v, 64)) > 0)
		tval_set(m, "chart", report_chart(c, v, nw, 0,
		    report_str(c, "chart_flag"), id));
	dismiss_line(m, f);
	return m;
}

static int
in_cat(const struct rctx *c, const struct rcat *k, int64_t thread)
{
	const struct rq *q = report_find(c, thread);
	size_t lo = 0, hi = k->nq, i;

	if (q == NULL)
		return 0;
	i = (size_t)(q - c->d.q);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->q[mid] == i)
			return 1;
		if (k->q[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The weeks before now of a flag's newest question: its issue's, else
 * its own; -1 when undated. */
static int
flag_week(const struct rctx *c, const struct flag_row *f)
{
	const struct riss *s = f->cluster ? report_find_issue(c, f->cluster) :
	    NULL;
	const struct rq *q = report_find(c, f->thread);

	if (s && s->nq)
		q = &c->d.q[s->q[0]];
	return q ? q->week : -1;
}

static int
skip(const struct rctx *c, const struct flag_row *f, const struct filter *w)
{
	int wk;

	if ((w->kind && strcmp(f->kind, w->kind) != 0) ||
	    (w->cat && !in_cat(c, w->cat, f->thread)))
		return 1;
	wk = w->recent >= 0 ? flag_week(c, f) : 0;
	return wk < 0 || (w->recent >= 0 && wk >= w->recent);
}

/* Whether no flag can pass w: none names the issue or a question of
 * the category (report_data.c marked them). */
static int
none_of(const struct rctx *c, const struct filter *w)
{
	const struct riss *s = w->cluster ? report_find_issue(c, w->cluster) :
	    NULL;
	size_t i;

	if (w->cluster)
		return s == NULL || !s->flagged;
	for (i = 0; w->cat && i < w->cat->nq; i++)
		if (c->d.q[w->cat->q[i]].flagged)
			return 0;
	return w->cat != NULL;
}

static int
list_flags(struct rctx *c, struct tval *root, const struct filter *w)
{
	struct tval *list = tval_set_list(root, "flags");
	struct flag_list l;
	int rc, n = 0;

	if (none_of(c, w)) {
		tval_set_int(root, "nflags", 0);
		return 0;
	}
	/* Dismissed flags on the flags and issue pages only. */
	flag_list_begin(&l, c->st, w->cluster, w->max == 0 && w->cat == NULL);
	while ((rc = flag_list_next(&l)) > 0) {
		if (skip(c, &l.row, w))
			continue;
		if (w->max && (size_t)n >= w->max) {
			n++; /* counted, not shown */
			continue;
		}
		tval_list_push(list, flag_row(c, &l.row, ++n));
	}
	tval_set_int(root, "nflags", n);
	return rc;
}

int
report_flag_rows(struct rctx *c, struct tval *root, int64_t cluster,
    const char *kind, const struct rcat *cat, size_t max, int recent)
{
	struct filter w = { cluster, kind, cat, max, recent };

	return list_flags(c, root, &w);
}

/* Machine near-duplicates (core/fold.h) no human has linked or curated: a
 * cluster member and its canonical question, neither a duplicate of
 * anything nor merged or hidden.  The section name is the short name
 * where the curation file resolves it (a label prefix of the source's
 * name), else the name. */
static const char SQL_R_MERGES[] =
    "SELECT m.similarity,"
    " CASE WHEN substr(s.name, 1, length(s.short) + 1)=s.short || '.'"
    "  THEN s.short ELSE s.name END,"
    " a.ext_id, a.title, coalesce(a.url, ''),"
    " b.ext_id, b.title, coalesce(b.url, ''), s.short"
    " FROM cluster_members m JOIN clusters c ON c.id=m.cluster_id"
    " JOIN threads a ON a.id=m.thread_id"
    " JOIN threads b ON b.id=c.canonical_thread"
    " JOIN sources s ON s.id=a.source_id"
    " WHERE m.thread_id<>c.canonical_thread AND m.similarity>=?1"
    " AND NOT EXISTS (SELECT 1 FROM links l WHERE l.source_id=a.source_id"
    "  AND l.kind='duplicate' AND l.from_ext IN (a.ext_id, b.ext_id))"
    " AND NOT EXISTS (SELECT 1 FROM curation k WHERE k.thread_id IN"
    "  (a.id, b.id) AND k.action IN ('merge', 'hide'))"
    " ORDER BY m.similarity DESC, a.id";

static struct tval *
merge_row(struct rctx *c, sqlite3_stmt *q, int n)
{
	struct tval *m = tval_map(c->cx);
	const char *sn = (const char *)sqlite3_column_text(q, 8);
	const char *sec = (const char *)sqlite3_column_text(q, 1);
	struct buf line = BUF_INIT;
	int k;

	tval_set_int(m, "n", n);
	report_fmt(m, "similarity", "%.2f", sqlite3_column_double(q, 0));
	for (k = 0; k < 2; k++)
		tval_set(m, k ? "b" : "a", report_question_raw(c, sn,
		    sqlite3_column_int64(q, 2 + 3 * k),
		    (const char *)sqlite3_column_text(q, 3 + 3 * k),
		    (const char *)sqlite3_column_text(q, 4 + 3 * k), 0));
	buf_printf(&line, "[%s:%lld]\nmerge = %s:%lld", sec,
	    (long long)sqlite3_column_int64(q, 2), sec,
	    (long long)sqlite3_column_int64(q, 5));
	tval_set_str(m, "line", line.data, line.len);
	buf_release(&line);
	return m;
}

/* The possible duplicates the index found, closest first, as root's
 * list "merges" (at most max, 0: all) and their number "nmerges":
 * never folded by the site (docs/site.md), offered with the curation
 * line that makes the first a redirect to the second. */
int
report_merge_rows(struct rctx *c, struct tval *root, size_t max)
{
	sqlite3_stmt *q = store_stmt(c->st, SQL_R_MERGES);
	struct tval *list = tval_set_list(root, "merges");
	int rc, n = 0;

	sqlite3_bind_double(q, 1, FOLD_NEAR_MIN);
	report_fmt(root, "near", "%.2f", FOLD_NEAR_MIN);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (max == 0 || (size_t)n < max)
			tval_list_push(list, merge_row(c, q, ++n));
		else
			n++;
	sqlite3_reset(q);
	tval_set_int(root, "nmerges", n);
	return rc == SQLITE_DONE ? 0 : store_fail(c->st);
}

/* flags.html: every flag, dismissed last, and every duplicate. */
int
report_flags_page(struct rctx *c)
{
	struct tval *root;

	tctx_reset(c->cx);
	root = report_root(c, "", report_str(c, "flags_title"));
	tval_set_cstr(root, "now", c->d.now_s);
	if (report_flag_rows(c, root, 0, NULL, NULL, 0, -1) < 0 ||
	    report_merge_rows(c, root, 0) < 0)
		return -1;
	return report_put_page(c, "flags", root, "flags.html");
}

/* ---- the feed ----------------------------------------------------------- */

struct fentry {
	size_t n; /* rank: breaks ties */
	char date[24];
	struct tval *m;
};

static int
cmp_fentry(const void *a, const void *b)
{
	const struct fentry *x = a, *y = b;
	int r = strcmp(y->date, x->date);

	return r ? r : (x->n > y->n) - (x->n < y->n);
}

/* The date of a flag from the data: its issue's newest question, else
 * its question's date, else now. */
static void
flag_date(const struct rctx *c, const struct flag_row *f, char *out)
{
	const struct riss *s = f->cluster ? report_find_issue(c, f->cluster) :
	    NULL;
	const struct rq *q = report_find(c, f->thread);

	if (s && s->nq)
		q = &c->d.q[s->q[0]];
	snprintf(out, 24, "%.19sZ", q && *q->created ? q->created :
	    c->d.now_s);
}

static struct tval *
feed_entry(struct rctx *c, const struct flag_row *f, const char *date)
{
	struct tval *m = flag_row(c, f, 0);
	struct buf id = BUF_INIT;

	tval_set_cstr(m, "updated", date);
	buf_printf(&id, "%sq/%s/%lld/#flag-%s", c->base_url, f->short_name,
	    (long long)f->ext, f->kind);
	tval_set_cstr(m, "id", id.data);
	buf_release(&id);
	return m;
}

int
report_feed(struct rctx *c)
{
	struct fentry *v = NULL;
	struct flag_list l;
	struct tval *root, *list;
	size_t n = 0, i;
	char now[24];
	int rc;

	tctx_reset(c->cx);
	root = report_root(c, "", report_str(c, "feed_title"));
	tval_set_cstr(root, "base", c->base_url);
	snprintf(now, sizeof now, "%.19sZ", *c->d.now_s ? c->d.now_s :
	    "1970-01-01T00:00:00");
	tval_set_cstr(root, "updated", now);
	flag_list_begin(&l, c->st, 0, 0);
	while ((rc = flag_list_next(&l)) > 0) {
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n].n = n;
		flag_date(c, &l.row, v[n].date);
		v[n].m = feed_entry(c, &l.row, v[n].date);
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_fentry);
	list = tval_set_list(root, "flags");
	for (i = 0; i < n && i < FEED_MAX; i++)
		tval_list_push(list, v[i].m);
	free(v);
	if (rc < 0)
		return -1;
	return report_put_page(c, "feed", root, "flags.xml");
}
