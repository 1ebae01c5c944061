#include "ingest_int.h"

#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "core/xmalloc.h"

int
markdown_to_safe_html(const char *in, size_t n, struct buf *html,
    struct buf *text)
{
	char *h;
	int rc;

	/* UNSAFE only means cmark passes raw HTML and all link schemes
	 * through; sanitize_html below decides what is safe. */
	h = cmark_markdown_to_html(in, n,
	    CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8);
	if (h == NULL)
		xdie("out of memory");
	rc = sanitize_html(h, strlen(h), html, text);
	free(h);
	return rc;
}
