/*
 * htmltext: plain text of HTML that is already in the store.
 *
 * Bodies are stored only as sanitized, canonical HTML (see
 * ingest/sanitize.c: allow-listed elements, every attribute quoted,
 * text escaped by core/escape.h).  Stages that need the words (the
 * full-text index, clustering) get them here without parsing the HTML
 * again, and without depending on ingest/.  This is a scanner for that
 * canonical form, not an HTML parser: given arbitrary HTML it still
 * returns text (tags removed, entities decoded) and never fails.
 *
 * Rules: markup is removed; block elements (p, h1-h6, pre, blockquote,
 * li, dt, dd, tr, hr) and <br> end a line; table cells are separated by
 * a space; the entities escape.h emits (&amp; &lt; &gt; &quot; &#39;),
 * numeric references and &nbsp; are decoded, anything else is kept
 * as it is.  Alt text and URLs are not included.
 */
#ifndef FQ_HTMLTEXT_H
#define FQ_HTMLTEXT_H

#include <stddef.h>

#include "buf.h"

/* Appends the plain text of html (n bytes) to out.  Allocates nothing
 * the caller must free besides what out owns. */
void htmltext_append(struct buf *out, const char *html, size_t n);

/* The value of attribute `name` in the tag [tag, end), as the sanitizer
 * writes attributes (name="value", after a space): a pointer into the
 * tag and its length in *n, or NULL.  Ingest (which links go into
 * post_links) and render (which hrefs it looks up there) read hrefs
 * through this one function, so both see the same bytes. */
const char *htmltext_attr(const char *tag, const char *end, const char *name,
    size_t *n);

#endif
