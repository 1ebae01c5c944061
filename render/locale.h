/*
 * locale: a theme's interface strings, locales/LANG.json, one JSON
 * object whose values are all strings ({"skip": "Skip to content"}).
 * The theme is the operator's, but the parser works on a buffer so that
 * it has a fuzz target (fuzz/fuzz_locale.c); theme.c reads the files.
 */
#ifndef FQ_LOCALE_H
#define FQ_LOCALE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct locale_kv {
	char *k, *v; /* heap strings, owned by the array */
};

/*
 * Merges the strings of one locale document (len bytes at text) into
 * the array *v of *n entries: a key already there takes the new value,
 * a new key is appended (*v is reallocated).  Returns 0, or -1 with one
 * line in err naming the document as label ("LABEL:LINE:COL: what" for
 * JSON that does not parse, "LABEL: 'key': expected a string"); the
 * entries merged before the error stay, to be freed with locale_free()
 * as always.
 */
int locale_merge(struct locale_kv **v, size_t *n, const char *text,
    size_t len, const char *label, struct buf *err);
/*
 * The CLDR plural category of the count n in language lang (a BCP 47
 * tag; only its language part counts): "one" or "other".  A theme
 * gives a counted noun as KEY_one and KEY_other ("answers_one":
 * "answer"); the renderer picks by this.  Languages without plural
 * inflection (id, ms, ja, ko, zh, th, vi, ...) are always "other"; fr,
 * pt, hi, bn and fa say "one" for 0 and 1; every other language "one"
 * for exactly 1 (the few/many categories of ru, pl, ar... fall back to
 * "other").  Returns a static string.
 */
const char *locale_plural(const char *lang, int64_t n);
/* The string of key k in v (n entries sorted by key in strcmp order),
 * or k itself when v has none. */
const char *locale_get(const struct locale_kv *v, size_t n, const char *k);
/* The form of the counted noun `key` for count (locale_plural of lang):
 * KEY_one or KEY_other, else KEY (a theme's locale from before plural
 * forms), else key itself. */
const char *locale_noun(const struct locale_kv *v, size_t n,
    const char *lang, const char *key, int64_t count);
/* Frees the n entries of v and v itself. */
void locale_free(struct locale_kv *v, size_t n);

#endif
