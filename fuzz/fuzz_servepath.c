/*
 * libFuzzer target for what a request to `faqtory serve` may name
 * (render/servepath.c): the input is a request path as a client sends
 * it.  Whatever it is, an accepted path must be relative and plain (no
 * leading '/', no empty, hidden or ".." segment, no NUL, control byte
 * or backslash), and a redirect to it must stay on this host and lead
 * back to the same path.  The Host and Accept-Encoding checks see the
 * input as a header.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_rel(const char *rel)
{
	const char *p = rel, *s;

	if (*p == '/')
		abort();
	for (s = p; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\')
			abort();
	while (*p) {
		s = p;
		p += strcspn(p, "/");
		if (p == s || *s == '.') /* empty, ".", "..", hidden */
			abort();
		if (*p == '/')
			p++;
	}
}

/* The redirect to the folder rel (no trailing '/') is path-absolute,
 * printable ASCII without spaces, and names rel + "/" again. */
static void
check_location(const char *rel)
{
	char *loc = render_serve_location(rel), *back;
	const char *s;
	size_t n = strlen(rel);

	if (loc[0] != '/' || loc[1] == '/' || loc[1] == '\\')
		abort();
	for (s = loc; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			abort();
	back = render_serve_path(loc, strlen(loc));
	if (back == NULL || strncmp(back, rel, n) != 0 ||
	    strcmp(back + n, "/") != 0)
		abort();
	free(back);
	free(loc);
}

static void
check_host(const char *host)
{
	if (!render_serve_host_ok(host, 8080))
		return;
	if (strcasecmp(host, "127.0.0.1:8080") != 0 &&
	    strcasecmp(host, "localhost:8080") != 0)
		abort();
}

/* Consent to gzip needs "gzip" or "*" in the header. */
static void
check_gzip(const char *accept)
{
	if (render_serve_gzip_ok(accept) && strcasestr(accept, "gzip") == NULL &&
	    strchr(accept, '*') == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *rel = render_serve_path((const char *)data, size);
	char *str;

	if (rel) {
		size_t n = strlen(rel);

		if (memchr(data, 0, size))
			abort();
		check_rel(rel);
		if (n && rel[n - 1] == '/')
			rel[n - 1] = '\0';
		if (rel[0])
			check_location(rel);
		free(rel);
	}
	if ((str = malloc(size + 1)) == NULL)
		abort();
	memcpy(str, data, size);
	str[size] = '\0';
	check_host(str);
	check_gzip(str);
	free(str);
	return 0;
}
