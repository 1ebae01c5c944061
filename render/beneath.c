/*
 * beneath: opening a file of the served folder so that nothing outside
 * it can ever be reached, whatever the request or the folder contains.
 *
 * Checking a path string is not enough: a symlink inside the site (to
 * "/", or a folder of it pointing elsewhere) would still lead out.  So
 * the kernel resolves the path beneath the folder's descriptor with
 * openat2(2) RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS (Linux 5.6); where
 * that is missing (older kernels, seccomp filters answering ENOSYS or
 * EPERM) every component is opened relative to the previous one with
 * O_NOFOLLOW, folders with O_DIRECTORY, which enforces the same rule.
 * The file is opened O_NONBLOCK so a FIFO in the folder cannot hang the
 * server, and only a regular file is kept.
 */
#define _GNU_SOURCE
#include "render_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/buf.h"

#define FILE_FLAGS (O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
#define DIR_FLAGS (O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_DIRECTORY)

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
	char *p, *slash;
	int cur = dirfd, fd = -1;

	buf_puts(&path, rel);
	p = path.data;
	for (;;) {
		/* An absolute or empty component, or "..", would leave the
		 * folder: refused here even though callers never pass one. */
		if (*p == '\0' || *p == '/' ||
		    (p[0] == '.' && p[1] == '.' &&
		     (p[2] == '/' || p[2] == '\0'))) {
			errno = EXDEV;
			fd = -1;
			break;
		}
		if ((slash = strchr(p, '/')) == NULL) {
			fd = keep_regular(openat(cur, p, FILE_FLAGS), sb);
			break;
		}
		*slash = '\0';
		fd = openat(cur, p, DIR_FLAGS);
		if (cur != dirfd)
			close(cur);
		if (fd < 0)
			break;
		cur = fd;
		fd = -1;
		p = slash + 1;
	}
	if (cur != dirfd)
		close(cur);
	buf_release(&path);
	return fd;
}

int
render_open_beneath(int dirfd, const char *rel, struct stat *sb)
{
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof how);
	how.flags = FILE_FLAGS;
	how.resolve =
	    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		return render_open_walk(dirfd, rel, sb);
	return keep_regular((int)fd, sb);
}
