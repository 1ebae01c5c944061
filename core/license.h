/*
 * license: the licence a published post is shared under, and the URL
 * its footer links to.  A footer names every licence of the posts it
 * shows, each with a link: CC BY-SA asks for both.
 */
#ifndef FQ_LICENSE_H
#define FQ_LICENSE_H

#include <stddef.h>

#include "buf.h"

/*
 * The licence Stack Exchange applied to content published at `date`
 * (ISO-8601 UTC, "YYYY-MM-DD..."): "CC BY-SA 2.5" before 2011-04-08,
 * "CC BY-SA 3.0" before 2018-05-02, "CC BY-SA 4.0" from then on (see
 * docs/sources.md for the source of the rule).  Returns a static
 * string, or NULL when date is NULL or does not start with a date.
 */
const char *license_se_at(const char *date);

/*
 * Appends to out the deed URL of a Creative Commons licence written as
 * Stack Exchange and most forums write it: "CC BY-SA 4.0", "CC BY 3.0",
 * "CC BY-NC-SA 2.5", "CC0 1.0" (any of BY, BY-SA, BY-ND, BY-NC,
 * BY-NC-SA, BY-NC-ND with a version N.N).  Returns 1, or 0 and appends
 * nothing for any other name.
 */
int license_cc_url(const char *name, struct buf *out);

/*
 * Reads the `content_license` setting: either a licence license_cc_url
 * knows ("CC BY-SA 4.0") or "NAME <URL>" with an http(s) URL
 * ("Apache License 2.0 <https://www.apache.org/licenses/LICENSE-2.0>").
 * On success returns NULL and sets *name and *url to heap strings the
 * caller frees; otherwise returns why the value is wrong (a static
 * string) and sets both to NULL.
 */
const char *license_parse(const char *value, char **name, char **url);

#endif
