/*
 * report: the writers' report, an internal static site separate from
 * the public one (docs/trends.md "The report").  Reads the store only
 * (the questions, the flags of core/flags.h, the recurring issues and
 * topics) and from the site's render its plan (render.h): the theme
 * folders and the entries it publishes.
 *
 *   index.html, brief.html the weekly brief (report_brief.c); brief.html
 *                          is the same page with its stylesheet inlined
 *   week/<date>/           the brief of each of the last 12 weeks
 *   *.csv                  every weekly table beside its page
 *   flags.html, flags.xml  every flag; the Atom feed (report_flags.c)
 *   tag/<short>/<tag>/, topic/<id>/   a category (report_category.c)
 *   issue/<id>/            a recurring issue (report_issue.c)
 *   report.css, favicon.svg
 *
 * This file owns the context: the theme's templates and locale strings,
 * the helpers that fill values, and writing files.  Text content is
 * escaped here with esc_html (& < >) and handed to the templates as
 * HTML; {{x}} escapes the rest (attributes) with esc_attr.  Same store,
 * same bytes: no clock ("now" is the newest date in the data).
 */
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/safefile.h"
#include "core/url.h"
#include "core/xmalloc.h"
#include "render/render_int.h"
#include "render/report_int.h"

/* The files of the theme's report/ folder written as they are. */
static const char *const theme_files[] = { "report.css", "favicon.svg" };

/* Writes rel beneath the report's folder, which render_report made:
 * no symlink at any component is followed (beneath.c).  The folder is
 * a staging release (publish.c): nobody reads it before it is
 * published whole, so a file is written where it belongs. */
int
report_put_file(struct rctx *c, const char *rel, const char *data, size_t n)
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
	static const char *const need[] = { "brief", "issue", "category",
		"flags", "feed" };
	size_t k;

	for (k = 0; k < c->plan->nthemes; k++) {
		const char *d = report_folder(c, k);

		if (theme_is_dir(d) && tset_load_dir(c->set, d) < 0) {
			fq_err("%s", tset_errmsg(c->set));
			return -1;
		}
	}
	for (k = 0; k < sizeof need / sizeof *need; k++)
		if (!tset_has(c->set, need[k])) {
			fq_err("%s: no report template %s.mustache",
			    report_folder(c, 0), need[k]);
			return -1;
		}
	return 0;
}

/* Merges report/locales/<lang>.json of theme folder k when it exists
 * (required: en of the theme itself). */
static int
load_locale(struct rctx *c, size_t k, const char *lang, int required)
{
	struct buf p = BUF_INIT, text = BUF_INIT, err = BUF_INIT;
	char why[SAFEFILE_WHY];
	int rc = -1;

	buf_printf(&p, "%s/locales/%s.json", report_folder(c, k), lang);
	if (access(p.data, F_OK) != 0) {
		if (required)
			fq_err("%s: no such locale file", p.data);
		else
			rc = 0;
	} else if (safefile_read(p.data, report_folder(c, k),
	    SAFEFILE_THEME_MAX, &text, why) < 0) {
		fq_err("%s: %s", p.data, why);
	} else if ((rc = locale_merge(&c->strings, &c->nstrings, text.data,
	    text.len, p.data, &err)) < 0) {
		fq_err("%s", err.data);
	}
	buf_release(&text);
	buf_release(&err);
	buf_release(&p);
	return rc;
}

static int
kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct locale_kv *)a)->k,
	    ((const struct locale_kv *)b)->k);
}

/* The report's strings: en, then the site's language, theme then
 * override (later wins), sorted for locale_get. */
static int
load_locales(struct rctx *c)
{
	size_t k;

	for (k = 0; k < c->plan->nthemes; k++) {
		if (load_locale(c, k, "en", k == 0) < 0)
			return -1;
		if (strcmp(c->lang, "en") != 0 &&
		    load_locale(c, k, c->lang, 0) < 0)
			return -1;
	}
	if (c->nstrings > 1)
		qsort(c->strings, c->nstrings, sizeof *c->strings, kv_cmp);
	return 0;
}

const char *
report_str(const struct rctx *c, const char *key)
{
	return locale_get(c->strings, c->nstrings, key);
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
		if (report_put_file(c, theme_files[i], b.data, b.len) < 0)
			goto out;
		if (i == 0) /* report.css, inlined into brief.html */
			buf_put(&c->css, b.data, b.len);
	}
	rc = 0;
out:
	buf_release(&p);
	buf_release(&b);
	return rc;
}

/* ---- values ------------------------------------------------------------ */

/* Text content: escaped with esc_html, handed over as HTML. */
void
report_text(struct rctx *c, struct tval *m, const char *key, const char *s,
    size_t n)
{
	struct buf t = BUF_INIT;

	if (s)
		esc_html(&t, s, n);
	tval_set_html(m, key, t.data ? t.data : "", t.len);
	buf_release(&t);
	(void)c;
}

void
report_ctext(struct rctx *c, struct tval *m, const char *key, const char *s)
{
	report_text(c, m, key, s, s ? strlen(s) : 0);
}

void
report_fmt(struct tval *m, const char *key, const char *fmt, double d)
{
	char v[64];

	snprintf(v, sizeof v, fmt, d);
	tval_set_cstr(m, key, v);
}

void
report_day(int64_t e, char *out)
{
	time_t t = (time_t)e;
	struct tm tm;

	if (e < 0 || gmtime_r(&t, &tm) == NULL)
		snprintf(out, 11, "?");
	else
		strftime(out, 11, "%Y-%m-%d", &tm);
}

