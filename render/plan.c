/*
 * plan: the page list of a run.  Every thread's folder and escaped
 * title, the input key of every page (a hash of everything it shows
 * that is not a body: a page whose key equals the previous manifest's
 * is kept without rendering), the URLs a previous release published
 * that must stay (docs/site.md), the pages themselves, and the queue the
 * workers take them from.
 */
#include "render.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/store.h"
#include "core/xmalloc.h"
#include "render/manifest.h"
#include "render/render_int.h"

uint64_t
key_str(uint64_t h, const char *s)
{
	h = fq_hash64(s ? s : "", s ? strlen(s) : 0, h);
	return fq_hash64(s ? "\1" : "\0", 1, h);
}

uint64_t
key_int(uint64_t h, int64_t v)
{
	return fq_hash64(&v, sizeof v, h);
}

/* Appends thread i's folder (made once by plan: every entry links to a
 * dozen others). */
void
plan_entry_path(const struct site *s, int i, struct buf *b)
{
	buf_put(b, s->t[i].path, s->t[i].pathlen);
}

static void
make_path(struct site *s, int i)
{
	struct thr *t = &s->t[i];
	struct buf b = BUF_INIT;
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", (long long)t->ext_id);

	buf_puts(&b, "q/");
	buf_puts(&b, s->srcs[t->src].shortname);
	buf_putc(&b, '/');
	buf_put(&b, num, (size_t)n);
	buf_putc(&b, '/');
	buf_puts(&b, t->slug);
	buf_putc(&b, '/');
	t->pathlen = b.len;
	t->path = buf_detach(&b);
}

/* Whether s has no byte that HTML attribute escaping rewrites. */
static int
plain_attr(const char *s)
{
	return s[strcspn(s, "&<>\"'")] == '\0';
}

static void
make_escaped(struct site *s, int i)
{
	struct thr *t = &s->t[i];
	struct buf b = BUF_INIT;

	esc_attr(&b, t->title ? t->title : "", t->title ? strlen(t->title) :
	    0);
	t->etitle_len = b.len;
	t->etitle = buf_detach(&b);
	t->dates_plain = plain_attr(t->created) && plain_attr(t->activity);
}

static int
old_cmp(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->path,
	    ((const struct manifest_entry *)b)->path);
}

const struct manifest_entry *
plan_find_in(const struct tree_manifest *m, const char *path)
{
	struct manifest_entry key;

	key.path = path;
	if (m->n == 0)
		return NULL;
	return bsearch(&key, m->v, m->n, sizeof key, old_cmp);
}

void
plan_manifest_free(struct tree_manifest *m)
{
	free(m->v);
	free(m->text);
	memset(m, 0, sizeof *m);
}

/*
 * Reads the manifest of a finished tree; a missing or unfinished one
 * means "nothing known".  It is untrusted (manifest.h): lines whose
 * path faqtory could not have written are ignored, with one warning.
 * The paths point into the file's text, which s->manifest keeps.
 */
int
plan_load_manifest(struct tree_manifest *m, const char *dir)
{
	char *text;
	size_t len, n, bad, i;
	int sorted = 1;

	memset(m, 0, sizeof *m);
	if ((text = render_manifest_read(dir, &len)) == NULL)
		return -1;
	if (render_manifest_parse(text, len, &m->v, &n, &bad) < 0) {
		free(text);
		return -1;
	}
	if (bad > 0)
		fq_warn("%s/%s: %zu malformed or unsafe "
		    "lines ignored", dir, RENDER_MANIFEST, bad);
	m->text = text;
	m->n = n;
	for (i = 1; i < n && sorted; i++)
		sorted = strcmp(m->v[i - 1].path, m->v[i].path) < 0;
	/* Written sorted (render_site); sorted again only if edited. */
	if (!sorted)
		qsort(m->v, n, sizeof *m->v, old_cmp);
	return 0;
}

int
plan_page_cmp(const void *a, const void *b)
{
	return strcmp(((const struct page *)a)->path,
	    ((const struct page *)b)->path);
}

static void
push_page(struct page **v, size_t *n, size_t *cap, const char *path,
    enum pkind kind, int ref, uint64_t key)
{
	struct page *p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	p = &(*v)[(*n)++];
	memset(p, 0, sizeof *p);
	p->path = xstrdup(path);
	p->kind = kind;
	p->ref = ref;
	p->key = key;
	p->own = -1;
}

