/*
 * The writer shared by the JSON readers; see sink.h.
 */
#include "sink.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/store.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "ingest.h"
#include "markdown.h"
#include "sanitize.h"

int
sink_fail(struct sink *k, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	fq_err("%s: %s%s%s", k->where ? k->where : "input", k->ctx.data,
	    k->ctx.len ? ": " : "", msg.data);
	buf_release(&msg);
	return -1;
}

void
sink_skip(struct sink *k, const char *reason, int64_t n)
{
	size_t i;

	if (n <= 0)
		return;
	for (i = 0; i < k->nskips; i++) {
		if (strcmp(k->skips[i].name, reason) == 0) {
			k->skips[i].n += n;
			return;
		}
	}
	if (k->nskips == sizeof k->skips / sizeof k->skips[0])
		xdie("too many skip reasons");
	snprintf(k->skips[k->nskips].name, sizeof k->skips[0].name, "%s",
	    reason);
	k->skips[k->nskips++].n = n;
}

static int
cmp_skip(const void *a, const void *b)
{
	return strcmp(((const struct sink_skip *)a)->name,
	    ((const struct sink_skip *)b)->name);
}

int64_t
sink_synth_id(const void *key, size_t n)
{
	uint64_t h = fq_hash64(key, n, 0x5eed);

	return SINK_ID_LIMIT + (int64_t)(h % (uint64_t)SINK_ID_LIMIT);
}

/* Binds a date normalized, or NULL (counting a bad one); notes the
 * newest date of the source. */
static void
bind_date(struct sink *k, sqlite3_stmt *s, int i, const char *v)
{
	char d[DATE_LEN + 1];

	if (v == NULL) {
		bind_null(s, i);
		return;
	}
	if (date_norm(v, strlen(v), d) < 0) {
		sink_skip(k, "bad_date", 1);
		bind_null(s, i);
		return;
	}
	if (strcmp(d, k->newest) > 0)
		memcpy(k->newest, d, sizeof d);
	bind_text(s, i, d, DATE_LEN);
}

static void
bind_str(sqlite3_stmt *s, int i, const char *v)
{
	bind_text(s, i, v, v ? strlen(v) : 0);
}

static uint64_t
hash_str(const char *v, uint64_t h)
{
	h = fq_hash64(v ? v : "", v ? strlen(v) : 0, h);
	return fq_hash64(v ? "\1" : "\0", 1, h);
}

/* Runs an insert; a constraint failure is bad input (a repeated id). */
static int
insert(struct sink *k, sqlite3_stmt *s, const char *what, int64_t id)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return sink_fail(k, "%s id %lld appears twice", what,
		    (long long)id);
	return store_fail(k->st);
}

/* Sanitizes a body into k->html; fails if it cannot be rendered. */
static int
body_html(struct sink *k, const char *body, size_t n, enum sink_format f)
{
	int rc;

	buf_reset(&k->html);
	if (f == SINK_MARKDOWN)
		rc = markdown_to_safe_html(body ? body : "", n, &k->html, NULL);
	else
		rc = sanitize_html(body ? body : "", n, &k->html, NULL);
	if (rc == SANITIZE_FALLBACK)
		return sink_fail(k, "body HTML nested too deep to sanitize");
	return 0;
}

static const char SQL_THREAD[] =
    "INSERT INTO threads(source_id, ext_id, title, created, last_activity,"
    " closed, score, views, accepted_ext, url, meta_hash)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
    " ON CONFLICT(source_id, ext_id) DO UPDATE SET title=excluded.title,"
    " created=excluded.created, last_activity=excluded.last_activity,"
    " closed=excluded.closed, score=excluded.score, views=excluded.views,"
    " accepted_ext=excluded.accepted_ext, url=excluded.url,"
    " meta_hash=excluded.meta_hash";
/* Threads are upserted, so a repeated thread id is caught here. */
static const char SQL_STAGE_THREAD[] =
    "INSERT INTO temp.sink_seen(ext_id) VALUES(?1)";

int
sink_thread(struct sink *k, const struct sink_thread *t)
{
	sqlite3_stmt *s;
	uint64_t h;
	int rc;

	s = store_stmt(k->st, SQL_STAGE_THREAD);
	bind_int(s, 1, t->id);
	if (insert(k, s, "thread", t->id) < 0)
		return -1;
	buf_reset(&k->tmp);
	utf8_repair(&k->tmp, t->title, t->title_len);
	h = fq_hash64("t", 1, 0);
	h = fq_hash64(k->tmp.data, k->tmp.len + 1, h);
	h = hash_str(t->closed, h);
	h = hash_str(t->url, h);
	h = fq_hash64(&t->score, sizeof t->score, h);
	s = store_stmt(k->st, SQL_THREAD);
	bind_int(s, 1, k->source);
	bind_int(s, 2, t->id);
	bind_text(s, 3, k->tmp.data, k->tmp.len);
	bind_date(k, s, 4, t->created);
	bind_date(k, s, 5, t->activity);
	bind_date(k, s, 6, t->closed);
	bind_int(s, 7, t->score);
	bind_int(s, 8, t->views);
	if (t->has_accepted)
		bind_int(s, 9, t->accepted);
	bind_str(s, 10, t->url);
	bind_int(s, 11, (int64_t)h);
	rc = store_done(k->st, s);
	return rc;
}

