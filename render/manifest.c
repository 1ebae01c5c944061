/*
 * manifest: parsing and reading a tree's manifest (see manifest.h).
 */
#include "render/manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "render/render.h"

int
render_manifest_path_ok(const char *path, size_t n)
{
	size_t i;
	int seg_start = 1;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			return 0;
		if (seg_start && (c == '/' || c == '.'))
			return 0; /* empty segment, "..", hidden, absolute */
		seg_start = c == '/';
	}
	return !seg_start; /* no trailing '/' */
}

/* Parses exactly 16 lowercase hex digits at p. */
static int
hex16(const char *p, uint64_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 16; i++) {
		int c = p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | (uint64_t)d;
	}
	return 0;
}

/* Parses 1 to 18 decimal digits at *p (which then points past them). */
static int
size_field(const char **p, const char *end, int64_t *v)
{
	const char *s = *p;

	*v = 0;
	while (s < end && *s >= '0' && *s <= '9' && s - *p < 18)
		*v = *v * 10 + (*s++ - '0');
	if (s == *p)
		return -1;
	*p = s;
	return 0;
}

/* One line "KEY HASH SIZE PATH" of n bytes (NUL-terminated) into e;
 * 0, or -1 if it is malformed or its path unsafe. */
static int
parse_line(const char *line, size_t n, struct manifest_entry *e)
{
	const char *p = line + 34, *end = line + n;

	if (n < 36 || line[16] != ' ' || line[33] != ' ' ||
	    hex16(line, &e->key) < 0 || hex16(line + 17, &e->hash) < 0 ||
	    size_field(&p, end, &e->size) < 0 || p >= end || *p != ' ')
		return -1;
	p++;
	if (!render_manifest_path_ok(p, (size_t)(end - p)))
		return -1;
	e->path = p;
	return 0;
}

int
render_manifest_parse(char *text, size_t len, struct manifest_entry **v,
    size_t *n, size_t *bad)
{
	char *line, *nl, *end = text + len;
	size_t cap = 0, k = 0;
	int done = 0;

	*v = NULL;
	*n = 0;
	*bad = 0;
	for (line = text; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			break;
		cap++;
	}
	*v = xcalloc(cap + 1, sizeof **v);
	for (line = text; line < end && !done; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			break;
		*nl = '\0';
		if (strcmp(line, "end") == 0 && nl - line == 3)
			done = 1;
		else if (parse_line(line, (size_t)(nl - line), &(*v)[k]) == 0)
			k++;
		else
			(*bad)++;
	}
	if (!done) {
		free(*v);
		*v = NULL;
		return -1;
	}
	*n = k;
	return 0;
}

char *
render_manifest_read(const char *dir, size_t *len)
{
	struct buf p = BUF_INIT;
	struct stat sb;
	char *text = NULL;
	size_t got = 0;
	int fd;

	buf_printf(&p, "%s/%s", dir, RENDER_MANIFEST);
	fd = open(p.data, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	buf_release(&p);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size > RENDER_MANIFEST_MAX)
		goto out;
	text = xmalloc((size_t)sb.st_size + 1);
	/* The size fstat gave bounds the read: a file that grows meanwhile
	 * is cut there, and then has no "end" line. */
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, text + got, (size_t)sb.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	text[got] = '\0';
	*len = got;
out:
	close(fd);
	return text;
}
