/*
 * answers_text: the phrase lists answer selection reads the asker's
 * words with (thanks, negative, self-fix, and the words that reveal the
 * mark itself), and their matcher.  Built in per Snowball language;
 * the curation file's [phrases] section replaces a list with
 * "LIST.LANGUAGE = a, b" (docs/answer-selection.md), stored as
 * curation_phrases rows whose lang is "LIST.LANGUAGE".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "index/answers.h"
#include "index/index_int.h"

const char *const ans_list_names[PH_NLISTS] = { "thanks", "negative",
	"self_fix", "reveals" };

/* Per language: the language, then each list in ans_list_names order
 * ended by NULL.  English follows the study's regular expressions
 * (bench/answer_study.py) phrase by phrase. */
static const char *const builtin[] = {
	"english",
	"thanks", "thank", "thank you", "thx", "tnx", "ty", "cheers", "work",
	"works", "worked", "working now", "solved", "fixed", "did the trick",
	"does the trick", "that's it", "thats it", "perfect", "exactly",
	"helped", "helpful", "great answer", "awesome", "brilliant", "got it",
	NULL,
	"doesn't work", "doesnt work", "does not work", "didn't work",
	"didnt work", "did not work", "not working", "still get",
	"still getting", "still have", "still having", "still fail",
	"still fails", "still broken", "still not", "no luck",
	"doesn't help", "doesnt help", "did not help", "didn't help",
	"didnt help", "not what i", "wrong", NULL,
	"found", "figured", "solved", "fixed", "got it", "works", "working",
	"the problem was", "the issue was", "turns out", "turn out",
	"the solution", "resolved", NULL,
	"accept*", "mark ... as", "marked ... as", "marking ... as",
	"mark ... answer", "marked ... answer", "marking ... answer",
	"mark ... solution", "marked ... solution", "marking ... solution",
	"solution ... mark*", NULL,
	"indonesian",
	"terima kasih", "makasih", "trims", "berhasil", "sudah bisa",
	"berfungsi", "mantap", "solusi yang tepat", NULL,
	"tidak berfungsi", "tidak bisa", "tidak berhasil", "belum bisa",
	"masih error", "masih gagal", "masih sama", NULL,
	"berhasil", "sudah bisa", "ternyata", "solusinya", "masalahnya",
	"sudah saya perbaiki", NULL,
	"tandai ... jawaban", "menandai ... jawaban", "terima jawaban", NULL,
	NULL,
};

static void
add(struct ans_phrases *ph, int list, const char *p)
{
	ph->p[list] = xreallocarray(ph->p[list], ph->n[list] + 1,
	    sizeof *ph->p[list]);
	ph->p[list][ph->n[list]++] = xstrdup(p);
}

int
index_lang_wanted(const char *list, const char *name, size_t n)
{
	const char *p = list ? list : "english";

	if (n == 7 && strncmp(name, "english", 7) == 0)
		return 1;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

void
ans_phrases_builtin(struct ans_phrases *ph, const char *lang)
{
	const char *const *p = builtin;
	int list;

	while (*p) {
		int want = index_lang_wanted(lang, *p, strlen(*p));

		p++;
		for (list = 0; list < PH_NLISTS; list++, p++)
			for (; *p; p++)
				if (want)
					add(ph, list, *p);
	}
}

void
ans_phrases_free(struct ans_phrases *ph)
{
	int list;
	size_t i;

	for (list = 0; list < PH_NLISTS; list++) {
		for (i = 0; i < ph->n[list]; i++)
			free(ph->p[list][i]);
		free(ph->p[list]);
		ph->p[list] = NULL;
		ph->n[list] = 0;
	}
}

static const char SQL_A_PHRASES[] =
    "SELECT lang, phrase FROM curation_phrases WHERE lang GLOB '*.*'"
    " ORDER BY lang, phrase";

/* A curated "LIST.LANGUAGE" replaces that list of that language: the
 * lists are rebuilt from the built-in ones minus the replaced
 * languages' entries, plus the curated phrases. */
int
ans_phrases_load(struct store *st, struct ans_source *src, const char *lang)
{
	sqlite3_stmt *q = store_stmt(st, SQL_A_PHRASES);
	const char *const *p = builtin;
	char repl[PH_NLISTS][256];
	int rc, list;

	memset(repl, 0, sizeof repl);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(q, 0);
		const char *ph = (const char *)sqlite3_column_text(q, 1);
		const char *dot = strchr(key, '.');

		for (list = 0; list < PH_NLISTS; list++) {
			size_t ln = strlen(ans_list_names[list]);

			if ((size_t)(dot - key) != ln ||
			    strncmp(key, ans_list_names[list], ln) != 0 ||
			    !index_lang_wanted(lang, dot + 1, strlen(dot + 1)))
				continue;
			add(&src->ph, list, ph);
			if (strlen(repl[list]) + strlen(dot + 1) + 3 <
			    sizeof repl[list] && !strstr(repl[list], dot + 1)) {
				strcat(repl[list], " ");
				strcat(repl[list], dot + 1);
				strcat(repl[list], " ");
			}
		}
	}
	if (rc != SQLITE_DONE)
		return store_fail(st);
	while (*p) {
		char tag[64];
		int want = index_lang_wanted(lang, *p, strlen(*p));

		snprintf(tag, sizeof tag, " %s ", *p);
		p++;
		for (list = 0; list < PH_NLISTS; list++, p++)
			for (; *p; p++)
				if (want && !strstr(repl[list], tag))
					add(&src->ph, list, *p);
	}
	return 0;
}

