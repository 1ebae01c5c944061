/*
 * libFuzzer target for the query builder: whatever the bytes, the
 * expression index_query_build() makes must be valid FTS5 (both AND and
 * OR forms), checked by running it against a small table that uses our
 * tokenizer.  An FTS5 syntax error here is a bug: users would see it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/buf.h"
#include "index/index.h"
#include "index/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static sqlite3_stmt *match;
static struct tokenizer *tok;

static void
setup(void)
{
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    tok_register_fts5(db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5(a, b,"
	    " tokenize='faqtory');"
	    "INSERT INTO f VALUES('How do I reset my router?', 'os.path.join "
	    "xmlTextReaderRead C++ 東京の天気 ఆన్లైన్ కమ్యూనిటీ');",
	    NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM f WHERE f MATCH ?1",
	    -1, &match, NULL) != SQLITE_OK)
		abort();
	tok = tok_new(NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf e = BUF_INIT;
	int any;

	if (db == NULL)
		setup();
	for (any = 0; any < 2; any++) {
		buf_reset(&e);
		if (index_query_build(tok, (const char *)data, size, any, &e) == 0)
			continue;
		sqlite3_bind_text(match, 1, e.data, (int)e.len, SQLITE_STATIC);
		if (sqlite3_step(match) != SQLITE_ROW)
			abort();
		sqlite3_reset(match);
	}
	buf_release(&e);
	return 0;
}
