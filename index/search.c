/*
 * search: what the index stage answers: search, related, clusters.
 * JSON shapes are documented in docs/index.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/escape.h"
#include "index/index_int.h"
#include "index/tokenize.h"

/* Snippet markers: bytes that never occur in stored text. */
#define MARK_ON "\x01"
#define MARK_OFF "\x02"

_Static_assert(INDEX_NFIELDS == 5, "one parameter per field in SQL_SEARCH");
/* Column weights ?3..?7: index_fields[].bm25. */
/* The snippet comes from index_snippet (the table keeps no text). */
static const char SQL_SEARCH[] =
    "SELECT s.name, t.ext_id, t.title, t.id, t.source_id,"
    " bm25(fts, ?3, ?4, ?5, ?6, ?7) AS r"
    " FROM fts JOIN threads t ON t.id = fts.rowid"
    " JOIN sources s ON s.id = t.source_id"
    " WHERE fts MATCH ?1 ORDER BY r, t.id LIMIT ?2";

/* Whether the store has been indexed; prints the error if not. */
static int
indexed(struct store *st)
{
	int n = index_fts_exists(st);

	if (n == 0)
		fq_err("%s: not indexed yet (run 'faqtory index')",
		    store_path(st));
	return n != 0;
}

/* The tokenizer the index was built with (its language list). */
struct tokenizer *
index_query_tokenizer(struct store *st)
{
	struct buf cfg = BUF_INIT, lang = BUF_INIT;
	struct tokenizer *t = NULL;

	index_config_read(st, &cfg, &lang);
	buf_release(&cfg);
	t = tok_new(lang.data);
	if (t == NULL)
		t = tok_new(NULL);
	buf_release(&lang);
	return t;
}

/* Appends a snippet: as HTML with <mark> (json) or with [ ] (text). */
static void
put_snippet(struct buf *out, const char *s, int json)
{
	struct buf h = BUF_INIT;
	size_t i, start = 0, n = strlen(s);

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != MARK_ON[0] && s[i] != MARK_OFF[0] &&
		    s[i] != '\n')
			continue;
		if (json)
			esc_html(&h, s + start, i - start);
		else
			buf_put(&h, s + start, i - start);
		if (i < n)
			buf_puts(&h, s[i] == '\n' ? " " : s[i] == MARK_ON[0] ?
			    (json ? "<mark>" : "[") : (json ? "</mark>" : "]"));
		start = i + 1;
	}
	if (json)
		esc_json(out, h.data, h.len);
	else
		buf_put(out, h.data, h.len);
	buf_release(&h);
}

/* Runs one MATCH expression; returns the number of results or -1. */
static int
run_search(struct store *st, const char *expr, const char *q, size_t n,
    const struct index_search_opts *o, struct buf *out)
{
	sqlite3_stmt *s = store_stmt(st, SQL_SEARCH);
	struct buf sn = BUF_INIT;
	int rc, nres = 0, f;

	bind_text(s, 1, expr, strlen(expr));
	bind_int(s, 2, o->limit);
	for (f = 0; f < INDEX_NFIELDS; f++)
		sqlite3_bind_double(s, 3 + f, index_fields[f].bm25);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *src = (const char *)sqlite3_column_text(s, 0);
		const char *title = (const char *)sqlite3_column_text(s, 2);
		const char *snip;
		double score = -sqlite3_column_double(s, 5);

		buf_reset(&sn);
		if (index_snippet(st, sqlite3_column_int64(s, 3),
		    sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 1),
		    expr, &sn) < 0) {
			sqlite3_reset(s);
			buf_release(&sn);
			return -1;
		}
		snip = sn.data;

		if (o->json) {
			buf_puts(out, nres ? ",{\"source\":\"" : "{\"source\":\"");
			esc_json(out, src, strlen(src));
			buf_printf(out, "\",\"id\":%lld,\"title\":\"",
			    sqlite3_column_int64(s, 1));
			esc_json(out, title, strlen(title));
			buf_puts(out, "\",\"snippet\":\"");
			put_snippet(out, snip ? snip : "", 1);
			buf_printf(out, "\",\"score\":%.4f}", score);
		} else {
			buf_printf(out, "%2d. %s:%lld  %s\n    ", nres + 1, src,
			    sqlite3_column_int64(s, 1), title);
			put_snippet(out, snip ? snip : "", 0);
			buf_printf(out, "\n    score %.4f\n", score);
		}
		nres++;
	}
	buf_release(&sn);
	if (rc != SQLITE_DONE) {
		sqlite3_reset(s);
		/* Our expressions are always valid FTS5; never show its
		 * message as if the user had made a mistake. */
		fq_err("%s: search failed: %s", store_path(st),
		    sqlite3_errmsg(store_db(st)));
		return -1;
	}
	(void)q;
	(void)n;
	return nres;
}