void
index_fold(struct buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x98 ||
			(unsigned char)s[i + 2] == 0x99)) {
			buf_putc(out, '\'');
			i += 2;
		} else {
			buf_putc(out, ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		}
	}
}

/* A word byte: ASCII letters, digits, '_' and any non-ASCII byte (the
 * letters of other scripts), as a regular expression's \w. */
static int
wordc(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* Whether part (len bytes; '*' at its end: any word ending) matches
 * text at i with word boundaries; sets *end. */
static int
part_at(const char *text, size_t n, size_t i, const char *part, size_t len,
    size_t *end)
{
	int prefix = len && part[len - 1] == '*';

	if (prefix)
		len--;
	if (len == 0 || i + len > n || memcmp(text + i, part, len) != 0)
		return 0;
	if (wordc((unsigned char)part[0]) && i > 0 &&
	    wordc((unsigned char)text[i - 1]))
		return 0;
	if (!prefix && wordc((unsigned char)part[len - 1]) && i + len < n &&
	    wordc((unsigned char)text[i + len]))
		return 0;
	*end = i + len;
	return 1;
}

#define GAP 30

/* Matches phrase[from..] (parts split by " ... ") at text position i. */
static int
match_from(const char *text, size_t n, size_t i, const char *ph)
{
	const char *gap = strstr(ph, " ... ");
	size_t len = gap ? (size_t)(gap - ph) : strlen(ph), end, j;

	if (!part_at(text, n, i, ph, len, &end))
		return 0;
	if (gap == NULL)
		return 1;
	for (j = end; j < n && j <= end + GAP && text[j] != '.'; j++)
		if (match_from(text, n, j, gap + 5))
			return 1;
	return 0;
}

int
ans_phrase_match(const char *text, size_t n, const char *phrase)
{
	size_t i;

	if (*phrase == '\0')
		return 0;
	for (i = 0; i < n; i++) {
		const char *hit = memchr(text + i, phrase[0], n - i);

		if (hit == NULL)
			return 0;
		i = (size_t)(hit - text);
		if (match_from(text, n, i, phrase))
			return 1;
	}
	return 0;
}

int
ans_any(const struct ans_phrases *ph, int list, const char *text, size_t n)
{
	size_t k;

	for (k = 0; k < ph->n[list]; k++)
		if (ans_phrase_match(text, n, ph->p[list][k]))
			return 1;
	return 0;
}

int
ans_verdict(const struct ans_phrases *ph, const char *text, size_t n,
    unsigned char *thanks, unsigned char *neg)
{
	if (ans_any(ph, PH_REVEALS, text, n))
		return -1;
	*neg = (unsigned char)ans_any(ph, PH_NEGATIVE, text, n);
	*thanks = (unsigned char)(!*neg && ans_any(ph, PH_THANKS, text, n));
	return 0;
}
