/*
 * report: the writers' report, an internal static site separate from
 * the public one (docs/trends.md).  Reads the store only: the flags
 * (core/flags.h), the recurring issues (issues) and threads; and from the site's render
 * its plan (render.h): the theme folders and the entries it publishes.
 *
 *   index.html             flags ranked by score, each with its numbers,
 *                          the original thread, the public entry, the
 *                          curation line that dismisses it, and for a
 *                          rising issue its weekly volume
 *                          (then the machine-found possible duplicates,
 *                          each with the curation line that merges it)
 *   issue/<cluster>/       one page per recurring issue: its flags, its
 *                          weekly volume over the last year, its questions
 *   report.css, favicon.svg
 *
 * The pages are the Mustache templates of the theme's report/ folder
 * (an override's report/ files win, as for the site's); the two files
 * above are copied from there.  Charts are inline SVG (no script,
 * nothing fetched; the page CSP allows only its own stylesheet): the
 * numbers are computed here, the markup is the theme's chart template.
 * Text content is escaped here with esc_html (& < >) and handed to the
 * templates as HTML; {{x}} escapes the rest (attributes) with esc_attr.
 * Same store, same bytes: no clock.
 */
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/answerpolicy.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/flags.h"
#include "core/safefile.h"
#include "core/store.h"
#include "core/url.h"
#include "core/xmalloc.h"
#include "core/fold.h"
#include "render/render_int.h"
#include "render/template.h"

#define CHART_WEEKS 52
#define DAY 86400

/* The files of the theme's report/ folder written as they are. */
static const char *const theme_files[] = { "report.css", "favicon.svg" };

struct rctx {
	struct store *st;
	const char *dir;
	int dirfd; /* dir, opened once it exists */
	const char *base_url;
	struct answer_policy pol; /* what the site publishes */
	const char **entries; /* the site's entry folders, sorted */
	size_t nentries;
	const struct render_plan *plan;
	struct tset *set;  /* the report's templates */
	/* Values: of the front page, of one issue page (reset for each),
	 * and the one of the two being filled. */
	struct tctx *front, *each, *cx;
	struct buf page, path, tmp;
};

/* Writes rel beneath the report's folder, which render_report made:
 * no symlink at any component is followed (beneath.c).  The folder is
 * a staging release (publish.c): nobody reads it before it is
 * published whole, so a file is written where it belongs. */
static int
put_file(struct rctx *c, const char *rel, const char *data, size_t n)
{
	struct buf m = BUF_INIT;
	size_t bad;

	if (render_write_beneath(c->dirfd, rel, data, n, 0, &bad) == 0)
		return 0;
	files_write_failed(&m, c->dir, rel, bad);
	fq_err("%s", m.data);
	buf_release(&m);
	return -1;
}

/* ---- the theme --------------------------------------------------------- */

/* "<theme>/report" of theme folder k, in c->tmp. */
static const char *
report_folder(struct rctx *c, size_t k)
{
	buf_reset(&c->tmp);
	buf_printf(&c->tmp, "%s/report", c->plan->themes[k]);
	return c->tmp.data;
}

/* The templates of every theme folder's report/, later folders
 * replacing earlier ones file by file. */
static int
load_templates(struct rctx *c)
{
	size_t k;

	for (k = 0; k < c->plan->nthemes; k++) {
		const char *d = report_folder(c, k);

		if (theme_is_dir(d) && tset_load_dir(c->set, d) < 0) {
			fq_err("%s", tset_errmsg(c->set));
			return -1;
		}
	}
	if (!tset_has(c->set, "index") || !tset_has(c->set, "issue")) {
		fq_err("%s: no report templates (index.mustache, "
		    "issue.mustache)", report_folder(c, 0));
		return -1;
	}
	return 0;
}

/* Copies each of theme_files from the last theme folder whose report/
 * has it: a regular file inside that folder (safefile.h), as the site's
 * theme assets. */
