/*
 * tokenize: the one tokenizer of faqtory, shared by the FTS5 index, the
 * clustering and the static search index (whose JavaScript client
 * implements the same rules: tests/vectors/README.md is the
 * specification, tests/vectors/ the conformance data).
 *
 * In short: words are runs of letters, combining marks and digits (marks
 * never split a word); text is case folded and Latin diacritics removed;
 * Han/Hiragana/Katakana become overlapping bigrams; identifiers such as
 * `os.path.join` or `xmlTextReaderRead` are one token with their parts
 * colocated (document mode only); plain words of a stemmer's script are
 * stemmed with Snowball.  Emitted tokens are valid UTF-8, 1..TOK_MAX_BYTES
 * bytes long, with start < end <= n byte offsets into the input.
 *
 *   struct tokenizer *t = tok_new("russian");   // russian + english
 *   tok_run(t, TOK_DOCUMENT, text, len, cb, ctx);
 *   tok_free(t);
 *
 * A tokenizer holds stemmer state and scratch space: use one per thread.
 * Out of memory aborts (see core/xmalloc.h).
 */
#ifndef FQ_TOKENIZE_H
#define FQ_TOKENIZE_H

#include <stddef.h>

#include <sqlite3.h>

/* Longest emitted token, in bytes (cut at a code point boundary). */
#define TOK_MAX_BYTES 64

/* tok_run modes.  TOK_PREFIX is combined with TOK_QUERY. */
#define TOK_DOCUMENT 0 /* whole tokens plus colocated parts */
#define TOK_QUERY 1 /* whole tokens only */
#define TOK_PREFIX 2 /* with TOK_QUERY: a prefix term, never stemmed */

/*
 * Raw texts (FTS5 glue only, document mode): a text whose first byte is
 * TOK_RAW is a list of tokens, each after TOK_RAW (a token) or
 * TOK_RAW_COLOCATED (colocated with the previous one), passed to FTS5
 * as they are.  index/fts_delete.c deletes contentless rows with them;
 * stored text never holds these bytes (index/fts.c drops a leading one).
 */
#define TOK_RAW '\x01'
#define TOK_RAW_COLOCATED '\x02'

/* Callback flag: same position as the previous token. */
#define TOK_COLOCATED 1

struct tokenizer;

/*
 * Creates a tokenizer for `lang`: NULL or "" means english; otherwise a
 * list of Snowball language names or ISO 639-1 codes separated by spaces
 * or commas ("russian", "id", "russian english").  A word is stemmed by
 * the first listed stemmer whose script it is written in; english is
 * appended when no listed language covers Latin.  "none" turns stemming
 * off.  Returns NULL for an unknown language.  Free with tok_free().
 */
struct tokenizer *tok_new(const char *lang);
void tok_free(struct tokenizer *t);

/*
 * Receives one token: `tok` (n bytes, not NUL-terminated, valid only
 * during the call) spans text[start, end).  flags is 0 or TOK_COLOCATED.
 * Returning non-zero stops tokenizing.
 */
typedef int (*tok_cb)(void *ctx, int flags, const char *tok, size_t n,
    size_t start, size_t end);

/*
 * Tokenizes text (n bytes, UTF-8; invalid bytes separate words) in
 * `mode`.  Returns 0, or the first non-zero value returned by cb.
 */
int tok_run(struct tokenizer *t, int mode, const char *text, size_t n,
    tok_cb cb, void *ctx);

/* Whether a and b make the same tokens of every text (the same
 * stemmers in the same order). */
int tok_same(const struct tokenizer *a, const struct tokenizer *b);

/*
 * During a callback of tok_run on t: the token before stemming, folded
 * (the token itself when it was not stemmed: what a tokenizer of "none"
 * makes of the same word), valid only during the call.  A document
 * mode's tokens that are not TOK_COLOCATED are, in order, exactly the
 * query mode's.
 */
const char *tok_unstemmed(const struct tokenizer *t, size_t *n);

/*
 * Registers the FTS5 tokenizer "faqtory" on db; its arguments are the
 * tok_new() language list: tokenize='faqtory russian'.  Returns an
 * SQLite result code.
 */
int tok_register_fts5(sqlite3 *db);

#endif
