/*
 * The tokenizer: the conformance vectors in tests/vectors/ (the same files
 * the JavaScript client is tested against), invariants on hostile input,
 * and the FTS5 integration.
 */
#include "harness.h"

#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/utf8.h"
#include "index/tokenize.h"

static const char *const vector_files[] = {
	"tests/vectors/en.jsonl", "tests/vectors/id.jsonl",
	"tests/vectors/te.jsonl", "tests/vectors/ru.jsonl",
	"tests/vectors/zh.jsonl", "tests/vectors/ja.jsonl",
	"tests/vectors/code.jsonl",
};

/* Collects tokens in the vector format: a string per position, or an
 * array [primary, colocated...]; checks the tokenizer's contract. */
struct collect {
	json_t *tokens;
	size_t n;
	int bad;
};

static int
collect_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct collect *c = ctx;
	json_t *s = json_stringn(tok, n), *last, *pos;
	size_t k = json_array_size(c->tokens);

	if (n == 0 || n > TOK_MAX_BYTES || utf8_check(tok, n) != n ||
	    start >= end || end > c->n || s == NULL ||
	    (flags == TOK_COLOCATED && k == 0) ||
	    (flags & ~TOK_COLOCATED) != 0)
		c->bad++;
	if (s == NULL)
		return 0;
	if (flags & TOK_COLOCATED && k > 0) {
		last = json_array_get(c->tokens, k - 1);
		if (json_is_string(last)) {
			pos = json_array();
			json_array_append(pos, last);
			json_array_set_new(c->tokens, k - 1, pos);
			last = pos;
		}
		json_array_append_new(last, s);
	} else {
		json_array_append_new(c->tokens, s);
	}
	return 0;
}

/* Tokenizers by language, created once. */
static struct {
	char lang[32];
	struct tokenizer *t;
} cache[8];

static struct tokenizer *
tokenizer_for(const char *lang)
{
	size_t i;

	for (i = 0; i < sizeof cache / sizeof cache[0]; i++) {
		if (cache[i].t == NULL) {
			snprintf(cache[i].lang, sizeof cache[i].lang, "%s",
			    lang);
			cache[i].t = tok_new(lang);
			return cache[i].t;
		}
		if (strcmp(cache[i].lang, lang) == 0)
			return cache[i].t;
	}
	return NULL;
}

static void
run_vector(const char *file, int lineno, json_t *v, int *count)
{
	const char *lang = json_string_value(json_object_get(v, "lang"));
	const char *mode = json_string_value(json_object_get(v, "mode"));
	json_t *text = json_object_get(v, "text");
	json_t *want = json_object_get(v, "tokens");
	struct collect c = { json_array(), 0, 0 };
	struct tokenizer *t;
	char *gs = NULL, *ws = NULL, what[128];
	int m;

	snprintf(what, sizeof what, "%s:%d", file, lineno);
	if (lang == NULL || mode == NULL || !json_is_string(text) ||
	    !json_is_array(want)) {
		t_report(0, file, lineno, "malformed vector", what, NULL);
		goto out;
	}
	m = strcmp(mode, "query") == 0 ? TOK_QUERY :
	    strcmp(mode, "prefix") == 0 ? TOK_QUERY | TOK_PREFIX :
	    TOK_DOCUMENT;
	t = tokenizer_for(lang);
	if (t == NULL) {
		t_report(0, file, lineno, "unknown vector language", lang, NULL);
		goto out;
	}
	c.n = json_string_length(text);
	tok_run(t, m, json_string_value(text), c.n, collect_cb, &c);
	gs = json_dumps(c.tokens, JSON_COMPACT);
	ws = json_dumps(want, JSON_COMPACT);
	t_report(json_equal(c.tokens, want) && c.bad == 0, file, lineno, what,
	    gs, ws);
	(*count)++;
out:
	free(gs);
	free(ws);
	json_decref(c.tokens);
}

static void
test_vectors(void)
{
	size_t f, len, i;
	char *data, *line, *nl;
	json_t *v;
	json_error_t err;
	int lineno, count;

	for (f = 0; f < sizeof vector_files / sizeof vector_files[0]; f++) {
		data = t_slurp(vector_files[f], &len);
		CHECK(data != NULL);
		if (data == NULL)
			continue;
		count = 0;
		lineno = 0;
		for (line = data; *line != '\0'; line = nl) {
			nl = strchr(line, '\n');
			nl = nl ? nl + 1 : line + strlen(line);
			lineno++;
			if (nl - line <= 1)
				continue;
			v = json_loadb(line, (size_t)(nl - line), 0, &err);
			if (v == NULL) {
				t_report(0, vector_files[f], lineno,
				    "vector is not JSON", err.text, NULL);
				continue;
			}
			run_vector(vector_files[f], lineno, v, &count);
			json_decref(v);
		}
		CHECK(count >= 4);
		free(data);
	}
	for (i = 0; i < sizeof cache / sizeof cache[0]; i++) {
		tok_free(cache[i].t);
		cache[i].t = NULL;
	}
}