static int
copy_theme_files(struct rctx *c)
{
	struct buf p = BUF_INIT, b = BUF_INIT;
	char why[SAFEFILE_WHY];
	size_t i, k;
	int rc = -1;

	for (i = 0; i < sizeof theme_files / sizeof *theme_files; i++) {
		for (k = c->plan->nthemes; k-- > 0;) {
			buf_reset(&p);
			buf_printf(&p, "%s/%s", report_folder(c, k),
			    theme_files[i]);
			if (access(p.data, F_OK) == 0)
				break;
		}
		if (k == (size_t)-1) {
			fq_err("%s/%s: no such file", report_folder(c, 0),
			    theme_files[i]);
			goto out;
		}
		buf_reset(&b);
		if (safefile_read(p.data, report_folder(c, k),
		    SAFEFILE_THEME_MAX, &b, why) < 0) {
			fq_err("%s: %s", p.data, why);
			goto out;
		}
		if (put_file(c, theme_files[i], b.data, b.len) < 0)
			goto out;
	}
	rc = 0;
out:
	buf_release(&p);
	buf_release(&b);
	return rc;
}

/* ---- values ------------------------------------------------------------ */

/* Text content: escaped with esc_html, handed over as HTML. */
static void
set_text(struct rctx *c, struct tval *m, const char *key, const char *s,
    size_t n)
{
	buf_reset(&c->tmp);
	if (s)
		esc_html(&c->tmp, s, n);
	tval_set_html(m, key, c->tmp.data, c->tmp.len);
}

static void
set_ctext(struct rctx *c, struct tval *m, const char *key, const char *s)
{
	set_text(c, m, key, s, s ? strlen(s) : 0);
}

