/*
 * pages: every page but the entry (entry.c) rendered from the model by
 * a worker: the values all pages share, the lists of entries, tags and
 * topics, redirects and "no entry" pages, the sitemap and the feed, and
 * the theme's assets.
 */
#include "render.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/path.h"
#include "core/safefile.h"
#include "core/xmalloc.h"
#include "render/render_int.h"
#include "template.h"

#define MAX_RELATED 8
#define HOME_LIST 10
#define HOME_TAGS 40
#define FEED_ENTRIES 30

/* Sets key to thread t's title, escaped once by make_escaped. */
void
page_set_title(struct tval *m, const char *key, const struct thr *t)
{
	tval_set_html(m, key, t->etitle, t->etitle_len);
}

/* Sets key to a date of thread t (day: its first 10 bytes); the
 * template escapes it only if make_escaped found something to escape. */
void
page_set_date(struct tval *m, const char *key, const struct thr *t,
    const char *d, int day)
{
	size_t n = day ? strnlen(d, 10) : strlen(d);

	if (t->dates_plain)
		tval_set_html(m, key, d, n);
	else
		tval_set_str(m, key, d, n);
}

/* "../" per folder level of path, or "./" at the top. */
void
page_root_of(struct buf *b, const char *path)
{
	size_t before = b->len;

	for (; *path; path++)
		if (*path == '/')
			buf_puts(b, "../");
	if (b->len == before)
		buf_puts(b, "./");
}

void
page_set_day(struct tval *m, const char *key, const char *date)
{
	tval_set_str(m, key, date ? date : "", date ? strnlen(date, 10) : 0);
}

/* The values every page shares. */
static struct tval *
page_root(struct worker *w, const struct page *p)
{
	struct site *s = w->s;
	struct tval *root = tval_map(w->cx);

	tval_set(root, "t", w->loc);
	tval_set_cstr(root, "lang", s->lang);
	tval_set_cstr(root, "site_title", s->title);
	tval_set_cstr(root, "base_url", s->base_url);
	buf_reset(&w->a);
	if (p->kind == P_404)
		buf_puts(&w->a, s->base_path);
	else
		page_root_of(&w->a, p->path);
	tval_set_str(root, "root", w->a.data, w->a.len);
	buf_reset(&w->a);
	buf_puts(&w->a, s->base_url);
	if (path_ends_with(p->path, "index.html"))
		buf_put(&w->a, p->path, strlen(p->path) - 10);
	else
		buf_puts(&w->a, p->path);
	tval_set_str(root, "canonical", w->a.data, w->a.len);
	return root;
}

/* An entry link item {title, href} relative to the page's root. */
struct tval *
page_link_item(struct worker *w, struct tval *list, int i)
{
	struct site *s = w->s;
	struct tval *m = tval_map(w->cx);
	int c = model_target(s, i);

	page_set_title(m, "title", &s->t[i]);
	if (c >= 0) {
		buf_reset(&w->b);
		plan_entry_path(s, c, &w->b);
		tval_set_str(m, "href", w->b.data, w->b.len);
	}
	page_set_date(m, "day", &s->t[i], s->t[i].activity, 1);
	page_set_date(m, "date", &s->t[i], s->t[i].activity, 0);
	tval_list_push(list, m);
	return m;
}

/* Thread i's related questions (from the index, then the source's own
 * links) as "related", each shown once by the entry that shows it: at
 * most MAX_RELATED, never i itself or one it lists as also asked. */
void
page_related_list(struct worker *w, struct tval *root, int i)
{
	const struct site *s = w->s;
	const struct thr *t = &s->t[i];
	struct tval *list = tval_set_list(root, "related");
	const struct ilist *srcs[2] = { &t->related, &t->links };
	int seen[MAX_RELATED];
	size_t nseen = 0, l, k, z;

	for (l = 0; l < 2; l++) {
		for (k = 0; k < srcs[l]->n && nseen < MAX_RELATED; k++) {
			int c = model_target(s, srcs[l]->v[k]);

			/* In t's also-asked list is folded into t: one look
			 * at c, not a scan of the list per candidate. */
			if (c < 0 || c == i || s->t[c].fold == i)
				continue;
			for (z = 0; z < nseen && seen[z] != c; z++)
				;
			if (z < nseen)
				continue;
			seen[nseen++] = c;
			page_link_item(w, list, c);
		}
	}
	if (nseen)
		tval_set_bool(root, "has_related", 1);
}

