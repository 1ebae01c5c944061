/*
 * sanitize: untrusted forum HTML in, safe canonical HTML and plain text
 * out.  The only way post bodies and comments reach the store.
 *
 * Input is parsed with libxml2's HTML parser (never fetching anything,
 * no encoding switches from <meta>) and re-serialized from its SAX events
 * through an allow-list:
 *
 *   block   p h1-h6 pre blockquote hr ul ol li dl dt dd
 *           table thead tbody tr th td
 *   inline  em strong b i s del ins sup sub code kbd br a img
 *   attrs   a: href title (plus rel="nofollow ugc noopener")
 *           img: src alt title     th td: colspan rowspan (1..1000)
 *
 * Any other element is dropped.  Its text is kept, except for elements
 * whose content is code or UI rather than prose (script style template
 * iframe object embed noembed noframes noscript svg math xmp plaintext
 * textarea select button head title audio video canvas ...), whose
 * content is dropped with them.  An <a> without a usable href and an
 * <img> without a usable src are dropped (the link text is kept).
 *
 * The output is canonical, so sanitizing it again gives the same bytes:
 * inline content at the top level is wrapped in <p>, top-level blocks
 * are each followed by one newline, whitespace elsewhere is kept as is
 * (pre/code content byte for byte; a CR from a character reference is
 * written as LF), elements are only emitted where the
 * parser would put them back (li only in ul/ol, td only in tr, no block
 * inside p or inline elements, no a inside a); a dropped block element
 * inside inline content becomes <br>.  Attributes come in a fixed order,
 * every value is quoted and escaped (core/escape.h), output is valid
 * UTF-8.
 *
 * Plain text (for the full-text index): entities decoded, no markup,
 * block boundaries become one newline, table cells one space, other
 * whitespace runs one space (inside pre, line breaks are kept).  Alt
 * text and URLs are not included.
 *
 * Limits: parsing stops at libxml2's default nesting limit (256 open
 * elements).  Input the parser gives up on (too deep, or over INT_MAX
 * bytes) is not silently cut: the whole input is shown as escaped text
 * in one <pre>, and the function returns SANITIZE_FALLBACK so the caller
 * can count it.  Output nesting is capped at 128 (deeper elements are
 * dropped, their text kept), so the output itself always parses.  Time
 * and memory are linear in the input.
 *
 * All functions append to `html` and `text`; either may be NULL.  They
 * never fail (out of memory aborts, see core/xmalloc.h) and allocate
 * nothing the caller must free besides what the bufs own.
 */
#ifndef FQ_SANITIZE_H
#define FQ_SANITIZE_H

#include <stddef.h>

#include "core/buf.h"

enum {
	SANITIZE_OK = 0,
	SANITIZE_FALLBACK = 1 /* rendered as escaped source, see above */
};

/* Untrusted HTML (any bytes: invalid UTF-8 becomes U+FFFD, NUL becomes
 * U+FFFD, other C0 controls are removed, CR LF becomes LF).  Returns
 * SANITIZE_OK or SANITIZE_FALLBACK. */
int sanitize_html(const char *in, size_t n, struct buf *html,
    struct buf *text);

/* Stack Exchange comment: plain text with [text](url) links and bare
 * http(s) URLs.  The HTML is one <p> of escaped text with safe links
 * (nothing for a blank comment), already canonical for sanitize_html.
 * A link whose URL is refused keeps only its text. */
void sanitize_comment(const char *in, size_t n, struct buf *html,
    struct buf *text);

/*
 * URL policy, for attributes whose value is already entity-decoded: the
 * one policy of core/url.h (url_clean: normalized as a browser would,
 * then checked).  Links may be http(s), mailto or relative (including
 * protocol-relative "//host/x"); images must be absolute http(s).
 */
/* Returns 1 if url may be used (for_img: as an image source). */
int sanitize_url_ok(const char *url, size_t n, int for_img);
/* As sanitize_url_ok; on success also appends the normalized URL to out
 * (it still needs esc_attr).  Appends nothing and returns 0 otherwise. */
int sanitize_url(struct buf *out, const char *url, size_t n, int for_img);

#endif