/* Tokenizes into one string: "tok@start-end" joined by ' ', colocated
 * tokens prefixed with '+'. */
static int
flat_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	char *out = ctx;
	size_t len = strlen(out);

	snprintf(out + len, 1024 - len, "%s%s%.*s@%zu-%zu", len ? " " : "",
	    flags ? "+" : "", (int)n, tok, start, end);
	return 0;
}

static void
check_flat(struct tokenizer *t, int mode, const char *text, size_t n,
    const char *want)
{
	char out[1024] = "";

	tok_run(t, mode, text, n, flat_cb, out);
	CHECK_STR(out, want);
}

static int
stop_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	(*(int *)ctx)++;
	return 42;
}

static void
test_api(void)
{
	struct tokenizer *t = tok_new(NULL);
	int calls = 0;

	CHECK(t != NULL);
	/* offsets point into the original text; invalid bytes separate */
	check_flat(t, TOK_DOCUMENT, "Go os.path!", 11,
	    "go@0-2 os.path@3-10 +os@3-5 +path@6-10");
	check_flat(t, TOK_DOCUMENT, "abc\xff\xfe" "def\xc3", 9,
	    "abc@0-3 def@5-8");
	check_flat(t, TOK_DOCUMENT, "\xe2\x80\x8d" "ab\xe2\x80\x8c" "c", 9,
	    "abc@3-9");
	check_flat(t, TOK_DOCUMENT, "", 0, "");
	check_flat(t, TOK_DOCUMENT, NULL, 0, "");
	check_flat(t, TOK_DOCUMENT, "a\0b", 3, "a@0-1 b@2-3");
	check_flat(t, TOK_QUERY, "日本", 6, "日本@0-6 本@3-6");
	CHECK_INT(tok_run(t, TOK_DOCUMENT, "one two", 7, stop_cb, &calls), 42);
	CHECK_INT(calls, 1);
	tok_free(t);

	CHECK(tok_new("klingon") == NULL);
	CHECK(tok_new("none english") == NULL);
	CHECK(tok_new("english russian indonesian french german") == NULL);
	t = tok_new(" ru, en ");
	CHECK(t != NULL);
	tok_free(t);
	tok_free(NULL);
}

static int
check_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct collect *c = ctx;

	if (n == 0 || n > TOK_MAX_BYTES || utf8_check(tok, n) != n ||
	    start >= end || end > c->n)
		c->bad++;
	return 0;
}

/* Appends a token (or, with `forms`, its unstemmed form) to out,
 * skipping colocated ones: what fts.c takes from one document run. */
struct whole {
	struct tokenizer *t;
	int forms;
	char out[8192];
	size_t len;
};

static int
whole_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct whole *w = ctx;

	if (flags & TOK_COLOCATED)
		return 0;
	if (w->forms)
		tok = tok_unstemmed(w->t, &n);
	if (w->len + n + 2 < sizeof w->out) {
		memcpy(w->out + w->len, tok, n);
		w->len += n;
		w->out[w->len++] = '|';
	}
	w->out[w->len] = '\0';
	return 0;
}

/* The two facts the index's text pass stands on (tokenize.h): a
 * document run's whole tokens are the query run's, and their unstemmed
 * forms are what a tokenizer of "none" makes of the text. */
static void
check_whole(struct tokenizer *t, struct tokenizer *plain, const char *text,
    size_t len, int *bad)
{
	static struct whole a, b;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.t = b.t = t;
	tok_run(t, TOK_DOCUMENT, text, len, whole_cb, &a);
	tok_run(t, TOK_QUERY, text, len, whole_cb, &b);
	*bad += strcmp(a.out, b.out) != 0;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.t = t;
	a.forms = 1;
	b.t = plain;
	tok_run(t, TOK_DOCUMENT, text, len, whole_cb, &a);
	tok_run(plain, TOK_QUERY, text, len, whole_cb, &b);
	*bad += strcmp(a.out, b.out) != 0;
}

/* Random byte soup built from interesting pieces: every mode, every
 * token must satisfy the contract.  The fuzz target does this for real. */