static void
entry_list(struct worker *w, struct tval *root, const char *key,
    const int *v, size_t n, size_t max)
{
	struct tval *list = tval_set_list(root, key);
	size_t i;

	for (i = 0; i < n && i < max; i++)
		page_link_item(w, list, v[i]);
	if (n) {
		buf_reset(&w->b);
		buf_printf(&w->b, "has_%s", key);
		tval_set_bool(root, w->b.data, 1);
	}
}

/* The writers' pinned entries, first on the home page ("pinned"). */
static void
pinned_list(struct worker *w, struct tval *root)
{
	const struct site *s = w->s;
	int *v = xcalloc(s->entries.n + 1, sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < s->entries.n; i++)
		if (s->t[s->entries.v[i]].pinned)
			v[n++] = s->entries.v[i];
	entry_list(w, root, "pinned", v, n, SIZE_MAX);
	free(v);
}

static int
cmp_tag_size(const void *pa, const void *pb)
{
	const struct tag *a = *(const struct tag *const *)pa;
	const struct tag *b = *(const struct tag *const *)pb;

	if (a->pages.n != b->pages.n)
		return a->pages.n > b->pages.n ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void
tag_list(struct worker *w, struct tval *root, const char *key, size_t max)
{
	struct site *s = w->s;
	struct tval *list = tval_set_list(root, key), *m;
	const struct tag **v = xcalloc(s->ntags + 1, sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < s->ntags; i++)
		if (s->tags[i].pages.n)
			v[n++] = &s->tags[i];
	if (max < n && n > 1)
		qsort(v, n, sizeof *v, cmp_tag_size);
	for (i = 0; i < n && i < max; i++) {
		m = tval_map(w->cx);
		tval_set_cstr(m, "name", v[i]->name);
		tval_set_cstr(m, "slug", v[i]->slug);
		tval_set_int(m, "count", (int64_t)v[i]->pages.n);
		tval_list_push(list, m);
	}
	free(v);
}

static int
cmp_topic_size(const void *pa, const void *pb)
{
	const struct topic *a = *(const struct topic *const *)pa;
	const struct topic *b = *(const struct topic *const *)pb;

	if (a->members.n != b->members.n)
		return a->members.n > b->members.n ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static size_t
topic_list(struct worker *w, struct tval *root, size_t max)
{
	struct site *s = w->s;
	struct tval *list = tval_set_list(root, "topics"), *m;
	const struct topic **v = xcalloc(s->ntopics + 1, sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < s->ntopics; i++)
		if (s->topics[i].canonical >= 0)
			v[n++] = &s->topics[i];
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_topic_size);
	for (i = 0; i < n && i < max; i++) {
		m = tval_map(w->cx);
		tval_set_int(m, "id", v[i]->id);
		tval_set_cstr(m, "label", v[i]->label ? v[i]->label :
		    s->t[v[i]->canonical].title);
		theme_set_count(s, m, "size", (int64_t)v[i]->members.n,
		    "questions");
		tval_list_push(list, m);
	}
	if (n)
		tval_set_bool(root, "has_topics", 1);
	free(v);
	return n;
}

/* How many people a recurring issue reaches: the views of its questions
 * (each asker counted too), then its questions, then id. */
static int
cmp_issue_reach(const void *pa, const void *pb)
{
	const struct issue *a = *(const struct issue *const *)pa;
	const struct issue *b = *(const struct issue *const *)pb;

	if (a->views + a->size != b->views + b->size)
		return a->views + a->size > b->views + b->size ? -1 : 1;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The home page's "Top recurring issues" ("issues"): those whose
 * canonical question leads to an entry, by reach, each titled by its
 * canonical question and linked to the entry that shows it. */
static size_t
issue_list(struct worker *w, struct tval *root, size_t max)
{
	struct site *s = w->s;
	struct tval *list = tval_set_list(root, "issues"), *m;
	const struct issue **v = xcalloc(s->nissues + 1, sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < s->nissues; i++)
		if (s->issues[i].canonical >= 0 &&
		    model_target(s, s->issues[i].canonical) >= 0)
			v[n++] = &s->issues[i];
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_issue_reach);
	for (i = 0; i < n && i < max; i++) {
		m = page_link_item(w, list, v[i]->canonical);
		theme_set_count(s, m, "size", v[i]->size, "questions");
	}
	if (n)
		tval_set_bool(root, "has_issues", 1);
	free(v);
	return n;
}

/* What the home page's "popular" list orders entries by: the most
 * questions folded in or grouped with it, then views, then id. */
struct popular {
	size_t also;
	int64_t views, id;
	int i;
};

static int
cmp_popular(const void *pa, const void *pb)
{
	const struct popular *a = pa, *b = pb;

	if (a->also != b->also)
		return a->also > b->also ? -1 : 1;
	if (a->views != b->views)
		return a->views > b->views ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The home page's "popular" entries, where the site has no recurring
 * issues. */
static void
popular_list(struct worker *w, struct tval *root)
{
	const struct site *s = w->s;
	struct popular *p = xcalloc(s->entries.n + 1, sizeof *p);
	int *v = xcalloc(s->entries.n + 1, sizeof *v);
	size_t i;

	for (i = 0; i < s->entries.n; i++) {
		const struct thr *t = &s->t[s->entries.v[i]];

		p[i].also = t->also.n;
		p[i].views = t->views;
		p[i].id = t->id;
		p[i].i = s->entries.v[i];
	}
	if (s->entries.n > 1)
		qsort(p, s->entries.n, sizeof *p, cmp_popular);
	for (i = 0; i < s->entries.n; i++)
		v[i] = p[i].i;
	entry_list(w, root, "popular", v, s->entries.n, HOME_LIST);
	free(v);
	free(p);
}

static void
xml_text(struct buf *out, const char *s)
{
	esc_xml(out, s ? s : "", s ? strlen(s) : 0);
}

static void
xml_url(struct buf *out, const struct site *s, int i)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, s->base_url);
	plan_entry_path(s, i, &b);
	xml_text(out, b.data);
	buf_release(&b);
}