static const char SQL_POST[] =
    "INSERT INTO posts(source_id, ext_id, thread_ext, kind, created, edited,"
    " score, author_ext, author_name, license, body_html, hash)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,NULL,?10,?11)";

int
sink_post(struct sink *k, const struct sink_post *p)
{
	sqlite3_stmt *s;
	uint64_t h;

	if (body_html(k, p->body, p->body_len, p->format) < 0)
		return -1;
	h = fq_hash64(&p->kind, sizeof p->kind, (uint64_t)p->id);
	h = hash_str(p->created, h);
	h = hash_str(p->edited, h);
	h = fq_hash64(&p->score, sizeof p->score, h);
	h = fq_hash64(&p->author, sizeof p->author, h);
	h = hash_str(p->author_name, h);
	h = fq_hash64(k->html.data, k->html.len, h);
	s = store_stmt(k->st, SQL_POST);
	bind_int(s, 1, k->source);
	bind_int(s, 2, p->id);
	bind_int(s, 3, p->thread);
	bind_int(s, 4, p->kind);
	bind_date(k, s, 5, p->created);
	bind_date(k, s, 6, p->edited);
	bind_int(s, 7, p->score);
	if (p->has_author)
		bind_int(s, 8, p->author);
	if (p->author_name) {
		buf_reset(&k->tmp);
		utf8_repair(&k->tmp, p->author_name, strlen(p->author_name));
		bind_text(s, 9, k->tmp.data, k->tmp.len);
	}
	bind_text(s, 10, k->html.data, k->html.len);
	bind_int(s, 11, (int64_t)h);
	return insert(k, s, "post", p->id);
}

static const char SQL_COMMENT[] =
    "INSERT INTO comments(source_id, ext_id, post_ext, created, score,"
    " author_ext, author_name, license, body_html, hash)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,NULL,?8,?9)";

int
sink_comment(struct sink *k, const struct sink_comment *c)
{
	sqlite3_stmt *s;
	uint64_t h;

	if (body_html(k, c->body, c->body_len, c->format) < 0)
		return -1;
	h = fq_hash64("c", 1, (uint64_t)c->id);
	h = hash_str(c->created, h);
	h = fq_hash64(&c->score, sizeof c->score, h);
	h = fq_hash64(&c->author, sizeof c->author, h);
	h = hash_str(c->author_name, h);
	h = fq_hash64(k->html.data, k->html.len, h);
	s = store_stmt(k->st, SQL_COMMENT);
	bind_int(s, 1, k->source);
	bind_int(s, 2, c->id);
	bind_int(s, 3, c->post);
	bind_date(k, s, 4, c->created);
	bind_int(s, 5, c->score);
	if (c->has_author)
		bind_int(s, 6, c->author);
	if (c->author_name) {
		buf_reset(&k->tmp);
		utf8_repair(&k->tmp, c->author_name, strlen(c->author_name));
		bind_text(s, 7, k->tmp.data, k->tmp.len);
	}
	bind_text(s, 8, k->html.data, k->html.len);
	bind_int(s, 9, (int64_t)h);
	return insert(k, s, "comment", c->id);
}

static const char SQL_AUTHOR[] =
    "INSERT INTO authors(source_id, ext_id, name, reputation, role, created,"
    " url) VALUES(?1,?2,?3,NULL,?4,NULL,?5) ON CONFLICT DO NOTHING";

int
sink_author(struct sink *k, int64_t id, const char *name, const char *role,
    const char *url)
{
	sqlite3_stmt *s = store_stmt(k->st, SQL_AUTHOR);

	bind_int(s, 1, k->source);
	bind_int(s, 2, id);
	buf_reset(&k->tmp);
	utf8_repair(&k->tmp, name ? name : "", name ? strlen(name) : 0);
	bind_text(s, 3, k->tmp.data, k->tmp.len);
	bind_str(s, 4, role);
	bind_str(s, 5, url);
	return store_done(k->st, s);
}

static const char SQL_THREAD_TAG[] =
    "INSERT OR IGNORE INTO thread_tags(source_id, thread_ext, pos, tag)"
    " VALUES(?1,?2,?3,?4)";

