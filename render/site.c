/*
 * site: the run.  The main thread reads the store once into the model
 * (model.c: titles and ids, never bodies), decides every page and its
 * input key (plan.c), then worker threads (each with its own store
 * connection, template set and value arena) render the pages (pages.c,
 * entry.c), reading bodies as they go, while the main thread builds the
 * contributors and the search files and then joins them.
 *
 * Incrementality: a page whose input key (a hash of everything it
 * shows that is not a body, plus the thread's content hash and the
 * theme) equals the key of the previous manifest is kept without
 * rendering.  Any other page is rendered and kept if its bytes hash as
 * before.  Output depends on the store, the theme and the options only:
 * no clock, no directory order, no thread timing.
 */
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/license.h"
#include "core/path.h"
#include "core/store.h"
#include "core/xmalloc.h"
#include "locale.h"
#include "render/manifest.h"
#include "render/render_int.h"
#include "shards.h"
#include "template.h"

/* Bump when page shapes change: forces every key to change. */
#define RENDER_VERSION "faqtory-render-4"

/* ---- workers ------------------------------------------------------------ */

void
site_fail(struct worker *w, const char *fmt, const char *arg)
{
	struct site *s = w->s;

	pthread_mutex_lock(&s->errlock);
	if (atomic_fetch_add(&s->failed, 1) == 0)
		fq_err(fmt, arg);
	pthread_mutex_unlock(&s->errlock);
}

/* Whether manifest line e says page p's file is what p would be: by
 * its input key before rendering, by its bytes after. */
static int
same(const struct manifest_entry *e, const struct page *p, int by_key)
{
	if (e == NULL)
		return 0;
	return by_key ? p->key && e->key == p->key :
	    e->hash == p->hash && e->size == p->size;
}

/* Keeps page p's file as it is in a recycled staging folder (h), else
 * from the previous release (o), when the manifest line says it is
 * what p would be.  0 (p kept), or -1. */
static int
keep(struct worker *w, struct page *p, const struct manifest_entry *h,
    const struct manifest_entry *o, int by_key)
{
	const struct manifest_entry *e = NULL;

	if (same(h, p, by_key) && files_here(w, p, h->size) == 0)
		e = h;
	else if (same(o, p, by_key) && files_keep(w, p, o->size) == 0)
		e = o;
	if (e == NULL)
		return -1;
	p->hash = e->hash;
	p->size = e->size;
	p->status = ST_KEPT;
	return 0;
}

size_t
render_env_size(const char *name, size_t def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long x;

	/* Digits only: strtoul would take " 5", "+5" and "-5" (as huge). */
	if (v == NULL || *v < '1' || *v > '9')
		return def;
	x = strtoul(v, &end, 10);
	return *end == '\0' ? (size_t)x : def;
}

/* Page p with the bytes out: kept when the manifest says they are what
 * its file already holds, else written.  0, or -1 (reported, or the
 * folder was tampered with). */
static int
put_page(struct worker *w, struct page *p, const struct buf *out,
    const struct manifest_entry *h, const struct manifest_entry *o)
{
	struct site *s = w->s;
	size_t bad;

	p->hash = fq_hash64(out->data, out->len, 0);
	p->size = (int64_t)out->len;
	if (keep(w, p, h, o, 0) == 0)
		return 0;
	if (files_write(s->outfd, p->path, out->data, out->len,
	    (s->prev == NULL && !s->fresh) || s->recycled, p->own,
	    &bad) < 0) {
		struct buf m = BUF_INIT;

		/* Not an error of the build: the caller starts over in a
		 * fresh folder. */
		if (s->recycled && errno == ELOOP) {
			atomic_store(&s->tampered, 1);
			return -1;
		}
		files_write_failed(&m, s->out, p->path, bad);
		site_fail(w, "%s", m.data);
		buf_release(&m);
		return -1;
	}
	p->status = ST_WRITTEN;
	return 0;
}

static int
do_page(struct worker *w, struct page *p)
{
	struct site *s = w->s;
	const struct manifest_entry *o = plan_find_in(&s->old, p->path);
	const struct manifest_entry *h = plan_find_in(&s->here, p->path);

	/* --full trusts no key: every page is rendered (and still kept
	 * when its bytes are the same). */
	if (!s->o->full && keep(w, p, h, o, 1) == 0)
		return 0;
	atomic_fetch_add(&s->rendered, 1);
	if (page_render(w, p) < 0)
		return -1;
	return put_page(w, p, &w->out, h, o);
}

