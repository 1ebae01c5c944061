/*
 * stats: the store's counts per source; see stats.h.
 */
#include "stats.h"

#include <string.h>

#include "escape.h"
#include "store.h"

static const char SQL_STATS[] =
    "SELECT s.name, s.kind,"
    " (SELECT count(*) FROM threads WHERE source_id=s.id),"
    " (SELECT count(*) FROM posts WHERE source_id=s.id AND kind=2),"
    " (SELECT count(*) FROM threads WHERE source_id=s.id"
    "  AND accepted_ext IS NOT NULL),"
    " (SELECT count(*) FROM comments WHERE source_id=s.id),"
    " (SELECT count(*) FROM links WHERE source_id=s.id"
    "  AND kind='duplicate'),"
    " s.skipped, s.missing, s.newest, s.id"
    " FROM sources s ORDER BY s.name";

/* One source's row of SQL_STATS, with its community and top-voted
 * counts (pub[0], pub[1]). */
static void
one_source(sqlite3_stmt *s, const int64_t pub[2], int json, int first,
    struct buf *out)
{
	const char *name = (const char *)sqlite3_column_text(s, 0);
	const char *kind = (const char *)sqlite3_column_text(s, 1);
	const char *skipped = (const char *)sqlite3_column_text(s, 7);

	if (json) {
		buf_printf(out, "%s{\"name\":\"", first ? "" : ",");
		esc_json(out, name, strlen(name));
		buf_puts(out, "\",\"kind\":\"");
		esc_json(out, kind, strlen(kind));
		/* skipped is JSON written by ingest itself. */
		buf_printf(out, "\",\"questions\":%lld,\"answers\":"
		    "%lld,\"accepted\":%lld,\"community\":%lld,"
		    "\"voted\":%lld,"
		    "\"comments\":%lld,\"duplicate_links\":%lld,"
		    "\"skipped\":%s}", sqlite3_column_int64(s, 2),
		    sqlite3_column_int64(s, 3),
		    sqlite3_column_int64(s, 4), (long long)pub[0],
		    (long long)pub[1],
		    sqlite3_column_int64(s, 5),
		    sqlite3_column_int64(s, 6), skipped);
		return;
	}
	buf_printf(out, "%-36s %-13s %9lld %8lld %8lld %9lld %6lld "
	    "%8lld %6lld\n", name, kind,
	    sqlite3_column_int64(s, 2),
	    sqlite3_column_int64(s, 3),
	    sqlite3_column_int64(s, 4), (long long)pub[0],
	    (long long)pub[1],
	    sqlite3_column_int64(s, 5),
	    sqlite3_column_int64(s, 6));
	buf_printf(out, "  skipped: %s\n", skipped);
}

static const char *
policy_name(const struct answer_policy *p)
{
	return p->voted ? "voted" : p->community ? "community" : "accepted";
}

int
stats_write(struct store *st, const struct answer_policy *p, int json,
    struct buf *out)
{
	sqlite3_stmt *s = store_stmt(st, SQL_STATS);
	int64_t pub[ANSWER_VOTED + 1], shown[2];
	int n = 0, rc;

	if (json)
		buf_puts(out, "{\"sources\":[");
	else
		buf_printf(out, "%-36s %-13s %9s %8s %8s %9s %6s %8s %6s\n",
		    "source", "kind", "questions", "answers", "accepted",
		    "community", "voted", "comments", "dups");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		/* Another statement on the same connection, while s
		 * steps: both only read. */
		if (answer_count(st, p, sqlite3_column_int64(s, 10),
		    pub) < 0) {
			sqlite3_reset(s);
			return -1;
		}
		shown[0] = pub[ANSWER_COMMUNITY];
		shown[1] = pub[ANSWER_VOTED];
		one_source(s, shown, json, n++ == 0, out);
	}
	if (rc != SQLITE_DONE)
		return store_fail(st);
	if (json)
		buf_printf(out, "],\"publish\":{\"answers\":\"%s\","
		    "\"min_confidence\":%.4g}}\n", policy_name(p),
		    p->min_confidence);
	else
		buf_printf(out, "publish: answers = %s, min_confidence = "
		    "%.4g\n", policy_name(p), p->min_confidence);
	return 0;
}
