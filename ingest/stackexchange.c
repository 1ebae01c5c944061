/*
 * Stack Exchange data dumps: a folder of XML files, the .7z archive as
 * downloaded, or a lone Posts.xml.
 *
 * Every file is streamed with libxml2's xmlTextReader, one <row/> at a
 * time, so memory does not grow with the dump.  The archive gives its
 * members in its own order (Comments before Posts in real dumps), so rows
 * are stored keyed by the ids the dump uses and every reference between
 * them is resolved in SQL at the end of the source's transaction
 * (resolve()).  Whatever does not resolve is counted in `skipped`, never
 * fatal: real dumps point at deleted posts all the time.
 */
#include "se.h"

#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/store.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "ingest.h"
#include "input.h"
#include "pipe.h"
#include "sanitize.h"

/* The files of a dump we read, and their root elements. */
enum file_kind { F_POSTS, F_USERS, F_COMMENTS, F_POSTLINKS, F_POSTHISTORY,
	F_TAGS, F__N };

static const struct {
	const char *file, *root, *without;
} files[F__N] = {
	{ "Posts.xml", "posts", NULL },
	{ "Users.xml", "users", "author names and reputation" },
	{ "Comments.xml", "comments", "comments" },
	{ "PostLinks.xml", "postlinks", "duplicate and related links" },
	{ "PostHistory.xml", "posthistory", "duplicate closures" },
	{ "Tags.xml", "tags", "tag descriptions" },
};

/* Attribute names per file; a row's values are indexed by position. */
enum { P_ID, P_TYPE, P_PARENT, P_ACCEPTED, P_CREATED, P_SCORE, P_VIEWS,
	P_BODY, P_OWNER, P_OWNERNAME, P_EDITED, P_ACTIVITY, P_TITLE, P_TAGS,
	P_CLOSED, P_LICENSE, P__N };
static const char *const post_attrs[] = { "Id", "PostTypeId", "ParentId",
	"AcceptedAnswerId", "CreationDate", "Score", "ViewCount", "Body",
	"OwnerUserId", "OwnerDisplayName", "LastEditDate", "LastActivityDate",
	"Title", "Tags", "ClosedDate", "ContentLicense", NULL };
enum { U_ID, U_REP, U_CREATED, U_NAME, U__N };
static const char *const user_attrs[] = { "Id", "Reputation",
	"CreationDate", "DisplayName", NULL };
enum { C_ID, C_POST, C_SCORE, C_TEXT, C_CREATED, C_USER, C_USERNAME,
	C_LICENSE, C__N };
static const char *const comment_attrs[] = { "Id", "PostId", "Score",
	"Text", "CreationDate", "UserId", "UserDisplayName", "ContentLicense",
	NULL };
enum { L_ID, L_CREATED, L_POST, L_RELATED, L_TYPE, L__N };
static const char *const link_attrs[] = { "Id", "CreationDate", "PostId",
	"RelatedPostId", "LinkTypeId", NULL };
enum { H_TYPE, H_POST, H_CREATED, H_COMMENT, H_TEXT, H__N };
static const char *const history_attrs[] = { "PostHistoryTypeId", "PostId",
	"CreationDate", "Comment", "Text", NULL };
enum { T_NAME, T_EXCERPT, T__N };
static const char *const tag_attrs[] = { "TagName", "ExcerptPostId", NULL };

static const char *const *const attr_names[F__N] = { post_attrs, user_attrs,
	comment_attrs, link_attrs, history_attrs, tag_attrs };

#define MAX_ATTRS 16

/* One row's attribute values, copied out of the reader (whose pointers
 * do not outlive the next read). */
struct row {
	struct buf data;
	size_t off[MAX_ATTRS], len[MAX_ATTRS];
	unsigned present;
};

struct skip {
	char name[48];
	int64_t n;
};

struct se {
	struct store *st;
	struct pipe *pipe;     /* store writes, run by the writer thread */
	const struct ingest_opts *opt;
	struct ingest_result *res;
	int64_t source;
	char site[256];
	unsigned seen;          /* bit per enum file_kind */
	struct row row;
	struct buf text, tmp;
	struct skip skips[32];
	size_t nskips;
	char newest[DATE_LEN + 1];
	/* the file being read, for messages */
	const char *display;
	xmlTextReaderPtr reader;
	char xml_err[512];
	int xml_line, xml_col;
};

static void
skip(struct se *c, const char *reason, int64_t n)
{
	size_t i;

	if (n <= 0)
		return;
	for (i = 0; i < c->nskips; i++) {
		if (strcmp(c->skips[i].name, reason) == 0) {
			c->skips[i].n += n;
			return;
		}
	}
	if (c->nskips == sizeof c->skips / sizeof c->skips[0])
		xdie("too many skip reasons");
	snprintf(c->skips[c->nskips].name, sizeof c->skips[0].name, "%s",
	    reason);
	c->skips[c->nskips++].n = n;
}

