/*
 * Generic JSON Lines: one thread per line, the schema in docs/sources.md.
 * Read one line at a time (at most JIN_DOC_MAX bytes each), so memory
 * is bounded by the longest line whatever the file's size.
 */
#include "ingest_int.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"

struct jl {
	struct sink *k;
	int64_t thread;
	struct buf key;
};

static int
format(struct jl *j, json_t *o, enum sink_format *f)
{
	const char *s;
	size_t n;

	*f = SINK_MARKDOWN;
	if (jin_str(j->k, o, "format", 0, &s, &n) < 0)
		return -1;
	if (s == NULL || strcmp(s, "markdown") == 0)
		return 0;
	if (strcmp(s, "html") == 0) {
		*f = SINK_HTML;
		return 0;
	}
	return sink_fail(j->k, "'format' is \"%.40s\", expected \"html\" or "
	    "\"markdown\"", s);
}

/* An id given, or a synthetic one from the position key. */
static int
some_id(struct jl *j, json_t *o, const char *pos, int64_t *id)
{
	return jin_node_id(j->k, o, j->thread, pos, 0, &j->key, id);
}

/* "author": "name" or {"id", "name", "role", "url"}. */
static int
author(struct jl *j, json_t *o, const char **name, int64_t *id, int *has)
{
	json_t *a = json_object_get(o, "author");
	const char *role = NULL, *url = NULL;
	size_t n;
	int present = 0;
	struct sink_author sa;

	*name = NULL;
	*has = 0;
	if (a == NULL || json_is_null(a))
		return 0;
	if (json_is_string(a)) {
		*name = json_string_value(a);
	} else if (json_is_object(a)) {
		if (jin_str(j->k, a, "name", 1, name, &n) < 0 ||
		    jin_str(j->k, a, "role", 0, &role, &n) < 0 ||
		    jin_str(j->k, a, "url", 0, &url, &n) < 0 ||
		    jin_id(j->k, a, "id", 0, id, &present) < 0)
			return -1;
		if (role && strcmp(role, "staff") != 0 &&
		    strcmp(role, "moderator") != 0 &&
		    strcmp(role, "admin") != 0 && strcmp(role, "system") != 0)
			return sink_fail(j->k, "author role \"%.40s\" is not "
			    "staff, moderator, admin or system", role);
	} else {
		return sink_fail(j->k, "'author' is %s, expected a name or an "
		    "object", jin_type(a));
	}
	if (**name == '\0')
		return sink_fail(j->k, "'author' has an empty name");
	if (!present) {
		buf_reset(&j->key);
		buf_printf(&j->key, "author:%s", *name);
		*id = sink_synth_id(j->key.data, j->key.len);
	}
	*has = 1;
	memset(&sa, 0, sizeof sa);
	sa.id = *id;
	sa.name = *name;
	sa.role = role;
	sa.url = url;
	return sink_author(j->k, &sa);
}

static int
comments(struct jl *j, json_t *p, int64_t post, const char *pos)
{
	json_t *cs, *c;
	struct sink_comment sc;
	size_t i, n;
	char cpos[64];
	int64_t aid = 0;

	if (jin_arr(j->k, p, "comments", 0, &cs) < 0)
		return -1;
	json_array_foreach(cs, i, c) {
		if (!json_is_object(c))
			return sink_fail(j->k, "comments[%zu] is %s, expected "
			    "an object", i, jin_type(c));
		memset(&sc, 0, sizeof sc);
		snprintf(cpos, sizeof cpos, "%sc%zu", pos, i);
		if (some_id(j, c, cpos, &sc.id) < 0 ||
		    jin_str(j->k, c, "body", 1, &sc.body, &sc.body_len) < 0 ||
		    format(j, c, &sc.format) < 0 ||
		    jin_str(j->k, c, "date", 0, &sc.created, &n) < 0 ||
		    jin_int(j->k, c, "score", 0, &sc.score) < 0 ||
		    author(j, c, &sc.author_name, &aid, &sc.has_author) < 0)
			return -1;
		sc.author = aid;
		sc.post = post;
		if (sink_comment(j->k, &sc) < 0)
			return -1;
	}
	return 0;
}

