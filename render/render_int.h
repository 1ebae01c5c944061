/*
 * Shared inside render/ only (not an interface for other stages), in
 * sections: URL segments (urls.c); files beneath a folder (beneath.c);
 * the site's model and worker types; then one section per file of the
 * site: model.c, plan.c (with the keys), theme.c, files.c, body.c,
 * pages.c and entry.c, site.c.  The site's .c files include this header
 * and no other's.
 */
#ifndef FQ_RENDER_INT_H
#define FQ_RENDER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "render/answer.h"
#include "render/shards.h"

/* The slug of an entry's URL, /q/<short name>/<id>/<slug>/ (urls.c;
 * the short name is sources.short): a heap string the caller frees. */
char *render_slugify(const char *title);

/* A tag's path segment, /tag/<segment>/: [a-z0-9.-] kept (a leading dot
 * escaped), every other byte as "_xx"; a long one cut and hashed.  A heap
 * string the caller frees (urls.c, like render_slugify). */
char *render_tag_slug(const char *name);

/*
 * A thread folder's page in a previous manifest: "q/SRC/ID/SLUG/
 * index.html" (an entry, redirect or no-entry page) or "q/SRC/ID/
 * index.html" (a short URL).  Returns 1 with *src and *srclen the
 * short name, *id the thread's id in its source, *slug and *sluglen the
 * slug (NULL and 0 for a short URL), all pointing into path; 0 for any
 * other path.
 */
int render_thread_path(const char *path, const char **src, size_t *srclen,
    int64_t *id, const char **slug, size_t *sluglen);


/* ---- reaching files beneath a folder (beneath.c) ---------------------- */

/*
 * Every path here is relative to the folder dirfd and is resolved
 * beneath it with no symlink at any component: a symlink, an absolute
 * path or ".." never leads outside.  On failure errno is ELOOP where a
 * component is a symlink, ENOTDIR where one is not a folder, EXDEV for
 * an absolute path or "..", else what the system call said.
 */

struct stat;

/* Opens the regular file at rel (a render_serve_path result) for
 * reading; a FIFO or device is refused without blocking.  Returns a
 * descriptor the caller closes, with *sb filled, or -1 (EISDIR for
 * anything not regular). */
int render_open_beneath(int dirfd, const char *rel, struct stat *sb);
/* The same by the portable walk alone, one component at a time (what
 * render_open_beneath falls back to without openat2); for tests. */
int render_open_walk(int dirfd, const char *rel, struct stat *sb);

/* The gzip member of the size bytes of the file fd (servezip.c), in a
 * heap buffer the caller frees, its length in *outlen; NULL when the
 * file is too small or too large to be worth it, does not shrink, or
 * cannot be read whole (then send it as stored). */
unsigned char *render_gzip_file(int fd, size_t size, size_t *outlen);

/* Opens the folder rel[0..n); with create, makes the missing folders
 * (0755).  Returns dirfd itself for n == 0, else a descriptor the
 * caller closes; or -1 with *bad the length of the prefix of rel that
 * ends with the component at fault. */
int render_dir_beneath(int dirfd, const char *rel, size_t n, int create,
    size_t *bad);

/* Makes the folders rel[from..n), which nobody has made yet (a fresh
 * tree's folders of one page), under the folder rel[0..from - 1) made
 * before, each under its parent's descriptor without probing first.
 * 0, or -1 with errno and *bad set as above. */
int render_mkdirs_beneath(int dirfd, const char *rel, size_t from, size_t n,
    size_t *bad);

/* Writes data as the file rel, making its folders; a symlink at rel
 * fails too.  replace: through a temporary file and rename(2) in the
 * same folder, so a reader sees the old bytes or the new ones (the old
 * file is unlinked first, which spares ext4 the flush it forces on a
 * rename over an existing file; a reader may then miss the file for
 * that instant).  0, or -1 with errno set and *bad as above (the whole
 * of rel when the file itself failed). */
int render_write_beneath(int dirfd, const char *rel, const char *data,
    size_t n, int replace, size_t *bad);

/*
 * Keeping the files of one tree in another (a build keeps the unchanged
 * files of the previous release in the new one).  A file is kept only
 * if it lies beneath the tree it comes from with no symlink at any
 * component, the last included, and is a regular file of the size
 * expected (the size the previous manifest gives): a symlink planted in
 * a published release never brings a file from elsewhere into the next
 * one.  It is hard-linked, or copied where the trees are on two file
 * systems.  The folders of the last file kept stay open, so consecutive
 * files of one folder (the search shards) open them once.  One keeper
 * per thread; fromfd and tofd are not owned.
 */