int
index_search(struct store *st, const char *q, size_t n,
    const struct index_search_opts *o, struct buf *out)
{
	struct tokenizer *t = NULL;
	struct buf expr = BUF_INIT, res = BUF_INIT;
	int rc = -1, nres = 0, any = o->any;

	if (!indexed(st))
		goto out;
	t = index_query_tokenizer(st);
	for (;;) {
		buf_reset(&expr);
		buf_reset(&res);
		if (index_query_build(t, q, n, any, &expr) == 0)
			break;
		nres = run_search(st, expr.data, q, n, o, &res);
		if (nres < 0)
			goto out;
		if (nres > 0 || any)
			break;
		any = 1; /* nothing has every word: any of them */
	}
	if (o->json) {
		buf_puts(out, "{\"query\":\"");
		esc_json(out, q, n);
		buf_printf(out, "\",\"results\":[%s]}\n", res.data);
	} else if (nres == 0) {
		buf_puts(out, "no results\n");
	} else {
		buf_put(out, res.data, res.len);
	}
	rc = 0;
out:
	tok_free(t);
	buf_release(&expr);
	buf_release(&res);
	return rc;
}

static const char SQL_FIND[] =
    "SELECT t.id FROM threads t JOIN sources s ON s.id = t.source_id"
    " WHERE t.ext_id = ?1 AND (?2 IS NULL OR s.name = ?2)"
    " ORDER BY t.id LIMIT 2";

int64_t
index_find_thread(struct store *st, const char *arg)
{
	const char *colon = strrchr(arg, ':'), *num = colon ? colon + 1 : arg;
	sqlite3_stmt *q;
	char *end;
	long long ext;
	int64_t id = 0;
	int rows = 0;

	ext = strtoll(num, &end, 10);
	if (*num == '\0' || *end != '\0') {
		fq_err("'%s': not a question id (ID or SOURCE:ID)", arg);
		return 0;
	}
	q = store_stmt(st, SQL_FIND);
	bind_int(q, 1, ext);
	if (colon)
		bind_text(q, 2, arg, (size_t)(colon - arg));
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (rows++ == 0)
			id = sqlite3_column_int64(q, 0);
	}
	sqlite3_reset(q);
	if (rows == 0) {
		fq_err("'%s': no such question", arg);
		return 0;
	}
	if (rows > 1) {
		fq_err("'%s': questions with this id in several sources "
		    "(use SOURCE:ID)", arg);
		return -1;
	}
	return id;
}

static const char SQL_RELATED[] =
    "SELECT t.id, s.name, t.ext_id, t.title, os.name, o.ext_id, o.title,"
    " r.score"
    " FROM threads t JOIN sources s ON s.id = t.source_id"
    " LEFT JOIN related r ON r.thread_id = t.id AND r.rank < ?2"
    " LEFT JOIN threads o ON o.id = r.other_id"
    " LEFT JOIN sources os ON os.id = o.source_id"
    " WHERE ?1 = 0 OR t.id = ?1"
    " ORDER BY t.id, r.rank";

static void
put_ref(struct buf *out, const char *src, int64_t ext)
{
	buf_puts(out, "\"source\":\"");
	esc_json(out, src, strlen(src));
	buf_printf(out, "\",\"id\":%lld", (long long)ext);
}

/* One listed question (a related question, a cluster member) with its
 * score: {"source","id","title",KEY:SCORE} (after a comma unless it is
 * the first), or "  SCORE  SOURCE:ID  TITLE". */
static void
put_listed(struct buf *out, int json, int first, const char *src,
    int64_t ext, const char *title, const char *key, double score)
{
	if (json) {
		buf_puts(out, first ? "{" : ",{");
		put_ref(out, src, ext);
		buf_puts(out, ",\"title\":\"");
		esc_json(out, title, strlen(title));
		buf_printf(out, "\",\"%s\":%.4f}", key, score);
	} else {
		buf_printf(out, "  %.4f  %s:%lld  %s\n", score, src,
		    (long long)ext, title);
	}
}

int
index_related(struct store *st, int64_t thread, int k, int json,
    struct buf *out)
{
	sqlite3_stmt *q;
	int64_t cur = -1;
	int rc, nq = 0, nr = 0;

	if (!indexed(st))
		return -1;
	q = store_stmt(st, SQL_RELATED);
	bind_int(q, 1, thread);
	bind_int(q, 2, k);
	if (json)
		buf_puts(out, "{\"questions\":[");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		const char *src = (const char *)sqlite3_column_text(q, 1);
		const char *title = (const char *)sqlite3_column_text(q, 3);