/* shards_build's sink: each search file as it is built, written (or
 * kept) at once by the building thread with its worker w, so that only
 * one is ever in memory.  The pages go to s->dpages, which no other
 * worker reads. */
static int
put_search_file(void *arg, const char *path, const struct buf *data)
{
	struct worker *w = arg;
	struct site *s = w->s;
	struct page *p;

	if (atomic_load(&s->failed))
		return -1;
	plan_push_done(s, path, P_SEARCHDATA);
	p = &s->dpages[s->ndpages - 1];
	return put_page(w, p, data, plan_find_in(&s->here, p->path),
	    plan_find_in(&s->old, p->path));
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct site *s = w->s;

	for (;;) {
		size_t i = atomic_fetch_add(&s->next, 1);
		struct page *p = plan_queued_page(s, i);

		if (p == NULL || atomic_load(&s->failed))
			break;
		if (w->draws)
			progress_update(&s->progress, i);
		if (do_page(w, p) < 0) {
			atomic_fetch_add(&s->failed, 1);
			break;
		}
	}
	return NULL;
}

/* The theme's templates into set, every page kind's there.  0, or -1
 * (reported). */
static int
load_templates(const struct site *s, struct tset *set)
{
	size_t i;

	for (i = 0; i < s->nthemes; i++) {
		if (tset_load_dir(set, s->themes[i]) < 0) {
			fq_err("%s", tset_errmsg(set));
			return -1;
		}
	}
	for (i = 0; i <= P_SEARCHDATA; i++) {
		const char *name = page_template((enum pkind)i);

		if (name && !tset_has(set, name)) {
			fq_err("%s: no template '%s.mustache'", s->themes[0],
			    name);
			return -1;
		}
	}
	return 0;
}

/* Whether the theme's templates load, before a build gives up the
 * release it recycles (o->ready): each worker loads its own later. */
static int
check_templates(const struct site *s)
{
	struct tset *set = tset_new();
	int rc = load_templates(s, set);

	tset_free(set);
	return rc;
}

static int
worker_init(struct worker *w, struct site *s)
{
	size_t i;

	memset(w, 0, sizeof *w);
	w->s = s;
	render_keeper_init(&w->keep, s->prevfd, s->outfd);
	w->keep.replace = s->recycled;
	buf_init(&w->out);
	buf_init(&w->a);
	buf_init(&w->b);
	buf_init(&w->body);
	buf_init(&w->ld);
	buf_init(&w->ans);
	buf_init(&w->sug);
	buf_init(&w->rootb);
	buf_init(&w->hrefs);
	w->cx = tctx_new();
	/* The locale strings once per worker, not once per page, and
	 * escaped once ({{t.key}} would escape them on every page). */
	w->lcx = tctx_new();
	w->loc = tval_map(w->lcx);
	for (i = 0; i < s->nloc; i++) {
		buf_reset(&w->a);
		esc_attr(&w->a, s->loc[i].v, strlen(s->loc[i].v));
		tval_set_html(w->loc, s->loc[i].k, w->a.data, w->a.len);
	}
	w->set = tset_new();
	if (load_templates(s, w->set) < 0)
		return -1;
	if ((w->st = store_open(s->db_path, 1)) == NULL)
		return -1;
	/* One read transaction for the whole run: one snapshot, and no
	 * lock traffic per statement.  A worker reads each thread's posts
	 * once: 1 MB of cache keeps the b-tree interiors, and the peak of
	 * a small site low (bench/render.sh: 4 MB cost 5 MB more at 1x and
	 * no time). */
	return store_exec(w->st, "PRAGMA cache_size=-1024; BEGIN");
}

static void
worker_release(struct worker *w)
{
	if (w->st)
		store_rollback(w->st);
	store_close(w->st);
	tset_free(w->set);
	tctx_free(w->cx);
	tctx_free(w->lcx);
	buf_release(&w->out);
	buf_release(&w->a);
	buf_release(&w->b);
	buf_release(&w->body);
	buf_release(&w->ld);
	buf_release(&w->ans);
	buf_release(&w->sug);
	buf_release(&w->rootb);
	free(w->keys);
	free(w->plinks);
	buf_release(&w->hrefs);
	render_keeper_release(&w->keep);
}

/* ---- the run ------------------------------------------------------------ */