struct render_keeper {
	int fromfd, tofd; /* the two trees */
	char *dir;        /* the folder of the last file kept, or NULL */
	size_t dirlen;
	int fromdir, todir; /* that folder in each tree (-1: none) */
	int replace; /* a file at the target is replaced (a recycled tree) */
};

void render_keeper_init(struct render_keeper *k, int fromfd, int tofd);
/* Makes from/rel appear as to/rel, making rel's folders in to.  0, or
 * -1 with errno set (ELOOP at a symlink, EISDIR for anything not a
 * regular file, EFBIG for a file of another size); nothing is left at
 * to/rel then but what was there before. */
int render_keep_beneath(struct render_keeper *k, const char *rel,
    long long size);
/* Closes the folders kept open. */
void render_keeper_release(struct render_keeper *k);

/* Removes the file (or symlink) rel, then each of its folders that
 * became empty, deepest first, whatever the depth.  0 if rel was
 * removed, or -1 with errno set. */
int render_remove_beneath(int dirfd, const char *rel);

/* ---- the site model and its run (model.c, plan.c, site.c) ------------- */

/*
 * The main thread reads the store once into one struct site (threads,
 * tags, links, topics, contributors: titles and ids, never bodies),
 * decides every page and its input key, then workers render the pages,
 * reading the model only.  Threads, tags, topics and contributors refer
 * to each other by index into the site's arrays.  Every string and list
 * here is owned by the struct that holds it and freed with the site
 * (site_release, the model's part by model_release).
 */

struct locale_kv;
struct manifest_entry;
struct render_opts;
struct store;
struct tctx;
struct tset;
struct tval;

struct src {
	int64_t id;
	char *name;
	char *shortname;
};

struct ilist {
	int *v;
	size_t n, cap;
};

struct thr {
	int64_t id, source_id, ext_id, score, views, accepted_ext;
	int src;
	int has_accepted;
	struct render_answer ans; /* the answer it publishes (answer.h) */
	int in_scope;
	int page;          /* has its own entry page */
	int fold;          /* canonical thread it redirects to, or -1 */
	int stub;          /* no entry now, but published before: a
	                    * "no entry" page keeps its URL (core/fold.h) */
	int topic;         /* cluster, or -1 */
	/* The writers' curation (docs/trends.md): */
	int pinned, hidden;
	int merge;         /* curation: fold into this thread, or -1 */
	char *article, *writer; /* sanitized HTML and its writer, or NULL */
	char *title, *slug, *created, *activity, *url;
	uint64_t hash, authors;
	uint64_t lkey; /* what a link to it shows (link_key) */
	uint64_t pkey; /* its page's key (page_key), if it has one */
	uint64_t skey; /* its short URL's page's key (short_key) */
	char *path;    /* its folder, "q/site/12/slug/" (plan) */
	size_t pathlen;
	/* Escaped once (plan), shown on a dozen pages: {{title}} and the
	 * dates need no escaping per page. */
	char *etitle;
	size_t etitle_len;
	int dates_plain; /* created and activity have nothing to escape */
	struct ilist tags; /* site tags */
	struct ilist links;   /* neighbours in the links table */
	struct ilist blinks;  /* threads its bodies link (post_links) */
	struct ilist dup_out; /* threads this one duplicates */
	struct ilist related; /* from the index, when present */
	struct ilist also;    /* folded here, or fellow cluster members */
};

struct tag {
	char *name, *slug, *desc;
	struct ilist pages; /* entries carrying it */
};

struct topic {
	int64_t id;
	char *label;
	int canonical;
	struct ilist members;
	double *sim; /* each member's cosine to the canonical question */
	char *first, *last;
};

/* A recurring issue (index/issues.c), for the home page's list: the
 * topics above are for browsing. */
struct issue {
	int64_t id;
	int canonical;       /* thread index of its canonical question, or -1 */
	int64_t size, views; /* its questions, and their views summed */
};

struct contrib {
	int src;
	int64_t ext;
	int has_ext;
	char *name, *role;
	int64_t accepted, score;
	char anchor[64];
};

enum pkind {
	P_ENTRY, P_REDIRECT, P_SHORT, P_NOENTRY, P_TAG, P_TAGS, P_TOPIC, P_TOPICS, P_HOME,
	P_SEARCH, P_404, P_CONTRIB, P_SITEMAP, P_FEED, P_OPENSEARCH,
	P_ROBOTS, P_ASSET, P_SEARCHDATA,
};

