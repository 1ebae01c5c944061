/*
 * urls: the path segments of the public site's URL scheme (docs/site.md,
 * render_int.h): entry slugs, tag segments, and thread folders read
 * back from a previous manifest.  Pure functions.
 */
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/store.h"
#include "render/render_int.h"

/* A URL path segment made of [a-z0-9-] from the title; "q" if none. */
char *
render_slugify(const char *title)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)title;
	int dash = 0;

	for (; *p && b.len < 60; p++) {
		int c = *p;

		if (c >= 'A' && c <= 'Z')
			c += 32;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && b.len)
				buf_putc(&b, '-');
			buf_putc(&b, c);
			dash = 0;
		} else if (c != '\'') {
			dash = 1;
		}
	}
	if (b.len == 0)
		buf_putc(&b, 'q');
	return buf_detach(&b);
}

/* Tag names become one path segment: [a-z0-9.-] kept (a leading dot
 * escaped), every other byte as "_xx". */
char *
render_tag_slug(const char *name)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)name;

	for (; *p; p++) {
		int c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || (c == '.' && b.len))
			buf_putc(&b, c);
		else
			buf_printf(&b, "_%02x", c);
	}
	if (b.len > 180) {
		uint64_t h = fq_hash64(name, strlen(name), 0);

		buf_truncate(&b, 160);
		buf_printf(&b, "_%016llx", (unsigned long long)h);
	}
	return buf_detach(&b);
}

/* The segment at p up to the next '/': its length, 0 if there is no
 * '/' or the segment is empty. */
static size_t
segment(const char *p)
{
	const char *e = strchr(p, '/');

	return e ? (size_t)(e - p) : 0;
}

int
render_thread_path(const char *path, const char **src, size_t *srclen,
    int64_t *id, const char **slug, size_t *sluglen)
{
	const char *p = path;
	size_t n, k;
	int64_t v = 0;
	int neg;

	if (strncmp(p, "q/", 2) != 0)
		return 0;
	p += 2;
	if ((n = segment(p)) == 0)
		return 0;
	*src = p;
	*srclen = n;
	p += n + 1;
	/* Ids are the source's, which may be negative (docs/sources.md). */
	neg = *p == '-';
	if ((n = segment(p + neg)) == 0 || n > 18)
		return 0;
	p += neg;
	for (k = 0; k < n; k++) {
		if (p[k] < '0' || p[k] > '9')
			return 0;
		v = v * 10 + (p[k] - '0');
	}
	*id = neg ? -v : v;
	p += n + 1;
	*slug = NULL;
	*sluglen = 0;
	if (strcmp(p, "index.html") == 0)
		return 1;
	if ((n = segment(p)) == 0 || strcmp(p + n + 1, "index.html") != 0)
		return 0;
	*slug = p;
	*sluglen = n;
	return 1;
}
