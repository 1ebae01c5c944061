/*
 * GitHub Discussions, in two shapes (docs/sources.md):
 *
 *  - the GraphQL export: {"data":{"repository":{"discussions":{"nodes":
 *    [...]}}}}, or {"repository":...}, {"discussions":...}, with each
 *    node's number, title, body (Markdown) or bodyHTML, url, createdAt,
 *    upvoteCount, author{login,url}, authorAssociation, category{name},
 *    labels{nodes[{name}]}, answer, comments{nodes[...]}, each comment
 *    with replies{nodes[...]};
 *  - the flattened array some site builders save: [{id:"2329", title,
 *    body (HTML), url, createdAt, upvotes, author{name,url}, comments[
 *    {author, body, createdAt, replies[...]|null}], answer{...}}].
 *
 * Thread = discussion (ext_id: its number); question = the discussion
 * body; answers = the top-level comments; comments = their replies.  The
 * chosen answer is also one of the comments: it is matched (by node id,
 * else by author, date and body) and marked, never stored twice; an
 * answer that matches no comment is stored as one more answer.
 *
 * Ids: a comment's or reply's GraphQL node id gives its ext_id (hashed,
 * see sink_synth_id in ingest_int.h); without one, the key is its
 * position ("12#c3", "12#c3r1", "12#answer"), stable for the same data.
 * Authors are keyed by a hash of their login.
 *
 * The export is one JSON document: it is loaded whole, up to
 * GH_DOC_MAX (real exports are a few MB; the API pages at 100
 * discussions, so even big forums stay far below it).
 */
#include "ingest_int.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"

#define GH_DOC_MAX ((size_t)256 << 20)

struct gh {
	struct sink *k;
	int flat;          /* the flattened shape: `body` is HTML */
	int64_t thread;
	struct buf key;
};

/* A connection: {"nodes":[...]} in GraphQL, a plain array when
 * flattened; absent or null gives NULL. */
static int
nodes(struct sink *k, json_t *o, const char *key, json_t **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_array(v)) {
		*out = v;
		return 0;
	}
	if (!json_is_object(v))
		return sink_fail(k, "'%s' is %s, expected an array or "
		    "{\"nodes\":[...]}", key, jin_type(v));
	return jin_arr(k, v, "nodes", 0, out);
}

static int
body(struct gh *g, json_t *o, const char **s, size_t *n,
    enum sink_format *f)
{
	if (jin_str(g->k, o, "bodyHTML", 0, s, n) < 0)
		return -1;
	*f = SINK_HTML;
	if (*s)
		return 0;
	if (jin_str(g->k, o, "body", 1, s, n) < 0)
		return -1;
	*f = g->flat ? SINK_HTML : SINK_MARKDOWN;
	return 0;
}

static int
score(struct gh *g, json_t *o, int64_t *v)
{
	*v = 0;
	if (jin_int(g->k, o, "upvoteCount", 0, v) < 0)
		return -1;
	return jin_int(g->k, o, "upvotes", 0, v);
}

/* Registers the author of o; sets *login (borrowed) and *id. */
static int
author(struct gh *g, json_t *o, const char **login, int64_t *id, int *has)
{
	json_t *a;
	const char *url, *assoc, *role = NULL;
	size_t n, un, an;
	struct sink_author sa;

	*login = NULL;
	*has = 0;
	if (jin_obj(g->k, o, "author", 0, &a) < 0)
		return -1;
	if (a == NULL)
		return 0; /* a deleted account ("ghost") */
	if (jin_str(g->k, a, "login", 0, login, &n) < 0 ||
	    (*login == NULL && jin_str(g->k, a, "name", 0, login, &n) < 0) ||
	    jin_str(g->k, a, "url", 0, &url, &un) < 0 ||
	    jin_str(g->k, o, "authorAssociation", 0, &assoc, &an) < 0)
		return -1;
	if (*login == NULL || n == 0) {
		*login = NULL;
		return 0;
	}
	buf_reset(&g->key);
	buf_printf(&g->key, "github-user:%s", *login);
	*id = sink_synth_id(g->key.data, g->key.len);
	*has = 1;
	if (assoc && (strcmp(assoc, "OWNER") == 0 ||
	    strcmp(assoc, "MEMBER") == 0 || strcmp(assoc, "COLLABORATOR") == 0))
		role = "staff";
	memset(&sa, 0, sizeof sa);
	sa.id = *id;
	sa.name = *login;
	sa.role = role;
	sa.url = url;
	return sink_author(g->k, &sa);
}

/* The ext_id of a comment-like node: from its node id, else `pos`;
 * a string "123" would meet real numbers, so it is keyed by `pos`. */
static int
node_id(struct gh *g, json_t *o, const char *pos, int64_t *id)
{
	return jin_node_id(g->k, o, g->thread, pos, 1, &g->key, id);
}