enum { ST_NONE, ST_WRITTEN, ST_KEPT };

struct page {
	char *path;
	enum pkind kind;
	int ref;
	uint64_t key; /* 0: always render */
	uint64_t hash;
	int64_t size;
	int status;
	int own; /* offset of its own folders in path, or -1: files_plan_dirs */
};

/* A finished tree's manifest as read: lines sorted by path, whose
 * paths point into text. */
struct tree_manifest {
	struct manifest_entry *v;
	size_t n;
	char *text;
};

struct site {
	const struct render_opts *o;
	const char *db_path, *out, *prev;
	const char *title, *base_url, *lang;
	char *base_path; /* path part of base_url, "/..." */
	char *themes[2];
	size_t nthemes;
	struct locale_kv *loc;
	size_t nloc;
	uint64_t global;
	/* content_license: of posts whose source gives none, or NULL */
	char *lic_name, *lic_url;

	struct src *srcs;
	size_t nsrcs;
	struct thr *t;
	size_t nt;
	int *by_id; /* thread index of each threads.id, or -1 */
	size_t nby_id;
	struct tag *tags;
	size_t ntags;
	struct topic *topics;
	size_t ntopics;
	struct issue *issues;
	size_t nissues;
	struct contrib *contribs;
	size_t ncontribs;
	struct ilist entries; /* by activity desc */
	size_t sitemap_urls;  /* URLs per sitemap file (plan_pages) */

	/* The previous release's manifest (its URLs stay, its unchanged
	 * files are kept), and the one of the staging folder when that is
	 * a recycled older release (render_site): its files are updated in
	 * place. */
	struct tree_manifest old, here;
	struct page *pages;
	size_t npages, capages;
	/* The contributors page: planned once the main thread has read
	 * them, while the workers render pages[]; queued after pages[] (see
	 * work). */
	struct page *spages;
	size_t nspages, caspages;
	int shards_ready; /* under qlock; spages fixed once set */
	/* The search files, written by the main thread as it builds them
	 * (site.c put_search_file): done pages no worker reads. */
	struct page *dpages;
	size_t ndpages, cadpages;
	pthread_mutex_t qlock;
	pthread_cond_t qcond;
	int fresh; /* out was created by this run: no file to replace */
	int recycled; /* out is an older release updated in place (here) */
	atomic_int tampered; /* it had a symlink where a folder belongs */
	int outfd, prevfd; /* out and prev, opened as folders */

	atomic_size_t next;
	atomic_size_t rendered; /* pages rendered (not kept by key) */
	atomic_int failed;
	pthread_mutex_t errlock;
	struct progress progress; /* the pages' bar: the caller's worker
				   * draws it (site.c's work) */
};

/* A link of the entry page being rendered to another entry (body.c). */
struct plink {
	size_t off, n; /* the href: worker.hrefs.data[off..off+n) */
	int target;    /* the entry it points at (model_target) */
};

struct worker {
	struct site *s;
	struct store *st;
	struct tset *set;
	struct tctx *cx;  /* values of the page being rendered */
	struct tctx *lcx; /* values of the whole run: */
	struct tval *loc; /* the locale strings, {{t.key}} */
	struct buf out, a, b;
	struct buf body, ld, ans, sug, rootb; /* entry_render's */
	struct postkey *keys;            /* and its posts' order */
	size_t nkeys, capkeys;
	struct plink *plinks; /* body_links': its local links, by href */
	size_t nplinks, capplinks;
	struct buf hrefs;     /* their hrefs, end to end */
	struct render_keeper keep; /* files_keep's, with a previous release */
	int draws; /* draws s->progress: the caller's worker only */
	int64_t written, kept;
	pthread_t tid;
};

/* ---- the model: loading and the page decision (model.c) --------------- */

void ilist_push(struct ilist *l, int v);
int ilist_has(const struct ilist *l, int v);

/* The thread of a source's id, or -1 (threads are sorted by source and
 * id); the thread of a threads.id, or -1. */
int model_thread(const struct site *s, int64_t source_id, int64_t ext);
int model_thread_id(const struct site *s, int64_t id);
/* The canonical entry of thread i (itself, its fold target) or -1. */
int model_target(const struct site *s, int i);
/* The page that shows thread i: its entry, its fold target's, or its
 * "no entry" page; -1 if it has none. */
int model_home(const struct site *s, int i);