/* Hands o->planned what this render decided (render.h): the report
 * links only the entries planned here. */
static int
tell_plan(struct site *s)
{
	struct render_plan p;
	const char **v = xcalloc(s->entries.n + 1, sizeof *v);
	size_t i;
	int rc;

	for (i = 0; i < s->entries.n; i++)
		v[i] = s->t[s->entries.v[i]].path;
	p.themes = (const char *const *)s->themes;
	p.nthemes = s->nthemes;
	p.entries = v;
	p.nentries = s->entries.n;
	rc = s->o->planned(s->o->planned_arg, &p);
	free(v);
	return rc;
}

static void
site_release(struct site *s)
{
	size_t i;

	model_release(s);
	free(s->lic_name);
	free(s->lic_url);
	for (i = 0; i < s->nloc; i++) {
		free(s->loc[i].k);
		free(s->loc[i].v);
	}
	free(s->loc);
	for (i = 0; i < s->nthemes; i++)
		free(s->themes[i]);
	plan_manifest_free(&s->old);
	plan_manifest_free(&s->here);
	for (i = 0; i < s->npages; i++)
		free(s->pages[i].path);
	free(s->pages);
	for (i = 0; i < s->nspages; i++)
		free(s->spages[i].path);
	free(s->spages);
	for (i = 0; i < s->ndpages; i++)
		free(s->dpages[i].path);
	free(s->dpages);
	free(s->base_path);
	if (s->outfd >= 0)
		close(s->outfd);
	if (s->prevfd >= 0)
		close(s->prevfd);
	pthread_mutex_destroy(&s->errlock);
	pthread_mutex_destroy(&s->qlock);
	pthread_cond_destroy(&s->qcond);
}

/* The static search's files, for every entry (render/shards.c),
 * written by this thread with its worker w as they are built. */
static int
search_files(struct site *s, struct store *st, struct worker *w)
{
	struct shard_sink sink;
	struct shard_doc *d = xcalloc(s->entries.n + 1, sizeof *d);
	struct shard_topic *tp = xcalloc(s->ntopics + 1, sizeof *tp);
	struct buf *paths = xcalloc(s->entries.n + 1, sizeof *paths);
	int64_t *folded = xcalloc(s->nt + 1, sizeof *folded);
	int *at = xcalloc(s->nt + 1, sizeof *at);
	size_t i, nt = 0, nf = 0;
	int rc;

	/* Folded threads grouped by their entry, in thread order. */
	for (i = 0; i < s->entries.n; i++)
		at[s->entries.v[i]] = (int)i + 1;
	for (i = 0; i < s->nt; i++)
		if (s->t[i].fold >= 0 && !s->t[i].page && at[s->t[i].fold])
			d[at[s->t[i].fold] - 1].nfolded++;
	for (i = 0; i < s->entries.n; i++) {
		d[i].folded = folded + nf;
		nf += d[i].nfolded;
		d[i].nfolded = 0;
	}
	for (i = 0; i < s->nt; i++) {
		struct shard_doc *e;

		if (s->t[i].fold < 0 || s->t[i].page || !at[s->t[i].fold])
			continue;
		e = &d[at[s->t[i].fold] - 1];
		folded[(size_t)(e->folded - folded) + e->nfolded++] =
		    s->t[i].id;
	}
	for (i = 0; i < s->entries.n; i++) {
		const struct thr *t = &s->t[s->entries.v[i]];

		buf_init(&paths[i]);
		plan_entry_path(s, s->entries.v[i], &paths[i]);
		d[i].thread_id = t->id;
		d[i].source = s->srcs[t->src].shortname;
		d[i].ext = t->ext_id;
		d[i].title = t->title;
		d[i].path = paths[i].data;
		d[i].source_id = t->source_id;
		d[i].answer = t->ans.kind != ANSWER_NONE ? t->ans.post : 0;
	}
	for (i = 0; i < s->ntopics; i++) {
		const struct topic *p = &s->topics[i];

		if (p->canonical < 0)
			continue;
		tp[nt].id = p->id;
		tp[nt].label = p->label ? p->label : s->t[p->canonical].title;
		tp[nt++].size = p->members.n;
	}
	memset(&sink, 0, sizeof sink);
	sink.emit = put_search_file;
	sink.arg = w;
	rc = shards_build(st, d, s->entries.n, tp, nt, &sink);
	for (i = 0; i < s->entries.n; i++)
		buf_release(&paths[i]);
	free(paths);
	free(folded);
	free(at);
	free(d);
	free(tp);
	return rc;
}

