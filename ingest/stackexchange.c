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
#include "ingest_int.h"

#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/license.h"
#include "core/store.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

/* The files of a dump we read, and their root elements. */
enum file_kind { F_POSTS, F_USERS, F_COMMENTS, F_POSTLINKS, F_POSTHISTORY,
	F_TAGS, F_VOTES, F__N };

static const struct {
	const char *file, *root, *without;
} files[F__N] = {
	{ "Posts.xml", "posts", NULL },
	{ "Users.xml", "users", "author names and reputation" },
	{ "Comments.xml", "comments", "comments" },
	{ "PostLinks.xml", "postlinks", "duplicate and related links" },
	{ "PostHistory.xml", "posthistory",
	    "duplicate closures and reopenings" },
	{ "Tags.xml", "tags", "tag descriptions" },
	{ "Votes.xml", "votes", "vote counts and acceptance dates" },
};

/* Attribute names per file; a row's values are indexed by position. */
enum { P_ID, P_TYPE, P_PARENT, P_ACCEPTED, P_CREATED, P_SCORE, P_VIEWS,
	P_BODY, P_OWNER, P_OWNERNAME, P_EDITED, P_ACTIVITY, P_TITLE, P_TAGS,
	P_CLOSED, P_LICENSE, P_EDITOR, P__N };
static const char *const post_attrs[] = { "Id", "PostTypeId", "ParentId",
	"AcceptedAnswerId", "CreationDate", "Score", "ViewCount", "Body",
	"OwnerUserId", "OwnerDisplayName", "LastEditDate", "LastActivityDate",
	"Title", "Tags", "ClosedDate", "ContentLicense", "LastEditorUserId",
	NULL };
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
enum { V_POST, V_TYPE, V_CREATED, V__N };
static const char *const vote_attrs[] = { "PostId", "VoteTypeId",
	"CreationDate", NULL };

static const char *const *const attr_names[F__N] = { post_attrs, user_attrs,
	comment_attrs, link_attrs, history_attrs, tag_attrs, vote_attrs };

#define MAX_ATTRS XR_MAX_ATTRS
#define MAX_PARSERS 8 /* parser threads: past a few, the sink is the
		       * bottleneck */

/* One row's attribute values: base + off[a], len[a] bytes.  Copied out
 * of the reader into data (its pointers do not outlive the next read),
 * or pointing into the parsed piece of xmlrows.c. */
struct row {
	struct buf data;
	const char *base;
	size_t off[MAX_ATTRS], len[MAX_ATTRS];
	unsigned present;
};

struct se {
	struct sink k;          /* the writer: store, pipe, skips, newest */
	const struct ingest_opts *opt;
	char site[256];
	unsigned seen;          /* bit per enum file_kind */
	struct row row;
	struct buf text, tmp;
	struct buf head;        /* what xr_open read of the file */
	size_t head_pos;        /* how much of it the reader has had */
	struct member *m;       /* the file being read */
	/* the file being read, for messages */
	const char *display;
	xmlTextReaderPtr reader;
	char xml_err[512];
	int xml_line, xml_col;
};

static void
skip(struct se *c, const char *reason, int64_t n)
{
	sink_skip(&c->k, reason, n);
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
	return c->row.base + c->row.off[a];
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

/* ---- Posts ---- */

static const char SQL_WIKI[] =
    "INSERT OR REPLACE INTO temp.se_wiki(ext_id, text) VALUES(?1,?2)";

/* Tags come as "<a><b-c>" (dumps up to 2023) or "|a|b-c|" (2024). */
static int
post_tags(struct se *c, int64_t thread)
{
	size_t n, i = 0, start;
	const char *v = val(c, P_TAGS, &n);
	int pos = 0;
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
		if (i > start && sink_tag(&c->k, thread, pos++, v + start,
		    i - start) < 0)
			return -1;
		if (close == '>' && i < n)
			i++;
	}
	return 0;
}

