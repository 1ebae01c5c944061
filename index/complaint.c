/*
 * complaint: whether a comment on an accepted answer says the answer
 * does not work, for the `suspect_answer` flag (index/trends.c,
 * docs/trends.md).
 *
 * A comment complains when one of its source's "does not work" phrases
 * occurs in its plain text (ASCII case-insensitive, typographic
 * apostrophes folded) and that occurrence is
 *
 *  - not quoted: text inside <blockquote>, <q>, <code> and <pre>,
 *    between double quotes (straight ", typographic U+201C/U+201D,
 *    U+201E and guillemets) and between backticks (a Markdown code
 *    span: comments keep their Markdown), is someone else's words or a
 *    command, not the commenter's verdict ("You wrote "this is wrong"
 *    but...");
 *  - not conditional: no conditional marker ("if", "unless"...) among
 *    the HEDGE_WORDS words before it in its clause ("if this is wrong
 *    for Stack Exchange I am ready to delete");
 *  - not negated: for a phrase that has no negation of its own ("is
 *    outdated", not "doesn't work"), no negation marker ("not", "n't",
 *    "never"...) among those words ("I don't think this is outdated").
 *    A phrase that is itself negative keeps counting after one ("I
 *    don't know why it doesn't work" is a complaint).
 *
 * A clause ends at . , ; : ! ? ( ) and line ends.  Comments by the
 * answer's own author are left out before they get here (trends.c's
 * query).  Phrases and markers are per Snowball language: the built-in
 * lists below, each replaced by the curation file's list of the same
 * name and language ([phrases] LANGUAGE, conditional.LANGUAGE,
 * negation.LANGUAGE; docs/trends.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/htmltext.h"
#include "core/xmalloc.h"
#include "index/index_int.h"

/* Words looked at before a phrase for a marker. */
#define HEDGE_WORDS 3

/* The lists, in order: phrases, conditional markers, negation markers;
 * each list ends with NULL, each language with a NULL after its lists. */
enum { L_PHRASE, L_COND, L_NEG, L_N };
static const char *const list_prefix[L_N] = { "", "conditional.",
	"negation." };

/* "It does not work" phrases per Snowball language, then its markers.
 * A marker starting with ' matches a word's ending ("n't": "isn't"). */
static const char *const builtin[] = {
	"english",
	"doesn't work", "does not work", "didn't work", "did not work",
	"not working", "no longer works", "stopped working", "doesnt work",
	"this is wrong", "this is incorrect", "is outdated", "is deprecated",
	"no longer valid", NULL,
	"if", "unless", "whether", "assuming", "suppose", "supposing", NULL,
	"not", "never", "n't", "nor", "neither", "hardly", NULL,
	NULL,
	"indonesian",
	"tidak berfungsi", "tidak bekerja", "tidak jalan", "sudah usang",
	NULL,
	"jika", "jikalau", "kalau", "apabila", "bila", "seandainya",
	"andaikan", "kecuali", "apakah", NULL,
	"tidak", "tak", "bukan", "belum", "jangan", NULL,
	NULL,
	"german", "funktioniert nicht", "geht nicht", "ist veraltet", NULL,
	NULL, NULL, NULL,
	"french", "ne fonctionne pas", "ne marche pas", "est obsolète", NULL,
	NULL, NULL, NULL,
	"spanish", "no funciona", "está obsoleto", NULL, NULL, NULL, NULL,
	"portuguese", "não funciona", "está desatualizado", NULL, NULL, NULL,
	NULL,
	"italian", "non funziona", NULL, NULL, NULL, NULL,
	"dutch", "werkt niet", NULL, NULL, NULL, NULL,
	"russian", "не работает", NULL, NULL, NULL, NULL,
	NULL,
};

static const char SQL_CP_CURATED[] =
    "SELECT lang, phrase FROM curation_phrases ORDER BY lang, phrase";

static void
add(struct complaint_set *s, int list, const char *p)
{
	struct buf f = BUF_INIT;

	index_fold(&f, p, strlen(p));
	if (f.len == 0) {
		buf_release(&f);
		return;
	}
	s->w[list] = xreallocarray(s->w[list], s->n[list] + 1,
	    sizeof *s->w[list]);
	s->w[list][s->n[list]++] = buf_detach(&f);
}