/* The run's settings and global key (everything every page shows of
 * the options), and its folders opened.  0 or -1 (reported). */
static int
site_open(struct site *s, const char *out, const char *prev,
    const struct render_opts *o)
{
	const char *bp;

	s->title = o->title ? o->title : "FAQ";
	s->base_url = o->base_url ? o->base_url : "http://localhost:8080/";
	s->lang = o->language ? o->language : "en";
	bp = strstr(s->base_url, "//");
	bp = bp ? strchr(bp + 2, '/') : NULL;
	s->base_path = xstrdup(bp ? bp : "/");
	if (!path_ends_with(s->base_url, "/")) {
		fq_err("base URL '%s' must end with '/'", s->base_url);
		return -1;
	}
	s->global = key_str(fq_hash64(RENDER_VERSION, sizeof RENDER_VERSION,
	    0), s->title);
	s->global = key_str(key_str(s->global, s->base_url), s->lang);
	if (o->content_license) {
		const char *why = license_parse(o->content_license,
		    &s->lic_name, &s->lic_url);

		if (why) {
			fq_err("%s", why);
			return -1;
		}
		s->global = key_str(key_str(s->global, s->lic_name),
		    s->lic_url);
	}
	if (mkdir(out, 0755) == 0) {
		s->fresh = 1;
	} else if (errno != EEXIST) {
		fq_err("%s: %s", out, strerror(errno));
		return -1;
	}
	if ((s->outfd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fq_err("%s: %s", out, strerror(errno));
		return -1;
	}
	if (prev && (s->prevfd = open(prev, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0) {
		fq_err("%s: %s", prev, strerror(errno));
		return -1;
	}
	return 0;
}

/* Moves the pages v[0..*n) to the end of s->pages (they own their
 * paths). */
static void
join_pages(struct site *s, struct page **v, size_t *n)
{
	if (*n > 0) {
		s->pages = xreallocarray(s->pages, s->npages + *n,
		    sizeof *s->pages);
		memcpy(s->pages + s->npages, *v, *n * sizeof *s->pages);
		s->npages += *n;
		s->capages = s->npages;
	}
	free(*v);
	*v = NULL;
	*n = 0;
}

/*
 * Renders every page on nw workers: this thread builds the contributors
 * and the search files (on st, which it closes) while the others render
 * pages, then joins the page queue; the search pages end up after
 * s->pages.  0, or -1 when a worker could not start or a page failed.
 */
static int
site_work(struct site *s, struct store *st, int nw, int timing, int64_t t0)
{
	struct worker *ws = xcalloc((size_t)nw, sizeof *ws);
	int i, started = 0;

	for (i = 0; i < nw; i++) {
		if (worker_init(&ws[i], s) < 0) {
			worker_release(&ws[i]);
			atomic_fetch_add(&s->failed, 1);
			break;
		}
		started++;
	}
	for (i = 1; i < started; i++) {
		if (pthread_create(&ws[i].tid, NULL, work, &ws[i]) != 0) {
			int k;

			/* Fewer threads do the work; the workers that will
			 * not start go now. */
			for (k = i; k < started; k++)
				worker_release(&ws[k]);
			started = i;
			break;
		}
	}
	/* The contributors and the search files take one core while the
	 * other renders pages; then this thread joins the page queue. */
	if (atomic_load(&s->failed) == 0 && (model_load_contribs(s, st) < 0 ||
	    search_files(s, st, &ws[0]) < 0))
		atomic_fetch_add(&s->failed, 1);
	plan_shards(s, atomic_load(&s->failed) == 0);
	store_close(st);
	progress_start(&s->progress, "render", s->npages + s->nspages);
	if (started > 0) {
		ws[0].draws = 1;
		work(&ws[0]);
	}
	progress_end(&s->progress);
	for (i = 1; i < started; i++)
		pthread_join(ws[i].tid, NULL);
	join_pages(s, &s->spages, &s->nspages);
	join_pages(s, &s->dpages, &s->ndpages);
	if (timing)
		fprintf(stderr, "render: pages %lld ms (%zu rendered)\n",
		    (long long)(fq_now_ms() - t0), atomic_load(&s->rendered));
	for (i = 0; i < started; i++)
		worker_release(&ws[i]);
	free(ws);
	return started == 0 || atomic_load(&s->failed) ? -1 : 0;
}

/*
 * A build's staging folder is empty, or an older release that
 * render_release_begin recycled (publish.c): then its manifest says
 * what it holds, and pages are updated in place (s->here).  0, or -1
 * (reported) if a folder that is not empty has no readable manifest.
 */
static int
staging_recycled(struct site *s)
{
	struct stat sb;
	int fd;

	/* o->ready may have put another folder at s->out. */
	if ((fd = open(s->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fq_err("%s: %s", s->out, strerror(errno));
		return -1;
	}
	close(s->outfd);
	s->outfd = fd;
	if (fstatat(s->outfd, RENDER_MANIFEST, &sb, AT_SYMLINK_NOFOLLOW) != 0)
		return 0;
	if (plan_load_manifest(&s->here, s->out) < 0) {
		fq_err("%s/%s: unreadable or unfinished; the staging release "
		    "is removed", s->out, RENDER_MANIFEST);
		return -1;
	}
	s->recycled = 1;
	return 0;
}

/* In place, the manifest goes before the first file changes (s->old
 * holds what it said): a run that stops half-way leaves a tree without
 * keys, whose pages the next run renders and writes again, never one
 * whose manifest vouches for files it did not write.  0, or -1
 * (reported). */
static int
forget_manifest(struct site *s)
{
	if (unlinkat(s->outfd, RENDER_MANIFEST, 0) == 0 || errno == ENOENT)
		return 0;
	fq_err("%s/%s: %s", s->out, RENDER_MANIFEST, strerror(errno));
	return -1;
}

int
render_site(const char *db_path, const char *out, const char *prev,
    const struct render_opts *o, struct render_result *res)
{
	struct site s;
	struct store *st = NULL;
	int nw = o->threads > 0 ? o->threads : 2, rc = -1;
	size_t k;
	int64_t t0 = fq_now_ms();
	int timing;

	memset(res, 0, sizeof *res);
	memset(&s, 0, sizeof s);
	pthread_mutex_init(&s.errlock, NULL);
	pthread_mutex_init(&s.qlock, NULL);
	pthread_cond_init(&s.qcond, NULL);
	atomic_init(&s.next, 0);
	atomic_init(&s.rendered, 0);
	atomic_init(&s.failed, 0);
	s.outfd = s.prevfd = -1;
	s.o = o;
	s.db_path = db_path;
	s.out = out;
	s.prev = prev;
	if (site_open(&s, out, prev, o) < 0)
		goto out;
	timing = getenv("FAQTORY_TIMING") != NULL;
	t0 = fq_now_ms();
	if (theme_load(&s) < 0 || model_load(&s, &st) < 0 ||
	    theme_pages(&s) < 0)
		goto out;
	/* Before plan: a URL the previous tree published stays
	 * (keep_urls). */
	plan_load_manifest(&s.old, prev ? prev : out);
	plan_pages(&s);
	if (o->planned && tell_plan(&s) < 0)
		goto out;
	if (prev && o->ready) {
		if (check_templates(&s) < 0)
			goto out;
		o->ready(o->ready_arg);
	}
	if (prev && staging_recycled(&s) < 0)
		goto out;
	/* A build's fresh staging release is as new as a folder made
	 * here: render_release_begin made it empty. */
	if (s.fresh || (prev && !s.recycled))
		files_plan_dirs(&s);
	if (prev == NULL && !s.fresh && forget_manifest(&s) < 0)
		goto out;
	if (timing)
		fprintf(stderr, "render: model and plan %lld ms\n",
		    (long long)(fq_now_ms() - t0));
	rc = site_work(&s, st, nw, timing, t0);
	st = NULL;
	if (rc < 0)
		goto out;
	rc = -1;

	if (s.npages > 1)
		qsort(s.pages, s.npages, sizeof *s.pages, plan_page_cmp);
	for (k = 0; k < s.npages; k++) {
		if (s.pages[k].status == ST_WRITTEN)
			res->written++;
		else
			res->kept++;
		if (s.pages[k].kind == P_ENTRY)
			res->entries++;
	}
	res->pages = (int64_t)s.npages;
	res->removed = files_remove_gone(&s);
	if (files_write_manifest(&s) < 0)
		goto out;
	rc = 0;
out:
	res->tampered = rc < 0 && atomic_load(&s.tampered);
	store_close(st);
	site_release(&s);
	return rc;
}