/* A page's root: the path back to the report's folder, its title, the
 * locale strings as "t" and the language. */
struct tval *
report_root(struct rctx *c, const char *root, const char *title)
{
	struct tval *m = tval_map(c->cx), *t = tval_set_map(m, "t");
	size_t i;

	for (i = 0; i < c->nstrings; i++)
		tval_set_cstr(t, c->strings[i].k, c->strings[i].v);
	tval_set_cstr(m, "root", root);
	tval_set_cstr(m, "lang", c->lang);
	report_ctext(c, m, "title", title);
	return m;
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
 * A question (template question.mustache) as a new map: its title, the
 * original thread when its URL passes the one URL policy (a second line
 * of defence after ingest), its id, its public entry (at answer `post`
 * when post > 0) where the site has one, and "href": the entry, else
 * the thread.
 */
struct tval *
report_question_raw(struct rctx *c, const char *sn, int64_t ext,
    const char *title, const char *url, int64_t post)
{
	struct tval *m = tval_map(c->cx);
	struct buf e = BUF_INIT;

	report_ctext(c, m, "title", title);
	if (url && url_is_safe(url, strlen(url), URL_ABSOLUTE)) {
		tval_set_cstr(m, "url", url);
		tval_set_cstr(m, "href", url);
	}
	tval_set_cstr(m, "short", sn);
	tval_set_int(m, "ext", ext);
	if (entry_url(c, &e, sn, ext)) {
		if (post > 0)
			buf_printf(&e, "#a-%lld", (long long)post);
		tval_set_cstr(m, "entry", e.data);
		tval_set_cstr(m, "href", e.data);
	}
	buf_release(&e);
	return m;
}

/* report_question_raw of q as key "q" of m. */
void
report_question(struct rctx *c, struct tval *m, const struct rq *q,
    int64_t post)
{
	tval_set(m, "q", report_question_raw(c, q->sn, q->ext, q->title,
	    q->url, post));
}

static int
cmp_rq(const void *key, const void *e)
{
	int64_t id = *(const int64_t *)key, o = ((const struct rq *)e)->id;

	return (id > o) - (id < o);
}

const struct rq *
report_find(const struct rctx *c, int64_t id)
{
	return c->d.nq ? bsearch(&id, c->d.q, c->d.nq, sizeof *c->d.q,
	    cmp_rq) : NULL;
}

/* Renders template name with root into c->page and writes it as rel. */
int
report_put_page(struct rctx *c, const char *name, struct tval *root,
    const char *rel)
{
	buf_reset(&c->page);
	if (tset_render(c->set, name, root, &c->page) < 0) {
		fq_err("%s", tset_errmsg(c->set));
		return -1;
	}
	return report_put_file(c, rel, c->page.data, c->page.len);
}

/* ---- the report -------------------------------------------------------- */

static void
ctx_init(struct rctx *c, const char *dir, const struct render_opts *o,
    const struct render_plan *p)
{
	memset(c, 0, sizeof *c);
	buf_init(&c->page);
	buf_init(&c->path);
	buf_init(&c->tmp);
	buf_init(&c->css);
	c->dir = dir;
	c->dirfd = -1;
	c->plan = p;
	c->base_url = o && o->base_url ? o->base_url : "http://localhost:8080/";
	c->lang = o && o->language ? o->language : "en";
	c->nentries = p->nentries;
	c->entries = xcalloc(c->nentries + 1, sizeof *c->entries);
	memcpy(c->entries, p->entries, c->nentries * sizeof *c->entries);
	if (c->nentries > 1)
		qsort(c->entries, c->nentries, sizeof *c->entries, cmp_str);
	c->set = tset_new();
	c->cx = tctx_new();
}

static void
ctx_free(struct rctx *c)
{
	if (c->dirfd >= 0)
		close(c->dirfd);
	report_data_free(&c->d);
	store_close(c->st);
	tctx_free(c->cx);
	tset_free(c->set);
	locale_free(c->strings, c->nstrings);
	buf_release(&c->page);
	buf_release(&c->path);
	buf_release(&c->tmp);
	buf_release(&c->css);
	free(c->entries);
}

static int
open_dir(struct rctx *c)
{
	if ((mkdir(c->dir, 0755) < 0 && errno != EEXIST) ||
	    (c->dirfd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fq_err("%s: %s", c->dir, strerror(errno));
		return -1;
	}
	return 0;
}

int
render_report(const char *db_path, const char *dir,
    const struct render_opts *o, const struct render_plan *p)
{
	struct rctx c;
	int rc = -1;

	ctx_init(&c, dir, o, p);
	if (load_templates(&c) < 0 || load_locales(&c) < 0 ||
	    (c.st = store_open(db_path, 1)) == NULL)
		goto out;
	answer_policy_init(&c.pol, o ? o->answers : NULL,
	    o ? o->min_confidence : NULL, c.st);
	if (open_dir(&c) < 0 || copy_theme_files(&c) < 0 ||
	    report_data_load(&c) < 0)
		goto out;
	if (report_brief(&c) < 0 || report_categories(&c) < 0 ||
	    report_issues(&c) < 0 || report_flags_page(&c) < 0 ||
	    report_feed(&c) < 0)
		goto out;
	rc = 0;
out:
	ctx_free(&c);
	return rc;
}