		if (id != cur) {
			if (json) {
				buf_puts(out, cur >= 0 ? "]},{" : "{");
				put_ref(out, src, sqlite3_column_int64(q, 2));
				buf_puts(out, ",\"title\":\"");
				esc_json(out, title, strlen(title));
				buf_puts(out, "\",\"related\":[");
			} else {
				buf_printf(out, "%s%s:%lld  %s\n", nq ? "\n" : "",
				    src, sqlite3_column_int64(q, 2), title);
			}
			cur = id;
			nq++;
			nr = 0;
		}
		if (sqlite3_column_type(q, 4) == SQLITE_NULL)
			continue;
		src = (const char *)sqlite3_column_text(q, 4);
		title = (const char *)sqlite3_column_text(q, 6);
		put_listed(out, json, nr == 0, src, sqlite3_column_int64(q, 5),
		    title, "score", sqlite3_column_double(q, 7));
		nr++;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st);
	if (json)
		buf_puts(out, cur >= 0 ? "]}]}\n" : "]}\n");
	return 0;
}

/* Both levels, as one list: recurring issues (issues, issue_members)
 * and topics (clusters, cluster_members); ?1 picks one level or NULL
 * both.  An issue and a topic may share an id (both are their
 * canonical thread's): the level tells them apart. */
static const char SQL_CLUSTERS[] =
    "SELECT c.id, c.label, c.size, coalesce(c.first_seen, ''),"
    " coalesce(c.last_seen, ''), cs.name, ct.ext_id,"
    " ms.name, mt.ext_id, mt.title, m.similarity, c.level"
    " FROM (SELECT id, canonical_thread, label, size, first_seen, last_seen,"
    "  'topic' AS level FROM clusters UNION ALL SELECT id,"
    "  canonical_thread, label, size, first_seen, last_seen, 'issue'"
    "  FROM issues) c"
    " JOIN threads ct ON ct.id = c.canonical_thread"
    " JOIN sources cs ON cs.id = ct.source_id"
    " JOIN (SELECT cluster_id, thread_id, similarity, 'topic' AS level"
    "  FROM cluster_members UNION ALL SELECT issue_id, thread_id,"
    "  similarity, 'issue' FROM issue_members) m"
    "  ON m.cluster_id = c.id AND m.level = c.level"
    " JOIN threads mt ON mt.id = m.thread_id"
    " JOIN sources ms ON ms.id = mt.source_id"
    " WHERE ?1 IS NULL OR c.level = ?1"
    " ORDER BY c.size DESC, c.id, c.level, m.similarity DESC, mt.id";

static void
put_date(struct buf *out, const char *d)
{
	if (*d == '\0') {
		buf_puts(out, "null");
		return;
	}
	buf_putc(out, '"');
	esc_json(out, d, strlen(d));
	buf_putc(out, '"');
}

int
index_clusters(struct store *st, int json, const char *level,
    struct buf *out)
{
	sqlite3_stmt *q;
	int64_t cur = -1;
	char curlevel[8] = "";
	int rc, nm = 0;

	if (!indexed(st))
		return -1;
	q = store_stmt(st, SQL_CLUSTERS);
	if (level)
		bind_text(q, 1, level, strlen(level));
	if (json)
		buf_puts(out, "{\"clusters\":[");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		const char *label = (const char *)sqlite3_column_text(q, 1);
		const char *first = (const char *)sqlite3_column_text(q, 3);
		const char *last = (const char *)sqlite3_column_text(q, 4);
		const char *src = (const char *)sqlite3_column_text(q, 7);
		const char *title = (const char *)sqlite3_column_text(q, 9);
		const char *lv = (const char *)sqlite3_column_text(q, 11);

		if (id != cur || strcmp(lv, curlevel) != 0) {
			if (json) {
				buf_printf(out, "%s{\"id\":%lld,\"level\":\"%s\","
				    "\"label\":\"", cur >= 0 ? "]}," : "",
				    (long long)id, lv);
				esc_json(out, label, strlen(label));
				buf_puts(out, "\",\"canonical\":{");
				put_ref(out, (const char *)sqlite3_column_text(q,
				    5), sqlite3_column_int64(q, 6));
				buf_printf(out, "},\"size\":%d,\"first_seen\":",
				    sqlite3_column_int(q, 2));
				put_date(out, first);
				buf_puts(out, ",\"last_seen\":");
				put_date(out, last);
				buf_puts(out, ",\"members\":[");
			} else {
				buf_printf(out, "%s%s %lld: %s (%d questions,"
				    " %.10s .. %.10s)\n", cur >= 0 ? "\n" : "",
				    lv, (long long)id, label,
				    sqlite3_column_int(q, 2), first, last);
			}
			cur = id;
			snprintf(curlevel, sizeof curlevel, "%s", lv);
			nm = 0;
		}
		put_listed(out, json, nm == 0, src, sqlite3_column_int64(q, 8),
		    title, "similarity", sqlite3_column_double(q, 10));
		nm++;
	}
	if (rc != SQLITE_DONE)
		return store_fail(st);
	if (json)
		buf_puts(out, cur >= 0 ? "]}]}\n" : "]}\n");
	return 0;
}
