/*
 * Escaping: the one place per output context.  Every byte that came
 * from a forum reaches HTML, XML, JSON or a URL through one of these.
 * All append to `out`; none allocates anything the caller must free.
 * Input is expected to be valid UTF-8 (ingest guarantees it for
 * everything in the store); invalid bytes are never passed through
 * into JSON, where they become U+FFFD.
 */
#ifndef FQ_ESCAPE_H
#define FQ_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* HTML text content: & < > become entities. */
void esc_html(struct buf *out, const char *s, size_t n);
/* Quoted HTML attribute value: also " and '. */
void esc_attr(struct buf *out, const char *s, size_t n);
/* XML 1.0 text or attribute (sitemap, Atom): like esc_attr, and drops
 * characters XML 1.0 forbids (C0 controls other than tab/LF/CR). */
void esc_xml(struct buf *out, const char *s, size_t n);
/* JSON string body (without the quotes).  Also escapes < > & and
 * U+2028/U+2029 so the result is safe inside <script> data blocks. */
void esc_json(struct buf *out, const char *s, size_t n);
/* Percent-encodes everything but RFC 3986 unreserved characters. */
void esc_url_component(struct buf *out, const char *s, size_t n);
/* CSV field, quoted when needed (RFC 4180). */
void esc_csv(struct buf *out, const char *s, size_t n);

#endif