static int
post(struct jl *j, json_t *p, int kind, const char *pos, int64_t *id)
{
	struct sink_post sp;
	size_t n;
	int64_t aid = 0;

	memset(&sp, 0, sizeof sp);
	if (!json_is_object(p))
		return sink_fail(j->k, "%s is %s, expected an object",
		    kind == 1 ? "'question'" : "an answer", jin_type(p));
	if (some_id(j, p, pos, &sp.id) < 0 ||
	    jin_str(j->k, p, "body", 1, &sp.body, &sp.body_len) < 0 ||
	    format(j, p, &sp.format) < 0 ||
	    jin_str(j->k, p, "date", 0, &sp.created, &n) < 0 ||
	    jin_str(j->k, p, "edited", 0, &sp.edited, &n) < 0 ||
	    jin_int(j->k, p, "score", 0, &sp.score) < 0 ||
	    author(j, p, &sp.author_name, &aid, &sp.has_author) < 0)
		return -1;
	sp.author = aid;
	sp.thread = j->thread;
	sp.kind = kind;
	if (sink_post(j->k, &sp) < 0)
		return -1;
	*id = sp.id;
	return comments(j, p, sp.id, pos);
}

static int
thread(struct jl *j, json_t *t)
{
	struct sink_thread th = { 0 };
	json_t *q, *answers, *tags, *a;
	size_t i, n;
	int64_t id;
	int acc, r;
	char pos[32];

	if (!json_is_object(t))
		return sink_fail(j->k, "expected a thread object, found %s",
		    jin_type(t));
	if (jin_id(j->k, t, "id", 1, &th.id, NULL) < 0)
		return -1;
	j->thread = th.id;
	buf_printf(&j->k->ctx, "thread %lld", (long long)th.id);
	if (jin_str(j->k, t, "title", 1, &th.title, &th.title_len) < 0 ||
	    jin_str(j->k, t, "url", 0, &th.url, &n) < 0 ||
	    jin_str(j->k, t, "closed", 0, &th.closed, &n) < 0 ||
	    jin_str(j->k, t, "activity", 0, &th.activity, &n) < 0 ||
	    jin_int(j->k, t, "views", 0, &th.views) < 0 ||
	    jin_obj(j->k, t, "question", 1, &q) < 0 ||
	    jin_arr(j->k, t, "answers", 0, &answers) < 0 ||
	    jin_arr(j->k, t, "tags", 0, &tags) < 0 ||
	    jin_str(j->k, q, "date", 0, &th.created, &n) < 0 ||
	    jin_int(j->k, q, "score", 0, &th.score) < 0)
		return -1;
	if (th.title_len == 0)
		return sink_fail(j->k, "'title' is empty");
	/* The accepted answer's id, before the thread row that names it. */
	json_array_foreach(answers, i, a) {
		acc = 0;
		if (!json_is_object(a))
			return sink_fail(j->k, "answers[%zu] is %s, expected an "
			    "object", i, jin_type(a));
		if (jin_bool(j->k, a, "accepted", &acc) < 0)
			return -1;
		if (!acc)
			continue;
		if (th.has_accepted)
			return sink_fail(j->k, "more than one answer is "
			    "accepted");
		snprintf(pos, sizeof pos, "a%zu", i);
		if (some_id(j, a, pos, &th.accepted) < 0)
			return -1;
		th.has_accepted = 1;
	}
	if (sink_thread(j->k, &th) < 0)
		return -1;
	json_array_foreach(tags, i, a) {
		if (!json_is_string(a))
			return sink_fail(j->k, "tags[%zu] is %s, expected a "
			    "string", i, jin_type(a));
		if (sink_tag(j->k, th.id, (int)i, json_string_value(a),
		    json_string_length(a)) < 0)
			return -1;
	}
	if (post(j, q, 1, "q", &id) < 0)
		return -1;
	json_array_foreach(answers, i, a) {
		buf_reset(&j->k->ctx);
		buf_printf(&j->k->ctx, "thread %lld: answers[%zu]",
		    (long long)th.id, i);
		snprintf(pos, sizeof pos, "a%zu", i);
		if ((r = post(j, a, 2, pos, &id)) < 0)
			return r;
	}
	return 0;
}

