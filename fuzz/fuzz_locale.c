/*
 * libFuzzer target for render/locale: merges the input as a locale
 * document into strings already holding a key, as a theme override's
 * file is merged over the default theme's.  Parse errors are expected;
 * crashes, sanitizer reports and leaks are not, and an error must be
 * one line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "render/locale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char base[] = "{\"skip\": \"Skip to content\"}";
	struct locale_kv *v = NULL;
	struct buf err = BUF_INIT;
	size_t n = 0, i;

	if (locale_merge(&v, &n, base, sizeof base - 1, "base", &err) != 0)
		abort();
	if (locale_merge(&v, &n, (const char *)data, size, "fuzz",
	    &err) != 0) {
		if (err.len == 0 || memchr(err.data, '\n', err.len) != NULL)
			abort();
	}
	for (i = 0; i < n; i++)
		if (v[i].k == NULL || v[i].v == NULL)
			abort();
	locale_free(v, n);
	buf_release(&err);
	return 0;
}
