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

/*
 * The three entity contexts drop every character XML 1.0 forbids: C0
 * controls other than tab, LF and CR, and the noncharacters U+FFFE and
 * U+FFFF (valid UTF-8 holds no surrogates).  So text escaped here is
 * well-formed in any XML file, whether esc_xml wrote it or a template's
 * {{x}} (esc_attr) did, and pages carry none of them either.
 */
/* HTML text content: & < > become entities. */
void esc_html(struct buf *out, const char *s, size_t n);
/* Quoted HTML attribute value: also " and '. */
void esc_attr(struct buf *out, const char *s, size_t n);
/* XML 1.0 text or attribute (sitemap, Atom): the same as esc_attr. */
void esc_xml(struct buf *out, const char *s, size_t n);
/* JSON string body (without the quotes).  Also escapes < > &, U+2028,
 * U+2029, U+FFFE and U+FFFF, so the result is safe inside <script> data
 * blocks and holds nothing an XML or HTML parser refuses. */
void esc_json(struct buf *out, const char *s, size_t n);
/* Percent-encodes everything but RFC 3986 unreserved characters. */
void esc_url_component(struct buf *out, const char *s, size_t n);
/* CSV field, quoted when needed (RFC 4180); one that starts with
 * = + - @ tab or CR is quoted after a ' (no formula in a spreadsheet). */
void esc_csv(struct buf *out, const char *s, size_t n);
/* s in double quotes, each " doubled: a quoted CSV field, an FTS5
 * string. */
void esc_dquote(struct buf *out, const char *s, size_t n);

#endif
