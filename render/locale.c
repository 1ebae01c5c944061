#include "locale.h"

#include <jansson.h>
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
		const char *s = json_string_value(val);

		if (s == NULL) {
			buf_printf(err, "%s: '%.*s': expected a string",
			    label, shown(k), k);
			goto out;
		}
		put(v, n, k, s);
	}
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