static void
set_fmt(struct tval *m, const char *key, const char *fmt, double d)
{
	char v[64];

	snprintf(v, sizeof v, fmt, d);
	tval_set_cstr(m, key, v);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The folder key names the prefix of ("q/<short>/<id>/"). */
static int
cmp_prefix(const void *key, const void *e)
{
	const char *k = key;

	return strncmp(k, *(const char *const *)e, strlen(k));
}

/*
 * The public entry of question sn:ext, base_url-relative as the site
 * publishes it, appended to b; 0 if the site has no entry for it
 * (hidden, out of scope, folded, or no answer published).  The site's
 * plan names its entries: the report never guesses a path.
 */
static int
entry_url(struct rctx *c, struct buf *b, const char *sn, int64_t ext)
{
	struct buf key = BUF_INIT;
	const char *const *e;

	buf_printf(&key, "q/%s/%lld/", sn, (long long)ext);
	e = c->nentries ? bsearch(key.data, c->entries, c->nentries,
	    sizeof *c->entries, cmp_prefix) : NULL;
	buf_release(&key);
	if (e == NULL)
		return 0;
	buf_puts(b, c->base_url);
	buf_puts(b, *e);
	return 1;
}

/*
 * A question (template question.mustache) into m: its title, the
 * original thread when its URL passes the one URL policy (a second line
 * of defence after ingest), its id, and with entries its public entry
 * (at answer `post` when post > 0) where the site has one.
 */
static void
question(struct rctx *c, struct tval *m, const char *sn, int64_t ext,
    const char *title, const char *url, int entries, int64_t post)
{
	set_ctext(c, m, "title", title);
	if (url && url_is_safe(url, strlen(url), URL_ABSOLUTE))
		tval_set_cstr(m, "url", url);
	tval_set_cstr(m, "short", sn);
	tval_set_int(m, "ext", ext);
	buf_reset(&c->path);
	if (entries && entry_url(c, &c->path, sn, ext)) {
		if (post > 0)
			buf_printf(&c->path, "#a-%lld", (long long)post);
		tval_set_cstr(m, "entry", c->path.data);
	}
}

/* A bar chart (template chart.mustache) of n weekly counts, oldest
 * first: the bars' geometry and the counts for screen readers. */
static struct tval *
chart(struct rctx *c, const int64_t *v, size_t n, const char *name, int id)
{
	struct tval *m = tval_map(c->cx), *bars;
	int64_t max = 1;
	size_t i;
	const int w = 6, h = 60;

	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	tval_set_int(m, "id", id);
	tval_set_int(m, "width", (int64_t)(n * w));
	tval_set_int(m, "height", h + 2);
	tval_set_int(m, "axis", h + 1);
	tval_set_cstr(m, "name", name);
	buf_reset(&c->tmp);
	for (i = 0; i < n; i++)
		buf_printf(&c->tmp, "%s%lld", i ? ", " : "", (long long)v[i]);
	tval_set_str(m, "counts", c->tmp.data, c->tmp.len);
	bars = tval_set_list(m, "bars");
	for (i = 0; i < n; i++) {
		int64_t bh = v[i] * h / max;
		struct tval *b;

		if (v[i] && bh < 2)
			bh = 2;
		if (bh == 0)
			continue;
		b = tval_map(c->cx);
		tval_set_int(b, "x", (int64_t)(i * w + 1));
		tval_set_int(b, "y", h - bh);
		tval_set_int(b, "w", w - 2);
		tval_set_int(b, "h", bh);
		tval_list_push(bars, b);
	}
	return m;
}

/* Weeks from a JSON array of integers (evidence.weeks). */
static size_t
parse_weeks(const char *j, int64_t *v, size_t max)
{
	size_t n = 0;

	while (j && *j && n < max) {
		char *end;

		while (*j == '[' || *j == ',' || *j == ' ')
			j++;
		if (*j < '0' || *j > '9')
			break;
		v[n++] = strtoll(j, &end, 10);
		j = end;
	}
	return n;
}

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

/* One flag of the flags table (template flags.mustache), number n. */
static struct tval *
flag_row(struct rctx *c, const struct flag_row *f, int n, int64_t cluster)
{
	struct tval *m = tval_map(c->cx);
	enum answer_kind ak;
	int64_t post = 0, v[64];
	size_t nw;

	ak = answer_publish(&c->pol, &f->choice, &post);
	tval_set_int(m, "n", n);
	tval_set_cstr(m, "kind", f->kind);
	tval_set_bool(m, "dismissed", f->dismissed);
	set_fmt(m, "score", "%.2f", f->score);
	/* A community or top-voted answer is linked at itself: the one
	 * to confirm. */
	question(c, m, f->short_name, f->ext, f->title, f->url, 1,
	    ak == ANSWER_COMMUNITY || ak == ANSWER_VOTED ? post : 0);
	if (f->cluster > 0 && cluster <= 0) {
		tval_set_int(m, "issue", f->cluster);
		set_ctext(c, m, "label", f->label);
	}
	set_ctext(c, m, "summary", f->summary);
	if (strcmp(f->kind, "unanswered") == 0)
		tval_set(m, "note", unanswered_note(c, &f->choice, ak, post,
		    f->answers));
	if ((nw = parse_weeks(f->weeks, v, 64)) > 0)
		tval_set(m, "chart", chart(c, v, nw,
		    "Weekly questions, last 12 weeks",
		    n + (cluster > 0 ? 1000 : 0)));
	return m;
}

/* The flags (all, or one cluster's when cluster > 0) as root's list
 * "flags". */
static int
flag_rows(struct rctx *c, struct tval *root, int64_t cluster)
{
	struct tval *list = tval_set_list(root, "flags");
	struct flag_list l;
	int rc, n = 0;

	flag_list_begin(&l, c->st, cluster, 1);
	while ((rc = flag_list_next(&l)) > 0)
		tval_list_push(list, flag_row(c, &l.row, ++n, cluster));
	return rc;
}

static const char SQL_R_CLUSTERS[] =
    "SELECT c.id, c.label, c.size, coalesce(c.first_seen, ''),"
    " coalesce(c.last_seen, ''), s.name, (SELECT sn.newest FROM sources sn"
    " WHERE sn.id=t.source_id) FROM issues c JOIN threads t"
    " ON t.id=c.canonical_thread JOIN sources s ON s.id=t.source_id"
    " ORDER BY c.id";
static const char SQL_R_MEMBERS[] =
    "SELECT t.ext_id, t.title, coalesce(t.created, ''),"
    " coalesce(t.url, ''), t.accepted_ext IS NOT NULL, t.views, s.short"
    " FROM issue_members m JOIN threads t ON t.id=m.thread_id"
    " JOIN sources s ON s.id=t.source_id WHERE m.issue_id=?1"
    " ORDER BY t.created DESC, t.id";

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

/* The possible duplicates the index found, closest first, as root's
 * list "merges": never folded by the site (docs/site.md), offered with
 * the curation line that makes the first a redirect to the second. */
static int
merge_rows(struct rctx *c, struct tval *root)
{
	sqlite3_stmt *q = store_stmt(c->st, SQL_R_MERGES);
	struct tval *list = tval_set_list(root, "merges");
	int rc, n = 0;

	sqlite3_bind_double(q, 1, FOLD_NEAR_MIN);
	set_fmt(root, "near", "%.2f", FOLD_NEAR_MIN);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct tval *m = tval_map(c->cx), *a, *b;
		const char *sn = (const char *)sqlite3_column_text(q, 8);
		int k;

		tval_set_int(m, "n", ++n);
		set_fmt(m, "similarity", "%.2f", sqlite3_column_double(q, 0));
		set_ctext(c, m, "section",
		    (const char *)sqlite3_column_text(q, 1));
		a = tval_set_map(m, "a");
		b = tval_set_map(m, "b");
		for (k = 0; k < 2; k++)
			question(c, k ? b : a, sn,
			    sqlite3_column_int64(q, 2 + 3 * k),
			    (const char *)sqlite3_column_text(q, 3 + 3 * k),
			    (const char *)sqlite3_column_text(q, 4 + 3 * k), 1,
			    0);
		tval_list_push(list, m);
	}
	return rc == SQLITE_DONE ? 0 : store_fail(c->st);
}