/*
 * Reads the model from the store at s->db_path (s->o set), then decides
 * its pages (model_decide) and checks every entry can name its licence.
 * 0 with *stp the store, still open in its read transaction, for the
 * contributors and the search files; or -1 (reported).
 */
int model_load(struct site *s, struct store **stp);
/* The contributors of the entries decided (s->contribs).  0 or -1. */
int model_load_contribs(struct site *s, struct store *st);
/*
 * The page-decision policy, a pure function of the model: which threads
 * are in scope (s->o's include and exclude tags, curation hide), which
 * get an entry (in scope and publishing an answer), which fold into
 * another (core/fold.c), the topics' canonical entries and near-duplicates,
 * "also asked as", the entries by activity and each tag's by score.
 * Main thread only (it sorts through a static).
 */
void model_decide(struct site *s);
/* Frees the model: sources, threads, tags, topics, contributors and
 * entries, with every string and list they hold. */
void model_release(struct site *s);

/* ---- the theme and its locale strings (theme.c) ----------------------- */

/* Loads the theme folders into s->themes and their locale strings into
 * s->loc, each hashed into s->global.  0 or -1 (reported). */
int theme_load(struct site *s);
/* Hashes every theme file into s->global and plans the assets (the
 * files that are not templates) as pages.  0 or -1 (reported). */
int theme_pages(struct site *s);
/* The file name of theme folder k (a regular file inside it, at most
 * SAFEFILE_THEME_MAX): a heap string of *len bytes the caller frees, or
 * NULL after why (SAFEFILE_WHY bytes) is set. */
char *theme_file(const struct site *s, size_t k, const char *name,
    size_t *len, char *why);
/* Whether p names a folder (following symlinks, as a theme folder may
 * be one): the site's theme folders and the report's report/ in each. */
int theme_is_dir(const char *p);
/* The locale string k (never NULL: the key itself when missing). */
const char *theme_loc(const struct site *s, const char *k);
/* Sets field to the count n and field_noun to the form of the noun key
 * for it, e.g. {{answer_count}} {{answer_count_noun}}: "1 answer". */
void theme_set_count(const struct site *s, struct tval *m,
    const char *field, int64_t n, const char *key);

/* ---- the page list, keys and the previous manifest (plan.c) ----------- */

/*
 * Reads the manifest of the finished tree dir (untrusted: manifest.h)
 * into m, sorted by path; a missing or unfinished one means "nothing
 * known" (m left empty, -1; else 0).  Free with plan_manifest_free.
 */
int plan_load_manifest(struct tree_manifest *m, const char *dir);
void plan_manifest_free(struct tree_manifest *m);
/* m's line for path, or NULL. */
const struct manifest_entry *plan_find_in(const struct tree_manifest *m,
    const char *path);
/*
 * Plans the pages of the model decided: each thread's folder, escaped
 * title and keys, its entry, redirect or "no entry" page and short URL,
 * the redirects that keep a previous release's URLs, the tag and topic
 * pages and the site's own pages.
 */
void plan_pages(struct site *s);
/* Adds the page path (copied) of kind and ref, with key (0: always
 * rendered) to s->pages. */
void plan_add_page(struct site *s, const char *path, enum pkind kind,
    int ref, uint64_t key);
/* The positive decimal integer in the environment variable name (digits
 * only), else def: the render's measuring and test knobs (site.c). */
size_t render_env_size(const char *name, size_t def);
/* URLs per sitemap file: the sitemaps.org limit of 50,000 (its 50 MB
 * bound is far off at about 130 bytes a URL), or FAQTORY_SITEMAP_URLS
 * (a positive integer below it; tests).  With more URLs (the home page
 * and every entry) sitemap.xml is an index of sitemap/<k>.xml. */
size_t plan_sitemap_urls(void);
/* Adds the page path (copied) of kind, done by the calling thread
 * itself (the search files), to s->dpages: never queued. */
void plan_push_done(struct site *s, const char *path, enum pkind kind);
/* Queues the contributors page once the search files are written (ok),
 * or wakes the workers waiting for it to give up (the run has failed). */
void plan_shards(struct site *s, int ok);
/* Page i of the queue (pages[], then spages[] once planned, waiting for
 * them), or NULL past its end.  Any thread. */
struct page *plan_queued_page(struct site *s, size_t i);
/* qsort order of pages by path (the manifest's order). */
int plan_page_cmp(const void *a, const void *b);
/* Appends thread i's folder, "q/site/12/slug/" (made by plan_pages). */
void plan_entry_path(const struct site *s, int i, struct buf *b);
/* Steps of a key: a hash of what a page shows, never of positions in
 * the model (they shift when a thread comes or goes). */
