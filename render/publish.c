/*
 * publish: the output locks and atomic releases.
 *
 *   OUT                  a symlink to OUT.releases/<n> (relative)
 *   OUT.releases/<n>     finished release folders, each with its manifest
 *   OUT.releases/.faqtory-releases   the marker: faqtory made this folder
 *   OUT.lock             held (flock, core/lock.h) by the build or render
 *                        writing OUT
 *
 * A build renders into a fresh OUT.releases/<n+1>, then makes a symlink
 * OUT.tmp pointing at it and rename(2)s that onto OUT: readers see the
 * old release or the new one, never a mix.  The release before the new
 * one is kept for rollback; older ones and leftovers of interrupted
 * builds are deleted.
 *
 * faqtory deletes only what it made: in OUT.releases, which it uses
 * only if it carries the marker (or is empty, or holds what an older
 * faqtory published there), it deletes numbered releases and nothing
 * else; OUT.tmp only if it is a symlink; OUT only if it is a symlink
 * or an empty folder.
 */
#define _GNU_SOURCE
#include "render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xmalloc.h"

#define MARKER ".faqtory-releases"

enum { R_BEGUN, R_PREPARED, R_SWAPPED, R_DONE };

/* path without its trailing slashes, as a heap string. */
static char *
strip_slashes(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	return xstrndup(path, n);
}

/* Deepest folder rm_at goes into: a release is a few levels deep;
 * deeper is not faqtory's making, and stays. */
#define RM_DEPTH 64

/* Removes name in folder dfd and, if it is a folder, all it holds.
 * Every step is relative to a folder opened without following a
 * symlink: a folder swapped for a symlink while this runs is unlinked
 * as the symlink it now is, never entered (a path walk such as nftw's
 * would follow it between its look and its descent). */
static int
rm_at(int dfd, const char *name, int depth)
{
	struct dirent *e;
	DIR *d;
	int fd, rc = 0;

	fd = depth < RM_DEPTH ? openat(dfd, name,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
	if (fd < 0) {
		if (depth < RM_DEPTH && (errno == ENOTDIR || errno == ELOOP))
			return unlinkat(dfd, name, 0);
		return depth < RM_DEPTH && errno == ENOENT ? 0 : -1;
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    rm_at(fd, e->d_name, depth + 1) < 0)
			rc = -1;
	closedir(d);
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0)
		rc = -1;
	return rc;
}