static int
on_question(struct se *c, int64_t id)
{
	struct sink_thread t;
	struct buf *u = &c->tmp;
	size_t n;

	memset(&t, 0, sizeof t);
	t.id = id;
	t.title = val(c, P_TITLE, &t.title_len);
	t.created = val(c, P_CREATED, &n);
	t.activity = val(c, P_ACTIVITY, &n);
	t.closed = val(c, P_CLOSED, &n);
	t.score = ival_or(c, P_SCORE, 0);
	t.views = ival_or(c, P_VIEWS, 0);
	t.has_accepted = ival(c, P_ACCEPTED, &t.accepted) == 0;
	buf_reset(u);
	buf_printf(u, "https://%s/questions/%lld", c->site, (long long)id);
	t.url = u->data;
	if (sink_thread(&c->k, &t) < 0)
		return -1;
	return post_tags(c, id);
}

/*
 * The licence of a post whose dump predates ContentLicense (2019): the
 * one Stack Exchange applied when its current revision was published,
 * the last edit, unless that edit was the Community user's (automated
 * link rewrites, which start no new licensed version).  Measured on the
 * shared dumps that do carry ContentLicense, this gives their value for
 * 99.7% of posts, the creation date alone 98.3% (docs/sources.md).
 */
static const char *
post_license(const struct se *c, const char *created, const char *edited)
{
	size_t n;
	const char *editor = val(c, P_EDITOR, &n);

	if (edited && !(editor && strcmp(editor, "-1") == 0))
		return license_se_at(edited);
	return license_se_at(created);
}