uint64_t key_str(uint64_t h, const char *s); /* s may be NULL */
uint64_t key_int(uint64_t h, int64_t v);

/* ---- files of the output tree (files.c) ------------------------------- */

/*
 * Writes data as rel under dfd; -1 with errno set and *bad as
 * render_write_beneath sets it, no message (files_write_failed words
 * it).  replace: through a temporary file and rename(2) (a tree updated
 * in place); else written where it belongs, after its own folders from
 * offset own (page.own, or -1: probed).
 */
int files_write(int dfd, const char *rel, const char *data, size_t n,
    int replace, int own, size_t *bad);
/* Appends to m the one line for a write of rel under the folder dir
 * (the site's out, the report's folder) that failed with errno, bad as
 * files_write or render_write_beneath set it. */
void files_write_failed(struct buf *m, const char *dir, const char *rel,
    size_t bad);
/* Sets each page's own (the offset of the folders only it needs) and
 * makes the folders pages share, in a fresh tree. */
void files_plan_dirs(struct site *s);
/* Makes page p's file of the previous release (size bytes) appear in
 * the output (w->keep), or finds it in place.  0, or -1 if it cannot be
 * used: the page is then rendered. */
int files_keep(struct worker *w, const struct page *p, int64_t size);
/* Whether page p's file is in place in a recycled staging folder, as
 * its manifest lists it (size bytes): 0, else -1 (then it is kept from
 * the previous release or written). */
int files_here(struct worker *w, const struct page *p, int64_t size);
/* Writes the manifest of s->pages (sorted) last.  0 or -1 (reported). */
int files_write_manifest(struct site *s);
/* Counts the previous manifest's paths no page has now and removes them
 * from a tree updated in place; s->pages sorted by path. */
int64_t files_remove_gone(struct site *s);

/* ---- post bodies as entries show them (body.c) ------------------------ */

/*
 * Reads the links of thread ti's entry page that ingest resolved to a
 * thread of its site (post_links) and that have a page, into
 * w->plinks; once per entry page, before its bodies.  0, or -1
 * (reported).  A store not ingested since post_links came (migration
 * 11) has none: those links then point at the original site.
 */
int body_links(struct worker *w, int ti);
/*
 * Appends the sanitized body h[0..n) of a post of thread ti to out:
 * links body_links read point at their entries (root: the page's "../"
 * to the site's root), relative links are resolved against the
 * thread's URL, images become links to them.
 */
void body_fix(struct worker *w, int ti, const char *root, const char *h,
    size_t n, struct buf *out);
/* Appends the plain text of HTML h[0..n) to out, whitespace collapsed,
 * '"' escaped, cut near max bytes at a character and entity boundary. */
void body_plain_text(const char *h, size_t n, size_t max, struct buf *out);

/* ---- pages (pages.c) and the entry page (entry.c) --------------------- */

/* Renders page p (any kind but P_SEARCHDATA) into w->out.  0 or -1
 * (reported). */
int page_render(struct worker *w, const struct page *p);
/* The template of a page kind ("entry" for P_ENTRY), or NULL for the
 * kinds built without one. */
const char *page_template(enum pkind kind);
/* Sets key to thread t's title, escaped once by plan_pages. */
void page_set_title(struct tval *m, const char *key, const struct thr *t);
/* Sets key to date d of thread t (day: its first 10 bytes). */
void page_set_date(struct tval *m, const char *key, const struct thr *t,
    const char *d, int day);
/* Sets key to the day of date (its first 10 bytes; NULL: ""). */
void page_set_day(struct tval *m, const char *key, const char *date);
/* Appends "../" per folder level of path, or "./" at the top. */
void page_root_of(struct buf *b, const char *path);
/* Pushes onto list an entry link {title, href, day, date} to thread i
 * (href relative to the page's root) and returns it. */
struct tval *page_link_item(struct worker *w, struct tval *list, int i);
/* Sets "related" (and has_related) to thread i's related questions. */
void page_related_list(struct worker *w, struct tval *root, int i);
/* Fills root, the values every page shares (page_render made it), for
 * the entry page pg.  0 or -1 (reported). */
int entry_render(struct worker *w, const struct page *pg, struct tval *root);

/* ---- the run and its workers (site.c) --------------------------------- */

/* Reports a worker's failure (fmt with one %s): the first of the run
 * only, as workers fail together when the disk is full. */
void site_fail(struct worker *w, const char *fmt, const char *arg);

#endif