/* The sitemap's URLs from..to (0: the home page, then the entries by
 * activity), or with k > 0 an index of the files 1..k. */
static void
render_sitemap(const struct site *s, size_t from, size_t to, size_t k,
    struct buf *out)
{
	size_t i;

	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (k > 0) {
		buf_puts(out, "<sitemapindex xmlns=\"http://www.sitemaps.org/"
		    "schemas/sitemap/0.9\">\n");
		for (i = 1; i <= k; i++) {
			buf_puts(out, "<sitemap><loc>");
			xml_text(out, s->base_url);
			buf_printf(out, "sitemap/%zu.xml</loc></sitemap>\n", i);
		}
		buf_puts(out, "</sitemapindex>\n");
		return;
	}
	buf_puts(out, "<urlset xmlns=\"http://www.sitemaps.org/schemas/"
	    "sitemap/0.9\">\n");
	for (i = from; i < to; i++) {
		const struct thr *t;

		if (i == 0) {
			buf_puts(out, "<url><loc>");
			xml_text(out, s->base_url);
			buf_puts(out, "</loc></url>\n");
			continue;
		}
		t = &s->t[s->entries.v[i - 1]];
		buf_puts(out, "<url><loc>");
		xml_url(out, s, s->entries.v[i - 1]);
		buf_puts(out, "</loc><lastmod>");
		esc_xml(out, t->activity, strnlen(t->activity, 10));
		buf_puts(out, "</lastmod></url>\n");
	}
	buf_puts(out, "</urlset>\n");
}

/* sitemap.xml (ref -1: every URL; 0: the index; k: the k-th file of
 * s->sitemap_urls URLs, plan_sitemaps) and feed.xml are built here:
 * every value goes through esc_xml, which also drops the characters
 * XML forbids. */
