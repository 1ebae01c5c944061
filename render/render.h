/*
 * render: the public static site, written from the store (which render
 * only reads), and its atomic publication.
 *
 * URL scheme (stable; documented in docs/site.md):
 *   /q/<src>/<id>/<slug>/        an entry (a canonical question with a
 *                                published answer, accepted or community:
 *                                core/answerpolicy.h); <src> is the source's
 *                                short name (beer for
 *                                beer.stackexchange.com), <id> the
 *                                question's id in that source
 *   same shape, for a folded     a redirect page to its canonical entry
 *   /tag/<tag>/  /tags/          a tag, every tag
 *   /topic/<n>/  /topics/        a recurring issue (cluster), all of them
 *   /contributors/  /search/  /404.html  /sitemap.xml  /feed.xml
 *   /opensearch.xml  /robots.txt  /assets/<theme file>
 *
 * Every written tree carries ".faqtory-manifest" (path, input key,
 * content hash, size of every file), written last: a tree without it is
 * incomplete.  The manifest is what makes rebuilds incremental.
 */
#ifndef FQ_RENDER_H
#define FQ_RENDER_H

#include <stddef.h>
#include <stdint.h>

#define RENDER_MANIFEST ".faqtory-manifest"

struct render_plan;

struct render_opts {
	const char *title;       /* NULL: "FAQ" */
	const char *base_url;    /* NULL: "http://localhost:8080/" */
	const char *language;    /* NULL: "en" */
	const char *theme;       /* NULL: the default site-template/ */
	const char *override;    /* --template DIR, or NULL */
	/* The licence of posts whose source gives none ("CC BY-SA 4.0" or
	 * "NAME <URL>", core/license.h), or NULL: such posts fail the
	 * render. */
	const char *content_license;
	char *const *include_tags; /* scope; not owned */
	size_t ninclude;
	char *const *exclude_tags;
	size_t nexclude;
	/* [publish] of the config as written, NULL: the defaults
	 * (core/answerpolicy.h) */
	const char *answers;
	const char *min_confidence;
	int threads;             /* workers, the caller's included; 0: 2 */
	int full;                /* render every page: no input key trusted */
	/* Called by render_site once every page is decided and before any
	 * is written (the writers' report renders from it); a result below
	 * 0 stops the render.  NULL: not called. */
	int (*planned)(void *arg, const struct render_plan *p);
	void *planned_arg;
	/* Called once everything that can fail before the first write
	 * has passed (theme, model, plan, o->planned), with prev set: the
	 * build recycles an older release into the staging folder there
	 * (render_release_recycle), so a build that fails early keeps it. */
	void (*ready)(void *arg);
	void *ready_arg;
};

/* What a site render decided, as render_site hands it to o->planned;
 * owned by the render and valid during the call only. */
struct render_plan {
	/* The theme folders it reads, in order: the theme, then the
	 * override (--template) whose files win. */
	const char *const *themes;
	size_t nthemes;
	/* The folder of every entry it publishes, "q/<short>/<id>/<slug>/"
	 * (a redirect, short URL or "no entry" page is not an entry), in no
	 * particular order. */
	const char *const *entries;
	size_t nentries;
};

struct render_result {
	int64_t written, kept, removed, pages, entries;
	/* A recycled staging folder had a symlink where a folder was
	 * expected (someone planted it in the older release): the run
	 * failed without a message; render it again in a fresh folder
	 * (render_release_fresh). */
	int tampered;
};

/*
 * Renders the site of the store at db_path into `out`.  With prev NULL
 * the tree `out` is updated in place: changed files are replaced
 * atomically (write then rename), files of the previous manifest that
 * are gone are removed.  With prev set, `out` is a staging folder and
 * unchanged files are hard-linked from the finished tree `prev`; the
 * folder is empty, or an older release recycled by
 * render_release_recycle, whose files are then updated in place (a
 * file that is as its manifest lists it stays, others are replaced,
 * those no page has are removed); the result is the same either way.
 * Returns 0, or -1 after printing one error line, or -1 with
 * res->tampered set and nothing printed.
 */
int render_site(const char *db_path, const char *out, const char *prev,
    const struct render_opts *o, struct render_result *res);

/* ---- report (report.c) ------------------------------------------------ */

/* Writes the writers' report (docs/trends.md) of the store at db_path
 * into the folder dir (created if absent): ranked flags with their
 * evidence and inline SVG charts, and a page per recurring issue.  Only
 * o->base_url (links to the public entries) and o->answers,
 * o->min_confidence (which answer an entry publishes) are used; a
 * public entry is linked only where the site's plan p has one (call it
 * from o->planned).  Returns 0, or -1 after printing one error line. */