static int
cmp_skip(const void *a, const void *b)
{
	return strcmp(((const struct skip *)a)->name,
	    ((const struct skip *)b)->name);
}

/* Row access. */
static int
has(const struct se *c, int a)
{
	return (c->row.present >> a) & 1;
}

static const char *
val(const struct se *c, int a, size_t *n)
{
	if (!has(c, a)) {
		*n = 0;
		return NULL;
	}
	*n = c->row.len[a];
	return c->row.data.data + c->row.off[a];
}

/* Parses a decimal integer attribute; returns 0 and sets *v, or -1 if
 * absent or not a number. */
static int
ival(const struct se *c, int a, int64_t *v)
{
	size_t n, i = 0;
	const char *s = val(c, a, &n);
	int neg = 0;
	int64_t x = 0;

	if (s == NULL || n == 0)
		return -1;
	if (s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n || n - i > 18)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = neg ? -x : x;
	return 0;
}

static int64_t
ival_or(const struct se *c, int a, int64_t dflt)
{
	int64_t v;

	return ival(c, a, &v) == 0 ? v : dflt;
}

/* Queues a date attribute normalized, or NULL; notes the newest date. */
static void
op_date(struct se *c, int a)
{
	size_t n;
	const char *v = val(c, a, &n);
	char d[DATE_LEN + 1];

	if (v == NULL) {
		pipe_null(c->pipe);
		return;
	}
	if (date_norm(v, n, d) < 0) {
		skip(c, "bad_date", 1);
		pipe_null(c->pipe);
		return;
	}
	if (strcmp(d, c->newest) > 0)
		memcpy(c->newest, d, sizeof d);
	pipe_text(c->pipe, d, DATE_LEN);
}

static void
op_attr(const struct se *c, int a)
{
	size_t n;
	const char *v = val(c, a, &n);

	pipe_text(c->pipe, v, n);
}

/* An optional integer attribute: NULL when absent. */
static void
op_opt_int(const struct se *c, int a)
{
	int64_t v;

	if (ival(c, a, &v) == 0)
		pipe_int(c->pipe, v);
	else
		pipe_null(c->pipe);
}

/* The line of the current row (the reader parses ahead of the node it
 * returns, so the parser's own position would point past the row; the
 * node's line is exact.  libxml2 2.9 keeps no column for nodes: that
 * comes only with syntax errors). */
static long
row_line(struct se *c)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(c->reader);

	return node ? xmlGetLineNo(node) : 0L;
}