static int
replies(struct gh *g, json_t *c, int64_t post, const char *pos)
{
	json_t *rs, *r;
	size_t i, n;
	struct sink_comment sc;
	char rpos[64];
	int64_t aid = 0;

	if (nodes(g->k, c, "replies", &rs) < 0)
		return -1;
	json_array_foreach(rs, i, r) {
		if (!json_is_object(r))
			return sink_fail(g->k, "reply %zu is %s", i,
			    jin_type(r));
		memset(&sc, 0, sizeof sc);
		snprintf(rpos, sizeof rpos, "%sr%zu", pos, i);
		if (node_id(g, r, rpos, &sc.id) < 0 ||
		    body(g, r, &sc.body, &sc.body_len, &sc.format) < 0 ||
		    jin_str(g->k, r, "createdAt", 0, &sc.created, &n) < 0 ||
		    score(g, r, &sc.score) < 0 ||
		    author(g, r, &sc.author_name, &aid, &sc.has_author) < 0)
			return -1;
		sc.author = aid;
		sc.post = post;
		if (sink_comment(g->k, &sc) < 0)
			return -1;
	}
	return 0;
}

/* Stores a question or answer node (and an answer's replies). */
static int
post(struct gh *g, json_t *o, int kind, const char *pos, int64_t *id)
{
	struct sink_post sp;
	size_t n;
	int64_t aid = 0;

	memset(&sp, 0, sizeof sp);
	if (kind == 1)
		sp.id = g->thread;
	else if (node_id(g, o, pos, &sp.id) < 0)
		return -1;
	if (body(g, o, &sp.body, &sp.body_len, &sp.format) < 0 ||
	    jin_str(g->k, o, "createdAt", 0, &sp.created, &n) < 0 ||
	    jin_str(g->k, o, "lastEditedAt", 0, &sp.edited, &n) < 0 ||
	    score(g, o, &sp.score) < 0 ||
	    jin_str(g->k, o, "url", 0, &sp.url, &n) < 0 ||
	    author(g, o, &sp.author_name, &aid, &sp.has_author) < 0)
		return -1;
	sp.author = aid;
	sp.thread = g->thread;
	sp.kind = kind;
	if (sink_post(g->k, &sp) < 0)
		return -1;
	*id = sp.id;
	return kind == 1 ? 0 : replies(g, o, sp.id, pos);
}

static int
same_str(json_t *a, json_t *b, const char *key)
{
	json_t *x = json_object_get(a, key), *y = json_object_get(b, key);

	return x && y && json_equal(x, y);
}

/* Whether comment c is the chosen answer a. */
static int
is_answer(json_t *c, json_t *a)
{
	if (json_is_string(json_object_get(c, "id")) &&
	    json_is_string(json_object_get(a, "id")))
		return same_str(c, a, "id");
	return same_str(c, a, "createdAt") && same_str(c, a, "author") &&
	    (same_str(c, a, "body") || same_str(c, a, "bodyHTML"));
}

static int
tags(struct gh *g, json_t *d)
{
	json_t *cat, *labels, *l, *name;
	const char *s;
	size_t n, i;

	if (jin_obj(g->k, d, "category", 0, &cat) < 0 ||
	    jin_str(g->k, cat, "name", 0, &s, &n) < 0)
		return -1;
	if (s && sink_tag(g->k, g->thread, 0, s, n) < 0)
		return -1;
	if (nodes(g->k, d, "labels", &labels) < 0)
		return -1;
	json_array_foreach(labels, i, l) {
		name = json_is_object(l) ? json_object_get(l, "name") : l;
		if (!json_is_string(name))
			return sink_fail(g->k, "label %zu is %s, expected a "
			    "name", i, jin_type(l));
		if (sink_tag(g->k, g->thread, (int)i + 1,
		    json_string_value(name), json_string_length(name)) < 0)
			return -1;
	}
	return 0;
}

/* When the answer was chosen: the discussion's answerChosenAt (GraphQL)
 * or the answer's chosenAt (the flattened shape), else NULL. */
static int
chosen_at(struct gh *g, json_t *d, json_t *answer, const char **at)
{
	size_t n;

	if (jin_str(g->k, d, "answerChosenAt", 0, at, &n) < 0)
		return -1;
	if (*at == NULL && jin_str(g->k, answer, "chosenAt", 0, at, &n) < 0)
		return -1;
	return 0;
}

