/*
 * report: the writers' report, an internal static site separate from
 * the public one (docs/trends.md).  Reads the store only: the flags
 * index/trends.c computed, the clusters and threads.
 *
 *   index.html             flags ranked by score, each with its numbers,
 *                          the original thread, the public entry, the
 *                          curation line that dismisses it, and for a
 *                          rising issue its weekly volume
 *                          (then the machine-found possible duplicates,
 *                          each with the curation line that merges it)
 *   issue/<cluster>/       one page per recurring issue: its flags, its
 *                          weekly volume over the last year, its questions
 *   report.css
 *
 * Charts are inline SVG drawn here (no script, nothing fetched; the page
 * CSP allows only its own stylesheet).  Every value from the store goes
 * through core/escape.h.  Same store, same bytes: no clock.
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
#include "core/store.h"
#include "core/url.h"
#include "core/xmalloc.h"
#include "render/fold.h"
#include "render/render_int.h"

#define CHART_WEEKS 52
#define DAY 86400

static const char report_css[] =
    ":root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--mut:#555;"
    "--line:#ccc;--acc:#0b5cad;--bar:#0b5cad}\n"
    "@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#161616;"
    "--mut:#bbb;--line:#444;--acc:#8cc4ff;--bar:#8cc4ff}}\n"
    "body{font:16px/1.5 system-ui,sans-serif;color:var(--fg);"
    "background:var(--bg);margin:0 auto;max-width:72rem;padding:1rem}\n"
    "a{color:var(--acc)}table{border-collapse:collapse;width:100%}\n"
    "th,td{border-bottom:1px solid var(--line);padding:.4rem;"
    "text-align:left;vertical-align:top}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".mut{color:var(--mut)}code{font-size:.9em}\n"
    "svg .bar{fill:var(--bar)}svg .axis{stroke:var(--line)}\n"
    ".kind{font-weight:600;white-space:nowrap}\n";

static const char favicon[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
    "<rect x=\"2\" y=\"8\" width=\"3\" height=\"6\"/><rect x=\"7\" "
    "y=\"5\" width=\"3\" height=\"9\"/><rect x=\"12\" y=\"2\" "
    "width=\"3\" height=\"12\"/></svg>\n";

struct rctx {
	struct store *st;
	const char *dir;
	int dirfd; /* dir, opened once it exists */
	const char *base_url;
	struct answer_policy pol; /* what the site publishes */
	const char **entries; /* the site's entry folders, sorted */
	size_t nentries;
	struct buf page, path;
};

/* Writes rel beneath the report's folder, which render_report made:
 * no symlink at any component is followed (beneath.c). */
static int
put_file(struct rctx *c, const char *rel, const char *data, size_t n)
{
	size_t bad;

	if (render_write_beneath(c->dirfd, rel, data, n, 0, &bad) == 0)
		return 0;
	if (errno == ELOOP)
		fq_err("%s/%.*s: is a symlink; faqtory writes its output only "
		    "through real folders", c->dir, (int)bad, rel);
	else
		fq_err("%s/%.*s: %s", c->dir, (int)bad, rel, strerror(errno));
	return -1;
}

static void
head(struct buf *b, const char *title, const char *root)
{
	buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width,initial-scale=1\">"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'self'; img-src 'self'\">"
	    "<meta name=\"robots\" content=\"noindex\"><title>");
	esc_html(b, title, strlen(title));
	buf_printf(b, " · Writers' report</title><link rel=\"stylesheet\" "
	    "href=\"%sreport.css\"><link rel=\"icon\" href=\"%sfavicon.svg\">"
	    "</head><body><main>\n", root, root);
}

static void
txt(struct buf *b, const char *s)
{
	if (s)
		esc_html(b, s, strlen(s));
}

static void
attr(struct buf *b, const char *s)
{
	if (s)
		esc_attr(b, s, strlen(s));
}

/* A thread's title, linked to the original thread when its URL passes
 * the one URL policy (a second line of defence after ingest). */
static void
source_link(struct buf *b, const char *url, const char *title)
{
	int ok = url && url_is_safe(url, strlen(url), URL_ABSOLUTE);

	if (ok) {
		buf_puts(b, "<a href=\"");
		attr(b, url);
		buf_puts(b, "\" rel=\"noopener\">");
	}
	txt(b, title);
	if (ok)
		buf_puts(b, "</a>");
}