static int
on_post(struct se *c)
{
	struct sink_post p;
	int64_t id, type, parent = 0;
	size_t n, tn;
	const char *body;

	if (ival(c, P_ID, &id) < 0)
		return sink_fail(&c->k, "post row without a numeric Id");
	if (ival(c, P_TYPE, &type) < 0)
		return sink_fail(&c->k, "post %lld has no numeric PostTypeId",
		    (long long)id);
	if (type == 4) {
		/* A tag wiki excerpt: kept aside as the tag's description. */
		body = val(c, P_BODY, &n);
		buf_reset(&c->text);
		sanitize_html(body ? body : "", n, NULL, &c->text);
		pipe_op(c->k.pipe, SQL_WIKI);
		pipe_int(c->k.pipe, id);
		pipe_text(c->k.pipe, c->text.data, c->text.len);
		if (pipe_end(c->k.pipe, NULL) < 0)
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
	memset(&p, 0, sizeof p);
	p.id = id;
	p.thread = parent;
	p.kind = (int)type;
	p.created = val(c, P_CREATED, &n);
	p.edited = val(c, P_EDITED, &n);
	p.score = ival_or(c, P_SCORE, 0);
	p.has_author = ival(c, P_OWNER, &p.author) == 0;
	p.author_name = val(c, P_OWNERNAME, &n);
	p.license = val(c, P_LICENSE, &n);
	if (p.license == NULL)
		p.license = post_license(c, p.created, p.edited);
	/* Stack Exchange's own short links: /q/ID for a question, /a/ID
	 * (which lands on the answer in its thread) for an answer. */
	buf_reset(&c->tmp);
	buf_printf(&c->tmp, "https://%s/%c/%lld", c->site, type == 1 ? 'q' :
	    'a', (long long)id);
	p.url = c->tmp.data;
	/* Sanitized on the writer's core.  A body the parser gives up on
	 * (nested deeper than it allows) has no honest rendering, so the
	 * dump is refused there. */
	p.body = val(c, P_BODY, &p.body_len);
	p.format = SINK_HTML;
	return sink_post(&c->k, &p);
}

/* ---- Users ---- */

static int
on_user(struct se *c)
{
	struct sink_author a;
	struct buf *u = &c->tmp;
	size_t n;

	memset(&a, 0, sizeof a);
	if (ival(c, U_ID, &a.id) < 0)
		return sink_fail(&c->k, "user row without a numeric Id");
	a.name = val(c, U_NAME, &n);
	a.has_reputation = ival(c, U_REP, &a.reputation) == 0;
	/* Stack Exchange dumps do not say who is staff or moderator; only
	 * the Community user (-1) is known to be the system itself. */
	a.role = a.id == -1 ? "system" : NULL;
	a.created = val(c, U_CREATED, &n);
	buf_reset(u);
	buf_printf(u, "https://%s/users/%lld", c->site, (long long)a.id);
	a.url = u->data;
	return sink_author(&c->k, &a);
}

/* ---- Comments ---- */

static int
on_comment(struct se *c)
{
	struct sink_comment m;
	size_t n;

	memset(&m, 0, sizeof m);
	if (ival(c, C_ID, &m.id) < 0)
		return sink_fail(&c->k, "comment row without a numeric Id");
	if (ival(c, C_POST, &m.post) < 0) {
		skip(c, "comment_without_post", 1);
		return 0;
	}
	m.created = val(c, C_CREATED, &n);
	m.score = ival_or(c, C_SCORE, 0);
	m.has_author = ival(c, C_USER, &m.author) == 0;
	m.author_name = val(c, C_USERNAME, &n);
	m.license = val(c, C_LICENSE, &n);
	if (m.license == NULL) /* a comment is never edited after 5 min */
		m.license = license_se_at(m.created);
	m.body = val(c, C_TEXT, &m.body_len);
	m.format = SINK_COMMENT;
	return sink_comment(&c->k, &m);
}

/* ---- Links: PostLinks, and duplicate closures in PostHistory ---- */

static int
on_postlink(struct se *c)
{
	int64_t from, to, type;
	size_t n;

	if (ival(c, L_POST, &from) < 0 || ival(c, L_RELATED, &to) < 0 ||
	    ival(c, L_TYPE, &type) < 0) {
		skip(c, "bad_link", 1);
		return 0;
	}
	if (type != 1 && type != 3) {
		skip(c, "link_type_other", 1);
		return 0;
	}
	return sink_link(&c->k, from, to, type == 3 ? "duplicate" : "related",
	    "postlinks", val(c, L_CREATED, &n));
}

/* PostHistoryTypeId 10 closes a question (whatever the reason: the
 * latest close or reopen event says whether it is closed, sink_close);
 * with Comment 101 as a duplicate, Text being JSON:
 * {"OriginalQuestionIds":[25],...}.  Type 11 reopens it, cancelling
 * earlier closures. */
static int
on_history(struct se *c)
{
	int64_t type, post, orig;
	size_t n, i;
	const char *t, *p, *date;

	if (ival(c, H_TYPE, &type) < 0 || ival(c, H_POST, &post) < 0)
		return 0;
	date = val(c, H_CREATED, &n);
	if (type == 11)
		return sink_reopen(&c->k, post, date);
	if (type == 10 && sink_close(&c->k, post, date) < 0)
		return -1;
	t = val(c, H_COMMENT, &n);
	if (type != 10 || t == NULL || n != 3 || memcmp(t, "101", 3) != 0)
		return 0;
	p = val(c, H_TEXT, &n);
	if (p == NULL)
		return 0;
	p = strstr(p, "\"OriginalQuestionIds\"");
	if (p == NULL || (p = strchr(p, '[')) == NULL) {
		skip(c, "bad_closure", 1);
		return 0;
	}
	for (i = 1; p[i] && p[i] != ']'; ) {
		if (p[i] >= '0' && p[i] <= '9') {
			orig = 0;
			while (p[i] >= '0' && p[i] <= '9' && orig < (1LL << 50))
				orig = orig * 10 + (p[i++] - '0');
			if (sink_link(&c->k, post, orig, "duplicate", "closure",
			    date) < 0)
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
	size_t n;
	const char *name = val(c, T_NAME, &n);

	if (name == NULL || !has(c, T_EXCERPT))
		return 0;
	pipe_op(c->k.pipe, SQL_STAGE_TAG);
	pipe_text(c->k.pipe, name, n);
	pipe_int(c->k.pipe, ival_or(c, T_EXCERPT, 0));
	return pipe_end(c->k.pipe, NULL);
}

/* ---- Votes ---- */

/* VoteTypeId 1 accepts an answer, 2 and 3 are up and down votes: the
 * evidence answer selection weighs.  The other types (favourites,
 * close and delete votes, bounties, spam flags...) say nothing about an
 * answer and are passed over without being counted, as they are no
 * content left out. */
static int
on_vote(struct se *c)
{
	static const enum sink_vote kinds[] = { SINK_ACCEPT, SINK_UP,
		SINK_DOWN };
	int64_t type, post;
	size_t n;

	if (ival(c, V_TYPE, &type) == 0 && (type < 1 || type > 3))
		return 0;
	if (ival(c, V_TYPE, &type) < 0 || ival(c, V_POST, &post) < 0) {
		skip(c, "bad_vote", 1);
		return 0;
	}
	return sink_vote(&c->k, post, val(c, V_CREATED, &n), kinds[type - 1]);
}

static int (*const handlers[F__N])(struct se *) = { on_post, on_user,
	on_comment, on_postlink, on_history, on_tag, on_vote };

/* ---- The reader loop ---- */

static void
on_xml_error(void *arg, xmlErrorPtr e)
{
	struct se *c = arg;

	if (c->xml_err[0] || !xr_message(e, c->xml_err, sizeof c->xml_err))
		return;
	c->xml_line = e->line;
	c->xml_col = e->int2;
}

/* The file for libxml2: first what xr_open read of it, then the rest. */
static int
io_read(void *arg, char *p, int n)
{
	struct se *c = arg;
	ssize_t r;

	if (c->head_pos < c->head.len) {
		size_t k = c->head.len - c->head_pos;

		if (k > (size_t)n)
			k = (size_t)n;
		memcpy(p, c->head.data + c->head_pos, k);
		c->head_pos += k;
		return (int)k;
	}
	r = c->m->read(c->m, p, (size_t)n);
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
	r->base = r->data.data;
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
		return sink_fail(&c->k, "DOCTYPE declares entities; refused");
	return 0;
}

/* The rows of a plainly shaped file, parsed on other threads
 * (xmlrows.c), handled here in file order. */
static int
read_rows(struct se *c, struct member *m, int kind, struct xr *x,
    struct progress *pr)
{
	const struct xr_row *r;
	const char *data;
	int ret;

	while ((ret = xr_next(x, &r, &data)) == 1) {
		memcpy(c->row.off, r->off, sizeof r->off);
		memcpy(c->row.len, r->len, sizeof r->len);
		c->row.present = r->present;
		c->row.base = data;
		c->k.line = r->line;
		if (handlers[kind](c) < 0)
			return -1;
		progress_update(pr, m->consumed);
	}
	if (ret < 0) {
		const struct xr_error *e = xr_error(x);
		const char *ioerr = input_error(m);

		if (sink_sync(&c->k) < 0)
			return -1;
		if (e->input)
			fq_err("%s: %s", m->display, ioerr ? ioerr :
			    "read error");
		else
			fq_err("%s:%ld:%d: %s", m->display, e->line, e->col,
			    e->msg);
		return -1;
	}
	return 0;
}

/* Parser threads for a file: none with --jobs 1 (all on the caller's
 * thread), else one fewer than the jobs, at most MAX_PARSERS. */
static int
parsers(const struct se *c)
{
	int n = c->opt->jobs - 1;

	return n < 1 ? 0 : n > MAX_PARSERS ? MAX_PARSERS : n;
}

static int
read_file(struct se *c, struct member *m, int kind)
{
	int ret, type, depth, rc = -1;
	const char *name;
	struct progress pr;
	struct xr *x;

	c->display = m->display;
	c->k.where = m->display;
	c->k.line = 0;
	c->xml_err[0] = '\0';
	c->m = m;
	c->head_pos = 0;
	x = xr_open(m, files[kind].root, attr_names[kind], parsers(c),
	    &c->head);
	if (x) {
		progress_start(&pr, files[kind].file, 0);
		rc = read_rows(c, m, kind, x, &pr);
		if (getenv("FAQTORY_TIMING"))
			fprintf(stderr, "ingest: %s: %llu pieces on %d "
			    "threads\n", files[kind].file,
			    (unsigned long long)xr_pieces(x), parsers(c));
		xr_close(x);
		if (rc == 0 && sink_sync(&c->k) < 0)
			rc = -1;
		if (rc == 0)
			c->k.res->bytes += (int64_t)m->consumed;
		progress_end(&pr);
		return rc;
	}
	c->reader = xmlReaderForIO(io_read, io_close, c, m->display, NULL,
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
				c->k.line = row_line(c);
				sink_fail(&c->k, "expected <%s> as the root "
				    "element, found <%s>", files[kind].root,
				    name);
				goto out;
			}
			continue;
		}
		if (depth != 1 || strcmp(name, "row") != 0)
			continue;
		collect_row(c, kind);
		c->k.line = row_line(c);
		if (handlers[kind](c) < 0)
			goto out;
		progress_update(&pr, m->consumed);
	}
	if (ret != 0 || c->xml_err[0]) {
		const char *ioerr = input_error(m);

		/* A failed write already said why; one error line only. */
		if (sink_sync(&c->k) < 0)
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
	if (sink_sync(&c->k) < 0)
		goto out;
	c->k.res->bytes += (int64_t)m->consumed;
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

/* ---- Entry point ---- */

static const char SQL_STAGING[] =
    "CREATE TEMP TABLE IF NOT EXISTS se_wiki(ext_id INTEGER PRIMARY KEY,"
    " text TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS se_tagx(name TEXT PRIMARY KEY,"
    " excerpt INTEGER);"
    "DELETE FROM temp.se_wiki; DELETE FROM temp.se_tagx;";
/* Tags.xml names each tag's excerpt post; Posts.xml holds its text. */
static const char SQL_TAG_DESCS[] =
    "INSERT OR REPLACE INTO temp.sink_tagdesc(name, text)"
    " SELECT x.name, w.text FROM temp.se_tagx x"
    " JOIN temp.se_wiki w ON w.ext_id=x.excerpt";

int
se_ingest(struct store *st, const char *path, const char *site,
    const struct ingest_opts *opt, struct ingest_result *res)
{
	struct se c;
	struct buf miss = BUF_INIT;
	int rc = -1;
	size_t i;

	memset(&c, 0, sizeof c);
	c.opt = opt;
	snprintf(c.site, sizeof c.site, "%s", site);
	buf_init(&c.row.data);
	buf_init(&c.text);
	buf_init(&c.tmp);
	buf_init(&c.head);
	if (store_exec(st, SQL_STAGING) < 0 ||
	    sink_open(&c.k, st, site, opt, "stackexchange", path, res) < 0)
		goto out;
	c.k.no_duplicate_links = opt->no_duplicate_links;
	if (input_each(path, want_file, on_member, &c) < 0 ||
	    sink_sync(&c.k) < 0)
		goto out;
	c.k.where = path;
	c.k.line = 0;
	if (!(c.seen & (1u << F_POSTS))) {
		sink_fail(&c.k, "no Posts.xml in this source");
		goto out;
	}
	if (store_exec(st, SQL_TAG_DESCS) < 0)
		goto out;
	for (i = 1; i < F__N; i++)
		if (!(c.seen & (1u << i)))
			buf_printf(&miss, "%s%s", miss.len ? "," : "",
			    files[i].file);
	if (sink_finish(&c.k, miss.data) < 0)
		goto out;
	for (i = 1; i < F__N; i++)
		if (!(c.seen & (1u << i)))
			fq_note("%s: no %s: ingested without %s", c.site,
			    files[i].file, files[i].without);
	rc = 0;
out:
	sink_release(&c.k);
	buf_release(&miss);
	buf_release(&c.row.data);
	buf_release(&c.text);
	buf_release(&c.tmp);
	buf_release(&c.head);
	return rc;
}