static int
discussion(struct gh *g, json_t *d)
{
	struct sink_thread th = { 0 };
	json_t *comments, *answer, *c;
	const char *closed = NULL;
	size_t i, n;
	int64_t id, qid;
	char pos[32];
	int found = 0, r;

	if (!json_is_object(d))
		return sink_fail(g->k, "a discussion is %s, expected an object",
		    jin_type(d));
	if (json_object_get(d, "number"))
		r = jin_id(g->k, d, "number", 1, &th.id, NULL);
	else
		r = jin_id(g->k, d, "id", 1, &th.id, NULL);
	if (r < 0)
		return -1;
	g->thread = th.id;
	buf_reset(&g->k->ctx);
	buf_printf(&g->k->ctx, "discussion %lld", (long long)th.id);
	if (jin_str(g->k, d, "title", 1, &th.title, &th.title_len) < 0 ||
	    jin_str(g->k, d, "createdAt", 0, &th.created, &n) < 0 ||
	    jin_str(g->k, d, "updatedAt", 0, &th.activity, &n) < 0 ||
	    jin_str(g->k, d, "closedAt", 0, &closed, &n) < 0 ||
	    jin_str(g->k, d, "url", 0, &th.url, &n) < 0 ||
	    score(g, d, &th.score) < 0 ||
	    nodes(g->k, d, "comments", &comments) < 0 ||
	    jin_obj(g->k, d, "answer", 0, &answer) < 0)
		return -1;
	th.closed = closed;
	/* The thread row names its accepted answer: match it first. */
	json_array_foreach(comments, i, c) {
		if (!json_is_object(c))
			return sink_fail(g->k, "comment %zu is %s, expected "
			    "an object", i, jin_type(c));
		if (answer && !found && is_answer(c, answer)) {
			snprintf(pos, sizeof pos, "c%zu", i);
			if (node_id(g, c, pos, &th.accepted) < 0)
				return -1;
			found = 1;
		}
	}
	if (answer && !found && node_id(g, answer, "answer", &th.accepted) < 0)
		return -1;
	th.has_accepted = answer != NULL;
	if (answer && chosen_at(g, d, answer, &th.accepted_at) < 0)
		return -1;
	if (sink_thread(g->k, &th) < 0 || tags(g, d) < 0 ||
	    post(g, d, 1, "q", &qid) < 0)
		return -1;
	json_array_foreach(comments, i, c) {
		buf_reset(&g->k->ctx);
		buf_printf(&g->k->ctx, "discussion %lld: comment %zu",
		    (long long)th.id, i);
		snprintf(pos, sizeof pos, "c%zu", i);
		if (post(g, c, 2, pos, &id) < 0)
			return -1;
	}
	if (answer && !found) {
		buf_reset(&g->k->ctx);
		buf_printf(&g->k->ctx, "discussion %lld: answer",
		    (long long)th.id);
		if (post(g, answer, 2, "answer", &id) < 0)
			return -1;
	}
	buf_reset(&g->k->ctx);
	return 0;
}

/* The discussions array of any accepted shape, or NULL after failing. */
static json_t *
find_nodes(struct gh *g, json_t *doc)
{
	json_t *o = doc, *v;

	if (json_is_array(doc)) {
		g->flat = 1;
		return doc;
	}
	if ((v = json_object_get(o, "data")) && json_is_object(v))
		o = v;
	if ((v = json_object_get(o, "repository")) && json_is_object(v))
		o = v;
	v = json_object_get(o, "discussions");
	if (json_is_array(v))
		return v;
	if (!json_is_object(v)) {
		sink_fail(g->k, "no discussions: expected an array, or "
		    "{\"data\":{\"repository\":{\"discussions\":{\"nodes\":"
		    "[...]}}}}");
		return NULL;
	}
	if (jin_arr(g->k, v, "nodes", 1, &v) < 0)
		return NULL;
	return v;
}

int
github_document(struct sink *k, const char *data, size_t n)
{
	struct gh g;
	json_t *doc, *list, *d;
	size_t i;
	int rc = -1;

	memset(&g, 0, sizeof g);
	g.k = k;
	buf_init(&g.key);
	if ((doc = jin_load(k, data, n, 0)) == NULL)
		goto out;
	if ((list = find_nodes(&g, doc)) == NULL)
		goto out;
	json_array_foreach(list, i, d) {
		if (discussion(&g, d) < 0)
			goto out;
	}
	rc = 0;
out:
	buf_reset(&k->ctx);
	json_decref(doc);
	buf_release(&g.key);
	return rc;
}

/* ---- The source ---- */

struct gsrc {
	struct sink k;
	struct buf doc;
	int files;
};

static int
on_member(void *arg, struct member *m)
{
	struct gsrc *s = arg;

	s->k.where = m->display;
	if (jin_slurp(&s->k, m, GH_DOC_MAX, &s->doc) < 0)
		return -1;
	s->files++;
	return github_document(&s->k, s->doc.data, s->doc.len);
}

int
github_ingest(struct store *st, const char *path, const char *name,
    const struct ingest_opts *opt, struct ingest_result *res)
{
	struct gsrc s;
	int rc = -1;

	(void)opt;
	memset(&s, 0, sizeof s);
	buf_init(&s.doc);
	if (sink_open(&s.k, st, name, opt, "github", path, res) < 0)
		goto out;
	if (input_each(path, input_is_json, on_member, &s) < 0)
		goto out;
	s.k.where = path;
	if (s.files == 0) {
		fq_err("%s: no GitHub Discussions (.json) file in this source",
		    path);
		goto out;
	}
	if (sink_finish(&s.k, NULL) < 0)
		goto out;
	rc = 0;
out:
	sink_release(&s.k);
	buf_release(&s.doc);
	return rc;
}
