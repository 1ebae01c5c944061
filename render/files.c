/*
 * files: writing the output tree, keeping the files of the previous
 * release, the manifest, and removing what a run no longer publishes.
 *
 * Every file operation is relative to a descriptor of the output tree
 * (s->outfd) or of the previous release (s->prevfd): the kernel walks
 * "q/site/12/slug/index.html", not the whole absolute path, for each of
 * the 20,000 files of a large site.  Writes resolve beneath s->outfd
 * with no symlink at any component (beneath.c): someone who can write
 * the published folder cannot make the next render write elsewhere by
 * planting one, and such a render fails naming it (files_write_failed).  The
 * files kept from the previous release are reached beneath s->prevfd
 * the same way (files_keep), and a planted symlink there only makes the
 * page be rendered afresh.
 */
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/path.h"
#include "core/strtab.h"
#include "core/xmalloc.h"
#include "render/manifest.h"
#include "render/render_int.h"

/*
 * Writes data to rel under dfd; -1 with errno set on failure (no
 * message: workers fail together when the disk is full, and only the
 * first failure is reported, by site_fail; *bad as render_write_beneath
 * sets it).  In a tree being updated in place (replace set) it goes
 * through a temporary file and rename(2), so a reader sees the old
 * bytes or the new ones; published sites never change in place (see
 * publish.c).  In a fresh staging folder the file is written where it
 * belongs, after its own folders (own, see files_plan_dirs).
 */
int
files_write(int dfd, const char *rel, const char *data, size_t n,
    int replace, int own, size_t *bad)
{
	if (!replace && own >= 0 && render_mkdirs_beneath(dfd, rel,
	    (size_t)own, path_dir_len(rel), bad) < 0)
		return -1;
	return render_write_beneath(dfd, rel, data, n, replace, bad);
}

/* The one line for a write of rel that failed with errno, bad as
 * files_write set it. */
void
files_write_failed(struct buf *m, const char *dir, const char *rel,
    size_t bad)
{
	if (errno == ELOOP)
		buf_printf(m, "%s/%.*s: is a symlink; faqtory writes its "
		    "output only through real folders", dir, (int)bad, rel);
	else
		buf_printf(m, "%s/%.*s: %s", dir, (int)bad, rel,
		    strerror(errno));
}

/*
 * Folders of a fresh tree.  A folder with one page under it (an entry's
 * "q/site/12/" and "q/site/12/slug/") is made by the worker that writes
 * that page, in order and without probing (page.own); the few shared
 * ones ("q/site/", "tag/") are made here first.  The folders are
 * counted through core/strtab.h, whose keys stop at 255 bytes: a page
 * under a longer folder keeps own = -1 (files_write probes for it).
 */
void
files_plan_dirs(struct site *s)
{
	struct strtab dirs;
	uint32_t *count = NULL;
	size_t ncount = 0, i, k, l;

	strtab_init(&dirs);
	for (i = 0; i < s->npages; i++) {
		const char *p = s->pages[i].path;

		for (k = 0; p[k] && k < 255; k++) {
			long e;

			if (p[k] != '/')
				continue;
			e = strtab_add(&dirs, p, k, NULL);
			if (dirs.n > ncount) {
				count = xreallocarray(count, dirs.cap,
				    sizeof *count);
				memset(count + ncount, 0, (dirs.cap - ncount) *
				    sizeof *count);
				ncount = dirs.cap;
			}
			count[e]++;
		}
	}
	for (i = 0; i < s->npages; i++) {
		struct page *pg = &s->pages[i];
		const char *p = pg->path;
		size_t start = 0;

		pg->own = -1;
		for (k = 0; p[k] && k < 255; k++) {
			if (p[k] != '/')
				continue;
			if (count[strtab_find(&dirs, p, k)] == 1) {
				pg->own = (int)start;
				break;
			}
			start = k + 1;
		}
	}
	/* The shared folders, in any order: a missing parent is made
	 * first. */
	for (i = 0; i < dirs.n; i++) {
		const char *key;
		size_t bad;
		int fd;

		if (count[i] < 2)
			continue;
		key = strtab_key(&dirs, i, &l);
		fd = render_dir_beneath(s->outfd, key, l, 1, &bad);
		if (fd >= 0 && fd != s->outfd)
			close(fd);
	}
	free(count);
	strtab_release(&dirs);
}