/* A bar chart of n weekly counts (oldest first), with its numbers in the
 * SVG's title and description for screen readers. */
static void
chart(struct buf *b, const int64_t *v, size_t n, const char *label, int id)
{
	int64_t max = 1;
	size_t i;
	const int w = 6, h = 60;

	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	buf_printf(b, "<svg role=\"img\" aria-labelledby=\"ct%d cd%d\" "
	    "width=\"%zu\" height=\"%d\" viewBox=\"0 0 %zu %d\">"
	    "<title id=\"ct%d\">", id, id, n * w, h + 2, n * w, h + 2, id);
	txt(b, label);
	buf_printf(b, "</title><desc id=\"cd%d\">Questions per week, oldest "
	    "first: ", id);
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%lld", i ? ", " : "", (long long)v[i]);
	buf_puts(b, "</desc>");
	for (i = 0; i < n; i++) {
		int64_t bh = v[i] * h / max;

		if (v[i] && bh < 2)
			bh = 2;
		if (bh)
			buf_printf(b, "<rect class=\"bar\" x=\"%zu\" y=\"%lld\" "
			    "width=\"%d\" height=\"%lld\"/>", i * w + 1,
			    (long long)(h - bh), w - 2, (long long)bh);
	}
	buf_printf(b, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%zu\" "
	    "y2=\"%d\"/></svg>", h + 1, n * w, h + 1);
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

static const char SQL_R_CLUSTERS[] =
    "SELECT c.id, c.label, c.size, coalesce(c.first_seen, ''),"
    " coalesce(c.last_seen, ''), s.name, (SELECT sn.newest FROM sources sn"
    " WHERE sn.id=t.source_id) FROM clusters c JOIN threads t"
    " ON t.id=c.canonical_thread JOIN sources s ON s.id=t.source_id"
    " ORDER BY c.id";
static const char SQL_R_MEMBERS[] =
    "SELECT t.ext_id, t.title, coalesce(t.created, ''),"
    " coalesce(t.url, ''), t.accepted_ext IS NOT NULL, t.views, s.short"
    " FROM cluster_members m JOIN threads t ON t.id=m.thread_id"
    " JOIN sources s ON s.id=t.source_id WHERE m.cluster_id=?1"
    " ORDER BY t.created DESC, t.id";

/* Machine near-duplicates (fold.h) no human has linked or curated: a
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
 * What an unanswered flag asks of the writers, after its summary: "no
 * answer" is a question to answer; an answered one either publishes a
 * community answer (to confirm, change or withdraw with the curation's
 * `answer =`) or publishes none (to choose one).
 */
static void
unanswered_note(struct buf *b, const struct answer_choice *ch,
    enum answer_kind k, int64_t post, int64_t answers, const char *sn,
    int64_t ext)
{
	if (answers == 0 && k == ANSWER_NONE) {
		buf_puts(b, "<br><strong>No answer yet</strong>: an article "
		    "or an answer in the source would fill it.");
	} else if (k != ANSWER_NONE && ch->writers > 0) {
		buf_printf(b, "<br><strong>Answer chosen by the writers"
		    "</strong> (answer %lld).", (long long)post);
	} else if (k == ANSWER_COMMUNITY) {
		buf_printf(b, "<br><strong>Community answer published, please "
		    "confirm</strong> (answer %lld, not marked accepted): keep "
		    "it with <code>[%s:%lld] answer = %lld</code>, choose "
		    "another with <code>answer = ID</code>, or withdraw it with "
		    "<code>answer = none</code>.", (long long)post, sn,
		    (long long)ext, (long long)post);
	} else if (ch->writers < 0) {
		buf_puts(b, "<br><strong>Answered, none published</strong>: "
		    "the curation says <code>answer = none</code>.");
	} else {
		buf_printf(b, "<br><strong>Answered, none accepted or "
		    "published</strong>: no answer has the evidence a "
		    "community answer needs; to publish one, <code>[%s:%lld] "
		    "answer = ID</code>.", sn, (long long)ext);
	}
}

/* The flags table (all, or one cluster's when cluster > 0). */
static int
flag_table(struct rctx *c, struct buf *b, int64_t cluster, const char *root)
{
	struct flag_list l;
	int rc, n = 0;

	flag_list_begin(&l, c->st, cluster, 1);
	buf_puts(b, "<table><caption>Flags, highest score first</caption>"
	    "<thead><tr><th scope=\"col\" class=\"num\">#</th>"
	    "<th scope=\"col\">Kind</th><th scope=\"col\" class=\"num\">"
	    "Score</th><th scope=\"col\">Question and evidence</th>"
	    "</tr></thead><tbody>\n");
	while ((rc = flag_list_next(&l)) > 0) {
		const struct flag_row *f = &l.row;
		enum answer_kind ak;
		int64_t post = 0;
		const char *sn = f->short_name;
		int64_t v[64];
		size_t nw;

		ak = answer_publish(&c->pol, &f->choice, &post);
		n++;
		buf_printf(b, "<tr id=\"f%d\"><td class=\"num\">%d</td>"
		    "<td class=\"kind\">%s%s</td><td class=\"num\">%.2f</td>"
		    "<td>", n, n, f->kind, f->dismissed ? " (dismissed)" : "",
		    f->score);
		source_link(b, f->url, f->title);
		buf_printf(b, " <span class=\"mut\">%s:%lld</span>", sn,
		    (long long)f->ext);
		buf_reset(&c->path);
		if (entry_url(c, &c->path, sn, f->ext)) {
			buf_puts(b, " · <a href=\"");
			if (ak == ANSWER_COMMUNITY) /* the one to confirm */
				buf_printf(&c->path, "#a-%lld", (long long)post);
			attr(b, c->path.data);
			buf_puts(b, "\">public entry</a>");
		}
		if (f->cluster > 0 && cluster <= 0) {
			buf_printf(b, " · <a href=\"%sissue/%lld/\">issue: ",
			    root, (long long)f->cluster);
			txt(b, f->label);
			buf_puts(b, "</a>");
		}
		buf_puts(b, "<br>");
		txt(b, f->summary);
		if (strcmp(f->kind, "unanswered") == 0)
			unanswered_note(b, &f->choice, ak, post, f->answers, sn,
			    f->ext);
		if ((nw = parse_weeks(f->weeks, v, 64)) > 0) {
			buf_puts(b, "<br>");
			chart(b, v, nw, "Weekly questions, last 12 weeks",
			    n + (cluster > 0 ? 1000 : 0));
		}
		buf_printf(b, "<br><span class=\"mut\">To dismiss: "
		    "<code>[%s:%lld] dismiss = %s %.2f</code></span></td></tr>\n",
		    sn, (long long)f->ext, f->kind, f->score);
	}
	if (rc < 0)
		return -1;
	buf_puts(b, "</tbody></table>\n");
	if (n == 0)
		buf_puts(b, "<p>No flags.</p>\n");
	return 0;
}

/* One question of a merge suggestion: its title linked to the original
 * thread, its id, and its public entry when the site has one. */
static void
merge_side(struct rctx *c, struct buf *b, sqlite3_stmt *q, int col,
    const char *sn)
{
	int64_t ext = sqlite3_column_int64(q, col);
	const char *title = (const char *)sqlite3_column_text(q, col + 1);

	source_link(b, (const char *)sqlite3_column_text(q, col + 2), title);
	buf_printf(b, " <span class=\"mut\">%s:%lld</span>", sn,
	    (long long)ext);
	buf_reset(&c->path);
	if (entry_url(c, &c->path, sn, ext)) {
		buf_puts(b, " · <a href=\"");
		attr(b, c->path.data);
		buf_puts(b, "\">public entry</a>");
	}
}

/* The possible duplicates the index found, closest first: never folded
 * by the site (docs/site.md), offered here with the curation line that
 * makes the first a redirect to the second. */
static int
merge_table(struct rctx *c, struct buf *b)
{
	sqlite3_stmt *q = store_stmt(c->st, SQL_R_MERGES);
	int rc, n = 0;

	sqlite3_bind_double(q, 1, FOLD_NEAR_MIN);
	buf_printf(b, "<h2 id=\"merges\">Possible duplicates</h2>\n<p>Found "
	    "by the index, not by people: each question is close to its "
	    "recurring issue's main question (cosine similarity of their "
	    "words at least %.2f). The site never folds them: it lists each "
	    "as related on the other's entry. If both ask the same thing, "
	    "paste the lines into the curation file and the first becomes a "
	    "redirect to the second.</p>\n<table><thead><tr><th scope=\"col\" "
	    "class=\"num\">#</th><th scope=\"col\" class=\"num\">"
	    "Similarity</th><th scope=\"col\">Questions and curation line"
	    "</th></tr></thead><tbody>\n", FOLD_NEAR_MIN);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *sec = (const char *)sqlite3_column_text(q, 1);
		const char *sn = (const char *)sqlite3_column_text(q, 8);

		n++;
		buf_printf(b, "<tr id=\"m%d\"><td class=\"num\">%d</td>"
		    "<td class=\"num\">%.2f</td><td>", n, n,
		    sqlite3_column_double(q, 0));
		merge_side(c, b, q, 2, sn);
		buf_puts(b, "<br>is close to ");
		merge_side(c, b, q, 5, sn);
		buf_puts(b, "<br><span class=\"mut\">To merge:</span><pre><code>[");
		txt(b, sec);
		buf_printf(b, ":%lld]\nmerge = ",
		    (long long)sqlite3_column_int64(q, 2));
		txt(b, sec);
		buf_printf(b, ":%lld</code></pre></td></tr>\n",
		    (long long)sqlite3_column_int64(q, 5));
	}
	if (rc != SQLITE_DONE)
		return store_fail(c->st);
	buf_puts(b, "</tbody></table>\n");
	if (n == 0)
		buf_puts(b, "<p>None.</p>\n");
	return 0;
}

