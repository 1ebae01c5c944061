/*
 * beneath: reaching a file beneath a folder so that nothing outside it
 * is ever read or written, whatever the folder contains.  serve opens
 * the files it answers with this way; render writes every file, folder
 * and hard link of its output, reads the files it keeps from the
 * previous release and removes stale files this way.
 *
 * Checking a path string is not enough: a symlink inside the folder (to
 * "/", or a folder of it pointing elsewhere) would still lead out.  So
 * the kernel resolves the path beneath the folder's descriptor with
 * openat2(2) RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS (Linux 5.6); where
 * that is missing (older kernels, seccomp filters answering ENOSYS or
 * EPERM) every component is opened relative to the previous one with
 * O_NOFOLLOW, folders with O_DIRECTORY, which enforces the same rule.
 * A write goes through a descriptor of the file's folder obtained so,
 * and names only the last component relative to it: a symlink planted
 * while render runs can then not redirect it either.
 */
#define _GNU_SOURCE
#include "render_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/path.h"
#include "core/xmalloc.h"

#define FILE_FLAGS (O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
#define DIR_FLAGS (O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_DIRECTORY)
/* A folder only named in *at calls: no need to open it for reading. */
#define PATH_FLAGS (O_PATH | O_CLOEXEC | O_DIRECTORY)
#define WRITE_FLAGS (O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_CREAT)

/* openat2 beneath dirfd with no symlink at any component (the last
 * included).  -1 with errno ENOSYS or EPERM where it is unavailable. */