int
sink_tag(struct sink *k, int64_t thread, int pos, const char *tag, size_t n)
{
	sqlite3_stmt *s;

	while (n && (*tag == ' ' || *tag == '\t')) {
		tag++;
		n--;
	}
	while (n && (tag[n - 1] == ' ' || tag[n - 1] == '\t'))
		n--;
	if (n == 0 || n > 128 || utf8_check(tag, n) != n) {
		sink_skip(k, "bad_tag", 1);
		return 0;
	}
	s = store_stmt(k->st, SQL_THREAD_TAG);
	bind_int(s, 1, k->source);
	bind_int(s, 2, thread);
	bind_int(s, 3, pos);
	bind_text(s, 4, tag, n);
	return store_done(k->st, s);
}

/* ---- Opening and resolution ---- */

static const char SQL_SOURCE[] =
    "INSERT INTO sources(name, kind, origin) VALUES(?1,?2,?3)"
    " ON CONFLICT(name) DO UPDATE SET origin=excluded.origin"
    " RETURNING id, kind";
static const char *const SQL_CLEAR[] = {
	"DELETE FROM posts WHERE source_id=?1",
	"DELETE FROM comments WHERE source_id=?1",
	"DELETE FROM authors WHERE source_id=?1",
	"DELETE FROM thread_tags WHERE source_id=?1",
	"DELETE FROM tags WHERE source_id=?1",
	"DELETE FROM links WHERE source_id=?1",
};
static const char SQL_STAGING[] =
    "CREATE TEMP TABLE IF NOT EXISTS sink_seen(ext_id INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS sink_cat(thread INTEGER, cat INTEGER);"
    "CREATE TEMP TABLE IF NOT EXISTS sink_catname(id INTEGER PRIMARY KEY,"
    " name TEXT);"
    "DELETE FROM temp.sink_seen; DELETE FROM temp.sink_cat;"
    "DELETE FROM temp.sink_catname;";

/* Runs a statement bound with the source; returns rows changed, or -1. */
static int64_t
change(struct sink *k, const char *sql)
{
	sqlite3_stmt *s = store_stmt(k->st, sql);

	bind_int(s, 1, k->source);
	if (store_done(k->st, s) < 0)
		return -1;
	return sqlite3_changes64(store_db(k->st));
}

static int64_t
count(struct sink *k, const char *sql)
{
	sqlite3_stmt *s = store_stmt(k->st, sql);
	int64_t n = -1;

	bind_int(s, 1, k->source);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (n < 0)
		store_fail(k->st);
	return n;
}

int
sink_open(struct sink *k, struct store *st, const char *name,
    const char *kind, const char *origin, struct ingest_result *res)
{
	sqlite3_stmt *s;
	size_t i;
	int rc = -1;

	memset(k, 0, sizeof *k);
	k->st = st;
	k->res = res;
	k->where = origin;
	buf_init(&k->ctx);
	buf_init(&k->html);
	buf_init(&k->tmp);
	if (store_exec(st, SQL_STAGING) < 0)
		goto out;
	s = store_stmt(st, SQL_SOURCE);
	bind_str(s, 1, name);
	bind_str(s, 2, kind);
	bind_str(s, 3, origin);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		store_fail(st);
		goto out;
	}
	k->source = sqlite3_column_int64(s, 0);
	if (strcmp((const char *)sqlite3_column_text(s, 1), kind) != 0) {
		fq_err("%s: the store already has a source named '%s' of "
		       "kind %s", origin, name, sqlite3_column_text(s, 1));
		sqlite3_reset(s);
		goto out;
	}
	sqlite3_reset(s);
	/* Rows of the previous snapshot go; threads stay (their ids are
	 * stable) until sink_finish() removes the ones this one lacks. */
	for (i = 0; i < sizeof SQL_CLEAR / sizeof SQL_CLEAR[0]; i++)
		if (change(k, SQL_CLEAR[i]) < 0)
			goto out;
	rc = 0;
out:
	return rc;
}

void
sink_release(struct sink *k)
{
	buf_release(&k->ctx);
	buf_release(&k->html);
	buf_release(&k->tmp);
}

static const char SQL_COUNT_NEW[] =
    "SELECT count(*) FROM threads WHERE source_id=?1 AND hash=0";
static const char SQL_RM_THREADS[] =
    "DELETE FROM threads WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM posts p WHERE p.source_id=?1"
    " AND p.thread_ext=threads.ext_id AND p.kind=1)";
static const char SQL_RM_ORPHAN_ANSWERS[] =
    "DELETE FROM posts WHERE source_id=?1 AND kind=2 AND NOT EXISTS("
    " SELECT 1 FROM threads t WHERE t.source_id=?1"
    " AND t.ext_id=posts.thread_ext)";
