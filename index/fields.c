/*
 * fields: what the index stage reads of a thread, and how much each
 * part weighs.  The full-text table, the term vectors and the search
 * data all read a thread through index_read_thread() and weigh it by
 * index_fields[]; `faqtory search` ranks by the same bm25 weights, and
 * render reads them back from index_meta 'fields' (index_fields_json),
 * so no copy of a weight exists outside this file.
 *
 * Also the one writer and the one parser of index_meta 'config', the
 * configuration the full-text table and the vectors were built with.
 * A leaf module: it calls nothing else in index/.
 */
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "index/index_int.h"

/* In the order of the FTS5 columns (fts.c creates them by name). */
const struct index_field index_fields[INDEX_NFIELDS] = {
	[INDEX_F_TITLE] = { "title", 0, 8, 6 },
	[INDEX_F_QUESTION] = { "question", 1, 2, 2 },
	[INDEX_F_ACCEPTED] = { "accepted", 1, 6, 1 },
	[INDEX_F_ANSWERS] = { "answers", 1, 1, 0 },
	[INDEX_F_TAGS] = { "tags", 0, 3, 2 },
};

void
index_fields_json(struct buf *out)
{
	int i;

	buf_putc(out, '{');
	for (i = 0; i < INDEX_NFIELDS; i++)
		buf_printf(out, "%s\"%s\":{\"bm25\":%d,\"vector\":%d}",
		    i ? "," : "", index_fields[i].name, index_fields[i].bm25,
		    index_fields[i].vector);
	buf_putc(out, '}');
}

static const char SQL_TITLE[] = "SELECT title FROM threads WHERE id = ?1";
static const char SQL_TAGS[] =
    "SELECT tag FROM thread_tags WHERE source_id = ?1 AND thread_ext = ?2"
    " ORDER BY pos";
static const char SQL_POSTS[] =
    "SELECT kind, accepted, body_html FROM posts"
    " WHERE source_id = ?1 AND thread_ext = ?2 AND kind IN (1, 2)"
    " ORDER BY kind, accepted DESC, score DESC, ext_id";

int
index_read_thread(struct store *st, int64_t id, int64_t source, int64_t ext,
    struct buf f[INDEX_NFIELDS])
{
	struct buf *tags = &f[INDEX_F_TAGS], *other = &f[INDEX_F_ANSWERS];
	sqlite3_stmt *q;
	int rc;

	q = store_stmt(st, SQL_TITLE);
	bind_int(q, 1, id);
	if (sqlite3_step(q) == SQLITE_ROW)
		buf_put(&f[INDEX_F_TITLE], sqlite3_column_text(q, 0),
		    (size_t)sqlite3_column_bytes(q, 0));
	sqlite3_reset(q);
	q = store_stmt(st, SQL_TAGS);
	bind_int(q, 1, source);
	bind_int(q, 2, ext);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (tags->len)
			buf_putc(tags, ' ');
		buf_put(tags, sqlite3_column_text(q, 0),
		    (size_t)sqlite3_column_bytes(q, 0));
	}
	if (rc != SQLITE_DONE)
		return store_fail(st);
	q = store_stmt(st, SQL_POSTS);
	bind_int(q, 1, source);
	bind_int(q, 2, ext);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct buf *to = sqlite3_column_int(q, 0) == 1 ?
		    &f[INDEX_F_QUESTION] : sqlite3_column_int(q, 1) ?
		    &f[INDEX_F_ACCEPTED] : other;

		if (to == other && to->len >= INDEX_OTHER_HTML_MAX)
			continue; /* best answers first: the rest adds little */
		if (to->len)
			buf_puts(to, "\n<p></p>\n");
		buf_put(to, sqlite3_column_text(q, 2),
		    (size_t)sqlite3_column_bytes(q, 2));
	}
	if (rc != SQLITE_DONE)
		return store_fail(st);
	return 0;
}

void
index_config_format(struct buf *out, const char *langs)
{
	/* "fts2": the table is contentless (fts_delete.c); a store whose
	 * table kept its text is rebuilt once. */
	buf_printf(out, "faqtory %s|%s|fts2", langs, INDEX_TERMS_VERSION);
}

int
index_config_read(struct store *st, struct buf *cfg, struct buf *langs)
{
	size_t at = cfg->len;
	int rc = store_meta_get(st, "config", cfg);

	if (rc == 1 && strncmp(cfg->data + at, "faqtory ", 8) == 0)
		buf_put(langs, cfg->data + at + 8, strcspn(cfg->data + at + 8,
		    "|"));
	return rc;
}