static int
open2(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how;

	memset(&how, 0, sizeof how);
	how.flags = (unsigned long long)flags;
	how.mode = mode;
	how.resolve =
	    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

static int
unavailable(int e)
{
	return e == ENOSYS || e == EPERM;
}

/* Whether name, one component, would leave the folder or name none. */
static int
way_out(const char *name, size_t n)
{
	return n == 0 || (n == 2 && name[0] == '.' && name[1] == '.');
}

/* After an open of name under dfd failed: errno ELOOP if name is a
 * symlink, ENOTDIR if it is something else than a folder. */
static void
explain(int dfd, const char *name)
{
	int e = errno;
	struct stat sb;

	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		e = S_ISLNK(sb.st_mode) ? ELOOP :
		    S_ISDIR(sb.st_mode) ? e : ENOTDIR;
	errno = e;
}

static void
close_keep_errno(int fd, int dirfd)
{
	int e = errno;

	if (fd >= 0 && fd != dirfd)
		close(fd);
	errno = e;
}

/*
 * Opens the folder path[0..n) under dirfd one component at a time,
 * never following a symlink; with create, makes each missing folder.
 * The portable way, and the one that finds which component is at fault
 * when openat2 refused.  Returns the folder's descriptor (dirfd itself
 * for n == 0), or -1 with errno set and *bad the length of the prefix
 * that ends with the faulty component.
 */
static int
walk(int dirfd, char *path, size_t n, int create, size_t *bad)
{
	size_t i = 0, j;
	int cur = dirfd, fd;

	while (i < n) {
		char c;

		for (j = i; j < n && path[j] != '/'; j++)
			;
		c = path[j];
		path[j] = '\0';
		fd = -1;
		if (way_out(path + i, j - i)) {
			errno = EXDEV;
		} else if ((fd = openat(cur, path + i, DIR_FLAGS)) < 0 &&
		    errno == ENOENT && create &&
		    (mkdirat(cur, path + i, 0755) == 0 || errno == EEXIST)) {
			fd = openat(cur, path + i, DIR_FLAGS);
		}
		if (fd < 0 && errno != EXDEV)
			explain(cur, path + i);
		path[j] = c;
		close_keep_errno(cur, dirfd);
		if (fd < 0) {
			*bad = j;
			return -1;
		}
		cur = fd;
		i = j + 1;
	}
	return cur;
}

/*
 * The same, by openat2 first: one call for a folder that exists; a
 * missing one is made under its parent's descriptor, deepest existing
 * folder first, so a new entry's two folders cost a few calls and the
 * folders above them none.
 */
static int
dir_fd(int dirfd, char *path, size_t n, int create, size_t *bad)
{
	char c, *slash, *name;
	int fd, parent;

	if (n == 0)
		return dirfd;
	c = path[n];
	path[n] = '\0';
	fd = open2(dirfd, path, PATH_FLAGS, 0);
	path[n] = c;
	if (fd >= 0)
		return fd;
	if (errno != ENOENT || !create)
		return walk(dirfd, path, n, create, bad);
	slash = memrchr(path, '/', n);
	parent = dir_fd(dirfd, path, slash ? (size_t)(slash - path) : 0, 1,
	    bad);
	if (parent < 0)
		return -1;
	name = slash ? slash + 1 : path;
	path[n] = '\0';
	if (way_out(name, strlen(name)))
		errno = EXDEV;
	else if ((mkdirat(parent, name, 0755) == 0 || errno == EEXIST) &&
	    (fd = openat(parent, name, DIR_FLAGS)) < 0)
		explain(parent, name);
	path[n] = c;
	if (fd < 0)
		*bad = n;
	close_keep_errno(parent, dirfd);
	return fd;
}

int
render_dir_beneath(int dirfd, const char *rel, size_t n, int create,
    size_t *bad)
{
	struct buf path = BUF_INIT;
	int fd;

	*bad = 0;
	buf_put(&path, rel, n);
	fd = dir_fd(dirfd, path.data, n, create, bad);
	buf_release(&path);
	return fd;
}

int
render_mkdirs_beneath(int dirfd, const char *rel, size_t from, size_t n,
    size_t *bad)
{
	struct buf path = BUF_INIT;
	size_t i = from, j;
	int cur, fd = -1;

	buf_put(&path, rel, n);
	cur = dir_fd(dirfd, path.data, from > 0 ? from - 1 : 0, 1, bad);
	while (cur >= 0 && i < n) {
		for (j = i; j < n && path.data[j] != '/'; j++)
			;
		path.data[j] = '\0';
		*bad = j;
		fd = -1;
		if (way_out(path.data + i, j - i))
			errno = EXDEV;
		else if (mkdirat(cur, path.data + i, 0755) == 0 ||
		    errno == EEXIST)
			fd = j == n ? dirfd :
			    openat(cur, path.data + i, DIR_FLAGS);
		if (fd < 0 && errno != EXDEV)
			explain(cur, path.data + i);
		close_keep_errno(cur, dirfd);
		cur = fd;
		i = j + 1;
	}
	buf_release(&path);
	return cur < 0 ? -1 : 0;
}

/* Keeps fd if it is a regular file (filling *sb); else closes it. */
static int
keep_regular(int fd, struct stat *sb)
{
	if (fd < 0)
		return -1;
	if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	return fd;
}

int
render_open_walk(int dirfd, const char *rel, struct stat *sb)
{
	struct buf path = BUF_INIT;
	const char *base = path_base(rel);
	size_t bad;
	int dfd, fd = -1;

	buf_puts(&path, rel);
	if ((dfd = walk(dirfd, path.data, path_dir_len(rel), 0, &bad)) >= 0) {
		if (way_out(base, strlen(base)))
			errno = EXDEV;
		else
			fd = keep_regular(openat(dfd, base, FILE_FLAGS), sb);
		close_keep_errno(dfd, dirfd);
	}
	buf_release(&path);
	return fd;
}

int
render_open_beneath(int dirfd, const char *rel, struct stat *sb)
{
	int fd = open2(dirfd, rel, FILE_FLAGS, 0);

	if (fd < 0 && unavailable(errno))
		return render_open_walk(dirfd, rel, sb);
	return keep_regular(fd, sb);
}

/* Writes all of data to fd; 0, or -1 with errno set. */
static int
write_all(int fd, const char *data, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, data, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Creates name under dfd for writing.  A temporary name is created
 * exclusively, so that nothing planted under it (a symlink, a hard link
 * to someone's file) is ever opened; one left by a run that was killed
 * is removed first.
 */
static int
create(int dfd, const char *name, int tmp)
{
	int fd;

	if (!tmp)
		return openat(dfd, name, WRITE_FLAGS | O_TRUNC, 0644);
	fd = openat(dfd, name, WRITE_FLAGS | O_EXCL, 0644);
	if (fd < 0 && errno == EEXIST && unlinkat(dfd, name, 0) == 0)
		fd = openat(dfd, name, WRITE_FLAGS | O_EXCL, 0644);
	return fd;
}

/* Writes data to fd and closes it; 0, or -1 with errno set. */
static int
fill(int fd, const char *data, size_t n)
{
	int rc = write_all(fd, data, n), e = errno;

	if (close(fd) != 0 && rc == 0)
		return -1;
	errno = e;
	return rc;
}

int
render_write_beneath(int dirfd, const char *rel, const char *data,
    size_t n, int replace, size_t *bad)
{
	struct buf tmp = BUF_INIT;
	const char *base = path_base(rel), *name = base;
	int dfd, fd = -1, rc = -1, made = 0;

	/* The common case of a new tree, in one call: the file's folder
	 * exists and nothing is replaced.  A write that fails midway
	 * leaves its file, as the tree is incomplete anyway.  Anything
	 * else takes the way below, which also says what failed. */
	if (!replace &&
	    (fd = open2(dirfd, rel, WRITE_FLAGS | O_TRUNC, 0644)) >= 0) {
		*bad = strlen(rel);
		return fill(fd, data, n);
	}
	dfd = render_dir_beneath(dirfd, rel, path_dir_len(rel), 1, bad);
	if (dfd < 0)
		return -1;
	*bad = strlen(rel);
	if (way_out(base, strlen(base))) {
		errno = EXDEV;
		goto out;
	}
	if (replace) {
		buf_printf(&tmp, "%s.tmp%ld", base,
		    (long)pthread_self() % 100000);
		name = tmp.data;
	}
	/* O_NOFOLLOW: a symlink there fails with ELOOP. */
	if ((fd = create(dfd, name, replace)) < 0)
		goto out;
	made = 1;
	rc = fill(fd, data, n);
	/* The old file is unlinked first: that spares ext4 the flush it
	 * forces on a rename over an existing file (render_int.h). */
	if (rc == 0 && replace) {
		unlinkat(dfd, base, 0);
		rc = renameat(dfd, name, dfd, base);
	}
out:
	if (rc < 0) {
		int e = errno;

		if (made)
			unlinkat(dfd, name, 0);
		errno = e;
	}
	close_keep_errno(dfd, dirfd);
	buf_release(&tmp);
	return rc;
}

/* ---- keeping a file of another tree ------------------------------------ */

void
render_keeper_init(struct render_keeper *k, int fromfd, int tofd)
{
	memset(k, 0, sizeof *k);
	k->fromfd = fromfd;
	k->tofd = tofd;
	k->fromdir = k->todir = -1;
}

/* Forgets the folder of the last file kept, closing its descriptors. */
static void
forget(struct render_keeper *k)
{
	if (k->fromdir >= 0 && k->fromdir != k->fromfd)
		close(k->fromdir);
	if (k->todir >= 0 && k->todir != k->tofd)
		close(k->todir);
	k->fromdir = k->todir = -1;
	free(k->dir);
	k->dir = NULL;
}

void
render_keeper_release(struct render_keeper *k)
{
	forget(k);
}

/* Opens the folder rel[0..n) in both trees (the target's made when
 * missing), unless it is the folder of the last file kept.  0 or -1. */
static int
open_dirs(struct render_keeper *k, const char *rel, size_t n)
{
	size_t bad;

	if (k->dir != NULL && k->dirlen == n && memcmp(k->dir, rel, n) == 0)
		return 0;
	forget(k);
	if ((k->fromdir = render_dir_beneath(k->fromfd, rel, n, 0, &bad)) <
	    0 || (k->todir = render_dir_beneath(k->tofd, rel, n, 1, &bad)) < 0) {
		int e = errno;

		forget(k);
		errno = e;
		return -1;
	}
	k->dir = xstrndup(rel, n);
	k->dirlen = n;
	return 0;
}

/* Reads exactly size bytes of fd into b; -1 with errno EFBIG when the
 * file holds another number of bytes. */
static int
read_exactly(int fd, long long size, struct buf *b)
{
	char tmp[65536];
	ssize_t r;

	while ((r = read(fd, tmp, sizeof tmp)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if ((long long)(b->len + (size_t)r) > size) {
			errno = EFBIG;
			return -1;
		}
		buf_put(b, tmp, (size_t)r);
	}
	if ((long long)b->len != size) {
		errno = EFBIG;
		return -1;
	}
	return 0;
}

/* The copy where a hard link cannot cross file systems: the source is
 * opened under its folder's descriptor with O_NOFOLLOW and read only if
 * it is a regular file of the size expected. */
static int
copy(struct render_keeper *k, const char *base, long long size)
{
	struct buf b = BUF_INIT;
	struct stat sb;
	int fd, out, rc = -1;

	fd = keep_regular(openat(k->fromdir, base, FILE_FLAGS), &sb);
	if (fd < 0)
		return -1;
	/* A recycled tree's file may share its inode with a published
	 * release: it is replaced, never written into. */
	if (k->replace)
		unlinkat(k->todir, base, 0);
	if (read_exactly(fd, size, &b) == 0 &&
	    (out = create(k->todir, base, 0)) >= 0 &&
	    (rc = fill(out, b.data, b.len)) != 0) {
		int e = errno;

		unlinkat(k->todir, base, 0);
		errno = e;
	}
	close_keep_errno(fd, -1);
	buf_release(&b);
	return rc;
}

int
render_keep_beneath(struct render_keeper *k, const char *rel,
    long long size)
{
	const char *base = path_base(rel);
	struct stat sb;

	if (way_out(base, strlen(base))) {
		errno = EXDEV;
		return -1;
	}
	if (open_dirs(k, rel, path_dir_len(rel)) < 0)
		return -1;
	/* linkat(2) without AT_SYMLINK_FOLLOW links a symlink itself, never
	 * what it points to; what was linked is then checked, so a file
	 * swapped for something else between a check and the link cannot
	 * slip through either. */
	if (linkat(k->fromdir, base, k->todir, base, 0) != 0 &&
	    (errno != EEXIST || !k->replace ||
	    unlinkat(k->todir, base, 0) != 0 ||
	    linkat(k->fromdir, base, k->todir, base, 0) != 0))
		return errno == EXDEV ? copy(k, base, size) : -1;
	if (fstatat(k->todir, base, &sb, AT_SYMLINK_NOFOLLOW) != 0)
		sb.st_mode = 0;
	else if (S_ISREG(sb.st_mode) && (long long)sb.st_size == size)
		return 0;
	unlinkat(k->todir, base, 0);
	errno = S_ISLNK(sb.st_mode) ? ELOOP :
	    S_ISREG(sb.st_mode) ? EFBIG : EISDIR;
	return -1;
}

/* ---- removing ----------------------------------------------------------- */

int
render_remove_beneath(int dirfd, const char *rel)
{
	struct buf path = BUF_INIT;
	size_t end = strlen(rel), n;
	int dfd, rc = 0, flags = 0;

	buf_put(&path, rel, end);
	/* The file, then its folders from the deepest up while they are
	 * empty, each under its parent opened beneath dirfd. */
	while (rc == 0 && end > 0) {
		char *name;
		size_t bad;

		path.data[end] = '\0';
		n = path_dir_len(path.data);
		name = path.data + (n > 0 ? n + 1 : 0);
		if (way_out(name, strlen(name))) {
			errno = EXDEV;
			rc = -1;
		} else if ((dfd = dir_fd(dirfd, path.data, n, 0, &bad)) < 0) {
			rc = -1;
		} else {
			rc = unlinkat(dfd, name, flags);
			close_keep_errno(dfd, dirfd);
		}
		if (flags == 0 && rc != 0)
			break;
		end = n;
		flags = AT_REMOVEDIR;
	}
	buf_release(&path);
	return flags == 0 ? -1 : 0;
}