static int
issue_page(struct rctx *c, sqlite3_stmt *cq)
{
	int64_t id = sqlite3_column_int64(cq, 0);
	const char *label = (const char *)sqlite3_column_text(cq, 1);
	const char *now_s = (const char *)sqlite3_column_text(cq, 6);
	int64_t now = now_s ? date_epoch(now_s) : -1;
	int64_t weeks[CHART_WEEKS] = { 0 };
	struct buf rows = BUF_INIT, rel = BUF_INIT;
	sqlite3_stmt *q;
	int rc;

	q = store_stmt(c->st, SQL_R_MEMBERS);
	bind_int(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *created = (const char *)sqlite3_column_text(q, 2);
		const char *src = (const char *)sqlite3_column_text(q, 6);
		int64_t e = date_epoch(created), w;
		const char *sn = src; /* sources.short */

		if (now >= 0 && e >= 0 && (w = (now - e) / (7 * DAY)) >= 0 &&
		    w < CHART_WEEKS)
			weeks[CHART_WEEKS - 1 - w]++;
		buf_puts(&rows, "<tr><td><time datetime=\"");
		attr(&rows, created);
		buf_puts(&rows, "\">");
		esc_html(&rows, created, strnlen(created, 10));
		buf_puts(&rows, "</time></td><td>");
		source_link(&rows, (const char *)sqlite3_column_text(q, 3),
		    (const char *)sqlite3_column_text(q, 1));
		buf_printf(&rows, " <span class=\"mut\">%s:%lld</span></td>"
		    "<td>%s</td><td class=\"num\">%lld</td></tr>\n", sn,
		    (long long)sqlite3_column_int64(q, 0),
		    sqlite3_column_int(q, 4) ? "yes" : "no",
		    (long long)sqlite3_column_int64(q, 5));
	}
	if (rc != SQLITE_DONE) {
		rc = store_fail(c->st);
		goto out;
	}
	buf_reset(&c->page);
	head(&c->page, label, "../../");
	buf_puts(&c->page, "<p><a href=\"../../\">All flags</a></p><h1>");
	txt(&c->page, label);
	buf_printf(&c->page, "</h1><p>%d questions, first asked %.10s, last "
	    "asked %.10s.</p>\n<h2>Weekly volume, last %d weeks</h2>\n",
	    sqlite3_column_int(cq, 2), sqlite3_column_text(cq, 3),
	    sqlite3_column_text(cq, 4), CHART_WEEKS);
	chart(&c->page, weeks, CHART_WEEKS, "Weekly questions of this issue",
	    0);
	buf_puts(&c->page, "<h2>Flags</h2>\n");
	if ((rc = flag_table(c, &c->page, id, "../../")) < 0)
		goto out;
	buf_puts(&c->page, "<h2>History</h2>\n<table><thead><tr>"
	    "<th scope=\"col\">Asked</th><th scope=\"col\">Question</th>"
	    "<th scope=\"col\">Accepted answer</th><th scope=\"col\" "
	    "class=\"num\">Views</th></tr></thead><tbody>\n");
	buf_put(&c->page, rows.data, rows.len);
	buf_puts(&c->page, "</tbody></table>\n</main></body></html>\n");
	buf_printf(&rel, "issue/%lld/index.html", (long long)id);
	rc = put_file(c, rel.data, c->page.data, c->page.len);
out:
	buf_release(&rows);
	buf_release(&rel);
	return rc;
}

