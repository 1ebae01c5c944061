/*
 * snippet: the text of `faqtory search`'s result lines.  The table
 * `fts` keeps no text (fts_delete.c), so FTS5's snippet() has nothing
 * to cut from.  A result's fields are read back as the index read them
 * (index_read_thread, HTML through its text) into a one-row FTS5 table
 * in the connection's temp database, with the same tokenizer and the
 * same column names, and snippet() runs there on the same expression:
 * snippet() looks at the one row only (its phrase positions and text),
 * so the lines are what the table with text gave.
 */
#include <string.h>

#include "core/buf.h"
#include "core/htmltext.h"
#include "index/index_int.h"
#include "index/tokenize.h"

_Static_assert(INDEX_NFIELDS == 5, "one parameter per field in SQL_SNIP_INS");
static const char SQL_SNIP_CLEAR[] = "DELETE FROM temp.snip";
static const char SQL_SNIP_INS[] =
    "INSERT INTO temp.snip(rowid, title, question, accepted, answers, tags)"
    " VALUES(1, ?1, ?2, ?3, ?4, ?5)";
static const char SQL_SNIP[] =
    "SELECT snippet(snip, -1, char(1), char(2), '…', 16) FROM temp.snip"
    " WHERE snip MATCH ?1";

/* Creates temp.snip once per connection, with the index's language
 * list (only [a-z0-9 ,]: it goes into DDL). */
static int
snip_table(struct store *st)
{
	struct buf cfg = BUF_INIT, langs = BUF_INIT, ddl = BUF_INIT;
	int rc = -1, f;

	if (index_config_read(st, &cfg, &langs) < 0)
		goto out;
	if (langs.len && strspn(langs.data, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789 ,") != langs.len)
		goto out;
	buf_puts(&ddl, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.snip USING"
	    " fts5(");
	for (f = 0; f < INDEX_NFIELDS; f++)
		buf_printf(&ddl, "%s, ", index_fields[f].name);
	buf_printf(&ddl, "tokenize='faqtory %s')", langs.len ? langs.data :
	    "");
	rc = store_exec(st, ddl.data);
out:
	buf_release(&cfg);
	buf_release(&langs);
	buf_release(&ddl);
	return rc;
}

int
index_snippet(struct store *st, int64_t id, int64_t source, int64_t ext,
    const char *expr, struct buf *out)
{
	struct buf f[INDEX_NFIELDS], text = BUF_INIT;
	sqlite3_stmt *q;
	int rc = -1, k;

	for (k = 0; k < INDEX_NFIELDS; k++)
		buf_init(&f[k]);
	if (snip_table(st) < 0 || store_exec(st, SQL_SNIP_CLEAR) < 0 ||
	    index_read_thread(st, id, source, ext, f) < 0)
		goto out;
	q = store_stmt(st, SQL_SNIP_INS);
	for (k = 0; k < INDEX_NFIELDS; k++) {
		const struct buf *t = &f[k];
		size_t skip = 0;

		if (index_fields[k].html) {
			buf_reset(&text);
			htmltext_append(&text, f[k].data, f[k].len);
			buf_reset(&f[k]);
			buf_put(&f[k], text.data, text.len);
		}
		/* As fts.c inserted it: no leading raw marker. */
		while (skip < t->len && t->data[skip] == TOK_RAW)
			skip++;
		bind_text(q, 1 + k, t->data + skip, t->len - skip);
	}
	if (store_done(st, q) < 0)
		goto out;
	q = store_stmt(st, SQL_SNIP);
	bind_text(q, 1, expr, strlen(expr));
	if ((rc = sqlite3_step(q)) == SQLITE_ROW && sqlite3_column_text(q, 0))
		buf_put(out, sqlite3_column_text(q, 0),
		    (size_t)sqlite3_column_bytes(q, 0));
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(st);
	sqlite3_reset(q);
out:
	for (k = 0; k < INDEX_NFIELDS; k++)
		buf_release(&f[k]);
	buf_release(&text);
	return rc;
}