int
jsonl_document(struct sink *k, const char *data, size_t n, long line)
{
	struct jl j;
	json_t *doc;
	int rc = -1;

	memset(&j, 0, sizeof j);
	j.k = k;
	buf_init(&j.key);
	buf_reset(&k->ctx);
	if ((doc = jin_load(k, data, n, line)) == NULL)
		goto out;
	rc = thread(&j, doc);
	json_decref(doc);
out:
	buf_reset(&k->ctx);
	buf_release(&j.key);
	return rc;
}

/* ---- The source ---- */

struct lsrc {
	struct sink k;
	struct buf pend, where;
	int lines;
};

/* One line (without its newline); blank lines are allowed. */
static int
one_line(struct lsrc *s, const char *display, long no, char *p, size_t n)
{
	int rc;

	if (no == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
	}
	if (n && p[n - 1] == '\r')
		n--;
	if (n == strspn(p, " \t") || n == 0)
		return 0;
	buf_reset(&s->where);
	buf_printf(&s->where, "%s:%ld", display, no);
	s->k.where = s->where.data;
	s->lines++;
	rc = jsonl_document(&s->k, p, n, no);
	s->k.where = display;
	return rc;
}

static int
on_member(void *arg, struct member *m)
{
	struct lsrc *s = arg;
	size_t start, i;
	long no = 1;
	ssize_t r;

	s->k.where = m->display;
	buf_reset(&s->pend);
	for (;;) {
		buf_grow(&s->pend, 1 << 16);
		r = m->read(m, s->pend.data + s->pend.len, 1 << 16);
		if (r < 0) {
			const char *e = input_error(m);

			return sink_fail(&s->k, "%s", e ? e : "read error");
		}
		i = s->pend.len;
		s->pend.len += (size_t)r;
		s->pend.data[s->pend.len] = '\0';
		s->k.res->bytes += r;
		start = 0;
		for (; i < s->pend.len; i++) {
			if (s->pend.data[i] != '\n')
				continue;
			if (one_line(s, m->display, no++, s->pend.data + start,
			    i - start) < 0)
				return -1;
			start = i + 1;
		}
		memmove(s->pend.data, s->pend.data + start,
		    s->pend.len - start);
		buf_truncate(&s->pend, s->pend.len - start);
		if (s->pend.len > JIN_DOC_MAX)
			return sink_fail(&s->k, "line %ld is longer than the "
			    "%zu MB a line may have", no, JIN_DOC_MAX >> 20);
		if (r == 0)
			break;
	}
	return one_line(s, m->display, no, s->pend.data, s->pend.len);
}

int
jsonl_ingest(struct store *st, const char *path, const char *name,
    const struct ingest_opts *opt, struct ingest_result *res)
{
	struct lsrc s;
	int rc = -1;

	(void)opt;
	memset(&s, 0, sizeof s);
	buf_init(&s.pend);
	buf_init(&s.where);
	if (sink_open(&s.k, st, name, opt, "jsonl", path, res) < 0)
		goto out;
	if (input_each(path, input_is_jsonl, on_member, &s) < 0)
		goto out;
	s.k.where = path;
	if (s.lines == 0) {
		fq_err("%s: no threads (JSON Lines) in this source", path);
		goto out;
	}
	if (sink_finish(&s.k, NULL) < 0)
		goto out;
	rc = 0;
out:
	sink_release(&s.k);
	buf_release(&s.pend);
	buf_release(&s.where);
	return rc;
}