/* Which list a curation_phrases key names (LANGUAGE or PREFIX.LANGUAGE),
 * its language in *lang; -1 for the other lists (answer selection's). */
static int
key_list(const char *key, const char **lang)
{
	int l;

	for (l = L_N - 1; l >= 0; l--) {
		size_t n = strlen(list_prefix[l]);

		if (strncmp(key, list_prefix[l], n) == 0) {
			*lang = key + n;
			return strchr(*lang, '.') ? -1 : l;
		}
	}
	return -1;
}

static int
curated(char **keys, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return 1;
	return 0;
}

static void
load_builtin(struct complaint_set *s, const char *langs, char **keys,
    size_t nkeys)
{
	const char *const *p = builtin;
	char key[64];
	int list;

	while (*p) {
		const char *lang = *p++;
		int want = index_lang_wanted(langs, lang, strlen(lang));

		for (list = 0; list < L_N; list++, p++) {
			snprintf(key, sizeof key, "%s%s", list_prefix[list],
			    lang);
			for (; *p; p++)
				if (want && !curated(keys, nkeys, key))
					add(s, list, *p);
		}
	}
}

int
complaint_load(struct store *st, struct complaint_set *sets,
    const char *const *langs, size_t n)
{
	sqlite3_stmt *q = store_stmt(st, SQL_CP_CURATED);
	char **keys = NULL;
	size_t i, nkeys = 0;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(q, 0);
		const char *ph = (const char *)sqlite3_column_text(q, 1);
		const char *lang;
		int list = key ? key_list(key, &lang) : -1;

		if (list < 0 || ph == NULL)
			continue;
		if (!curated(keys, nkeys, key)) {
			keys = xreallocarray(keys, nkeys + 1, sizeof *keys);
			keys[nkeys++] = xstrdup(key);
		}
		for (i = 0; i < n; i++)
			if (index_lang_wanted(langs[i], lang, strlen(lang)))
				add(&sets[i], list, ph);
	}
	for (i = 0; i < n; i++)
		load_builtin(&sets[i], langs[i], keys, nkeys);
	for (i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	return rc == SQLITE_DONE ? 0 : store_fail(st);
}

void
complaint_free(struct complaint_set *s)
{
	size_t i;
	int l;

	for (l = 0; l < L_N; l++) {
		for (i = 0; i < s->n[l]; i++)
			free(s->w[l][i]);
		free(s->w[l]);
	}
	memset(s, 0, sizeof *s);
}

/* ---- quotes ------------------------------------------------------------ */

/* Whether html at i opens element `tag` (<tag> or <tag ...>). */
static int
opens(const char *h, size_t n, size_t i, const char *tag)
{
	size_t k = strlen(tag);

	return h[i] == '<' && i + 1 + k < n && strncmp(h + i + 1, tag, k) == 0
	    && (h[i + 1 + k] == '>' || h[i + 1 + k] == ' ');
}

/* Appends html without the elements whose text is a quotation or code
 * (nested ones of the same name included).  The store's HTML is
 * sanitized and canonical (core/htmltext.h): lowercase tag names. */
static void
drop_quoted_html(struct buf *out, const char *h, size_t n)
{
	static const char *const tags[] = { "blockquote", "q", "code", "pre" };
	size_t i = 0, t;

	while (i < n) {
		for (t = 0; t < sizeof tags / sizeof tags[0]; t++)
			if (opens(h, n, i, tags[t]))
				break;
		if (t == sizeof tags / sizeof tags[0]) {
			buf_putc(out, h[i++]);
			continue;
		}
		{
			size_t k = strlen(tags[t]);
			int depth = 0;

			for (; i < n; i++) {
				if (opens(h, n, i, tags[t]))
					depth++;
				else if (h[i] == '<' && i + 2 + k < n &&
				    h[i + 1] == '/' &&
				    strncmp(h + i + 2, tags[t], k) == 0 &&
				    h[i + 2 + k] == '>' && --depth == 0)
					break;
			}
			i += i < n ? 3 + k : 0;
			buf_putc(out, ' ');
		}
	}
}

/* The quotation mark at s[i]: its length in *len and its kind (1: the
 * ASCII ", 2: a backtick, the code span of Markdown comments, 3: the
 * typographic U+201C, U+201D, U+201E, U+00AB and U+00BB), or 0. */