static const char SQL_RM_ORPHAN_COMMENTS[] =
    "DELETE FROM comments WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM posts p WHERE p.source_id=?1 AND p.ext_id=post_ext)";
static const char SQL_RM_ORPHAN_TAGS[] =
    "DELETE FROM thread_tags WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM threads t WHERE t.source_id=?1"
    " AND t.ext_id=thread_ext)";
static const char SQL_NO_ACCEPTED[] =
    "UPDATE threads SET accepted_ext=NULL WHERE source_id=?1"
    " AND accepted_ext IS NOT NULL AND NOT EXISTS(SELECT 1 FROM posts p"
    " WHERE p.source_id=?1 AND p.ext_id=accepted_ext AND p.kind=2"
    " AND p.thread_ext=threads.ext_id)";
static const char SQL_MARK_ACCEPTED[] =
    "UPDATE posts SET accepted=1 WHERE source_id=?1 AND kind=2 AND EXISTS("
    " SELECT 1 FROM threads t WHERE t.source_id=?1"
    " AND t.ext_id=posts.thread_ext AND t.accepted_ext=posts.ext_id)";
static const char SQL_TAGS[] =
    "INSERT INTO tags(source_id, name, count)"
    " SELECT ?1, tag, count(*) FROM thread_tags WHERE source_id=?1"
    " GROUP BY tag";
/* A thread's hash covers its own fields (meta_hash), its posts, the
 * comments on them and its tags: what a page shows. */
static const char SQL_HASH[] =
    "WITH h(t, v) AS ("
    " SELECT thread_ext, hash FROM posts WHERE source_id=?1"
    " UNION ALL SELECT p.thread_ext, c.hash FROM comments c JOIN posts p"
    "  ON p.source_id=c.source_id AND p.ext_id=c.post_ext"
    "  WHERE c.source_id=?1"
    " UNION ALL SELECT thread_ext, fq_hash('tag', pos, tag) FROM thread_tags"
    "  WHERE source_id=?1),"
    " s(t, v) AS (SELECT t, fq_hsum(v) FROM h GROUP BY t)"
    " UPDATE threads SET hash=fq_hash(meta_hash, s.v, accepted_ext)"
    " FROM s WHERE threads.source_id=?1 AND threads.ext_id=s.t"
    " AND hash<>fq_hash(meta_hash, s.v, accepted_ext)";
static const char SQL_COUNT_THREADS[] =
    "SELECT count(*) FROM threads WHERE source_id=?1";
static const char SQL_SOURCE_DONE[] =
    "UPDATE sources SET newest=?2, skipped=?3, missing='' WHERE id=?1";

int
sink_finish(struct sink *k)
{
	struct ingest_result *r = k->res;
	int64_t n, added, changed;
	struct buf js = BUF_INIT;
	sqlite3_stmt *s;
	size_t i;
	int rc = -1;

	if ((r->removed = change(k, SQL_RM_THREADS)) < 0)
		goto out;
	if ((n = change(k, SQL_RM_ORPHAN_ANSWERS)) < 0)
		goto out;
	sink_skip(k, "answer_without_question", n);
	if ((n = change(k, SQL_RM_ORPHAN_COMMENTS)) < 0)
		goto out;
	sink_skip(k, "comment_without_post", n);
	if (change(k, SQL_RM_ORPHAN_TAGS) < 0)
		goto out;
	if ((n = change(k, SQL_NO_ACCEPTED)) < 0)
		goto out;
	sink_skip(k, "accepted_answer_missing", n);
	if (change(k, SQL_MARK_ACCEPTED) < 0 || change(k, SQL_TAGS) < 0)
		goto out;
	if ((added = count(k, SQL_COUNT_NEW)) < 0 ||
	    (changed = change(k, SQL_HASH)) < 0 ||
	    (r->threads = count(k, SQL_COUNT_THREADS)) < 0)
		goto out;
	r->added = added;
	r->changed = changed - added;
	r->unchanged = r->threads - changed;

	qsort(k->skips, k->nskips, sizeof k->skips[0], cmp_skip);
	buf_putc(&js, '{');
	for (i = 0; i < k->nskips; i++)
		buf_printf(&js, "%s\"%s\":%lld", i ? "," : "",
		    k->skips[i].name, (long long)k->skips[i].n);
	buf_putc(&js, '}');
	s = store_stmt(k->st, SQL_SOURCE_DONE);
	bind_int(s, 1, k->source);
	if (k->newest[0])
		bind_text(s, 2, k->newest, DATE_LEN);
	bind_text(s, 3, js.data, js.len);
	rc = store_done(k->st, s);
out:
	buf_release(&js);
	return rc;
}
