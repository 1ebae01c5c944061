/*
 * libFuzzer target for ingest/sanitize.c and ingest/markdown.c: the
 * input is sanitized as an HTML body, as a comment and as Markdown.
 * Aborts when an output is not a fixed point of sanitize_html, holds a
 * <script or <iframe tag, an href/src the URL policy refuses
 * (javascript:, vbscript:, data: ...), or invalid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "ingest/ingest_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
ci_has(const struct buf *b, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= b->len; i++)
		if (strncasecmp(b->data + i, needle, n) == 0)
			return 1;
	return 0;
}

/* An escaped href/src value: a ':' before any of "/?#&" must end
 * http, https or (links only) mailto. */
static int
scheme_ok(const char *v, size_t n, int img)
{
	size_t k;

	for (k = 0; k < n && strchr(":/?#&", v[k]) == NULL; k++)
		;
	if (k == n || v[k] != ':')
		return !img || n == 0;
	return (k == 4 && strncasecmp(v, "http", 4) == 0) ||
	    (k == 5 && strncasecmp(v, "https", 5) == 0) ||
	    (!img && k == 6 && strncasecmp(v, "mailto", 6) == 0);
}

/* Every href/src value inside a tag must pass scheme_ok; text and
 * attribute values are escaped, so '<' ... '>' spans are tags and '"'
 * only delimits values. */
static int
bad_url(const struct buf *h)
{
	const char *p = h->data, *e, *v, *q;

	while ((p = strchr(p, '<')) != NULL) {
		if ((e = strchr(p, '>')) == NULL)
			return 1;
		for (v = p; v < e; v++) {
			size_t k;

			if (strncmp(v, " href=\"", 7) == 0)
				k = 7;
			else if (strncmp(v, " src=\"", 6) == 0)
				k = 6;
			else if (*v == '"')
				k = 1;
			else
				continue;
			q = memchr(v + k, '"', (size_t)(e - v - k));
			if (q == NULL || (k > 1 && !scheme_ok(v + k,
			    (size_t)(q - v - k), k == 6)))
				return 1;
			v = q;
		}
		p = e;
	}
	return 0;
}

static void
check(const struct buf *h)
{
	struct buf again = BUF_INIT;

	if (ci_has(h, "<script") || ci_has(h, "<iframe") || bad_url(h) ||
	    utf8_check(h->data, h->len) != h->len)
		abort();
	sanitize_html(h->data, h->len, &again, NULL);
	if (again.len != h->len || memcmp(again.data, h->data, h->len) != 0)
		abort();
	buf_release(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct buf h = BUF_INIT, t = BUF_INIT;

	sanitize_html(in, size, &h, &t);
	check(&h);
	buf_reset(&h);
	sanitize_comment(in, size, &h, &t);
	check(&h);
	buf_reset(&h);
	markdown_to_safe_html(in, size, &h, &t);
	check(&h);
	if (utf8_check(t.data, t.len) != t.len)
		abort();
	buf_release(&h);
	buf_release(&t);
	return 0;
}