int
render_report(const char *db_path, const char *dir,
    const struct render_opts *o, const struct render_plan *p)
{
	struct rctx c;
	struct buf body = BUF_INIT;
	sqlite3_stmt *q;
	char now[DATE_LEN + 1] = "";
	int64_t dismissed;
	int rc = -1, step;

	memset(&c, 0, sizeof c);
	buf_init(&c.page);
	buf_init(&c.path);
	c.dir = dir;
	c.dirfd = -1;
	c.base_url = o && o->base_url ? o->base_url : "http://localhost:8080/";
	c.nentries = p->nentries;
	c.entries = xcalloc(c.nentries + 1, sizeof *c.entries);
	memcpy(c.entries, p->entries, c.nentries * sizeof *c.entries);
	if (c.nentries > 1)
		qsort(c.entries, c.nentries, sizeof *c.entries, cmp_str);
	if ((c.st = store_open(db_path, 1)) == NULL)
		goto out;
	answer_policy_init(&c.pol, o ? o->answers : NULL,
	    o ? o->min_confidence : NULL, c.st);
	flag_list_now(c.st, now, &dismissed);
	if ((mkdir(dir, 0755) < 0 && errno != EEXIST) ||
	    (c.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fq_err("%s: %s", dir, strerror(errno));
		goto out;
	}
	if (put_file(&c, "report.css", report_css, sizeof report_css - 1) < 0 ||
	    put_file(&c, "favicon.svg", favicon, sizeof favicon - 1) < 0)
		goto out;
	head(&body, "Flags", "");
	buf_printf(&body, "<h1>Writers' report</h1>\n<p>As of %s (the newest "
	    "date in the data). Scores rank by impact; how each flag is "
	    "computed is in docs/trends.md. Act on a flag in the curation "
	    "file; a dismissed flag stays dismissed unless its score grows "
	    "past 1.5 times the score it was dismissed at.</p>\n",
	    *now ? now : "unknown (run faqtory index)");
	if (flag_table(&c, &body, 0, "") < 0 || merge_table(&c, &body) < 0)
		goto out;
	buf_puts(&body, "<h2>Recurring issues</h2>\n<ul>\n");
	q = store_stmt(c.st, SQL_R_CLUSTERS);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		buf_printf(&body, "<li><a href=\"issue/%lld/\">",
		    (long long)sqlite3_column_int64(q, 0));
		txt(&body, (const char *)sqlite3_column_text(q, 1));
		buf_printf(&body, "</a> <span class=\"mut\">(%d questions)"
		    "</span></li>\n", sqlite3_column_int(q, 2));
		if (issue_page(&c, q) < 0) {
			sqlite3_reset(q);
			goto out;
		}
	}
	sqlite3_reset(q);
	if (step != SQLITE_DONE) {
		store_fail(c.st);
		goto out;
	}
	buf_puts(&body, "</ul>\n</main></body></html>\n");
	if (put_file(&c, "index.html", body.data, body.len) < 0)
		goto out;
	rc = 0;
out:
	if (c.dirfd >= 0)
		close(c.dirfd);
	store_close(c.st);
	buf_release(&body);
	buf_release(&c.page);
	buf_release(&c.path);
	free(c.entries);
	return rc;
}