static void
test_random(void)
{
	static const char *const piece[] = { "a", "Z", "_", ".", "::", "-",
		"+", "#", " ", "9", "é", "e\xcc\x81", "ß", "東", "か\xe3\x82\x99",
		"ー", "క", "\xe0\xb1\x8d", "\xe2\x80\x8c", "\xff", "\xc3",
		"Ё", "Ｐ", "ｶ", "\xcc\x81", "xY", "\xf0\x9f\x91\x8d" };
	struct tokenizer *t = tok_new("russian");
	struct tokenizer *plain = tok_new("none");
	struct tokenizer *same = tok_new("ru en");
	char text[600];
	struct collect c = { NULL, 0, 0 };
	uint32_t seed = 12345;
	size_t len, k;
	int i, mode, whole = 0;

	for (i = 0; i < 3000; i++) {
		len = 0;
		for (;;) {
			seed = seed * 1103515245 + 12345;
			k = (seed >> 16) % (sizeof piece / sizeof piece[0]);
			if (len + strlen(piece[k]) >= sizeof text)
				break;
			memcpy(text + len, piece[k], strlen(piece[k]));
			len += strlen(piece[k]);
			if ((seed >> 8) % 97 == 0)
				break;
		}
		c.n = len;
		for (mode = 0; mode < 4; mode++)
			tok_run(t, mode == 2 ? TOK_DOCUMENT : mode, text, len,
			    check_cb, &c);
		check_whole(t, plain, text, len, &whole);
	}
	CHECK_INT(c.bad, 0);
	CHECK_INT(whole, 0);
	/* "russian" appends english: the same stemmers as "ru en" */
	CHECK(tok_same(t, same));
	CHECK(!tok_same(t, plain));
	tok_free(t);
	tok_free(plain);
	tok_free(same);
}

static int
count(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st = NULL;
	int n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	else
		fprintf(stderr, "sql '%s' ('%s'): %s\n", sql, arg,
		    sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return n;
}

#define MATCHES(q) count(db, "SELECT rowid FROM docs WHERE docs MATCH ?1", q)
#define NMATCH(q) count(db, "SELECT count(*) FROM docs WHERE docs MATCH ?1", q)

static void
test_fts5(void)
{
	sqlite3 *db = NULL;

	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	CHECK_INT(tok_register_fts5(db), SQLITE_OK);
	CHECK(sqlite3_exec(db,
	    "CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='faqtory');"
	    "INSERT INTO docs(rowid, body) VALUES"
	    " (1, 'ఆన్లైన్ కమ్యూనిటీ లో సహాయం కావాలి'),"
	    " (2, '東京都に住んでいます。パソコンのソフトウェアを更新しました。'),"
	    " (3, 'Call MyClass.doSomething() then os.path.join(a, b) in C++."
	    " I was installing it.'),"
	    " (4, 'plain C code');"
	    "CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'row');"
	    "CREATE VIRTUAL TABLE ru USING fts5(body, tokenize='faqtory russian');"
	    "INSERT INTO ru(rowid, body) VALUES"
	    " (1, 'Пользователи установили приложение'),"
	    " (2, 'Users installed the app');",
	    NULL, NULL, NULL) == SQLITE_OK);
	CHECK_INT(MATCHES("కమ్యూనిటీ"), 1);
	CHECK_INT(MATCHES("ఆన్లైన్"), 1);
	CHECK_INT(MATCHES("東京"), 2);
	CHECK_INT(MATCHES("ソフトウェア"), 2);
	CHECK_INT(MATCHES("更新"), 2);
	CHECK_INT(MATCHES("都"), 2);
	CHECK_INT(MATCHES("doSomething"), 3);
	CHECK_INT(MATCHES("something"), 3);
	CHECK_INT(MATCHES("\"MyClass.doSomething\""), 3);
	CHECK_INT(MATCHES("\"os.path.join\""), 3);
	CHECK_INT(MATCHES("join"), 3);
	CHECK_INT(MATCHES("\"C++\""), 3);
	CHECK_INT(MATCHES("c"), 4);
	CHECK_INT(MATCHES("installed"), 3);
	CHECK_INT(MATCHES("instal*"), 3);
	CHECK_INT(NMATCH("京都大学"), 0);
	CHECK_INT(NMATCH("\"path os\""), 0);
	/* no vowel-sign fragments of the Telugu words in the vocabulary */
	CHECK_INT(count(db, "SELECT count(*) FROM vocab WHERE term = ?1", "క"),
	    0);
	CHECK_INT(count(db, "SELECT count(*) FROM vocab WHERE term = ?1",
	    "కమ్యూనిటీ"), 1);
	CHECK_INT(count(db, "SELECT count(*) FROM vocab WHERE length(term) = 1"
	    " AND term >= ?1 AND term < '\xe0\xb2\x80'", "\xe0\xb0\x80"), 0);
	CHECK_INT(count(db, "SELECT rowid FROM ru WHERE ru MATCH ?1",
	    "пользователя"), 1);
	CHECK_INT(count(db, "SELECT rowid FROM ru WHERE ru MATCH ?1",
	    "установить"), 1);
	CHECK_INT(count(db, "SELECT rowid FROM ru WHERE ru MATCH ?1",
	    "installing"), 2);
	CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE bad USING"
	    " fts5(body, tokenize='faqtory klingon')", NULL, NULL, NULL) !=
	    SQLITE_OK);
	sqlite3_close(db);
}

void
run_tests(void)
{
	test_vectors();
	test_api();
	test_random();
	test_fts5();
}