void
plan_add_page(struct site *s, const char *path, enum pkind kind, int ref,
    uint64_t key)
{
	push_page(&s->pages, &s->npages, &s->capages, path, kind, ref, key);
}

#define SITEMAP_URLS 50000

size_t
plan_sitemap_urls(void)
{
	size_t n = render_env_size("FAQTORY_SITEMAP_URLS", SITEMAP_URLS);

	return n < SITEMAP_URLS ? n : SITEMAP_URLS;
}

/* sitemap.xml with every URL (ref -1), or an index (ref 0) of
 * sitemap/<k>.xml, each with the k-th run of s->sitemap_urls URLs:
 * the home page, then the entries by activity. */
static void
plan_sitemaps(struct site *s)
{
	size_t nurl = s->entries.n + 1, k;
	struct buf p = BUF_INIT;

	s->sitemap_urls = plan_sitemap_urls();
	if (nurl <= s->sitemap_urls) {
		plan_add_page(s, "sitemap.xml", P_SITEMAP, -1, 0);
		return;
	}
	plan_add_page(s, "sitemap.xml", P_SITEMAP, 0, 0);
	for (k = 1; (k - 1) * s->sitemap_urls < nurl; k++) {
		buf_reset(&p);
		buf_printf(&p, "sitemap/%zu.xml", k);
		plan_add_page(s, p.data, P_SITEMAP, (int)k, 0);
	}
	buf_release(&p);
}

void
plan_push_done(struct site *s, const char *path, enum pkind kind)
{
	push_page(&s->dpages, &s->ndpages, &s->cadpages, path, kind, 0, 0);
}

/* What a link to thread i shows (page_link_item: its title, its entry's
 * folder, its date), hashed once per thread: an entry's key then costs
 * one step per related question, not its title again. */
static uint64_t
link_key(const struct site *s, int i)
{
	const struct thr *u = &s->t[i];
	int c = model_target(s, i);
	uint64_t h = key_int(0, u->id);

	/* Ids, never indexes into the model: an index shifts when a
	 * thread before it comes or goes. */
	h = key_int(h, c >= 0 ? s->t[c].id : -1);
	h = key_str(h, u->title);
	h = key_str(h, u->activity);
	h = key_int(h, u->page);
	if (c >= 0)
		h = key_str(h, s->t[c].slug);
	return h;
}

/* Keys of the pages that list entries: a nightly rebuild renders the
 * tag and topic pages whose lists changed, not all of them. */
static uint64_t
list_key(const struct site *s, uint64_t h, const struct ilist *l)
{
	size_t k;

	h = key_int(h, (int64_t)l->n);
	for (k = 0; k < l->n; k++)
		h = key_int(h, (int64_t)s->t[l->v[k]].lkey);
	return h;
}

static uint64_t
tag_key(const struct site *s, const struct tag *g)
{
	uint64_t h = key_int(s->global, 3);

	h = key_str(key_str(h, g->name), g->desc);
	h = list_key(s, h, &g->pages);
	return h ? h : 1;
}

static uint64_t
topic_key(const struct site *s, const struct topic *tp)
{
	uint64_t h = key_int(s->global, 4);

	h = key_int(h, tp->id);
	h = key_str(key_str(h, tp->label), s->t[tp->canonical].title);
	h = key_int(h, (int64_t)s->t[tp->canonical].lkey);
	h = key_str(key_str(h, tp->first), tp->last);
	h = list_key(s, h, &tp->members);
	return h ? h : 1;
}