static int
qmark(const char *s, size_t n, size_t i, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s + i;

	*len = 1;
	if (u[0] == '"' || u[0] == '`')
		return u[0] == '"' ? 1 : 2;
	*len = 2;
	if (u[0] == 0xc2 && i + 1 < n && (u[1] == 0xab || u[1] == 0xbb))
		return 3;
	*len = 3;
	if (u[0] == 0xe2 && i + 2 < n && u[1] == 0x80 &&
	    (u[2] == 0x9c || u[2] == 0x9d || u[2] == 0x9e))
		return 3;
	return 0;
}

/* Blanks every span between a quotation mark and the next one of its
 * kind (the marks included); an unclosed mark quotes nothing. */
static void
blank_quoted(char *s, size_t n)
{
	size_t i = 0, j, k, kj;
	int kind;

	while (i < n) {
		if ((kind = qmark(s, n, i, &k)) == 0) {
			i++;
			continue;
		}
		for (j = i + k; j < n && qmark(s, n, j, &kj) != kind; j++)
			;
		if (j == n) {
			i += k;
			continue;
		}
		memset(s + i, ' ', j + kj - i);
		i = j + kj;
	}
}

/* ---- hedges ------------------------------------------------------------ */

static int
wordc(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	    c == '\'' || c >= 0x80;
}

static int
clause_end(unsigned char c)
{
	return c != '\0' && strchr(".,;:!?()\n", c) != NULL;
}

/* Whether the word w (n bytes) is one of the markers. */
static int
is_marker(const char *w, size_t n, char *const *m, size_t nm)
{
	size_t i, k;

	for (i = 0; i < nm; i++) {
		k = strlen(m[i]);
		if (k == n && memcmp(w, m[i], n) == 0)
			return 1;
		if (m[i][0] == '\'' || (k > 1 && m[i][1] == '\'')) {
			/* "n't": a word's ending */
			if (k < n && memcmp(w + n - k, m[i], k) == 0)
				return 1;
		}
	}
	return 0;
}

/* Whether the phrase at f[at] is hedged by a marker among the
 * HEDGE_WORDS words before it in its clause. */
static int
hedged(const struct complaint_set *s, const char *f, size_t at, int neg_ok)
{
	size_t i = at, end;
	int words = 0;

	while (i > 0 && words < HEDGE_WORDS) {
		while (i > 0 && !wordc((unsigned char)f[i - 1])) {
			if (clause_end((unsigned char)f[i - 1]))
				return 0;
			i--;
		}
		end = i;
		while (i > 0 && wordc((unsigned char)f[i - 1]))
			i--;
		if (end == i)
			break;
		words++;
		if (is_marker(f + i, end - i, s->w[L_COND], s->n[L_COND]) ||
		    (neg_ok && is_marker(f + i, end - i, s->w[L_NEG],
		    s->n[L_NEG])))
			return 1;
	}
	return 0;
}

/* Whether the phrase has a negation marker of its own. */
static int
negative(const struct complaint_set *s, const char *ph)
{
	size_t i = 0, st;

	while (ph[i]) {
		while (ph[i] && !wordc((unsigned char)ph[i]))
			i++;
		for (st = i; ph[i] && wordc((unsigned char)ph[i]); i++)
			;
		if (i > st && is_marker(ph + st, i - st, s->w[L_NEG],
		    s->n[L_NEG]))
			return 1;
	}
	return 0;
}

int
complaint_match(const struct complaint_set *s, const char *html, size_t n)
{
	struct buf h = BUF_INIT, text = BUF_INIT, f = BUF_INIT;
	size_t k;
	int hit = 0;

	drop_quoted_html(&h, html, n);
	htmltext_append(&text, h.data ? h.data : "", h.len);
	if (text.len) {
		blank_quoted(text.data, text.len);
		index_fold(&f, text.data, text.len);
	}
	for (k = 0; f.len && k < s->n[L_PHRASE] && !hit; k++) {
		const char *ph = s->w[L_PHRASE][k], *p = f.data;
		int neg_ok = !negative(s, ph);

		while (!hit && (p = strstr(p, ph)) != NULL) {
			size_t at = (size_t)(p - f.data);

			hit = !hedged(s, f.data, at, neg_ok);
			p++;
		}
	}
	buf_release(&h);
	buf_release(&text);
	buf_release(&f);
	return hit;
}
