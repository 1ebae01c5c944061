/*
 * fts_delete: taking a thread's row out of the contentless FTS5 table.
 *
 * The table `fts` keeps no copy of the text it indexes (content=''):
 * the text was a third of the store (docs/index.md, "What the store
 * costs").  SQLite 3.40's FTS5 removes a contentless row only through
 * the 'delete' command given the values the row was indexed with, and
 * by then ingest has replaced the thread's posts.  What a delete needs
 * is less than the text: FTS5 marks every distinct token of the row
 * deleted (positions and columns play no part) and subtracts each
 * column's token count from its totals (bm25's averages).  So the key
 * is rebuilt from what the store keeps anyway:
 *
 *   - the distinct tokens: search_docs.terms (index/searchdata.c), the
 *     same tokenizer over the same fields in document mode, as ids of
 *     search_vocab, written in the same index run as the FTS row (the
 *     row's hash equals index_threads.hash, else there is no key);
 *   - each column's count: the row's fts_docsize blob (FTS5's own
 *     record, SQLite varints, one per column).
 *
 * They are handed to FTS5 as a "raw" text (index/tokenize.c: a text
 * that starts with TOK_RAW is a list of tokens, not words), which our
 * tokenizer passes through unchanged.  A thread with no key (a store
 * indexed before search_docs existed, or a mismatched hash) makes the
 * caller rebuild the table: never a guess.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/varint.h"
#include "core/xmalloc.h"
#include "index/index_int.h"
#include "index/tokenize.h"

static const char SQL_VOCAB[] = "SELECT terms FROM search_vocab";
static const char SQL_KEY[] =
    "SELECT d.terms, z.sz FROM search_docs d, fts_docsize z"
    " WHERE d.thread_id = ?1 AND d.hash = ?2 AND z.id = ?1";
_Static_assert(INDEX_NFIELDS == 5, "one parameter per field in SQL_DEL");
static const char SQL_DEL[] =
    "INSERT INTO fts(fts, rowid, title, question, accepted, answers, tags)"
    " VALUES('delete', ?1, ?2, ?3, ?4, ?5, ?6)";

void
index_fts_vocab_release(struct fts_vocab *v)
{
	free(v->term);
	free(v->len);
	free(v->blob);
	memset(v, 0, sizeof *v);
}

/* Loads search_vocab (searchdata.c's format: [varint count] then per
 * term [varint id][u8 len][bytes]).  0, 1 when it is missing or not
 * that format (no delete key then), or -1. */
int
index_fts_vocab_load(struct store *st, struct fts_vocab *v)
{
	sqlite3_stmt *q = store_stmt(st, SQL_VOCAB);
	size_t n, i = 0, k, count;
	int rc;

	memset(v, 0, sizeof *v);
	if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
		sqlite3_reset(q);
		return rc == SQLITE_DONE ? 1 : store_fail(st);
	}
	n = (size_t)sqlite3_column_bytes(q, 0);
	v->blob = xmalloc(n + 1);
	memcpy(v->blob, sqlite3_column_blob(q, 0), n);
	sqlite3_reset(q);
	count = (size_t)varint_get(v->blob, n, &i);
	if (i > n || count > n)
		return 1;
	v->term = xcalloc(count + 1, sizeof *v->term);
	v->len = xcalloc(count + 1, 1);
	v->n = count;
	for (k = 0; k < count; k++) {
		uint64_t id = varint_get(v->blob, n, &i);

		if (i >= n || id >= count || v->term[id] != NULL ||
		    v->blob[i] > n - i - 1)
			return 1;
		v->len[id] = v->blob[i++];
		v->term[id] = v->blob + i;
		i += v->len[id];
	}
	return i == n ? 0 : 1;
}

/* SQLite's varint (FTS5's docsize record): big-endian 7-bit groups,
 * the ninth byte whole. */
static uint64_t
sqlite_varint(const unsigned char *p, size_t n, size_t *i)
{
	uint64_t v = 0;
	int k;

	for (k = 0; k < 9 && *i < n; k++) {
		unsigned char c = p[(*i)++];

		if (k == 8)
			return (v << 8) | c;
		v = (v << 7) | (c & 0x7f);
		if (!(c & 0x80))
			return v;
	}
	return v;
}

static void
put_token(struct buf *col, const struct fts_vocab *v, uint64_t id,
    int colocated)
{
	buf_putc(col, colocated ? TOK_RAW_COLOCATED : TOK_RAW);
	buf_put(col, v->term[id], v->len[id]);
}

/*
 * The raw texts of a delete: every distinct token once in the first
 * column with any token (beyond its count, as colocated tokens, which
 * FTS5 does not count), then each column padded to its count with the
 * first token.  0, or 1 when the key does not add up.
 */
static int
build_key(const struct fts_vocab *v, const unsigned char *terms, size_t tn,
    const unsigned char *sz, size_t szn, struct buf col[INDEX_NFIELDS])
{
	uint64_t count[INDEX_NFIELDS], first = 0, id;
	size_t i = 0, j = 0, placed = 0;
	int f, home = -1;

	for (f = 0; f < INDEX_NFIELDS; f++) {
		count[f] = sqlite_varint(sz, szn, &j);
		buf_putc(&col[f], TOK_RAW);
		if (home < 0 && count[f] > 0)
			home = f;
	}
	if (j != szn || (home < 0 && tn > 0))
		return 1;
	for (; i < tn; placed++) {
		id = varint_get(terms, tn, &i);
		if (i > tn || id >= v->n || v->term[id] == NULL)
			return 1;
		if (placed == 0)
			first = id;
		put_token(&col[home], v, id, placed >= count[home]);
		(void)varint_get(terms, tn, &i); /* f */
		(void)varint_get(terms, tn, &i); /* t */
		if (i > tn)
			return 1;
	}
	for (f = 0; f < INDEX_NFIELDS; f++) {
		uint64_t have = f == home ? (placed < count[f] ? placed :
		    count[f]) : 0;

		if (count[f] > have && placed == 0)
			return 1;
		for (; have < count[f]; have++)
			put_token(&col[f], v, first, 0);
	}
	return 0;
}

int
index_fts_delete(struct store *st, const struct fts_vocab *v, int64_t id,
    int64_t hash)
{
	sqlite3_stmt *q = store_stmt(st, SQL_KEY);
	struct buf col[INDEX_NFIELDS];
	int rc, f;

	for (f = 0; f < INDEX_NFIELDS; f++)
		buf_init(&col[f]);
	bind_int(q, 1, id);
	bind_int(q, 2, hash);
	if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
		sqlite3_reset(q);
		return rc == SQLITE_DONE ? 1 : store_fail(st);
	}
	rc = v->term == NULL ? 1 : build_key(v, sqlite3_column_blob(q, 0),
	    (size_t)sqlite3_column_bytes(q, 0), sqlite3_column_blob(q, 1),
	    (size_t)sqlite3_column_bytes(q, 1), col);
	sqlite3_reset(q);
	if (rc == 0) {
		q = store_stmt(st, SQL_DEL);
		bind_int(q, 1, id);
		for (f = 0; f < INDEX_NFIELDS; f++)
			bind_text(q, 2 + f, col[f].data, col[f].len);
		rc = store_done(st, q);
	}
	for (f = 0; f < INDEX_NFIELDS; f++)
		buf_release(&col[f]);
	return rc;
}