/* Renders template name with root into c->page and writes it as rel. */
static int
put_page(struct rctx *c, const char *name, const struct tval *root,
    const char *rel)
{
	buf_reset(&c->page);
	if (tset_render(c->set, name, root, &c->page) < 0) {
		fq_err("%s", tset_errmsg(c->set));
		return -1;
	}
	return put_file(c, rel, c->page.data, c->page.len);
}

/* One question of an issue's history, and its week in weeks. */
static struct tval *
history_row(struct rctx *c, sqlite3_stmt *q, int64_t now, int64_t *weeks)
{
	struct tval *m = tval_map(c->cx);
	const char *created = (const char *)sqlite3_column_text(q, 2);
	int64_t e = date_epoch(created), w;

	if (now >= 0 && e >= 0 && (w = (now - e) / (7 * DAY)) >= 0 &&
	    w < CHART_WEEKS)
		weeks[CHART_WEEKS - 1 - w]++;
	tval_set_cstr(m, "created", created);
	set_text(c, m, "day", created, strnlen(created, 10));
	question(c, m, (const char *)sqlite3_column_text(q, 6),
	    sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1),
	    (const char *)sqlite3_column_text(q, 3), 0, 0);
	tval_set_cstr(m, "accepted", sqlite3_column_int(q, 4) ? "yes" : "no");
	tval_set_int(m, "views", sqlite3_column_int64(q, 5));
	return m;
}

