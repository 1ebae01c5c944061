/*
 * libFuzzer target for the manifest reader (render/manifest.h): a
 * ".faqtory-manifest" is untrusted (whoever can write the output can
 * edit it) and a rebuild removes the paths it lists.  Whatever the
 * bytes, render_manifest_parse must neither crash nor read out of
 * bounds, and every path it returns must pass the path rule: relative,
 * beneath the tree, no "..", nothing hidden.  Each path is then read as
 * a thread folder (render_thread_path, which keeps published URLs):
 * what it returns must lie inside the path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/manifest.h"
#include "render/render_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
thread_path(const char *p, size_t len)
{
	const char *src, *slug;
	size_t sn, gn;
	int64_t id;

	if (!render_thread_path(p, &src, &sn, &id, &slug, &gn))
		return;
	if (sn == 0 || src < p || src + sn > p + len ||
	    (slug && (gn == 0 || slug < src + sn || slug + gn > p + len)) ||
	    (!slug && gn != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct manifest_entry *v;
	size_t n, bad, i;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (render_manifest_parse(text, size, &v, &n, &bad) == 0) {
		for (i = 0; i < n; i++) {
			const char *p = v[i].path;
			size_t len = strlen(p);

			if (p < text || p + len > text + size ||
			    !render_manifest_path_ok(p, len) ||
			    strstr(p, "..") == p || strstr(p, "/../") ||
			    v[i].size < 0)
				abort();
			thread_path(p, len);
		}
		free(v);
	} else if (v != NULL || n != 0) {
		abort();
	}
	free(text);
	return 0;
}