/* Deletes the tree at path; a symlink is removed, never followed. */
static int
rm_tree(const char *path)
{
	char *dir = strip_slashes(path), *slash = strrchr(dir, '/');
	int dfd = AT_FDCWD, rc;
	const char *name = dir;

	if (slash != NULL) {
		*slash = '\0';
		name = slash + 1;
		/* The folder holding the tree is not entered through a
		 * symlink either (its own path may pass through some). */
		dfd = open(slash == dir ? "/" : dir,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	rc = dfd == -1 ? -1 : rm_at(dfd, name, 0);
	if (dfd >= 0)
		close(dfd);
	free(dir);
	return rc;
}

static const char *
name_of(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path;
}

static int
is_number(const char *s)
{
	if (*s == '\0' || strlen(s) > 18)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* The release out points at, as "<dir>/<name>" if that is a folder,
 * else NULL. */
static char *
current_release(const char *out, const char *dir)
{
	char t[4096];
	ssize_t n = readlink(out, t, sizeof t - 1);
	struct buf b = BUF_INIT;
	struct stat sb;

	if (n <= 0)
		return NULL;
	t[n] = '\0';
	buf_printf(&b, "%s/%s", dir, name_of(t));
	if (lstat(b.data, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* ---- the releases folder ----------------------------------------------- */

/* Whether dir/name exists (lstat: a symlink is not followed) and is a
 * regular file. */
static int
has_file(const char *dir, const char *name)
{
	struct buf p = BUF_INIT;
	struct stat sb;
	int ok;

	buf_printf(&p, "%s/%s", dir, name);
	ok = lstat(p.data, &sb) == 0 && S_ISREG(sb.st_mode);
	buf_release(&p);
	return ok;
}

static int
is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int empty = 1;

	if (d == NULL)
		return 0;
	while (empty && (de = readdir(d)) != NULL)
		empty = strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0;
	closedir(d);
	return empty;
}

/* Whether r->dir is what a faqtory without the marker published: out
 * links to "<dir's name>/<n>", a finished release (its manifest). */
static int
is_unmarked_release(const struct render_release *r)
{
	char t[4096];
	ssize_t n = readlink(r->out, t, sizeof t - 1);
	const char *dirname = name_of(r->dir), *slash;

	if (n <= 0)
		return 0;
	t[n] = '\0';
	slash = strrchr(t, '/');
	return slash && (size_t)(slash - t) == strlen(dirname) &&
	    strncmp(t, dirname, strlen(dirname)) == 0 &&
	    is_number(slash + 1) && r->current &&
	    has_file(r->current, RENDER_MANIFEST);
}

static int
write_marker(const char *dir)
{
	static const char text[] = "faqtory keeps its releases here; "
	    "it deletes only numbered folders.\n";
	struct buf p = BUF_INIT;
	int fd, rc = -1;

	buf_printf(&p, "%s/%s", dir, MARKER);
	fd = open(p.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd >= 0 && write(fd, text, sizeof text - 1) ==
	    (ssize_t)(sizeof text - 1))
		rc = 0;
	if (rc < 0)
		fq_err("%s: %s", p.data, strerror(errno));
	if (fd >= 0)
		close(fd);
	buf_release(&p);
	return rc;
}

/* Makes r->dir ours, or refuses it (message printed): 0 or -1. */
static int
claim_dir(const struct render_release *r)
{
	struct stat sb;

	if (lstat(r->dir, &sb) != 0) {
		if (errno != ENOENT || mkdir(r->dir, 0755) != 0) {
			fq_err("%s: %s", r->dir, strerror(errno));
			return -1;
		}
		return write_marker(r->dir);
	}
	if (S_ISLNK(sb.st_mode)) {
		fq_err("%s: is a symlink; faqtory keeps releases only in a "
		    "folder it made", r->dir);
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		fq_err("%s: exists and is not a folder of releases made by "
		    "faqtory", r->dir);
		return -1;
	}
	if (has_file(r->dir, MARKER))
		return 0;
	if (is_empty(r->dir) || is_unmarked_release(r))
		return write_marker(r->dir);
	fq_err("%s: exists and was not made by faqtory (no '%s' in it); "
	    "move it away or choose another output", r->dir, MARKER);
	return -1;
}

/* Deletes the numbered releases of dir except keep1 and keep2 (names);
 * every other entry stays. */
static void
prune(const char *dir, const char *keep1, const char *keep2)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	/* Through the folder as opened: a releases folder swapped for a
	 * symlink after it was checked is not pruned. */
	while ((de = readdir(d)) != NULL) {
		if (!is_number(de->d_name) ||
		    (keep1 && strcmp(de->d_name, keep1) == 0) ||
		    (keep2 && strcmp(de->d_name, keep2) == 0))
			continue;
		rm_at(fd, de->d_name, 0);
	}
	closedir(d);
}

/* The name of the finished release before cur (highest number below
 * it with a manifest) into prev (empty if none); *max the highest. */
static void
scan(const char *dir, const char *cur, char *prev, size_t n, long *max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	long best = -1, c = cur ? atol(cur) : -1;
	struct buf m = BUF_INIT;

	*prev = '\0';
	*max = 0;
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		long v;

		if (!is_number(de->d_name))
			continue;
		if ((v = atol(de->d_name)) > *max)
			*max = v;
		buf_reset(&m);
		buf_printf(&m, "%s/%s", dir, de->d_name);
		if (v > best && v < c && has_file(m.data, RENDER_MANIFEST)) {
			best = v;
			snprintf(prev, n, "%s", de->d_name);
		}
	}
	closedir(d);
	buf_release(&m);
}

/* ---- a release's life --------------------------------------------------- */

int
render_release_begin(struct render_release *r, const char *out)
{
	struct stat sb;
	struct buf b = BUF_INIT;
	char prev[256];
	long max;

	memset(r, 0, sizeof *r);
	r->out = strip_slashes(out);
	buf_printf(&b, "%s.releases", r->out);
	r->dir = buf_detach(&b);
	buf_printf(&b, "%s.tmp", r->out);
	r->tmp = buf_detach(&b);
	/* An empty folder may be taken over (when published); anything
	 * else is not ours to replace. */
	if (lstat(r->out, &sb) == 0 && !S_ISLNK(sb.st_mode) &&
	    (!S_ISDIR(sb.st_mode) || !is_empty(r->out))) {
		fq_err("%s: exists and is not a site published by faqtory "
		    "(expected a symlink)", r->out);
		return -1;
	}
	r->current = current_release(r->out, r->dir);
	if (claim_dir(r) < 0)
		return -1;
	/* Leftovers of builds that were interrupted go now; the current
	 * release and the one before it stay. */
	scan(r->dir, name_of(r->current), prev, sizeof prev, &max);
	prune(r->dir, name_of(r->current), prev[0] ? prev : NULL);
	buf_printf(&b, "%ld", max + 1);
	r->name = buf_detach(&b);
	buf_printf(&b, "%s/%s", r->dir, r->name);
	r->staging = buf_detach(&b);
	if (prev[0])
		r->prev = xstrdup(prev);
	if (mkdir(r->staging, 0755) != 0) {
		fq_err("%s: %s", r->staging, strerror(errno));
		free(r->staging);
		r->staging = NULL;
		return -1;
	}
	return 0;
}

/* The release before the current one takes the place of the empty
 * staging folder: the build updates it in place (render_site) instead
 * of linking every unchanged file into a fresh folder and, once
 * published, deleting an old release file by file, which at 100,000
 * pages cost more than the night's change.  If the build then fails,
 * that release is removed like any unpublished staging folder. */
void
render_release_recycle(struct render_release *r)
{
	struct buf p = BUF_INIT;

	if (r->prev == NULL || r->recycled || r->staging == NULL)
		return;
	buf_printf(&p, "%s/%s", r->dir, r->prev);
	if (rmdir(r->staging) == 0) {
		if (rename(p.data, r->staging) == 0)
			r->recycled = 1;
		else
			mkdir(r->staging, 0755);
	}
	buf_release(&p);
}

int
render_release_fresh(struct render_release *r)
{
	r->recycled = 0;
	rm_tree(r->staging);
	if (mkdir(r->staging, 0755) != 0) {
		fq_err("%s: %s", r->staging, strerror(errno));
		return -1;
	}
	return 0;
}

/* Points the symlink r->tmp at "<dir's name>/<name>" (name NULL: the
 * new release); a leftover symlink there is replaced.  0, -1 with errno
 * set, or -2 if r->tmp is something else (not ours to delete). */
static int
link_tmp(const struct render_release *r, const char *name)
{
	struct buf t = BUF_INIT;
	struct stat sb;
	int rc = -1;

	if (lstat(r->tmp, &sb) == 0) {
		if (!S_ISLNK(sb.st_mode))
			return -2;
		unlink(r->tmp);
	}
	buf_printf(&t, "%s/%s", name_of(r->dir), name ? name : r->name);
	if (symlink(t.data, r->tmp) == 0)
		rc = 0;
	buf_release(&t);
	return rc;
}

/* Everything that can fail before the swap: the staging tree on disk,
 * OUT.tmp made, an empty folder at OUT removed.  0 or -1 (printed). */
static int
prepare(struct render_release *r)
{
	struct stat sb;
	int fd = open(r->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	rc = fd >= 0 && syncfs(fd) == 0 ? 0 : -1;
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		fq_err("%s: %s", r->staging, strerror(errno));
		return -1;
	}
	if ((rc = link_tmp(r, NULL)) < 0) {
		if (rc == -2)
			fq_err("%s: exists and is not a symlink made by "
			    "faqtory", r->tmp);
		else
			fq_err("%s: %s", r->tmp, strerror(errno));
		return -1;
	}
	r->state = R_PREPARED;
	if (lstat(r->out, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		if (rmdir(r->out) != 0) {
			fq_err("%s: %s", r->out, strerror(errno));
			return -1;
		}
		r->took_dir = 1;
	}
	return 0;
}

/* Points r->out back at the release it showed before the swap. */
static int
roll_back(struct render_release *r)
{
	int rc;

	if (r->current == NULL) {
		rc = unlink(r->out);
		if (rc == 0 && r->took_dir)
			rc = mkdir(r->out, 0755);
	} else {
		rc = link_tmp(r, name_of(r->current)) < 0 ? -1 : 0;
		if (rc == 0 && (rc = rename(r->tmp, r->out)) != 0)
			unlink(r->tmp);
	}
	if (rc == 0) {
		r->state = R_BEGUN;
		r->took_dir = 0;
	}
	return rc;
}

int
render_publish(struct render_release *const *v, size_t n)
{
	const char *stuck = NULL;
	size_t i, k;
	int e;

	for (i = 0; i < n; i++)
		if (prepare(v[i]) < 0)
			return -1;
	for (i = 0; i < n; i++) {
		if (rename(v[i]->tmp, v[i]->out) != 0)
			break;
		v[i]->state = R_SWAPPED;
	}
	if (i == n) {
		for (k = 0; k < n; k++) {
			v[k]->state = R_DONE;
			prune(v[k]->dir, v[k]->name, name_of(v[k]->current));
		}
		return 0;
	}
	e = errno;
	for (k = i; k-- > 0;)
		if (roll_back(v[k]) < 0)
			stuck = v[k]->out;
	if (stuck) {
		/* The caller's remark says that nothing was published. */
		fq_err_remark(NULL);
		fq_err("%s: %s; '%s' could not be rolled back and shows this "
		    "build", v[i]->out, strerror(e), stuck);
	} else {
		fq_err("%s: %s", v[i]->out, strerror(e));
	}
	return -1;
}

void
render_release_end(struct render_release *r)
{
	if (r->state == R_PREPARED)
		unlink(r->tmp);
	if (r->took_dir && r->state != R_DONE && r->state != R_SWAPPED)
		mkdir(r->out, 0755);
	/* A release that out shows stays, even if the build failed. */
	if (r->staging && r->state != R_DONE && r->state != R_SWAPPED)
		rm_tree(r->staging);
	free(r->out);
	free(r->dir);
	free(r->tmp);
	free(r->staging);
	free(r->current);
	free(r->prev);
	free(r->name);
	memset(r, 0, sizeof *r);
}