int render_report(const char *db_path, const char *dir,
    const struct render_opts *o, const struct render_plan *p);

/* ---- publish (publish.c) ---------------------------------------------- */

/* Whether the outputs a and b (a site and a report) are one path or one
 * lies inside the other, counting OUT.releases as part of OUT, as
 * written or as the file system resolves them (outpath.c). */
int render_outputs_overlap(const char *a, const char *b);

struct render_release {
	char *out;      /* the published symlink */
	char *dir;      /* "<out>.releases" */
	char *tmp;      /* "<out>.tmp": the symlink renamed onto out */
	char *staging;  /* "<dir>/<n>": fresh, empty */
	char *current;  /* the published release folder, or NULL */
	char *name;     /* "<n>" */
	int state;      /* private to publish.c */
	int took_dir;   /* private: an empty folder at out was removed */
	char *prev;     /* the finished release before current, or NULL */
	int recycled;   /* staging is that release, renamed */
};

/* Prepares a staging release for `out` and removes leftovers of
 * interrupted builds.  "<out>.releases" is used only if faqtory made it
 * (its marker file, written when it is created) or it is empty; a
 * symlink or a folder someone else filled is refused.  The staging
 * folder is empty.  Returns 0 or -1 (message printed). */
int render_release_begin(struct render_release *r, const char *out);
/* Makes the staging folder the release before the current one, renamed
 * (r->recycled), with its manifest, when there is one; else it stays
 * empty.  A renderer that updates it in place (render_site) must
 * replace files, never write into them: they may be hard links into the
 * current release.  Call it once the build is sure to render. */
void render_release_recycle(struct render_release *r);
/* Replaces a recycled staging folder with an empty one (a render found
 * it tampered with).  0, or -1 (message printed). */
int render_release_fresh(struct render_release *r);
/* Publishes the staging folders of v[0..n) together or not at all:
 * each is synced and its symlink "<out>.tmp" made before any out is
 * swapped (rename(2)); if a swap fails, the outs already swapped are
 * pointed back at their previous release.  Then releases older than the
 * previous one are deleted.  0, or -1 (one message printed). */
int render_publish(struct render_release *const *v, size_t n);
/* Frees r; the staging folder of a release not published is removed. */
void render_release_end(struct render_release *r);

/* ---- the default theme (datadir.c) ------------------------------------ */

/* The default theme folder (a heap string the caller frees), looked for
 * in this order: $FAQTORY_DATADIR/site-template when that is set and not
 * empty (an override wins, found or not); beside the running binary
 * (site-template, ../site-template: a checkout and its build trees;
 * ../share/faqtory/site-template: an install, staged or moved); the
 * compiled-in PREFIX/share/faqtory/site-template; else site-template in
 * the working folder.  *how names the rule that gave it (static). */
char *render_default_theme(const char **how);

/* Whether dir is a folder (a theme can be read from it). */
int render_theme_exists(const char *dir);

/* ---- serve (serve.c) --------------------------------------------------- */

/* Serves the files under dir on 127.0.0.1:port until SIGINT/SIGTERM.
 * Nothing outside dir is ever served (docs/security.md).  Returns 0,
 * or -1 after printing one error line. */
int render_serve(const char *dir, int port);

/* ---- what a request may name (servepath.c) ----------------------------- */

/* The file a request path names, relative to the served folder.  url is
 * the path of the request target as sent (still %-encoded, no query), n
 * its length (it may hold NUL bytes).  Returns a heap string the caller
 * frees: the decoded path without its leading '/', "" for the root,
 * ending in '/' when it names a folder.  It never starts with '/', and
 * holds no empty, ".", ".." or hidden segment, no NUL, control byte or
 * backslash.  Returns NULL when the request may name nothing. */
char *render_serve_path(const char *url, size_t n);

/* The Location of a redirect to the folder rel (a result of
 * render_serve_path without its trailing '/'): "/" + each segment
 * %-encoded + "/".  Path-absolute, so same-origin: it never starts with
 * "//" or "/\" (a backslash).  A heap string the caller frees. */
char *render_serve_location(const char *rel);

/* 1 if the Host header names the address served: 127.0.0.1:port or
 * localhost:port (the port may be left out only when it is 80); 0 for
 * anything else, NULL included.  Refusing other names stops a DNS
 * rebinding page from reading the preview through the user's browser. */
int render_serve_host_ok(const char *host, int port);

/* 1 if the Accept-Encoding header accepts gzip: "gzip" (or "x-gzip"),
 * else "*", listed with a weight above 0; 0 otherwise, NULL and any
 * element that does not parse included (RFC 9110 12.5.3). */
int render_serve_gzip_ok(const char *accept);

#endif
