/*
 * flags: the one query over the table `flags` (flags.h).
 */
#include "flags.h"

#include <stdio.h>

#include "buf.h"
#include "date.h"

static const char SQL_FLAGS[] =
    "SELECT f.kind, f.score, coalesce(f.cluster_id, 0),"
    " coalesce(cl.label, ''), f.dismissed, f.evidence,"
    " coalesce(json_extract(f.evidence, '$.summary'), ''),"
    " coalesce(json_extract(f.evidence, '$.weeks'), ''),"
    " coalesce(json_extract(f.evidence, '$.answers'), 0),"
    " s.name, s.short, t.ext_id, t.title, coalesce(t.url, ''), t.id,"
    ANSWER_CHOICE_COLS
    " FROM flags f JOIN threads t ON t.id=f.thread_id"
    " JOIN sources s ON s.id=t.source_id"
    " LEFT JOIN issues cl ON cl.id=f.cluster_id" ANSWER_CHOICE_JOIN
    " WHERE (?1 IS NULL OR f.cluster_id=?1) AND (?2 OR f.dismissed=0)"
    " ORDER BY f.dismissed, f.score DESC, f.kind, t.id";
#define FLAG_NCOLS 15 /* the columns before ANSWER_CHOICE_COLS */

static const char SQL_DISMISSED[] =
    "SELECT count(*) FROM flags WHERE dismissed=1";

void
flag_list_begin(struct flag_list *l, struct store *st, int64_t cluster,
    int dismissed)
{
	l->st = st;
	l->q = store_stmt(st, SQL_FLAGS);
	if (cluster > 0)
		bind_int(l->q, 1, cluster);
	bind_int(l->q, 2, dismissed != 0);
}

static const char *
text(sqlite3_stmt *q, int col)
{
	const char *s = (const char *)sqlite3_column_text(q, col);

	return s ? s : "";
}

int
flag_list_next(struct flag_list *l)
{
	struct flag_row *r = &l->row;
	sqlite3_stmt *q = l->q;
	int rc = sqlite3_step(q);

	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		return rc == SQLITE_DONE ? 0 : store_fail(l->st);
	}
	r->kind = text(q, 0);
	r->score = sqlite3_column_double(q, 1);
	r->cluster = sqlite3_column_int64(q, 2);
	r->label = text(q, 3);
	r->dismissed = sqlite3_column_int(q, 4);
	r->evidence = text(q, 5);
	r->summary = text(q, 6);
	r->weeks = text(q, 7);
	r->answers = sqlite3_column_int64(q, 8);
	r->source = text(q, 9);
	r->short_name = text(q, 10);
	r->ext = sqlite3_column_int64(q, 11);
	r->title = text(q, 12);
	r->url = text(q, 13);
	r->thread = sqlite3_column_int64(q, 14);
	answer_choice_read(q, FLAG_NCOLS, &r->choice);
	return 1;
}

int
flag_list_now(struct store *st, char *now, int64_t *dismissed)
{
	struct buf v = BUF_INIT;
	sqlite3_stmt *q;
	int found = store_meta_get(st, "trends_now", &v) == 1;

	*now = '\0';
	*dismissed = 0;
	if (found) {
		snprintf(now, DATE_LEN + 1, "%s", v.data ? v.data : "");
		q = store_stmt(st, SQL_DISMISSED);
		if (sqlite3_step(q) == SQLITE_ROW)
			*dismissed = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
	}
	buf_release(&v);
	return found;
}
