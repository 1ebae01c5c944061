/*
 * The one URL policy.  Every URL that came from a source (a thread's
 * "original thread" link, an author's page, an href or src in a post
 * body) is checked here when it is ingested, and again where a page or
 * the report writes it into an href.
 *
 * Safe is:
 *  - an absolute http: or https: URL with a host ("https://host..."),
 *    the scheme compared case-insensitively;
 *  - with URL_MAILTO, also a mailto: URL;
 *  - with URL_RELATIVE, also a reference with no scheme: a path,
 *    "?query", "#fragment" or a protocol-relative "//host/x" (that is
 *    only http(s) to some host).
 * Everything else is unsafe: javascript:, vbscript:, data:, file: and
 * every other scheme, an empty URL, a scheme-like prefix holding '&'
 * (a browser may decode an entity such as "&colon;" that libxml2 does
 * not), and any byte below 0x21, DEL or NUL anywhere, so the tabs and
 * spaces a browser strips ("java\tscript:", " javascript:") cannot
 * turn a URL into another scheme after it was checked.
 */
#ifndef FQ_URL_H
#define FQ_URL_H

#include <stddef.h>

#include "buf.h"

enum url_flags {
	URL_ABSOLUTE = 0, /* http(s) only: links to a source */
	URL_RELATIVE = 1, /* also scheme-less references */
	URL_MAILTO = 2,   /* also mailto: */
};

/* 1 if the n bytes at u are a safe URL under flags, else 0. */
int url_is_safe(const char *u, size_t n, unsigned flags);

/*
 * Does to u what a browser does to an href before using it (trims
 * leading and trailing bytes up to space, drops tab, CR and LF,
 * percent-encodes other controls, spaces and DEL), then checks the
 * result with url_is_safe().  Returns 1 and appends the normalized URL
 * to out (when out is not NULL; it still needs attribute escaping), or
 * returns 0 and appends nothing.
 */
int url_clean(struct buf *out, const char *u, size_t n, unsigned flags);

#endif
