/*
 * query: user input to a safe FTS5 MATCH expression.
 *
 * Every word becomes a quoted FTS5 string holding the word exactly as
 * the user typed it (its span in the input), so FTS5 runs it through
 * the same tokenizer as the documents; passing our own (stemmed) tokens
 * instead would stem them twice.  Nothing the user types can be FTS5
 * syntax: operators, NEAR(, *, ^, - and quotes are either not part of
 * any word or end up inside a quoted string with " doubled.
 */
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "index/index.h"
#include "index/tokenize.h"

struct span {
	size_t start, end;
};

struct collect {
	struct span spans[INDEX_QUERY_MAX_TERMS];
	char toks[INDEX_QUERY_MAX_TERMS][TOK_MAX_BYTES];
	size_t lens[INDEX_QUERY_MAX_TERMS];
	int n;
	size_t last_end; /* end of the last word seen, kept or not */
};

static int
collect_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct collect *c = ctx;
	int i;

	c->last_end = end;
	for (i = 0; i < c->n; i++) {
		if (c->lens[i] == n && memcmp(c->toks[i], tok, n) == 0)
			return 0;
	}
	if (c->n == INDEX_QUERY_MAX_TERMS)
		return 0; /* keep scanning: last_end matters */
	memcpy(c->toks[c->n], tok, n);
	c->lens[c->n] = n;
	c->spans[c->n].start = start;
	c->spans[c->n].end = end;
	c->n++;
	return 0;
}

int
index_query_build(struct tokenizer *t, const char *q, size_t n, int any,
    struct buf *out)
{
	struct collect c;
	int i, prefix;

	memset(&c, 0, sizeof c);
	tok_run(t, TOK_QUERY, q, n, collect_cb, &c);
	if (c.n == 0)
		return 0;
	/* The user may still be typing the last word. */
	prefix = c.last_end == n && c.spans[c.n - 1].end == n;
	for (i = 0; i < c.n; i++) {
		const char *w = q + c.spans[i].start;
		size_t len = c.spans[i].end - c.spans[i].start;

		if (i)
			buf_puts(out, any ? " OR " : " AND ");
		if (i == c.n - 1 && prefix) {
			buf_putc(out, '(');
			esc_dquote(out, w, len);
			buf_puts(out, " OR ");
			esc_dquote(out, w, len);
			buf_puts(out, " *)");
		} else {
			esc_dquote(out, w, len);
		}
	}
	return c.n;
}