/* Fails with the position of the current row: "file:line: msg". */
static int
row_fail(struct se *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
row_fail(struct se *c, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	fq_err("%s:%ld: %s", c->display, row_line(c), msg.data);
	buf_release(&msg);
	return -1;
}

/* Ends an insert whose key is the row's Id: a constraint failure there
 * is bad input (the same Id twice), reported at the row. */
static int
end_row(struct se *c, const char *what, int64_t id)
{
	struct pipe_where w;

	w.file = c->display;
	w.line = row_line(c);
	w.what = what;
	w.id = id;
	return pipe_end(c->pipe, &w);
}

static uint64_t
hash_attr(const struct se *c, int a, uint64_t h)
{
	size_t n;
	const char *v = val(c, a, &n);

	h = fq_hash64(v ? v : "", n, h);
	return fq_hash64(v ? "\1" : "\0", 1, h);
}

/* ---- Posts ---- */

static const char SQL_THREAD[] =
    "INSERT INTO threads(source_id, ext_id, title, created, last_activity,"
    " closed, score, views, accepted_ext, url, meta_hash)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
    " ON CONFLICT(source_id, ext_id) DO UPDATE SET title=excluded.title,"
    " created=excluded.created, last_activity=excluded.last_activity,"
    " closed=excluded.closed, score=excluded.score, views=excluded.views,"
    " accepted_ext=excluded.accepted_ext, url=excluded.url,"
    " meta_hash=excluded.meta_hash";
static const char SQL_POST[] =
    "INSERT INTO posts(source_id, ext_id, thread_ext, kind, created, edited,"
    " score, author_ext, author_name, license, body_html, hash, accepted)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
    " ?4=2 AND EXISTS(SELECT 1 FROM threads WHERE source_id=?1"
    " AND ext_id=?3 AND accepted_ext=?2))";
static const char SQL_THREAD_TAG[] =
    "INSERT OR IGNORE INTO thread_tags(source_id, thread_ext, pos, tag)"
    " VALUES(?1,?2,?3,?4)";
static const char SQL_WIKI[] =
    "INSERT OR REPLACE INTO temp.se_wiki(ext_id, text) VALUES(?1,?2)";

/* Tags come as "<a><b-c>" (dumps up to 2023) or "|a|b-c|" (2024).  Calls
 * fn for each well-formed tag; returns what fn returned if not 0. */
static int
each_tag(struct se *c, int (*fn)(struct se *, const char *, size_t, int,
    void *), void *arg)
{
	size_t n, i = 0, start, end;
	const char *v = val(c, P_TAGS, &n);
	int pos = 0, rc;
	char open, close;

	if (v == NULL || n == 0)
		return 0;
	open = v[0] == '<' ? '<' : '|';
	close = v[0] == '<' ? '>' : '|';
	while (i < n) {
		if (v[i] != open) {
			i++;
			continue;
		}
		start = ++i;
		while (i < n && v[i] != close)
			i++;
		end = i;
		if (close == '>' && i < n)
			i++;
		while (start < end && (v[start] == ' ' || v[start] == '\t'))
			start++;
		while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
			end--;
		if (end == start)
			continue;
		if (end - start > 128 ||
		    utf8_check(v + start, end - start) != end - start) {
			skip(c, "bad_tag", 1);
			continue;
		}
		if ((rc = fn(c, v + start, end - start, pos++, arg)) != 0)
			return rc;
	}
	return 0;
}

static int
hash_tag(struct se *c, const char *t, size_t n, int pos, void *arg)
{
	uint64_t *h = arg;

	*h = fq_hash64(t, n, *h);
	return 0;
}

static int
queue_tag(struct se *c, const char *t, size_t n, int pos, void *arg)
{
	pipe_op(c->pipe, SQL_THREAD_TAG);
	pipe_int(c->pipe, c->source);
	pipe_int(c->pipe, *(int64_t *)arg);
	pipe_int(c->pipe, pos);
	pipe_text(c->pipe, t, n);
	return pipe_end(c->pipe, NULL);
}

static int
on_question(struct se *c, int64_t id)
{
	size_t tn;
	const char *title = val(c, P_TITLE, &tn);
	uint64_t h;
	struct buf *u = &c->tmp;

	h = fq_hash64("q", 1, 0);
	h = hash_attr(c, P_TITLE, h);
	h = hash_attr(c, P_CLOSED, h);
	h = hash_attr(c, P_ACCEPTED, h);
	each_tag(c, hash_tag, &h);
	pipe_op(c->pipe, SQL_THREAD);
	pipe_int(c->pipe, c->source);
	pipe_int(c->pipe, id);
	/* Titles are plain text; repair, never trust. */
	buf_reset(u);
	utf8_repair(u, title, tn);
	pipe_text(c->pipe, u->data, u->len);
	op_date(c, P_CREATED);
	op_date(c, P_ACTIVITY);
	op_date(c, P_CLOSED);
	pipe_int(c->pipe, ival_or(c, P_SCORE, 0));
	pipe_int(c->pipe, ival_or(c, P_VIEWS, 0));
	op_opt_int(c, P_ACCEPTED);
	buf_reset(u);
	buf_printf(u, "https://%s/questions/%lld", c->site, (long long)id);
	pipe_text(c->pipe, u->data, u->len);
	pipe_int(c->pipe, (int64_t)h);
	if (pipe_end(c->pipe, NULL) < 0)
		return -1;
	return each_tag(c, queue_tag, &id);
}

static int
on_post(struct se *c)
{
	int64_t id, type, parent = 0;
	size_t n, tn;
	const char *body;
	uint64_t h;

	if (ival(c, P_ID, &id) < 0)
		return row_fail(c, "post row without a numeric Id");
	if (ival(c, P_TYPE, &type) < 0)
		return row_fail(c, "post %lld has no numeric PostTypeId",
		    (long long)id);
	if (type == 4) {
		/* A tag wiki excerpt: kept aside as the tag's description. */
		body = val(c, P_BODY, &n);
		buf_reset(&c->text);
		sanitize_html(body ? body : "", n, NULL, &c->text);
		pipe_op(c->pipe, SQL_WIKI);
		pipe_int(c->pipe, id);
		pipe_text(c->pipe, c->text.data, c->text.len);
		if (pipe_end(c->pipe, NULL) < 0)
			return -1;
	}
	if (type != 1 && type != 2) {
		char reason[32];

		snprintf(reason, sizeof reason, "post_type_%lld",
		    (long long)type);
		skip(c, reason, 1);
		return 0;
	}
	if (type == 1 && (val(c, P_TITLE, &tn) == NULL || tn == 0)) {
		skip(c, "question_without_title", 1);
		return 0;
	}
	if (type == 2 && ival(c, P_PARENT, &parent) < 0) {
		skip(c, "answer_without_question", 1);
		return 0;
	}
	if (type == 1) {
		if (on_question(c, id) < 0)
			return -1;
		parent = id;
	}

	h = fq_hash64(&type, sizeof type, (uint64_t)id);
	h = hash_attr(c, P_CREATED, h);
	h = hash_attr(c, P_EDITED, h);
	h = hash_attr(c, P_SCORE, h);
	h = hash_attr(c, P_OWNER, h);
	h = hash_attr(c, P_OWNERNAME, h);
	h = hash_attr(c, P_LICENSE, h);
	pipe_op(c->pipe, SQL_POST);
	pipe_int(c->pipe, c->source);
	pipe_int(c->pipe, id);
	pipe_int(c->pipe, parent);
	pipe_int(c->pipe, type);
	op_date(c, P_CREATED);
	op_date(c, P_EDITED);
	pipe_int(c->pipe, ival_or(c, P_SCORE, 0));
	op_opt_int(c, P_OWNER);
	op_attr(c, P_OWNERNAME);
	op_attr(c, P_LICENSE);
	/* Sanitized by the writer thread.  A body the parser gives up on
	 * (nested deeper than it allows) has no honest rendering, so the
	 * dump is refused there. */
	body = val(c, P_BODY, &n);
	pipe_body(c->pipe, PIPE_HTML, body ? body : "", n);
	pipe_body_hash(c->pipe, h);
	return end_row(c, "post", id);
}

/* ---- Users ---- */

static const char SQL_AUTHOR[] =
    "INSERT INTO authors(source_id, ext_id, name, reputation, role, created,"
    " url) VALUES(?1,?2,?3,?4,?5,?6,?7)";

static int
on_user(struct se *c)
{
	int64_t id;
	size_t n;
	const char *name = val(c, U_NAME, &n);
	struct buf *u = &c->tmp;

	if (ival(c, U_ID, &id) < 0)
		return row_fail(c, "user row without a numeric Id");
	pipe_op(c->pipe, SQL_AUTHOR);
	pipe_int(c->pipe, c->source);
	pipe_int(c->pipe, id);
	buf_reset(u);
	utf8_repair(u, name ? name : "", n);
	pipe_text(c->pipe, u->data, u->len);
	pipe_int(c->pipe, ival_or(c, U_REP, 0));
	/* Stack Exchange dumps do not say who is staff or moderator; only
	 * the Community user (-1) is known to be the system itself. */
	pipe_text(c->pipe, id == -1 ? "system" : NULL, 6);
	op_date(c, U_CREATED);
	buf_reset(u);
	buf_printf(u, "https://%s/users/%lld", c->site, (long long)id);
	pipe_text(c->pipe, u->data, u->len);
	return end_row(c, "user", id);
}

/* ---- Comments ---- */

static const char SQL_COMMENT[] =
    "INSERT INTO comments(source_id, ext_id, post_ext, created, score,"
    " author_ext, author_name, license, body_html, hash)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";

static int
on_comment(struct se *c)
{
	int64_t id, post;
	size_t n;
	const char *text = val(c, C_TEXT, &n);
	uint64_t h;

	if (ival(c, C_ID, &id) < 0)
		return row_fail(c, "comment row without a numeric Id");
	if (ival(c, C_POST, &post) < 0) {
		skip(c, "comment_without_post", 1);
		return 0;
	}
	h = fq_hash64("c", 1, (uint64_t)id);
	h = hash_attr(c, C_CREATED, h);
	h = hash_attr(c, C_SCORE, h);
	h = hash_attr(c, C_USER, h);
	h = hash_attr(c, C_USERNAME, h);
	pipe_op(c->pipe, SQL_COMMENT);
	pipe_int(c->pipe, c->source);
	pipe_int(c->pipe, id);
	pipe_int(c->pipe, post);
	op_date(c, C_CREATED);
	pipe_int(c->pipe, ival_or(c, C_SCORE, 0));
	op_opt_int(c, C_USER);
	op_attr(c, C_USERNAME);
	op_attr(c, C_LICENSE);
	pipe_body(c->pipe, PIPE_COMMENT, text ? text : "", n);
	pipe_body_hash(c->pipe, h);
	return end_row(c, "comment", id);
}

/* ---- Links: PostLinks, and duplicate closures in PostHistory ---- */

static const char SQL_STAGE_LINK[] =
    "INSERT INTO temp.se_links(from_ext, to_ext, kind, origin, date)"
    " VALUES(?1,?2,?3,?4,?5)";
static const char SQL_STAGE_REOPEN[] =
    "INSERT INTO temp.se_reopen(post, date) VALUES(?1,?2)";

static int
stage_link(struct se *c, int64_t from, int64_t to, const char *kind,
    const char *origin, int date_attr)
{
	if (strcmp(kind, "duplicate") == 0 && c->opt->no_duplicate_links) {
		skip(c, "duplicate_link_ignored", 1);
		return 0;
	}
	pipe_op(c->pipe, SQL_STAGE_LINK);
	pipe_int(c->pipe, from);
	pipe_int(c->pipe, to);
	pipe_text(c->pipe, kind, strlen(kind));
	pipe_text(c->pipe, origin, strlen(origin));
	op_date(c, date_attr);
	return pipe_end(c->pipe, NULL);
}

static int
on_postlink(struct se *c)
{
	int64_t from, to, type;

	if (ival(c, L_POST, &from) < 0 || ival(c, L_RELATED, &to) < 0 ||
	    ival(c, L_TYPE, &type) < 0) {
		skip(c, "bad_link", 1);
		return 0;
	}
	if (type == 3)
		return stage_link(c, from, to, "duplicate", "postlinks",
		    L_CREATED);
	if (type == 1)
		return stage_link(c, from, to, "related", "postlinks",
		    L_CREATED);
	skip(c, "link_type_other", 1);
	return 0;
}

/* PostHistoryTypeId 10 with Comment 101 closes a question as a
 * duplicate; Text is JSON: {"OriginalQuestionIds":[25],...}.  Type 11
 * reopens it, cancelling earlier closures. */
static int
on_history(struct se *c)
{
	int64_t type, post, orig;
	size_t n, i;
	const char *t, *p;

	if (ival(c, H_TYPE, &type) < 0 || ival(c, H_POST, &post) < 0)
		return 0;
	if (type == 11) {
		pipe_op(c->pipe, SQL_STAGE_REOPEN);
		pipe_int(c->pipe, post);
		op_date(c, H_CREATED);
		return pipe_end(c->pipe, NULL);
	}
	t = val(c, H_COMMENT, &n);
	if (type != 10 || t == NULL || n != 3 || memcmp(t, "101", 3) != 0)
		return 0;
	t = val(c, H_TEXT, &n);
	if (t == NULL)
		return 0;
	buf_reset(&c->tmp);
	buf_put(&c->tmp, t, n);
	p = strstr(c->tmp.data, "\"OriginalQuestionIds\"");
	if (p == NULL || (p = strchr(p, '[')) == NULL) {
		skip(c, "bad_closure", 1);
		return 0;
	}
	for (i = 1; p[i] && p[i] != ']'; ) {
		if (p[i] >= '0' && p[i] <= '9') {
			orig = 0;
			while (p[i] >= '0' && p[i] <= '9' && orig < (1LL << 50))
				orig = orig * 10 + (p[i++] - '0');
			if (stage_link(c, post, orig, "duplicate", "closure",
			    H_CREATED) < 0)
				return -1;
		} else {
			i++;
		}
	}
	return 0;
}

/* ---- Tags ---- */

static const char SQL_STAGE_TAG[] =
    "INSERT OR REPLACE INTO temp.se_tagx(name, excerpt) VALUES(?1,?2)";

static int
on_tag(struct se *c)
{
	if (!has(c, T_NAME) || !has(c, T_EXCERPT))
		return 0;
	pipe_op(c->pipe, SQL_STAGE_TAG);
	op_attr(c, T_NAME);
	pipe_int(c->pipe, ival_or(c, T_EXCERPT, 0));
	return pipe_end(c->pipe, NULL);
}

static int (*const handlers[F__N])(struct se *) = { on_post, on_user,
	on_comment, on_postlink, on_history, on_tag };

/* ---- The reader loop ---- */

static void
on_xml_error(void *arg, xmlErrorPtr e)
{
	struct se *c = arg;
	size_t n;
	char *p;

	if (e == NULL || e->level < XML_ERR_ERROR || c->xml_err[0])
		return;
	snprintf(c->xml_err, sizeof c->xml_err, "%s",
	    e->message ? e->message : "XML error");
	n = strlen(c->xml_err);
	while (n && (c->xml_err[n - 1] == '\n' || c->xml_err[n - 1] == ' '))
		c->xml_err[--n] = '\0';
	/* libxml2 puts details on a second line; errors are one line. */
	for (p = c->xml_err; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	c->xml_line = e->line;
	c->xml_col = e->int2;
}

static int
io_read(void *arg, char *p, int n)
{
	struct member *m = arg;
	ssize_t r = m->read(m, p, (size_t)n);

	return r < 0 ? -1 : (int)r;
}

static int
io_close(void *arg)
{
	(void)arg;
	return 0;
}

static int
collect_row(struct se *c, int kind)
{
	const char *const *names = attr_names[kind];
	struct row *r = &c->row;
	int a;

	buf_reset(&r->data);
	r->present = 0;
	while (xmlTextReaderMoveToNextAttribute(c->reader) == 1) {
		const char *name =
		    (const char *)xmlTextReaderConstLocalName(c->reader);
		const char *v;

		for (a = 0; names[a]; a++)
			if (strcmp(name, names[a]) == 0)
				break;
		if (names[a] == NULL)
			continue;
		v = (const char *)xmlTextReaderConstValue(c->reader);
		if (v == NULL)
			continue;
		r->off[a] = r->data.len;
		r->len[a] = strlen(v);
		buf_put(&r->data, v, r->len[a]);
		buf_putc(&r->data, '\0');
		r->present |= 1u << a;
	}
	return 0;
}

/* A DOCTYPE is tolerated (never loaded), but one that declares entities
 * is refused before any of them could be expanded or fetched. */
static int
check_dtd(struct se *c)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(c->reader);
	xmlDtdPtr dtd = (xmlDtdPtr)node;

	if (node && node->type == XML_DTD_NODE &&
	    (dtd->entities || dtd->pentities))
		return row_fail(c, "DOCTYPE declares entities; refused");
	return 0;
}

static int
read_file(struct se *c, struct member *m, int kind)
{
	int ret, type, depth, rc = -1;
	const char *name;
	struct progress pr;

	c->display = m->display;
	c->xml_err[0] = '\0';
	c->reader = xmlReaderForIO(io_read, io_close, m, m->display, NULL,
	    XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS |
	    XML_PARSE_BIG_LINES);
	if (c->reader == NULL) {
		fq_err("%s: cannot create XML reader", m->display);
		return -1;
	}
	xmlTextReaderSetStructuredErrorHandler(c->reader, on_xml_error, c);
	progress_start(&pr, files[kind].file, 0);
	while ((ret = xmlTextReaderRead(c->reader)) == 1) {
		type = xmlTextReaderNodeType(c->reader);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			if (check_dtd(c) < 0)
				goto out;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		depth = xmlTextReaderDepth(c->reader);
		name = (const char *)xmlTextReaderConstLocalName(c->reader);
		if (depth == 0) {
			if (strcmp(name, files[kind].root) != 0) {
				row_fail(c, "expected <%s> as the root "
				    "element, found <%s>", files[kind].root,
				    name);
				goto out;
			}
			continue;
		}
		if (depth != 1 || strcmp(name, "row") != 0)
			continue;
		collect_row(c, kind);
		if (handlers[kind](c) < 0)
			goto out;
		progress_update(&pr, m->consumed);
	}
	if (ret != 0 || c->xml_err[0]) {
		const char *ioerr = input_error(m);

		/* A failed write already said why; one error line only. */
		if (pipe_sync(c->pipe) < 0)
			goto out;
		if (ioerr)
			fq_err("%s: %s", m->display, ioerr);
		else if (c->xml_err[0])
			fq_err("%s:%d:%d: %s", m->display, c->xml_line,
			    c->xml_col, c->xml_err);
		else
			fq_err("%s: unreadable XML", m->display);
		goto out;
	}
	/* Every op of this file has run before the next file (and before
	 * the `display` name its errors would cite goes away). */
	if (pipe_sync(c->pipe) < 0)
		goto out;
	c->res->bytes += (int64_t)m->consumed;
	rc = 0;
out:
	progress_end(&pr);
	xmlFreeTextReader(c->reader);
	c->reader = NULL;
	return rc;
}

static int
file_kind(const char *name)
{
	int k;

	for (k = 0; k < F__N; k++)
		if (strcasecmp(name, files[k].file) == 0)
			return k;
	return -1;
}

static int
want_file(const char *name)
{
	return file_kind(name) >= 0;
}

static int
on_member(void *arg, struct member *m)
{
	struct se *c = arg;
	int k = file_kind(m->name);

	if (c->seen & (1u << k)) {
		fq_err("%s: %s appears twice in the source", m->display,
		    files[k].file);
		return -1;
	}
	c->seen |= 1u << k;
	return read_file(c, m, k);
}

/* ---- Resolution, at the end of the source's transaction ---- */

static const char SQL_COUNT_NEW[] =
    "SELECT count(*) FROM threads WHERE source_id=?1 AND hash=0";

static int64_t
count(struct se *c, const char *sql)
{
	sqlite3_stmt *s = store_stmt(c->st, sql);
	int64_t n = -1;

	bind_int(s, 1, c->source);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (n < 0)
		store_fail(c->st);
	return n;
}

/* Runs a statement bound with the source; returns rows changed, or -1. */
static int64_t
change(struct se *c, const char *sql)
{
	sqlite3_stmt *s = store_stmt(c->st, sql);

	bind_int(s, 1, c->source);
	if (store_done(c->st, s) < 0)
		return -1;
	return sqlite3_changes64(store_db(c->st));
}

/* Posts were cleared at the start, so a thread whose question is not in
 * posts now is gone from this snapshot. */
static const char SQL_RM_THREADS[] =
    "DELETE FROM threads WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM posts p WHERE p.source_id=?1 AND p.ext_id=threads.ext_id"
    " AND p.kind=1)";
static const char SQL_RM_ORPHAN_ANSWERS[] =
    "DELETE FROM posts WHERE source_id=?1 AND kind=2 AND NOT EXISTS("
    " SELECT 1 FROM threads t WHERE t.source_id=?1"
    " AND t.ext_id=posts.thread_ext)";
static const char SQL_RM_ORPHAN_COMMENTS[] =
    "DELETE FROM comments WHERE source_id=?1 AND NOT EXISTS("
    " SELECT 1 FROM posts p WHERE p.source_id=?1 AND p.ext_id=post_ext)";
static const char SQL_NO_ACCEPTED[] =
    "UPDATE threads SET accepted_ext=NULL WHERE source_id=?1"
    " AND accepted_ext IS NOT NULL AND NOT EXISTS(SELECT 1 FROM posts p"
    " WHERE p.source_id=?1 AND p.ext_id=accepted_ext AND p.kind=2"
    " AND p.thread_ext=threads.ext_id)";
/* Answers are marked accepted as they are inserted (SQL_POST looks up
 * their thread); this catches the rest: an answer that came before its
 * question in the file.  Driven from the accepted threads, so it costs
 * one lookup per accepted answer and rewrites no row already right. */
static const char SQL_MARK_ACCEPTED[] =
    "UPDATE posts SET accepted=1 WHERE rowid IN (SELECT p.rowid"
    " FROM threads t JOIN posts p ON p.source_id=?1"
    " AND p.ext_id=t.accepted_ext WHERE t.source_id=?1"
    " AND t.accepted_ext IS NOT NULL AND p.kind=2"
    " AND p.thread_ext=t.ext_id AND p.accepted=0)";
static const char SQL_RM_REOPENED[] =
    "DELETE FROM temp.se_links WHERE origin='closure' AND EXISTS("
    " SELECT 1 FROM temp.se_reopen r WHERE r.post=from_ext"
    " AND r.date>=temp.se_links.date)";
static const char SQL_DANGLING_LINKS[] =
    "SELECT count(*) FROM (SELECT DISTINCT from_ext, to_ext, kind"
    " FROM temp.se_links l WHERE from_ext=to_ext"
    " OR NOT EXISTS(SELECT 1 FROM threads t WHERE t.source_id=?1"
    "  AND t.ext_id=l.from_ext)"
    " OR NOT EXISTS(SELECT 1 FROM threads t WHERE t.source_id=?1"
    "  AND t.ext_id=l.to_ext))";
/* Ordered so that when PostLinks and a closure give the same pair, the
 * PostLinks row (the site's own record) is the one kept. */
static const char SQL_LINKS[] =
    "INSERT OR IGNORE INTO links(source_id, from_ext, to_ext, kind, origin)"
    " SELECT ?1, from_ext, to_ext, kind, origin FROM temp.se_links l"
    " WHERE from_ext<>to_ext"
    " AND EXISTS(SELECT 1 FROM threads t WHERE t.source_id=?1"
    "  AND t.ext_id=l.from_ext)"
    " AND EXISTS(SELECT 1 FROM threads t WHERE t.source_id=?1"
    "  AND t.ext_id=l.to_ext)"
    " ORDER BY origin='closure', from_ext, to_ext";
static const char SQL_TAGS[] =
    "INSERT INTO tags(source_id, name, count, description)"
    " SELECT ?1, tag, count(*), (SELECT w.text FROM temp.se_tagx x"
    "  JOIN temp.se_wiki w ON w.ext_id=x.excerpt WHERE x.name=tag)"
    " FROM thread_tags WHERE source_id=?1 GROUP BY tag";
/* A thread's hash covers its own fields (meta_hash), its posts, the
 * comments on them, its tags and its links: what a page shows.  Computed
 * per thread through the indexes, so nothing the size of the source is
 * ever materialized (memory stays flat however big the dump). */
static const char SQL_HASH[] =
    "UPDATE threads SET hash=n.h FROM (SELECT t.id AS id, fq_hash(t.meta_hash,"
    "  t.accepted_ext,"
    "  (SELECT fq_hsum(p.hash) FROM posts p WHERE p.source_id=?1"
    "   AND p.thread_ext=t.ext_id),"
    "  (SELECT fq_hsum(c.hash) FROM posts p JOIN comments c"
    "   ON c.source_id=?1 AND c.post_ext=p.ext_id"
    "   WHERE p.source_id=?1 AND p.thread_ext=t.ext_id),"
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

static int
resolve(struct se *c)
{
	struct ingest_result *r = c->res;
	int64_t n, added, changed;
	struct buf js = BUF_INIT, miss = BUF_INIT;
	sqlite3_stmt *s;
	size_t i;
	int rc = -1;

	if ((r->removed = change(c, SQL_RM_THREADS)) < 0)
		goto out;
	if ((n = change(c, SQL_RM_ORPHAN_ANSWERS)) < 0)
		goto out;
	skip(c, "answer_without_question", n);
	if ((n = change(c, SQL_RM_ORPHAN_COMMENTS)) < 0)
		goto out;
	skip(c, "comment_without_post", n);
	/* No orphan tags to remove: tags were cleared at the start and are
	 * only queued together with their question. */
	if ((n = change(c, SQL_NO_ACCEPTED)) < 0)
		goto out;
	skip(c, "accepted_answer_missing", n);
	if (change(c, SQL_MARK_ACCEPTED) < 0 ||
	    store_exec(c->st, SQL_RM_REOPENED) < 0)
		goto out;
	if ((n = count(c, SQL_DANGLING_LINKS)) < 0)
		goto out;
	skip(c, "dangling_link", n);
	if (change(c, SQL_LINKS) < 0 || change(c, SQL_TAGS) < 0)
		goto out;
	if ((added = count(c, SQL_COUNT_NEW)) < 0 ||
	    (changed = change(c, SQL_HASH)) < 0 ||
	    (r->threads = count(c, SQL_COUNT_THREADS)) < 0)
		goto out;
	r->added = added;
	r->changed = changed - added;
	r->unchanged = r->threads - changed;

	qsort(c->skips, c->nskips, sizeof c->skips[0], cmp_skip);
	buf_putc(&js, '{');
	for (i = 0; i < c->nskips; i++)
		buf_printf(&js, "%s\"%s\":%lld", i ? "," : "",
		    c->skips[i].name, (long long)c->skips[i].n);
	buf_putc(&js, '}');
	for (i = 1; i < F__N; i++) {
		if (c->seen & (1u << i))
			continue;
		buf_printf(&miss, "%s%s", miss.len ? "," : "", files[i].file);
	}
	s = store_stmt(c->st, SQL_SOURCE_DONE);
	bind_int(s, 1, c->source);
	if (c->newest[0])
		bind_text(s, 2, c->newest, DATE_LEN);
	bind_text(s, 3, js.data, js.len);
	bind_text(s, 4, miss.data, miss.len);
	rc = store_done(c->st, s);
out:
	buf_release(&js);
	buf_release(&miss);
	return rc;
}

/* ---- Entry point ---- */

static const char SQL_SOURCE[] =
    "INSERT INTO sources(name, kind, origin) VALUES(?1,'stackexchange',?2)"
    " ON CONFLICT(name) DO UPDATE SET origin=excluded.origin"
    " RETURNING id, kind";

static const char SQL_CLEAR[] =
    "DELETE FROM posts WHERE source_id=?1;"
    "DELETE FROM comments WHERE source_id=?1;"
    "DELETE FROM authors WHERE source_id=?1;"
    "DELETE FROM thread_tags WHERE source_id=?1;"
    "DELETE FROM tags WHERE source_id=?1;"
    "DELETE FROM links WHERE source_id=?1;";

static const char SQL_STAGING[] =
    "CREATE TEMP TABLE IF NOT EXISTS se_links(from_ext INTEGER,"
    " to_ext INTEGER, kind TEXT, origin TEXT, date TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS se_reopen(post INTEGER, date TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS se_wiki(ext_id INTEGER PRIMARY KEY,"
    " text TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS se_tagx(name TEXT PRIMARY KEY,"
    " excerpt INTEGER);"
    "DELETE FROM temp.se_links; DELETE FROM temp.se_reopen;"
    "DELETE FROM temp.se_wiki; DELETE FROM temp.se_tagx;";

static int
clear_source(struct se *c)
{
	const char *sql = SQL_CLEAR, *tail;
	sqlite3_stmt *s;
	sqlite3 *db = store_db(c->st);

	/* Rows of the previous snapshot go; threads stay (their ids are
	 * stable) until resolve() removes the ones this dump lacks. */
	while (*sql) {
		if (sqlite3_prepare_v2(db, sql, -1, &s, &tail) != SQLITE_OK)
			return store_fail(c->st);
		if (s == NULL)
			break;
		sqlite3_bind_int64(s, 1, c->source);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sqlite3_finalize(s);
			return store_fail(c->st);
		}
		sqlite3_finalize(s);
		sql = tail;
	}
	return 0;
}

