/*
 * publish: the build lock and atomic releases.
 *
 *   OUT                  a symlink to OUT.releases/<n> (relative)
 *   OUT.releases/<n>     finished release folders, each with its manifest
 *
 * A build renders into a fresh OUT.releases/<n+1>, then makes a symlink
 * OUT.tmp pointing at it and rename(2)s that onto OUT: readers see the
 * old release or the new one, never a mix.  The release before the new
 * one is kept for rollback; older ones and leftovers of interrupted
 * builds are deleted.
 */
#define _GNU_SOURCE
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xmalloc.h"

int
render_lock(const char *db_path)
{
	struct buf p = BUF_INIT;
	int fd;

	buf_printf(&p, "%s.lock", db_path);
	fd = open(p.data, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fq_err("%s: %s", p.data, strerror(errno));
		fd = -1;
	} else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			fq_err("%s: another build is running (lock held)",
			    p.data);
		else
			fq_err("%s: %s", p.data, strerror(errno));
		close(fd);
		fd = errno == EWOULDBLOCK ? -3 : -1;
	}
	buf_release(&p);
	return fd;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)f;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static int
rm_tree(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return xstrdup(s ? s + 1 : p);
}

/* The release the symlink points at, as "<dir>/<name>", or NULL. */
static char *
current_release(const char *out, const char *dir)
{
	char t[4096];
	ssize_t n = readlink(out, t, sizeof t - 1);
	const char *name;
	struct buf b = BUF_INIT;

	if (n <= 0)
		return NULL;
	t[n] = '\0';
	name = strrchr(t, '/');
	name = name ? name + 1 : t;
	buf_printf(&b, "%s/%s", dir, name);
	return buf_detach(&b);
}

static int
is_number(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Deletes every entry of dir except keep1 and keep2 (names). */
static void
prune(const char *dir, const char *keep1, const char *keep2)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct buf p = BUF_INIT;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (keep1 && strcmp(de->d_name, keep1) == 0) ||
		    (keep2 && strcmp(de->d_name, keep2) == 0))
			continue;
		buf_reset(&p);
		buf_printf(&p, "%s/%s", dir, de->d_name);
		rm_tree(p.data);
	}
	closedir(d);
	buf_release(&p);
}

static const char *
name_of(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path;
}

int
render_release_begin(struct render_release *r, const char *out)
{
	struct stat sb;
	struct buf b = BUF_INIT;
	DIR *d;
	struct dirent *de;
	long max = 0;
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->out = xstrdup(out);
	while (strlen(r->out) > 1 && r->out[strlen(r->out) - 1] == '/')
		r->out[strlen(r->out) - 1] = '\0';
	buf_printf(&b, "%s.releases", r->out);
	r->dir = buf_detach(&b);
	if (lstat(r->out, &sb) == 0 && !S_ISLNK(sb.st_mode)) {
		/* An empty folder may be taken over; anything else is not
		 * ours to replace. */
		if (!S_ISDIR(sb.st_mode) || rmdir(r->out) != 0) {
			fq_err("%s: exists and is not a site published by "
			       "faqtory (expected a symlink)", r->out);
			goto out;
		}
	}
	if (mkdir(r->dir, 0755) != 0 && errno != EEXIST) {
		fq_err("%s: %s", r->dir, strerror(errno));
		goto out;
	}
	r->current = current_release(r->out, r->dir);
	if (r->current && (stat(r->current, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
		free(r->current);
		r->current = NULL;
	}
	/* Leftovers of builds that were interrupted go now; the current
	 * release and the one before it (highest other number) stay. */
	if ((d = opendir(r->dir)) == NULL) {
		fq_err("%s: %s", r->dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL)
		if (is_number(de->d_name) && atol(de->d_name) > max)
			max = atol(de->d_name);
	closedir(d);
	{
		char prevname[256] = "";
		const char *cur = name_of(r->current);
		long best = -1;

		if ((d = opendir(r->dir)) != NULL) {
			struct buf m = BUF_INIT;

			while ((de = readdir(d)) != NULL) {
				long v;

				if (!is_number(de->d_name) ||
				    (cur && strcmp(de->d_name, cur) == 0))
					continue;
				v = atol(de->d_name);
				buf_reset(&m);
				buf_printf(&m, "%s/%s/%s", r->dir, de->d_name,
				    RENDER_MANIFEST);
				if (v > best && cur && v < atol(cur) &&
				    access(m.data, F_OK) == 0) {
					best = v;
					snprintf(prevname, sizeof prevname,
					    "%s", de->d_name);
				}
			}
			closedir(d);
			buf_release(&m);
		}
		prune(r->dir, cur, prevname[0] ? prevname : NULL);
	}
	buf_printf(&b, "%ld", max + 1);
	r->name = buf_detach(&b);
	buf_printf(&b, "%s/%s", r->dir, r->name);
	r->staging = buf_detach(&b);
	if (mkdir(r->staging, 0755) != 0) {
		fq_err("%s: %s", r->staging, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

/* Flushes the staging folder's files to disk before it is published. */
static void
sync_tree(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		syncfs(fd);
		close(fd);
	}
}

int
render_release_commit(struct render_release *r)
{
	struct buf tmp = BUF_INIT, target = BUF_INIT;
	char *dirbase = base_name(r->dir);
	const char *prev = name_of(r->current);
	int rc = -1;

	sync_tree(r->staging);
	buf_printf(&tmp, "%s.tmp", r->out);
	buf_printf(&target, "%s/%s", dirbase, r->name);
	unlink(tmp.data);
	if (symlink(target.data, tmp.data) != 0) {
		fq_err("%s: %s", tmp.data, strerror(errno));
		goto out;
	}
	if (rename(tmp.data, r->out) != 0) {
		fq_err("%s: %s", r->out, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	rc = 0;
	prune(r->dir, r->name, prev);
out:
	free(dirbase);
	buf_release(&tmp);
	buf_release(&target);
	return rc;
}

void
render_release_end(struct render_release *r, int published)
{
	if (!published && r->staging)
		rm_tree(r->staging);
	free(r->out);
	free(r->dir);
	free(r->staging);
	free(r->current);
	free(r->name);
	memset(r, 0, sizeof *r);
}
