#include "locale.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

/* Whether lang's language part is one of the codes in list. */
static int
lang_in(const char *lang, const char *const *list)
{
	size_t n = strcspn(lang, "-_");

	for (; *list; list++)
		if (strlen(*list) == n && strncmp(*list, lang, n) == 0)
			return 1;
	return 0;
}

const char *
locale_plural(const char *lang, int64_t n)
{
	static const char *const none[] = { "id", "ms", "ja", "ko", "zh",
		"th", "vi", "lo", "my", "km", NULL };
	static const char *const zero_one[] = { "fr", "pt", "hi", "bn",
		"fa", NULL };

	if (lang_in(lang, none))
		return "other";
	if (lang_in(lang, zero_one))
		return n == 0 || n == 1 ? "one" : "other";
	return n == 1 ? "one" : "other";
}

/* Sets key k to value s in *v, replacing or appending. */
static void
put(struct locale_kv **v, size_t *n, const char *k, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].k, k) == 0)
			break;
	if (i == *n) {
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[i].k = xstrdup(k);
		(*v)[i].v = NULL;
		(*n)++;
	}
	free((*v)[i].v);
	(*v)[i].v = xstrdup(s);
}

/* The CLDR plural categories a key may end in ("answers_one"). */
static const char *const categories[] = { "zero", "one", "two", "few",
	"many", "other", NULL };

/* The length of k without a "_CATEGORY" suffix. */
static size_t
base_len(const char *k)
{
	size_t n = strlen(k), c;
	const char *u = strrchr(k, '_');

	if (u == NULL)
		return n;
	for (c = 0; categories[c]; c++)
		if (strcmp(u + 1, categories[c]) == 0)
			return (size_t)(u - k);
	return n;
}

/*
 * Drops from *v every form of the counted noun that key k is a form of
 * (KEY, KEY_one, KEY_other ...).  A later locale file that gives any
 * form of a noun gives all of them: without this, English's "answer"
 * (answers_one, from the default theme loaded first) would show beside
 * a translation that gives only answers_other or the bare key.
 */
static void
drop_forms(struct locale_kv *v, size_t *n, const char *k)
{
	size_t b = base_len(k), i = 0;

	while (i < *n) {
		if (base_len(v[i].k) == b && strncmp(v[i].k, k, b) == 0) {
			free(v[i].k);
			free(v[i].v);
			v[i] = v[--*n];
		} else
			i++;
	}
}

/* How much of key k an error line shows: up to 80 bytes, cut before a
 * control character so that the message stays one line. */
static int
shown(const char *k)
{
	int i = 0;

	while (i < 80 && (unsigned char)k[i] >= 0x20)
		i++;
	return i;
}

/* Appends jansson's message, which quotes the input near the error (a
 * newline included), with every control character made a space. */
static void
one_line(struct buf *err, const char *msg)
{
	for (; *msg; msg++)
		buf_putc(err, (unsigned char)*msg < 0x20 ? ' ' : *msg);
}

int
locale_merge(struct locale_kv **v, size_t *n, const char *text,
    size_t len, const char *label, struct buf *err)
{
	json_error_t e;
	json_t *j, *val;
	const char *k;
	int rc = -1;

	/* Strings with a NUL are refused by jansson (no JSON_ALLOW_NUL):
	 * every key and value is a C string. */
	if ((j = json_loadb(text, len, 0, &e)) == NULL) {
		buf_printf(err, "%s:%d:%d: ", label, e.line, e.column);
		one_line(err, e.text);
		return -1;
	}
	if (!json_is_object(j)) {
		buf_printf(err, "%s: expected an object", label);
		goto out;
	}
	json_object_foreach(j, k, val) {
		if (!json_is_string(val)) {
			buf_printf(err, "%s: '%.*s': expected a string",
			    label, shown(k), k);
			goto out;
		}
	}
	/* This document's nouns replace every earlier form of them, then
	 * its strings go in. */
	json_object_foreach(j, k, val)
		drop_forms(*v, n, k);
	json_object_foreach(j, k, val)
		put(v, n, k, json_string_value(val));
	rc = 0;
out:
	json_decref(j);
	return rc;
}

void
locale_free(struct locale_kv *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].k);
		free(v[i].v);
	}
	free(v);
}

static int
kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct locale_kv *)a)->k,
	    ((const struct locale_kv *)b)->k);
}

const char *
locale_get(const struct locale_kv *v, size_t n, const char *k)
{
	struct locale_kv key;
	const struct locale_kv *r;

	key.k = (char *)k;
	r = n ? bsearch(&key, v, n, sizeof *v, kv_cmp) : NULL;
	return r ? r->v : k;
}

const char *
locale_noun(const struct locale_kv *v, size_t n, const char *lang,
    const char *key, int64_t count)
{
	char name[64];
	const char *cat[2], *r;
	size_t i;

	cat[0] = locale_plural(lang, count);
	cat[1] = "other";
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof name, "%s_%s", key, cat[i]);
		if ((r = locale_get(v, n, name)) != name)
			return r;
	}
	return locale_get(v, n, key);
}
