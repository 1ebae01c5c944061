/*
 * servepath: what a request to `faqtory serve` may name, decided
 * without touching the file system, so that the rules are one pure
 * function each (unit-tested and fuzzed) and serve.c only applies them.
 *
 * The request path arrives as the client sent it: libmicrohttpd's own
 * unescaping is switched off in serve.c, because a path decoded there
 * reaches us as a C string, where "%00" silently truncates it and "%2f"
 * has already become a separator nobody checked.  Decoding here sees
 * every byte.  The rules are on the decoded path:
 *   - it starts with exactly one '/';
 *   - no segment is empty (so no "//" anywhere), "." or "..", or hidden
 *     (starts with '.'), which also keeps .faqtory-manifest private;
 *   - no NUL, control byte or backslash, and no broken %-escape.
 * The result is relative, so openat() cannot read it as absolute.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/escape.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes url[0..n) into out; -1 on a broken escape or a byte
 * no file name of a site holds (NUL, controls, DEL, backslash). */
static int
decode(const char *url, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3)
				return -1;
			hi = hexval((unsigned char)url[i + 1]);
			lo = hexval((unsigned char)url[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f || c == '\\')
			return -1;
		buf_putc(out, c);
	}
	return 0;
}

/* Whether the decoded path p (starting with '/') has only plain
 * segments; the last may be empty (a folder: "/", "/x/"). */
static int
plain_segments(const char *p)
{
	if (*p != '/')
		return 0;
	while (*p == '/') {
		const char *s = ++p;

		while (*p && *p != '/')
			p++;
		if (p == s && *p == '/')
			return 0; /* an empty segment: "//" */
		if (*s == '.')
			return 0; /* ".", "..", hidden */
	}
	return 1;
}

char *
render_serve_path(const char *url, size_t n)
{
	struct buf d = BUF_INIT;
	char *rel = NULL;

	if (decode(url, n, &d) == 0 && plain_segments(d.data))
		rel = strdup(d.data + 1);
	buf_release(&d);
	return rel;
}

char *
render_serve_location(const char *rel)
{
	struct buf loc = BUF_INIT;
	const char *p = rel;

	/* Each segment escaped on its own: '/' stays the separator, and
	 * '\\', '%', controls and spaces can never reach the header. */
	buf_putc(&loc, '/');
	while (*p) {
		size_t k = strcspn(p, "/");

		esc_url_component(&loc, p, k);
		buf_putc(&loc, '/');
		p += k;
		if (*p == '/')
			p++;
	}
	return buf_detach(&loc);
}

/* Whether s[0..n) is the decimal port, without leading zeros. */
static int
is_port(const char *s, size_t n, int port)
{
	char want[16];
	int k = snprintf(want, sizeof want, "%d", port);

	return k > 0 && (size_t)k == n && memcmp(s, want, n) == 0;
}

int
render_serve_host_ok(const char *host, int port)
{
	static const char *const names[] = {"127.0.0.1", "localhost"};
	size_t i;

	if (host == NULL)
		return 0;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t k = strlen(names[i]);

		if (strncasecmp(host, names[i], k) != 0)
			continue;
		if (host[k] == '\0')
			return port == 80; /* the port is implied only then */
		if (host[k] == ':' &&
		    is_port(host + k + 1, strlen(host + k + 1), port))
			return 1;
	}
	return 0;
}

/* Skips optional white space (RFC 9110 OWS). */
static const char *
ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The weight of one element "coding [; q=value]" of p[0..n): 1000 for
 * none, 0..1000 for a valid qvalue, -1 for anything malformed (an
 * element we cannot read is ignored, never taken as consent). */
static int
weight(const char *p, size_t n)
{
	const char *e = p + n;
	int q, digits = 0;

	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	p = ows(p);
	if (p >= e)
		return 1000;
	if (*p != ';')
		return -1;
	p = ows(p + 1);
	if (e - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
		return -1;
	p += 2;
	if (*p != '0' && *p != '1')
		return -1;
	q = (*p++ - '0') * 1000;
	if (p < e && *p == '.')
		for (p++; p < e && digits < 3 && *p >= '0' && *p <= '9';
		    digits++)
			q += (*p++ - '0') * (digits == 0 ? 100 :
			    digits == 1 ? 10 : 1);
	return p == e && q <= 1000 ? q : -1;
}

int
render_serve_gzip_ok(const char *accept)
{
	int gzip = -1, star = -1;
	const char *p = accept;

	if (accept == NULL)
		return 0;
	while (*p) {
		size_t n = strcspn(p, ","), k;
		const char *el = ows(p);

		k = strcspn(el, ",; \t");
		if (el + k <= p + n) {
			int w = weight(el + k, (size_t)(p + n - el - k));

			if ((k == 4 && strncasecmp(el, "gzip", 4) == 0) ||
			    (k == 6 && strncasecmp(el, "x-gzip", 6) == 0))
				gzip = w > gzip ? w : gzip;
			else if (k == 1 && *el == '*')
				star = w > star ? w : star;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return gzip >= 0 ? gzip > 0 : star > 0;
}
