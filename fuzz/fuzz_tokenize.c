/*
 * libFuzzer target for the tokenizer: every mode, and the contract of
 * tokenize.h on every token (valid UTF-8, 1..TOK_MAX_BYTES bytes,
 * start < end <= n, a colocated token never first).
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/utf8.h"
#include "index/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
	size_t n, count;
};

static int
check_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct check *c = ctx;

	if (n == 0 || n > TOK_MAX_BYTES || utf8_check(tok, n) != n)
		abort();
	if (start >= end || end > c->n)
		abort();
	if ((flags & ~TOK_COLOCATED) != 0 ||
	    ((flags & TOK_COLOCATED) && c->count == 0))
		abort();
	c->count++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tokenizer *t;
	static const int modes[] = { TOK_DOCUMENT, TOK_QUERY,
		TOK_QUERY | TOK_PREFIX };
	struct check c;
	size_t i;

	if (t == NULL && (t = tok_new("russian")) == NULL)
		abort();
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		c.n = size;
		c.count = 0;
		tok_run(t, modes[i], (const char *)data, size, check_cb, &c);
	}
	return 0;
}
