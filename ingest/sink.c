/*
 * The writer behind every reader; see ingest_int.h (sink).
 */
#include "ingest_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/shortname.h"
#include "core/store.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

int
sink_fail(struct sink *k, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	/* A queued write (earlier in the input) may have failed, or fail
	 * yet, and the writer thread prints that one: it alone is said. */
	if (sink_sync(k) < 0)
		return -1;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (k->line > 0)
		fq_err("%s:%ld: %s%s%s", k->where ? k->where : "input", k->line,
		    k->ctx.data, k->ctx.len ? ": " : "", msg.data);
	else
		fq_err("%s: %s%s%s", k->where ? k->where : "input",
		    k->ctx.data, k->ctx.len ? ": " : "", msg.data);
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
	/* The last slot counts every reason past the others: a dump with
	 * dozens of made-up PostTypeIds (post_type_N each) is counted, not
	 * an ingest that dies. */
	if (k->nskips >= sizeof k->skips / sizeof k->skips[0] - 1 &&
	    strcmp(reason, "other") != 0) {
		sink_skip(k, "other", n);
		return;
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

/* Normalizes date v into d; -1 if v is NULL or not a date (counted as
 * skipped "bad_date"). */
static int
norm_date(struct sink *k, const char *v, char d[DATE_LEN + 1])
{
	if (v == NULL)
		return -1;
	if (date_norm(v, strlen(v), d) < 0) {
		sink_skip(k, "bad_date", 1);
		return -1;
	}
	return 0;
}

/* Normalizes date v into d as norm_date does and notes the newest date
 * of the source. */
static int
note_date(struct sink *k, const char *v, char d[DATE_LEN + 1])
{
	if (norm_date(k, v, d) < 0)
		return -1;
	if (strcmp(d, k->newest) > 0)
		memcpy(k->newest, d, DATE_LEN + 1);
	return 0;
}

/* Queues a date normalized, or NULL (counting a bad one); notes the
 * newest date of the source. */
static void
op_date(struct sink *k, const char *v)
{
	char d[DATE_LEN + 1];

	if (note_date(k, v, d) < 0) {
		pipe_null(k->pipe);
		return;
	}
	pipe_text(k->pipe, d, DATE_LEN);
}

static void
op_str(struct sink *k, const char *v)
{
	pipe_text(k->pipe, v, v ? strlen(v) : 0);
}

/* Queues a name repaired to valid UTF-8 (NULL stays NULL). */
static void
op_name(struct sink *k, const char *v)
{
	if (v == NULL) {
		pipe_null(k->pipe);
		return;
	}
	buf_reset(&k->tmp);
	utf8_repair(&k->tmp, v, strlen(v));
	pipe_text(k->pipe, k->tmp.data, k->tmp.len);
}

static uint64_t
hash_str(const char *v, uint64_t h)
{
	h = fq_hash64(v ? v : "", v ? strlen(v) : 0, h);
	return fq_hash64(v ? "\1" : "\0", 1, h);
}

/* Ends an op whose failure on a constraint means "WHAT id ID appears
 * twice", reported at the reader's current position. */
static int
end_keyed(struct sink *k, const char *what, int64_t id)
{
	struct pipe_where w;

	w.file = k->where;
	w.line = k->line;
	w.ctx = k->ctx.data;
	w.what = what;
	w.id = id;
	return pipe_end(k->pipe, &w);
}

static int
end_plain(struct sink *k)
{
	return pipe_end(k->pipe, NULL);
}

static const char SQL_THREAD[] =
    "INSERT INTO threads(source_id, ext_id, title, created, last_activity,"
    " closed, score, views, accepted_ext, url, meta_hash, accepted_day)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"
    " ON CONFLICT(source_id, ext_id) DO UPDATE SET title=excluded.title,"
    " created=excluded.created, last_activity=excluded.last_activity,"
    " closed=excluded.closed, score=excluded.score, views=excluded.views,"
    " accepted_ext=excluded.accepted_ext, url=excluded.url,"
    " meta_hash=excluded.meta_hash, accepted_day=excluded.accepted_day"
    /* A row given as stored is not written again (a night's dump gives
     * nearly every thread as it was). */
    " WHERE (title, created, last_activity, closed, score, views,"
    "  accepted_ext, url, meta_hash, accepted_day) IS NOT"
    " (excluded.title, excluded.created, excluded.last_activity,"
    "  excluded.closed, excluded.score, excluded.views,"
    "  excluded.accepted_ext, excluded.url, excluded.meta_hash,"
    "  excluded.accepted_day)";
/* Threads are upserted, so a repeated thread id is caught here. */
static const char SQL_STAGE_THREAD[] =
    "INSERT INTO temp.sink_seen(ext_id) VALUES(?1)";

/* A thread's, a post's or an author's link as the source gave it,
 * cleaned by the one URL policy (core/url.h) into k->url; NULL if there
 * is none or it is unsafe (counted as skipped "unsafe_url": the row
 * stays, without its link). */
static const char *
source_url(struct sink *k, const char *url)
{
	buf_reset(&k->url);
	if (url == NULL)
		return NULL;
	if (!url_clean(&k->url, url, strlen(url), URL_ABSOLUTE)) {
		sink_skip(k, "unsafe_url", 1);
		return NULL;
	}
	return k->url.data;
}

int
sink_thread(struct sink *k, const struct sink_thread *t)
{
	const char *url = source_url(k, t->url);
	char chosen[DATE_LEN + 1];
	uint64_t h;

	pipe_op(k->pipe, SQL_STAGE_THREAD);
	pipe_int(k->pipe, t->id);
	if (end_keyed(k, "thread", t->id) < 0)
		return -1;
	buf_reset(&k->tmp);
	utf8_repair(&k->tmp, t->title, t->title_len);
	h = fq_hash64("t", 1, 0);
	h = fq_hash64(k->tmp.data, k->tmp.len + 1, h);
	h = hash_str(t->closed, h);
	h = hash_str(url, h);
	h = fq_hash64(&t->score, sizeof t->score, h);
	pipe_op(k->pipe, SQL_THREAD);
	pipe_int(k->pipe, k->source);
	pipe_int(k->pipe, t->id);
	pipe_text(k->pipe, k->tmp.data, k->tmp.len);
	op_date(k, t->created);
	op_date(k, t->activity);
	op_date(k, t->closed);
	pipe_int(k->pipe, t->score);
	pipe_int(k->pipe, t->views);
	if (t->has_accepted)
		pipe_int(k->pipe, t->accepted);
	else
		pipe_null(k->pipe);
	op_str(k, url);
	pipe_int(k->pipe, (int64_t)h);
	/* Not in the hash, and not the source's newest date: the time of
	 * the acceptance shows nowhere on the page. */
	if (norm_date(k, t->accepted_at, chosen) == 0)
		pipe_text(k->pipe, chosen, DATE_LEN);
	else
		pipe_null(k->pipe);
	return end_plain(k);
}

/* An answer is marked accepted as it is inserted when its thread came
 * first (as in every real dump); sink_finish catches the rest. */
static const char SQL_POST[] =
    "INSERT INTO posts(source_id, ext_id, thread_ext, kind, created, edited,"
    " score, author_ext, author_name, license, body_html, hash, url,"
    " accepted) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
    " ?4=2 AND EXISTS(SELECT 1 FROM threads WHERE source_id=?1"
    " AND ext_id=?3 AND accepted_ext=?2))";

static int
body_kind(enum sink_format f)
{
	return f == SINK_MARKDOWN ? PIPE_MARKDOWN :
	    f == SINK_COMMENT ? PIPE_COMMENT : PIPE_HTML;
}

/* Only once the post's row is there: a body the sanitizer gave up on
 * leaves no row, and no hash that would keep it out next time. */
static const char SQL_POST_SRC[] =
    "INSERT INTO post_src(source_id, ext_id, src) SELECT ?1, ?2, ?3"
    " WHERE EXISTS(SELECT 1 FROM posts WHERE source_id=?1 AND ext_id=?2)";

/* Everything the reader gave for a post, the raw body included, as it
 * decides the post's stored row and hrefs (url: as source_url cleaned
 * it). */
static uint64_t
post_src_hash(const struct sink *k, const struct sink_post *p,
    const char *url)
{
	uint64_t h = k->keep.seed;
	int64_t v[7];

	v[0] = p->id;
	v[1] = p->thread;
	v[2] = p->kind;
	v[3] = p->score;
	v[4] = p->has_author != 0;
	v[5] = p->has_author ? p->author : 0;
	v[6] = p->format;
	h = fq_hash64(v, sizeof v, h);
	h = hash_str(p->created, h);
	h = hash_str(p->edited, h);
	h = hash_str(p->author_name, h);
	h = hash_str(p->license, h);
	h = hash_str(url, h);
	h = fq_hash64(&p->body_len, sizeof p->body_len, h);
	return fq_hash64(p->body ? p->body : "", p->body ? p->body_len : 0, h);
}

/* A post given as it was stored: its row stays.  What writing it would
 * have counted or noted (bad dates, the newest date) is still. */
static int
keep_post(struct sink *k, const struct sink_post *p)
{
	char d[DATE_LEN + 1];

	note_date(k, p->created, d);
	note_date(k, p->edited, d);
	return 0;
}

int
sink_post(struct sink *k, const struct sink_post *p)
{
	const char *url = source_url(k, p->url);
	static const int64_t zero = 0;
	uint64_t src = post_src_hash(k, p, url), h;
	enum keep_verdict v = keep_check(&k->keep, p->id, src);

	switch (v) {
	case KEEP_SAME:
		return keep_post(k, p);
	case KEEP_CHANGED:
		if (keep_queue_drop(k->pipe, k->source, p->id) < 0)
			return -1;
		break;
	default: /* new; or repeated, which the insert reports */
		break;
	}

	h = fq_hash64(&p->kind, sizeof p->kind, (uint64_t)p->id);
	h = hash_str(p->created, h);
	h = hash_str(p->edited, h);
	h = fq_hash64(&p->score, sizeof p->score, h);
	h = fq_hash64(p->has_author ? &p->author : &zero, sizeof zero, h);
	h = hash_str(p->author_name, h);
	h = hash_str(p->license, h);
	if (url) /* a post without one keeps the hash it had before */
		h = hash_str(url, h);
	pipe_op(k->pipe, SQL_POST);
	pipe_int(k->pipe, k->source);
	pipe_int(k->pipe, p->id);
	pipe_int(k->pipe, p->thread);
	pipe_int(k->pipe, p->kind);
	op_date(k, p->created);
	op_date(k, p->edited);
	pipe_int(k->pipe, p->score);
	if (p->has_author)
		pipe_int(k->pipe, p->author);
	else
		pipe_null(k->pipe);
	op_name(k, p->author_name);
	op_str(k, p->license);
	/* Sanitized (and hashed) on the writer's core. */
	pipe_body(k->pipe, body_kind(p->format), p->body ? p->body : "",
	    p->body ? p->body_len : 0);
	pipe_body_hash(k->pipe, h);
	op_str(k, url);
	pipe_links(k->pipe, 0, p->id);
	if (end_keyed(k, "post", p->id) < 0)
		return -1;
	/* A repeat's insert fails ("appears twice") or, unsanitizable, is
	 * left out: the first one's row and hash stand. */
	if (v == KEEP_REPEATED)
		return 0;
	pipe_op(k->pipe, SQL_POST_SRC);
	pipe_int(k->pipe, k->source);
	pipe_int(k->pipe, p->id);
	pipe_int(k->pipe, (int64_t)src);
	return end_plain(k);
}

static const char SQL_COMMENT[] =
    "INSERT INTO comments(source_id, ext_id, post_ext, created, score,"
    " author_ext, author_name, license, body_html, hash)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";

int
sink_comment(struct sink *k, const struct sink_comment *c)
{
	uint64_t h;

	h = fq_hash64("c", 1, (uint64_t)c->id);
	h = hash_str(c->created, h);
	h = fq_hash64(&c->score, sizeof c->score, h);
	h = fq_hash64(&c->author, sizeof c->author, h);
	h = hash_str(c->author_name, h);
	pipe_op(k->pipe, SQL_COMMENT);
	pipe_int(k->pipe, k->source);
	pipe_int(k->pipe, c->id);
	pipe_int(k->pipe, c->post);
	op_date(k, c->created);
	pipe_int(k->pipe, c->score);
	if (c->has_author)
		pipe_int(k->pipe, c->author);
	else
		pipe_null(k->pipe);
	op_name(k, c->author_name);
	op_str(k, c->license);
	pipe_body(k->pipe, body_kind(c->format), c->body ? c->body : "",
	    c->body ? c->body_len : 0);
	pipe_body_hash(k->pipe, h);
	pipe_links(k->pipe, 1, c->id);
	return end_keyed(k, "comment", c->id);
}

static const char SQL_AUTHOR[] =
    "INSERT INTO authors(source_id, ext_id, name, reputation, role, created,"
    " url) VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT DO NOTHING";

int
sink_author(struct sink *k, const struct sink_author *a)
{
	pipe_op(k->pipe, SQL_AUTHOR);
	pipe_int(k->pipe, k->source);
	pipe_int(k->pipe, a->id);
	op_name(k, a->name ? a->name : "");
	if (a->has_reputation)
		pipe_int(k->pipe, a->reputation);
	else
		pipe_null(k->pipe);
	op_str(k, a->role);
	op_date(k, a->created);
	op_str(k, source_url(k, a->url));
	return end_plain(k);
}

static const char SQL_THREAD_TAG[] =
    "INSERT OR IGNORE INTO thread_tags(source_id, thread_ext, pos, tag)"
    " VALUES(?1,?2,?3,?4)";

/* Trims blanks; returns 0 for a usable tag, or counts it skipped. */
static int
clean_tag(struct sink *k, const char **tag, size_t *n)
{
	while (*n && (**tag == ' ' || **tag == '\t')) {
		(*tag)++;
		(*n)--;
	}
	while (*n && ((*tag)[*n - 1] == ' ' || (*tag)[*n - 1] == '\t'))
		(*n)--;
	if (*n == 0 || *n > 128 || utf8_check(*tag, *n) != *n) {
		sink_skip(k, "bad_tag", 1);
		return -1;
	}
	return 0;
}

int
sink_tag(struct sink *k, int64_t thread, int pos, const char *tag, size_t n)
{
	if (pos >= SINK_TAG_MAX) {
		sink_skip(k, "tag_over_limit", 1);
		return 0;
	}
	if (clean_tag(k, &tag, &n) < 0)
		return 0;
	pipe_op(k->pipe, SQL_THREAD_TAG);
	pipe_int(k->pipe, k->source);
	pipe_int(k->pipe, thread);
	pipe_int(k->pipe, pos);
	pipe_text(k->pipe, tag, n);
	return end_plain(k);
}

static const char SQL_STAGE_LINK[] =
    "INSERT INTO temp.sink_links(from_ext, to_ext, kind, origin, date)"
    " VALUES(?1,?2,?3,?4,?5)";
static const char SQL_STAGE_REOPEN[] =
    "INSERT INTO temp.sink_reopen(thread, date) VALUES(?1,?2)";
static const char SQL_STAGE_CLOSE[] =
    "INSERT INTO temp.sink_close(thread, date) VALUES(?1,?2)";

int
sink_link(struct sink *k, int64_t from, int64_t to, const char *kind,
    const char *origin, const char *date)
{
	if (strcmp(kind, "duplicate") == 0 && k->no_duplicate_links) {
		sink_skip(k, "duplicate_link_ignored", 1);
		return 0;
	}
	pipe_op(k->pipe, SQL_STAGE_LINK);
	pipe_int(k->pipe, from);
	pipe_int(k->pipe, to);
	op_str(k, kind);
	op_str(k, origin);
	op_date(k, date);
	return end_plain(k);
}

int
sink_reopen(struct sink *k, int64_t thread, const char *date)
{
	pipe_op(k->pipe, SQL_STAGE_REOPEN);
	pipe_int(k->pipe, thread);
	op_date(k, date);
	return end_plain(k);
}

int
sink_close(struct sink *k, int64_t thread, const char *date)
{
	pipe_op(k->pipe, SQL_STAGE_CLOSE);
	pipe_int(k->pipe, thread);
	op_date(k, date);
	return end_plain(k);
}

/* One row per post and day however many votes: the temp table adds
 * them up, and sink_finish() keeps the rows of posts that are there. */
static const char SQL_STAGE_VOTE[] =
    "INSERT INTO temp.sink_votes(post, day, up, down, acc)"
    " VALUES(?1,?2,?3,?4,?5) ON CONFLICT(post, day) DO UPDATE SET"
    " up=up+excluded.up, down=down+excluded.down, acc=acc+excluded.acc";

int
sink_vote(struct sink *k, int64_t post, const char *date,
    enum sink_vote kind)
{
	char d[DATE_LEN + 1];

	if (date == NULL || date_norm(date, strlen(date), d) < 0) {
		sink_skip(k, "bad_vote", 1);
		return 0;
	}
	pipe_op(k->pipe, SQL_STAGE_VOTE);
	pipe_int(k->pipe, post);
	pipe_text(k->pipe, d, 10); /* the day: YYYY-MM-DD */
	pipe_int(k->pipe, kind == SINK_UP);
	pipe_int(k->pipe, kind == SINK_DOWN);
	pipe_int(k->pipe, kind == SINK_ACCEPT);
	return end_plain(k);
}

/* ---- Opening and resolution ---- */

static const char SQL_SOURCE[] =
    "INSERT INTO sources(name, kind, origin) VALUES(?1,?2,?3)"
    " ON CONFLICT(name) DO UPDATE SET origin=excluded.origin"
    " RETURNING id, kind";
/* Posts stay: the ones given again unchanged are kept (keep.c). */
static const char *const SQL_CLEAR[] = {
	"DELETE FROM comments WHERE source_id=?1",
	"DELETE FROM authors WHERE source_id=?1",
	"DELETE FROM thread_tags WHERE source_id=?1",
	"DELETE FROM tags WHERE source_id=?1",
	"DELETE FROM links WHERE source_id=?1",
	"DELETE FROM votes WHERE source_id=?1",
	"DELETE FROM post_links WHERE source_id=?1",
};
static const char SQL_STAGING[] =
    "CREATE TEMP TABLE IF NOT EXISTS sink_seen(ext_id INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS sink_cat(thread INTEGER, cat INTEGER);"
    "CREATE TEMP TABLE IF NOT EXISTS sink_catname(id INTEGER PRIMARY KEY,"
    " name TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS sink_tagdesc(name TEXT PRIMARY KEY,"
    " text TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS sink_links(from_ext INTEGER,"
    " to_ext INTEGER, kind TEXT, origin TEXT, date TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS sink_reopen(thread INTEGER, date TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS sink_close(thread INTEGER, date TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS sink_votes(post INTEGER, day TEXT,"
    " up INTEGER, down INTEGER, acc INTEGER, PRIMARY KEY(post, day))"
    " WITHOUT ROWID;"
    "DELETE FROM temp.sink_seen; DELETE FROM temp.sink_cat;"
    "DELETE FROM temp.sink_catname; DELETE FROM temp.sink_tagdesc;"
    "DELETE FROM temp.sink_links; DELETE FROM temp.sink_reopen;"
    "DELETE FROM temp.sink_close;"
    "CREATE TEMP TABLE IF NOT EXISTS sink_hrefs(comment INTEGER,"
    " owner INTEGER, href TEXT, what INTEGER, id INTEGER, answer INTEGER,"
    " own INTEGER);"
    "DELETE FROM temp.sink_votes; DELETE FROM temp.sink_hrefs;";

/* Runs a statement bound with the source; returns rows changed, or -1.
 * Only while the writer thread is stopped (before the pipe, after it). */
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
    const struct ingest_opts *opt,
    const char *kind, const char *origin, struct ingest_result *res)
{
	sqlite3_stmt *s;
	size_t i;

	memset(k, 0, sizeof *k);
	k->st = st;
	k->res = res;
	k->where = origin;
	buf_init(&k->ctx);
	buf_init(&k->tmp);
	buf_init(&k->url);
	if (store_exec(st, SQL_STAGING) < 0)
		return -1;
	s = store_stmt(st, SQL_SOURCE);
	bind_text(s, 1, name, strlen(name));
	bind_text(s, 2, kind, strlen(kind));
	bind_text(s, 3, origin, strlen(origin));
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_fail(st);
	}
	k->source = sqlite3_column_int64(s, 0);
	if (strcmp((const char *)sqlite3_column_text(s, 1), kind) != 0) {
		fq_err("%s: the store already has a source named '%s' of "
		       "kind %s", origin, name, sqlite3_column_text(s, 1));
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	/* A new source is given its short name (its URLs) here, once. */
	if (shortname_assign(st) < 0)
		return -1;
	/* Rows of the previous snapshot go; threads stay (their ids are
	 * stable) until sink_finish() removes the ones this one lacks. */
	for (i = 0; i < sizeof SQL_CLEAR / sizeof SQL_CLEAR[0]; i++)
		if (change(k, SQL_CLEAR[i]) < 0)
			return -1;
	if (keep_load(&k->keep, st, k->source, opt->full) < 0)
		return -1;
	k->pipe = pipe_open(st, opt->jobs);
	postlink_site_init(&k->site, kind, name);
	pipe_link_site(k->pipe, &k->site, k->source);
	return 0;
}

int
sink_sync(struct sink *k)
{
	return k->pipe ? pipe_sync(k->pipe) : 0;
}

void
sink_release(struct sink *k)
{
	pipe_close(k->pipe);
	k->pipe = NULL;
	buf_release(&k->ctx);
	buf_release(&k->tmp);
	buf_release(&k->url);
	keep_free(&k->keep);
}

static const char SQL_COUNT_NEW[] =
    "SELECT count(*) FROM threads WHERE source_id=?1 AND hash=0";
/* New threads (hash 0) about to go for want of their question (left
 * out as unsanitizable): never published, so not "removed". */
static const char SQL_COUNT_NEW_GONE[] =
    "SELECT count(*) FROM threads WHERE source_id=?1 AND hash=0"
    " AND NOT EXISTS(SELECT 1 FROM posts p WHERE p.source_id=?1"
    " AND p.thread_ext=threads.ext_id AND p.kind=1)";
/* Posts were cleared at the start: a thread whose question is not in
 * posts now is gone from this snapshot. */
static const char SQL_RM_THREADS[] =
    "DELETE FROM threads WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM posts p WHERE p.source_id=?1"
    " AND p.thread_ext=threads.ext_id AND p.kind=1)";
static const char SQL_RM_ORPHAN_ANSWERS[] =
    "DELETE FROM posts WHERE source_id=?1 AND kind=2 AND NOT EXISTS("
    " SELECT 1 FROM threads t WHERE t.source_id=?1"
    " AND t.ext_id=posts.thread_ext)";
/* What keep.c holds for posts removed in SQL (orphan answers). */
static const char SQL_RM_ORPHAN_SRC[] =
    "DELETE FROM post_src WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM posts p WHERE p.source_id=?1"
    " AND p.ext_id=post_src.ext_id)";
static const char SQL_RM_ORPHAN_HREFS[] =
    "DELETE FROM post_hrefs WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM posts p WHERE p.source_id=?1"
    " AND p.ext_id=post_hrefs.post_ext)";
static const char SQL_RM_ORPHAN_COMMENTS[] =
    "DELETE FROM comments WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM posts p WHERE p.source_id=?1 AND p.ext_id=post_ext)";
/* Tags can outlive their thread only when a reader tagged a thread id
 * that never came (Discourse categories are staged apart). */
static const char SQL_RM_ORPHAN_TAGS[] =
    "DELETE FROM thread_tags WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM threads t WHERE t.source_id=?1"
    " AND t.ext_id=thread_ext)";
static const char SQL_NO_ACCEPTED[] =
    "UPDATE threads SET accepted_ext=NULL, accepted_day=NULL"
    " WHERE source_id=?1"
    " AND accepted_ext IS NOT NULL AND NOT EXISTS(SELECT 1 FROM posts p"
    " INDEXED BY posts_thread WHERE p.source_id=?1"
    " AND p.thread_ext=threads.ext_id AND p.kind=2 AND p.ext_id=accepted_ext)";
/* Answers are marked accepted as they are inserted (SQL_POST looks up
 * their thread); this catches an answer that came before its thread.
 * (INDEXED BY: the covering per-thread index never reads a row, whose
 * body would come along; the planner prefers the primary key.)
 * Driven from the accepted threads: one lookup per accepted answer, and
 * no row already right is rewritten. */
/* A kept answer whose thread's accepted answer moved (or went). */
static const char SQL_UNMARK_ACCEPTED[] =
    "UPDATE posts SET accepted=0 WHERE rowid IN (SELECT p.rowid"
    " FROM threads t JOIN posts p INDEXED BY posts_thread ON p.source_id=?1"
    " AND p.thread_ext=t.ext_id AND p.kind=2"
    " WHERE t.source_id=?1 AND p.accepted=1"
    " AND p.ext_id IS NOT t.accepted_ext)";
static const char SQL_MARK_ACCEPTED[] =
    "UPDATE posts SET accepted=1 WHERE rowid IN (SELECT p.rowid"
    " FROM threads t JOIN posts p INDEXED BY posts_thread ON p.source_id=?1"
    " AND p.thread_ext=t.ext_id AND p.kind=2 AND p.ext_id=t.accepted_ext"
    " WHERE t.source_id=?1 AND t.accepted_ext IS NOT NULL"
    " AND p.accepted=0)";
/* A duplicate closure stands unless the question was reopened later. */
static const char SQL_RM_REOPENED[] =
    "DELETE FROM temp.sink_links WHERE origin='closure' AND EXISTS("
    " SELECT 1 FROM temp.sink_reopen r WHERE r.thread=from_ext"
    " AND r.date>=temp.sink_links.date)";
/* Whether a thread is closed: the latest of its close and reopen
 * events (sink_close), its own closed date counting as a close; a
 * reopen wins a tie.  Only threads with events, only rows that change;
 * the date is part of the thread's meta_hash (sink_thread), so the
 * change is. */
static const char SQL_CLOSED[] =
    "UPDATE threads SET closed=n.c, meta_hash=fq_hash(threads.meta_hash,"
    "  'closed', n.c)"
    " FROM (SELECT t.id AS id, CASE WHEN coalesce(e.r, '') >="
    "   max(coalesce(t.closed, ''), coalesce(e.c, '')) THEN NULL"
    "   ELSE coalesce(t.closed, e.c) END AS c"
    "  FROM (SELECT thread, max(c) AS c, max(r) AS r FROM"
    "   (SELECT thread, date AS c, NULL AS r FROM temp.sink_close"
    "    UNION ALL SELECT thread, NULL, date FROM temp.sink_reopen)"
    "   GROUP BY thread) e"
    "  JOIN threads t ON t.source_id=?1 AND t.ext_id=e.thread) AS n"
    " WHERE threads.id=n.id AND threads.closed IS NOT n.c";
static const char SQL_DANGLING_LINKS[] =
    "SELECT count(*) FROM (SELECT DISTINCT from_ext, to_ext, kind"
    " FROM temp.sink_links l WHERE from_ext=to_ext"
    " OR NOT EXISTS(SELECT 1 FROM threads t WHERE t.source_id=?1"
    "  AND t.ext_id=l.from_ext)"
    " OR NOT EXISTS(SELECT 1 FROM threads t WHERE t.source_id=?1"
    "  AND t.ext_id=l.to_ext))";
/* When a site's own link list and a closure give the same pair, the
 * link list's row is the one kept. */
static const char SQL_LINKS[] =
    "INSERT OR IGNORE INTO links(source_id, from_ext, to_ext, kind, origin)"
    " SELECT ?1, from_ext, to_ext, kind, origin FROM temp.sink_links l"
    " WHERE from_ext<>to_ext"
    " AND EXISTS(SELECT 1 FROM threads t WHERE t.source_id=?1"
    "  AND t.ext_id=l.from_ext)"
    " AND EXISTS(SELECT 1 FROM threads t WHERE t.source_id=?1"
    "  AND t.ext_id=l.to_ext)"
    " ORDER BY origin='closure', from_ext, to_ext";
/* Votes on posts this snapshot lacks: deleted ones, tag wikis. */
static const char SQL_DANGLING_VOTES[] =
    "SELECT coalesce(sum(up+down+acc), 0) FROM temp.sink_votes v"
    " WHERE NOT EXISTS(SELECT 1 FROM posts p WHERE p.source_id=?1"
    "  AND p.ext_id=v.post)";
static const char SQL_VOTES[] =
    "INSERT INTO votes(source_id, post_ext, day, up, down)"
    " SELECT ?1, post, day, up, down FROM temp.sink_votes v"
    " WHERE up+down>0 AND EXISTS(SELECT 1 FROM posts p"
    "  WHERE p.source_id=?1 AND p.ext_id=v.post)";
/* The earliest acceptance of the answer that is accepted now (an
 * asker may have moved the mark); an exact time from the source wins. */
static const char SQL_ACCEPTED_DAY[] =
    "UPDATE threads SET accepted_day=(SELECT min(v.day)"
    "  FROM temp.sink_votes v WHERE v.post=threads.accepted_ext"
    "  AND v.acc>0)"
    " WHERE source_id=?1 AND accepted_day IS NULL"
    " AND accepted_ext IN (SELECT post FROM temp.sink_votes WHERE acc>0)";
static int
resolve_votes(struct sink *k)
{
	int64_t n = count(k, SQL_DANGLING_VOTES);

	if (n < 0)
		return -1;
	sink_skip(k, "dangling_vote", n);
	if (change(k, SQL_VOTES) < 0 || change(k, SQL_ACCEPTED_DAY) < 0)
		return -1;
	return 0;
}

/* The links pipe_links staged, resolved (docs/sources.md): from the
 * thread whose page shows the post or comment, to the thread a question
 * id names or an answer id's thread, that thread present; a link on a
 * former host of the site only where the source's links join the two
 * threads.  The same href anywhere on one thread's page names the same
 * thread: one row per page and href.  CROSS JOIN keeps the staged hrefs
 * the outer loop, each finding its post by primary key: left to itself
 * the planner walked every post of the source and scanned all hrefs for
 * each (20x beer: 7.8 s against 1.4 s for the whole ingest). */
static const char SQL_POST_LINKS[] =
    "INSERT OR IGNORE INTO post_links(source_id, from_ext, href, to_ext,"
    " answer_ext)"
    " SELECT ?1, from_ext, href, to_ext, (SELECT a.ext_id FROM posts a"
    "  WHERE a.source_id=?1 AND a.ext_id=x.answer AND a.kind=2"
    "  AND a.thread_ext=x.to_ext)"
    " FROM (SELECT f.thread_ext AS from_ext, h.href AS href, h.own AS own,"
    "  CASE h.what WHEN 2 THEN (SELECT q.thread_ext FROM posts q"
    "   WHERE q.source_id=?1 AND q.ext_id=h.id) ELSE h.id END AS to_ext,"
    "  CASE h.what WHEN 2 THEN h.id ELSE h.answer END AS answer"
    "  FROM (SELECT comment, owner, href, what, id, answer, own"
    "   FROM temp.sink_hrefs UNION ALL SELECT 0, post_ext, href, what, id,"
    "   answer, own FROM post_hrefs WHERE source_id=?1) h"
    "  CROSS JOIN posts f ON f.source_id=?1"
    "  AND f.ext_id=CASE WHEN h.comment THEN (SELECT c.post_ext"
    "   FROM comments c WHERE c.source_id=?1 AND c.ext_id=h.owner)"
    "   ELSE h.owner END) AS x"
    " WHERE EXISTS(SELECT 1 FROM threads t WHERE t.source_id=?1"
    "  AND t.ext_id=x.to_ext)"
    " AND (own OR (from_ext<>to_ext AND EXISTS(SELECT 1 FROM links l"
    "  WHERE l.source_id=?1 AND ((l.from_ext=x.from_ext"
    "  AND l.to_ext=x.to_ext) OR (l.from_ext=x.to_ext"
    "  AND l.to_ext=x.from_ext)))))"
    " ORDER BY from_ext, href";

static const char SQL_TAGS[] =
    "INSERT INTO tags(source_id, name, count, description)"
    " SELECT ?1, tag, count(*), (SELECT d.text FROM temp.sink_tagdesc d"
    "  WHERE d.name=tag)"
    " FROM thread_tags WHERE source_id=?1 GROUP BY tag";
/* A thread's hash covers its own fields (meta_hash), its accepted
 * answer, its posts, the comments on them, its tags and its links: what
 * its page shows.  Computed per thread through covering indexes, so
 * nothing the size of the source is ever materialized. */
static const char SQL_HASH[] =
    "UPDATE threads SET hash=n.h FROM (SELECT t.id AS id, fq_hash(t.meta_hash,"
    "  t.accepted_ext,"
    "  (SELECT fq_hsum(p.hash) FROM posts p WHERE p.source_id=?1"
    "   AND p.thread_ext=t.ext_id),"
    "  (SELECT fq_hsum(c.hash) FROM posts p JOIN comments c"
    "   ON c.source_id=?1 AND c.post_ext=p.ext_id"
    "   WHERE p.source_id=?1 AND p.thread_ext=t.ext_id),"
    "  (SELECT fq_hsum(fq_hash('tag', pos, tag)) FROM thread_tags"
    "   WHERE source_id=?1 AND thread_ext=t.ext_id),"
    "  (SELECT fq_hsum(fq_hash('from', to_ext, kind)) FROM links"
    "   WHERE source_id=?1 AND from_ext=t.ext_id),"
    "  (SELECT fq_hsum(fq_hash('to', from_ext, kind)) FROM links"
    "   WHERE source_id=?1 AND to_ext=t.ext_id)) AS h"
    "  FROM threads t WHERE t.source_id=?1) AS n"
    " WHERE threads.id=n.id AND threads.hash<>n.h";
static const char SQL_COUNT_THREADS[] =
    "SELECT count(*) FROM threads WHERE source_id=?1";
static const char SQL_SOURCE_DONE[] =
    "UPDATE sources SET newest=?2, skipped=?3, missing=?4 WHERE id=?1";

int
sink_finish(struct sink *k, const char *missing)
{
	struct ingest_result *r = k->res;
	int64_t n, added, changed, unborn;
	struct buf js = BUF_INIT;
	sqlite3_stmt *s;
	size_t i;
	int rc = -1;

	/* Every queued write has run and the writer is gone: the store is
	 * this thread's again. */
	rc = pipe_sync(k->pipe);
	sink_skip(k, "unsanitizable_body", pipe_unsanitizable(k->pipe));
	pipe_close(k->pipe);
	k->pipe = NULL;
	if (rc < 0)
		goto out;
	rc = -1;
	if (keep_drop_unseen(&k->keep, k->st, k->source) < 0)
		goto out;
	if ((unborn = count(k, SQL_COUNT_NEW_GONE)) < 0 ||
	    (r->removed = change(k, SQL_RM_THREADS)) < 0)
		goto out;
	r->removed -= unborn;
	if ((n = change(k, SQL_RM_ORPHAN_ANSWERS)) < 0)
		goto out;
	sink_skip(k, "answer_without_question", n);
	if (n > 0 && (change(k, SQL_RM_ORPHAN_SRC) < 0 ||
	    change(k, SQL_RM_ORPHAN_HREFS) < 0))
		goto out;
	if ((n = change(k, SQL_RM_ORPHAN_COMMENTS)) < 0)
		goto out;
	sink_skip(k, "comment_without_post", n);
	if (change(k, SQL_RM_ORPHAN_TAGS) < 0)
		goto out;
	if ((n = change(k, SQL_NO_ACCEPTED)) < 0)
		goto out;
	sink_skip(k, "accepted_answer_missing", n);
	if (change(k, SQL_UNMARK_ACCEPTED) < 0 ||
	    change(k, SQL_MARK_ACCEPTED) < 0 || change(k, SQL_CLOSED) < 0 ||
	    store_exec(k->st, SQL_RM_REOPENED) < 0)
		goto out;
	if ((n = count(k, SQL_DANGLING_LINKS)) < 0)
		goto out;
	sink_skip(k, "dangling_link", n);
	if (change(k, SQL_LINKS) < 0 || change(k, SQL_TAGS) < 0 ||
	    change(k, SQL_POST_LINKS) < 0)
		goto out;
	if (resolve_votes(k) < 0)
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
	bind_text(s, 4, missing ? missing : "", missing ? strlen(missing) : 0);
	rc = store_done(k->st, s);
out:
	buf_release(&js);
	return rc;
}