static int
open_source(struct se *c, const char *origin)
{
	sqlite3_stmt *s = store_stmt(c->st, SQL_SOURCE);
	int rc;

	bind_text(s, 1, c->site, strlen(c->site));
	bind_text(s, 2, origin, strlen(origin));
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_fail(c->st);
	}
	c->source = sqlite3_column_int64(s, 0);
	if (strcmp((const char *)sqlite3_column_text(s, 1),
	    "stackexchange") != 0) {
		fq_err("%s: the store already has a source named '%s' of "
		       "kind %s", origin, c->site, sqlite3_column_text(s, 1));
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

int
se_ingest(struct store *st, const char *path, const char *site,
    const struct ingest_opts *opt, struct ingest_result *res)
{
	struct se c;
	int rc = -1;
	size_t i;

	memset(&c, 0, sizeof c);
	c.st = st;
	c.opt = opt;
	c.res = res;
	snprintf(c.site, sizeof c.site, "%s", site);
	buf_init(&c.row.data);
	buf_init(&c.text);
	buf_init(&c.tmp);
	if (store_exec(st, SQL_STAGING) < 0 || open_source(&c, path) < 0 ||
	    clear_source(&c) < 0)
		goto out;
	c.pipe = pipe_open(st);
	rc = input_each(path, want_file, on_member, &c);
	if (pipe_sync(c.pipe) < 0)
		rc = -1;
	pipe_close(c.pipe);
	c.pipe = NULL;
	if (rc < 0)
		goto out;
	rc = -1;
	if (!(c.seen & (1u << F_POSTS))) {
		fq_err("%s: no Posts.xml in this source", path);
		goto out;
	}
	if (resolve(&c) < 0)
		goto out;
	for (i = 1; i < F__N; i++)
		if (!(c.seen & (1u << i)))
			fq_note("%s: no %s: ingested without %s", c.site,
			    files[i].file, files[i].without);
	rc = 0;
out:
	buf_release(&c.row.data);
	buf_release(&c.text);
	buf_release(&c.tmp);
	return rc;
}
