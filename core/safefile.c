#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
say_errno(char *why, int e)
{
	if (strerror_r(e, why, SAFEFILE_WHY) != 0)
		snprintf(why, SAFEFILE_WHY, "error %d", e);
}

/* "1 MiB", "512 KiB" or "100 bytes": limits are stated, so say them. */
static void
say_limit(char *why, size_t cap)
{
	if (cap >= ((size_t)1 << 20) && cap % ((size_t)1 << 20) == 0)
		snprintf(why, SAFEFILE_WHY, "larger than the %zu MiB limit",
		    cap >> 20);
	else if (cap >= 1024 && cap % 1024 == 0)
		snprintf(why, SAFEFILE_WHY, "larger than the %zu KiB limit",
		    cap >> 10);
	else
		snprintf(why, SAFEFILE_WHY, "larger than the %zu byte limit",
		    cap);
}

int
safefile_beneath(const char *path, const char *dir, char *why)
{
	char *rd = NULL, *rp = NULL;
	size_t n;
	int ok = 0;

	if ((rd = realpath(dir[0] ? dir : ".", NULL)) == NULL ||
	    (rp = realpath(path, NULL)) == NULL) {
		say_errno(why, errno);
		goto out;
	}
	n = strlen(rd);
	/* "/" is a prefix of everything; "/a/b" of "/a/b/c", not "/a/bc". */
	if (n == 1 || (strncmp(rp, rd, n) == 0 && rp[n] == '/'))
		ok = 1;
	else
		snprintf(why, SAFEFILE_WHY, "outside the folder '%s'",
		    dir[0] ? dir : ".");
out:
	free(rd);
	free(rp);
	return ok;
}

int
safefile_open(const char *path, const char *beneath, char *why)
{
	struct stat sb, fsb;
	int fd;

	if (beneath && !safefile_beneath(path, beneath, why))
		return -1;
	/* stat first: a device is refused without being opened (opening
	 * some has effects), a FIFO without blocking on its writer. */
	if (stat(path, &sb) < 0) {
		say_errno(why, errno);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(why, SAFEFILE_WHY, "not a regular file");
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		say_errno(why, errno);
		return -1;
	}
	/* The path may have changed since stat: what is open counts. */
	if (fstat(fd, &fsb) < 0 || !S_ISREG(fsb.st_mode) ||
	    fsb.st_dev != sb.st_dev || fsb.st_ino != sb.st_ino) {
		close(fd);
		snprintf(why, SAFEFILE_WHY, "not a regular file");
		return -1;
	}
	return fd;
}

int
safefile_read(const char *path, const char *beneath, size_t cap,
    struct buf *out, char *why)
{
	size_t start = out->len, got = 0;
	struct stat sb;
	ssize_t r;
	int fd;

	if ((fd = safefile_open(path, beneath, why)) < 0)
		return -1;
	if (fstat(fd, &sb) == 0 && (uint64_t)sb.st_size > (uint64_t)cap) {
		say_limit(why, cap);
		close(fd);
		return -1;
	}
	/* Read one byte past the cap: a file growing while read is caught. */
	for (;;) {
		size_t room;

		buf_grow(out, 65536);
		room = out->cap - out->len - 1;
		if (room > cap + 1 - got)
			room = cap + 1 - got;
		r = read(fd, out->data + out->len, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		out->len += (size_t)r;
		got += (size_t)r;
		if (got > cap)
			break;
	}
	if (r < 0)
		say_errno(why, errno);
	else if (got > cap)
		say_limit(why, cap);
	close(fd);
	if (r < 0 || got > cap) {
		buf_truncate(out, start);
		return -1;
	}
	out->data[out->len] = '\0';
	return 0;
}

char *
safefile_slurp(const char *path, const char *beneath, size_t cap,
    size_t *len, char *why)
{
	struct buf b = BUF_INIT;

	if (safefile_read(path, beneath, cap, &b, why) < 0) {
		buf_release(&b);
		return NULL;
	}
	*len = b.len;
	return buf_detach(&b);
}
