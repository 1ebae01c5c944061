/*
 * markdown: CommonMark (cmark) to safe HTML.
 *
 * cmark runs with CMARK_OPT_UNSAFE so that the raw inline HTML people
 * write in Markdown (<kbd>, <sup>, <br>) survives; everything cmark
 * produces then goes through sanitize_html, which is the one safety
 * boundary (so <script> and javascript: links are removed there, exactly
 * as in HTML bodies).  Invalid UTF-8 becomes U+FFFD.
 */
#ifndef FQ_MARKDOWN_H
#define FQ_MARKDOWN_H

#include <stddef.h>

#include "core/buf.h"

/* Appends safe HTML and plain text like sanitize_html (either may be
 * NULL) and returns what sanitize_html returned. */
int markdown_to_safe_html(const char *in, size_t n, struct buf *html,
    struct buf *text);

#endif