/* Whether page p's file is in a recycled staging folder as its manifest
 * lists it: a regular file of that size, reached through real folders
 * (a symlink planted in the release it was makes the page be written
 * afresh, through real folders). */
int
files_here(struct worker *w, const struct page *p, int64_t size)
{
	struct stat sb;
	int fd = render_open_beneath(w->s->outfd, p->path, &sb);

	if (fd < 0)
		return -1;
	close(fd);
	return sb.st_size == size ? 0 : -1;
}

/* Makes the file p of the previous release appear in the output, unless
 * it is no longer the file the previous manifest listed (of that size,
 * regular, reached through real folders: render_keep_beneath).
 * Returns 0, or -1 if it cannot be used: the page is then rendered. */
int
files_keep(struct worker *w, const struct page *p, int64_t size)
{
	const struct site *s = w->s;
	struct stat sb;
	size_t bad;

	/* In place, a file is kept where it is.  Seeing it costs one call
	 * (beneath.c would take two); a symlink in its folders is followed
	 * for this look only, as nothing is written there.  A symlink at
	 * the file is not kept: the page is written over it. */
	if (s->prev == NULL)
		return fstatat(s->outfd, p->path, &sb, AT_SYMLINK_NOFOLLOW) ==
		    0 && S_ISREG(sb.st_mode) && sb.st_size == size ? 0 : -1;
	/* The page's own folders are made without probing (files_plan_dirs);
	 * the keeper then finds them in one call. */
	if (p->own >= 0 && render_mkdirs_beneath(s->outfd, p->path,
	    (size_t)p->own, path_dir_len(p->path), &bad) < 0)
		return -1;
	return render_keep_beneath(&w->keep, p->path, (long long)size);
}

int
files_write_manifest(struct site *s)
{
	struct buf m = BUF_INIT, e = BUF_INIT;
	size_t i, bad;
	int rc;

	for (i = 0; i < s->npages; i++) {
		const struct page *p = &s->pages[i];

		buf_printf(&m, "%016llx %016llx %lld %s\n",
		    (unsigned long long)p->key, (unsigned long long)p->hash,
		    (long long)p->size, p->path);
	}
	buf_puts(&m, "end\n");
	if ((rc = files_write(s->outfd, RENDER_MANIFEST, m.data, m.len, 1,
	    -1, &bad)) < 0) {
		files_write_failed(&e, s->out, RENDER_MANIFEST, bad);
		fq_err("%s", e.data);
	}
	buf_release(&m);
	buf_release(&e);
	return rc;
}

/* Calls fn on each path of m that s->pages (sorted by path) no longer
 * has; returns how many. */
static int64_t
each_gone(const struct site *s, const struct tree_manifest *m,
    void (*fn)(const struct site *, const char *))
{
	size_t k, j;
	int64_t n = 0;

	/* Both lists are sorted: one merge finds the paths that are gone. */
	for (k = 0, j = 0; k < m->n; k++) {
		int c = 1;

		while (j < s->npages &&
		    (c = strcmp(s->pages[j].path, m->v[k].path)) < 0)
			j++;
		if (j < s->npages && c == 0)
			continue;
		n++;
		if (fn)
			fn(s, m->v[k].path);
	}
	return n;
}

/* The path was checked by render_manifest_path_ok; the removal
 * resolves it beneath the output with no symlink, and takes the folders
 * it leaves empty along. */
static void
remove_one(const struct site *s, const char *path)
{
	render_remove_beneath(s->outfd, path);
}

int64_t
files_remove_gone(struct site *s)
{
	/* A recycled staging folder loses what its own manifest lists and
	 * no page has now; the count is against the previous release, as
	 * for a fresh folder. */
	if (s->recycled) {
		each_gone(s, &s->here, remove_one);
		return each_gone(s, &s->old, NULL);
	}
	return each_gone(s, &s->old, s->prev == NULL ? remove_one : NULL);
}