static void
render_xml(struct worker *w, const struct page *p, struct buf *out)
{
	struct site *s = w->s;
	size_t i, n = s->entries.n, per = s->sitemap_urls;

	if (p->kind == P_SITEMAP) {
		if (p->ref < 0)
			render_sitemap(s, 0, n + 1, 0, out);
		else if (p->ref == 0)
			render_sitemap(s, 0, 0, (n + per) / per, out);
		else
			render_sitemap(s, ((size_t)p->ref - 1) * per,
			    (size_t)p->ref * per < n + 1 ?
			    (size_t)p->ref * per : n + 1, 0, out);
		return;
	}
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	xml_text(out, s->lang);
	buf_puts(out, "\">\n<title>");
	xml_text(out, s->title);
	buf_puts(out, " – ");
	xml_text(out, theme_loc(s, "feed_title"));
	buf_puts(out, "</title>\n<id>");
	xml_text(out, s->base_url);
	buf_puts(out, "</id>\n<link href=\"");
	xml_text(out, s->base_url);
	buf_puts(out, "\"/>\n<link rel=\"self\" href=\"");
	xml_text(out, s->base_url);
	buf_puts(out, "feed.xml\"/>\n<updated>");
	xml_text(out, n ? s->t[s->entries.v[0]].activity :
	    "1970-01-01T00:00:00");
	buf_puts(out, "Z</updated>\n<author><name>");
	xml_text(out, s->title);
	buf_puts(out, "</name></author>\n");
	for (i = 0; i < n && i < FEED_ENTRIES; i++) {
		const struct thr *t = &s->t[s->entries.v[i]];

		buf_puts(out, "<entry><title>");
		xml_text(out, t->title);
		buf_puts(out, "</title><id>");
		xml_url(out, s, s->entries.v[i]);
		buf_puts(out, "</id><link href=\"");
		xml_url(out, s, s->entries.v[i]);
		buf_puts(out, "\"/><updated>");
		xml_text(out, t->activity);
		buf_puts(out, "Z</updated></entry>\n");
	}
	buf_puts(out, "</feed>\n");
}

static const char *const template_of[] = {
	[P_ENTRY] = "entry", [P_REDIRECT] = "redirect",
	[P_SHORT] = "redirect", [P_NOENTRY] = "noentry", [P_TAG] = "tag",
	[P_TAGS] = "tags", [P_TOPIC] = "topic", [P_TOPICS] = "topics",
	[P_HOME] = "home", [P_SEARCH] = "search", [P_404] = "404",
	[P_CONTRIB] = "contributors", [P_OPENSEARCH] = "opensearch",
	[P_ROBOTS] = "robots",
};

const char *
page_template(enum pkind kind)
{
	if ((size_t)kind >= sizeof template_of / sizeof template_of[0])
		return NULL;
	return template_of[kind];
}

/* A page of thread i that sends the reader to the entry of thread c
 * (redirect.mustache): a folded thread's, or a short URL's. */
static void
redirect_page(struct worker *w, struct tval *root, int i, int c)
{
	const struct site *s = w->s;
	struct tval *m;

	page_set_title(root, "title", &s->t[i]);
	m = tval_set_map(root, "target");
	page_set_title(m, "title", &s->t[c]);
	buf_reset(&w->b);
	plan_entry_path(s, c, &w->b);
	tval_set_str(m, "href", w->b.data, w->b.len);
	buf_reset(&w->b);
	buf_puts(&w->b, s->base_url);
	plan_entry_path(s, c, &w->b);
	tval_set_str(root, "canonical", w->b.data, w->b.len);
}

/* A file of the theme, as it is (P_ASSET: "assets/NAME" of theme
 * folder p->ref).  0 or -1 (reported). */
static int
asset_page(struct worker *w, const struct page *p)
{
	const struct site *s = w->s;
	struct buf msg = BUF_INIT;
	char *text, why[SAFEFILE_WHY];
	size_t n;

	text = theme_file(s, (size_t)p->ref, p->path + 7, &n, why);
	if (text == NULL) {
		buf_printf(&msg, "%s/%s: %s", s->themes[p->ref],
		    p->path + 7, why);
		site_fail(w, "%s", msg.data);
	} else {
		buf_put(&w->out, text, n);
	}
	free(text);
	buf_release(&msg);
	return text ? 0 : -1;
}

/* A thread without an entry that was published before: its title,
 * source and related questions. */
static void
noentry_page(struct worker *w, struct tval *root, int i)
{
	const struct site *s = w->s;

	page_set_title(root, "title", &s->t[i]);
	if (s->t[i].url)
		tval_set_cstr(root, "source_url", s->t[i].url);
	page_related_list(w, root, i);
}

static void
tag_page(struct worker *w, struct tval *root, const struct tag *g)
{
	tval_set_cstr(root, "tag", g->name);
	if (g->desc)
		tval_set_cstr(root, "description", g->desc);
	theme_set_count(w->s, root, "count", (int64_t)g->pages.n, "entries");
	entry_list(w, root, "entries", g->pages.v, g->pages.n,
	    SIZE_MAX);
}