/* issue/<id>/index.html of the cluster of row cq (SQL_R_CLUSTERS). */
static int
issue_page(struct rctx *c, sqlite3_stmt *cq)
{
	int64_t id = sqlite3_column_int64(cq, 0);
	const char *now_s = (const char *)sqlite3_column_text(cq, 6);
	int64_t now = now_s ? date_epoch(now_s) : -1;
	int64_t weeks[CHART_WEEKS] = { 0 };
	struct tval *root, *hist;
	char rel[64];
	sqlite3_stmt *q;
	int rc;

	tctx_reset(c->cx);
	root = tval_map(c->cx);
	tval_set_cstr(root, "root", "../../");
	set_ctext(c, root, "title", (const char *)sqlite3_column_text(cq, 1));
	tval_set_int(root, "size", sqlite3_column_int(cq, 2));
	set_text(c, root, "first", (const char *)sqlite3_column_text(cq, 3),
	    strnlen((const char *)sqlite3_column_text(cq, 3), 10));
	set_text(c, root, "last", (const char *)sqlite3_column_text(cq, 4),
	    strnlen((const char *)sqlite3_column_text(cq, 4), 10));
	tval_set_int(root, "weeks", CHART_WEEKS);
	hist = tval_set_list(root, "history");
	q = store_stmt(c->st, SQL_R_MEMBERS);
	bind_int(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		tval_list_push(hist, history_row(c, q, now, weeks));
	if (rc != SQLITE_DONE)
		return store_fail(c->st);
	tval_set(root, "volume", chart(c, weeks, CHART_WEEKS,
	    "Weekly questions of this issue", 0));
	if (flag_rows(c, root, id) < 0)
		return -1;
	snprintf(rel, sizeof rel, "issue/%lld/index.html", (long long)id);
	return put_page(c, "issue", root, rel);
}

/* Every issue page (in c->each), and the list of issues on the front
 * page (root's list "issues", in c->front). */
static int
issue_pages(struct rctx *c, struct tval *root)
{
	sqlite3_stmt *q = store_stmt(c->st, SQL_R_CLUSTERS);
	struct tval *list = tval_set_list(root, "issues");
	int step, rc = 0;

	while (rc == 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
		struct tval *m = tval_map(c->front);

		c->cx = c->front;
		tval_set_int(m, "id", sqlite3_column_int64(q, 0));
		set_ctext(c, m, "label", (const char *)sqlite3_column_text(q, 1));
		tval_set_int(m, "size", sqlite3_column_int(q, 2));
		tval_list_push(list, m);
		c->cx = c->each;
		tctx_reset(c->cx);
		rc = issue_page(c, q);
	}
	c->cx = c->front;
	sqlite3_reset(q);
	if (rc < 0)
		return -1;
	return step == SQLITE_DONE ? 0 : store_fail(c->st);
}

/* index.html: the flags, the possible duplicates, the issues (whose
 * pages are written on the way). */
static int
front_page(struct rctx *c)
{
	struct tval *root = tval_map(c->front);
	char now[DATE_LEN + 1];
	int64_t dismissed;

	c->cx = c->front;
	flag_list_now(c->st, now, &dismissed);
	tval_set_cstr(root, "root", "");
	tval_set_cstr(root, "title", "Flags");
	set_ctext(c, root, "now", *now ? now : "unknown (run faqtory index)");
	if (flag_rows(c, root, 0) < 0 || merge_rows(c, root) < 0 ||
	    issue_pages(c, root) < 0)
		return -1;
	return put_page(c, "index", root, "index.html");
}

int
render_report(const char *db_path, const char *dir,
    const struct render_opts *o, const struct render_plan *p)
{
	struct rctx c;
	int rc = -1;

	memset(&c, 0, sizeof c);
	buf_init(&c.page);
	buf_init(&c.path);
	buf_init(&c.tmp);
	c.dir = dir;
	c.dirfd = -1;
	c.plan = p;
	c.base_url = o && o->base_url ? o->base_url : "http://localhost:8080/";
	c.nentries = p->nentries;
	c.entries = xcalloc(c.nentries + 1, sizeof *c.entries);
	memcpy(c.entries, p->entries, c.nentries * sizeof *c.entries);
	if (c.nentries > 1)
		qsort(c.entries, c.nentries, sizeof *c.entries, cmp_str);
	c.set = tset_new();
	c.front = tctx_new();
	c.each = tctx_new();
	if (load_templates(&c) < 0 || (c.st = store_open(db_path, 1)) == NULL)
		goto out;
	answer_policy_init(&c.pol, o ? o->answers : NULL,
	    o ? o->min_confidence : NULL, c.st);
	if ((mkdir(dir, 0755) < 0 && errno != EEXIST) ||
	    (c.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fq_err("%s: %s", dir, strerror(errno));
		goto out;
	}
	if (copy_theme_files(&c) < 0 || front_page(&c) < 0)
		goto out;
	rc = 0;
out:
	if (c.dirfd >= 0)
		close(c.dirfd);
	store_close(c.st);
	tctx_free(c.front);
	tctx_free(c.each);
	tset_free(c.set);
	buf_release(&c.page);
	buf_release(&c.path);
	buf_release(&c.tmp);
	free(c.entries);
	return rc;
}