static uint64_t
thread_key(const struct site *s, int i)
{
	const struct thr *t = &s->t[i];
	uint64_t h = key_int(s->global, i >= 0 ? 1 : 0);
	size_t k;
	const struct ilist *lists[4];
	size_t l;

	h = key_int(h, (int64_t)t->hash);
	h = key_int(h, (int64_t)t->authors);
	h = key_str(h, t->title);
	h = key_str(h, t->created);
	h = key_str(h, t->activity);
	h = key_str(h, t->url);
	h = key_int(h, t->score);
	h = key_int(h, t->views);
	h = key_int(h, t->topic >= 0 ? s->topics[t->topic].id : -1);
	h = key_int(h, t->pinned);
	h = key_int(h, (int64_t)render_answer_key(&t->ans));
	h = key_str(h, t->article);
	h = key_str(h, t->writer);
	for (k = 0; k < t->tags.n; k++)
		h = key_str(h, s->tags[t->tags.v[k]].name);
	lists[0] = &t->links;
	lists[1] = &t->related;
	lists[2] = &t->also;
	lists[3] = &t->blinks;
	for (l = 0; l < 4; l++) {
		h = key_int(h, (int64_t)lists[l]->n);
		for (k = 0; k < lists[l]->n; k++)
			h = key_int(h, (int64_t)s->t[lists[l]->v[k]].lkey);
	}
	if (t->topic >= 0)
		h = key_str(h, s->topics[t->topic].label);
	return h ? h : 1;
}

/* The key of thread i's page (entry or redirect). */
static uint64_t
page_key(const struct site *s, int i)
{
	const struct thr *t = &s->t[i], *c;
	uint64_t key;

	if (t->page)
		return thread_key(s, i);
	if (t->fold < 0)
		return key_int(thread_key(s, i), P_NOENTRY);
	c = &s->t[t->fold];
	key = key_str(key_int(s->global, 2), t->title);
	key = key_str(key_int(key, c->ext_id), c->slug);
	key = key_str(key, c->title);
	return key ? key : 1;
}

/* The key of the page at thread i's short URL, "q/site/12/": a
 * redirect to the entry that shows the thread. */
static uint64_t
short_key(const struct site *s, int i)
{
	const struct thr *c = &s->t[model_home(s, i)];
	uint64_t key;

	key = key_str(key_int(s->global, 5), s->t[i].title);
	key = key_str(key_int(key, c->ext_id), c->slug);
	key = key_str(key_str(key, c->title), s->srcs[c->src].shortname);
	return key ? key : 1;
}

/*
 * The per-thread part of plan, on two cores (20,000 threads at 20x took
 * 15 ms on one): pass 0 makes what a link to a thread shows (link hash,
 * folder, escaped title), pass 1, once every link hash exists, the keys
 * of the pages.  Each pass writes only thread i's fields.
 */
struct plan_part {
	struct site *s;
	size_t lo, hi;
	int pass;
};

static void *
plan_threads(void *arg)
{
	struct plan_part *pp = arg;
	struct site *s = pp->s;
	size_t i;

	for (i = pp->lo; i < pp->hi; i++) {
		struct thr *t = &s->t[i];

		if (pp->pass == 0) {
			t->lkey = link_key(s, (int)i);
			make_path(s, (int)i);
			make_escaped(s, (int)i);
		} else if (t->page || t->fold >= 0 || t->stub) {
			t->pkey = page_key(s, (int)i);
			t->skey = short_key(s, (int)i);
		}
	}
	return NULL;
}

static void
plan_split(struct site *s, int pass)
{
	struct plan_part a = { s, 0, s->nt / 2, pass };
	struct plan_part b = { s, s->nt / 2, s->nt, pass };
	pthread_t tid;

	if (s->nt < 256 || pthread_create(&tid, NULL, plan_threads, &b) != 0) {
		a.hi = s->nt;
		plan_threads(&a);
		return;
	}
	plan_threads(&a);
	pthread_join(tid, NULL);
}

/* The source whose short name is name[0..n), or -1. */
static int
find_short(const struct site *s, const char *name, size_t n)
{
	size_t k;

	for (k = 0; k < s->nsrcs; k++)
		if (strlen(s->srcs[k].shortname) == n &&
		    memcmp(s->srcs[k].shortname, name, n) == 0)
			return (int)k;
	return -1;
}

/*
 * A published thread URL stays (docs/site.md).  Pass 0: a thread of the
 * previous manifest with no entry now and not folded gets a "no entry"
 * page (stub), unless a writer hid it; a thread gone from the source
 * is not found and its pages go.  Pass 1, once the thread's own pages
 * are planned: a folder under an older slug (the source retitled the
 * question) becomes a redirect to the page that shows the thread.
 */
