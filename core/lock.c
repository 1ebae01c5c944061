/*
 * lock: the build lock; see lock.h.
 */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"

int
lock_take(const char *path)
{
	struct buf p = BUF_INIT;
	size_t n = strlen(path);
	int fd;

	while (n > 1 && path[n - 1] == '/')
		n--;
	buf_put(&p, path, n);
	buf_puts(&p, ".lock");
	fd = open(p.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		fq_err("%s: %s", p.data, strerror(errno));
		fd = -1;
	} else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		if (e == EWOULDBLOCK)
			fq_err("%s: another build is running (lock held)",
			    p.data);
		else
			fq_err("%s: %s", p.data, strerror(e));
		close(fd);
		fd = e == EWOULDBLOCK ? -3 : -1;
	}
	buf_release(&p);
	return fd;
}