static void
topic_page(struct worker *w, struct tval *root, const struct topic *tp)
{
	const struct site *s = w->s;
	struct tval *m, *list;
	size_t i;

	tval_set_cstr(root, "label", tp->label ? tp->label :
	    s->t[tp->canonical].title);
	m = tval_set_map(root, "canonical_entry");
	page_set_title(m, "title", &s->t[tp->canonical]);
	buf_reset(&w->b);
	plan_entry_path(s, tp->canonical, &w->b);
	tval_set_str(m, "href", w->b.data, w->b.len);
	list = tval_set_list(root, "members");
	for (i = 0; i < tp->members.n; i++)
		page_link_item(w, list, tp->members.v[i]);
	if (tp->first)
		page_set_day(root, "first_seen", tp->first);
	if (tp->last)
		page_set_day(root, "last_seen", tp->last);
	theme_set_count(s, root, "size", (int64_t)tp->members.n,
	    "questions");
}

static void
home_page(struct worker *w, struct tval *root)
{
	const struct site *s = w->s;

	if (issue_list(w, root, HOME_LIST) == 0)
		popular_list(w, root);
	tag_list(w, root, "tags", HOME_TAGS);
	pinned_list(w, root);
	entry_list(w, root, "recent", s->entries.v, s->entries.n,
	    HOME_LIST);
	theme_set_count(s, root, "entry_count", (int64_t)s->entries.n,
	    "entries");
}

static void
contrib_page(struct worker *w, struct tval *root)
{
	const struct site *s = w->s;
	struct tval *list = tval_set_list(root, "people"), *m;
	size_t i;

	for (i = 0; i < s->ncontribs; i++) {
		const struct contrib *c = &s->contribs[i];

		m = tval_map(w->cx);
		tval_set_cstr(m, "anchor", c->anchor);
		tval_set_cstr(m, "name", c->name);
		tval_set_cstr(m, "source", s->srcs[c->src].name);
		tval_set_int(m, "accepted", c->accepted);
		tval_set_int(m, "score", c->score);
		if (c->role && (strcmp(c->role, "staff") == 0 ||
		    strcmp(c->role, "admin") == 0))
			tval_set_bool(m, "staff", 1);
		else if (c->role && strcmp(c->role, "moderator") == 0)
			tval_set_bool(m, "moderator", 1);
		tval_list_push(list, m);
	}
}

static void
opensearch_page(struct worker *w, struct tval *root)
{
	const struct site *s = w->s;
	char shortname[17];
	size_t n = strlen(s->title);

	/* ShortName is at most 16 characters: cut at a code point. */
	if (n > 16) {
		n = 16;
		while (n && ((unsigned char)s->title[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(shortname, s->title, n);
	shortname[n] = '\0';
	tval_set_cstr(root, "short_title", shortname);
}

/* Renders page p into w->out.  Returns 0 or -1 (reported). */
int
page_render(struct worker *w, const struct page *p)
{
	struct site *s = w->s;
	struct tval *root;

	buf_reset(&w->out);
	if (p->kind == P_ASSET)
		return asset_page(w, p);
	if (p->kind == P_SITEMAP || p->kind == P_FEED) {
		render_xml(w, p, &w->out);
		return 0;
	}
	tctx_reset(w->cx);
	root = page_root(w, p);
	switch (p->kind) {
	case P_ENTRY:
		if (entry_render(w, p, root) < 0)
			return -1;
		break;
	case P_REDIRECT:
	case P_SHORT:
		redirect_page(w, root, p->ref, model_home(s, p->ref));
		break;
	case P_NOENTRY:
		noentry_page(w, root, p->ref);
		break;
	case P_TAG:
		tag_page(w, root, &s->tags[p->ref]);
		break;
	case P_TAGS:
		tag_list(w, root, "tags", SIZE_MAX);
		break;
	case P_TOPIC:
		topic_page(w, root, &s->topics[p->ref]);
		break;
	case P_TOPICS:
		topic_list(w, root, SIZE_MAX);
		break;
	case P_HOME:
		home_page(w, root);
		break;
	case P_CONTRIB:
		contrib_page(w, root);
		break;
	case P_OPENSEARCH:
		opensearch_page(w, root);
		break;
	default:
		break;
	}
	if (tset_render(w->set, template_of[p->kind], root, &w->out) < 0) {
		site_fail(w, "%s", tset_errmsg(w->set));
		return -1;
	}
	return 0;
}