static void
keep_urls(struct site *s, int pass)
{
	const char *src, *slug, *prev = "";
	size_t k, srclen, sluglen;
	int64_t ext;

	for (k = 0; k < s->old.n; k++) {
		const char *path = s->old.v[k].path;
		int sk, i;
		struct thr *t;

		if (strcmp(path, prev) == 0 || !render_thread_path(path, &src,
		    &srclen, &ext, &slug, &sluglen))
			continue;
		prev = path;
		if ((sk = find_short(s, src, srclen)) < 0 || (i = model_thread(s,
		    s->srcs[sk].id, ext)) < 0 || s->t[i].hidden)
			continue;
		t = &s->t[i];
		if (pass == 0 && !t->page && t->fold < 0)
			t->stub = 1;
		if (pass == 1 && slug && model_home(s, i) >= 0 &&
		    (strlen(t->slug) != sluglen ||
		    memcmp(t->slug, slug, sluglen) != 0))
			plan_add_page(s, path, P_REDIRECT, i, t->skey);
	}
}

void
plan_pages(struct site *s)
{
	struct buf p = BUF_INIT;
	size_t i;

	plan_split(s, 0);
	keep_urls(s, 0);
	plan_split(s, 1);
	for (i = 0; i < s->nt; i++) {
		const struct thr *t = &s->t[i];

		if (!t->page && t->fold < 0 && !t->stub)
			continue;
		buf_reset(&p);
		buf_put(&p, t->path, t->pathlen);
		buf_puts(&p, "index.html");
		plan_add_page(s, p.data, t->page ? P_ENTRY : t->fold >= 0 ?
		    P_REDIRECT : P_NOENTRY, (int)i, t->pkey);
		/* The short URL, for a reader who trims the slug off. */
		buf_reset(&p);
		buf_put(&p, t->path, t->pathlen - strlen(t->slug) - 1);
		buf_puts(&p, "index.html");
		plan_add_page(s, p.data, P_SHORT, (int)i, t->skey);
	}
	keep_urls(s, 1);
	for (i = 0; i < s->ntags; i++) {
		if (s->tags[i].pages.n == 0)
			continue;
		buf_reset(&p);
		buf_printf(&p, "tag/%s/index.html", s->tags[i].slug);
		plan_add_page(s, p.data, P_TAG, (int)i, tag_key(s, &s->tags[i]));
	}
	for (i = 0; i < s->ntopics; i++) {
		if (s->topics[i].canonical < 0)
			continue;
		buf_reset(&p);
		buf_printf(&p, "topic/%lld/index.html",
		    (long long)s->topics[i].id);
		plan_add_page(s, p.data, P_TOPIC, (int)i,
		    topic_key(s, &s->topics[i]));
	}
	plan_add_page(s, "index.html", P_HOME, 0, 0);
	plan_add_page(s, "tags/index.html", P_TAGS, 0, 0);
	plan_add_page(s, "topics/index.html", P_TOPICS, 0, 0);
	plan_add_page(s, "search/index.html", P_SEARCH, 0, 0);
	plan_add_page(s, "404.html", P_404, 0, 0);
	plan_sitemaps(s);
	plan_add_page(s, "feed.xml", P_FEED, 0, 0);
	plan_add_page(s, "opensearch.xml", P_OPENSEARCH, 0, 0);
	plan_add_page(s, "robots.txt", P_ROBOTS, 0, 0);
	buf_release(&p);
}

/* Queues the contributors page once the search files are written (ok),
 * or wakes the workers waiting for it to give up (the run has failed). */
void
plan_shards(struct site *s, int ok)
{
	pthread_mutex_lock(&s->qlock);
	if (ok)
		push_page(&s->spages, &s->nspages, &s->caspages,
		    "contributors/index.html", P_CONTRIB, 0, 0);
	s->shards_ready = 1;
	pthread_cond_broadcast(&s->qcond);
	pthread_mutex_unlock(&s->qlock);
}

/* Returns page i of the queue (pages[], then spages[] once planned), or
 * NULL past its end. */
struct page *
plan_queued_page(struct site *s, size_t i)
{
	size_t n;

	if (i < s->npages)
		return &s->pages[i];
	pthread_mutex_lock(&s->qlock);
	while (!s->shards_ready)
		pthread_cond_wait(&s->qcond, &s->qlock);
	n = s->nspages;
	pthread_mutex_unlock(&s->qlock);
	return i - s->npages < n ? &s->spages[i - s->npages] : NULL;
}
