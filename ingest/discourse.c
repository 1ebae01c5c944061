/*
 * Discourse: topic JSON as /t/{id}.json returns it, one file per topic,
 * from a folder or an archive (read as a stream, one member at a time:
 * memory is bounded by the largest topic, never by the archive).
 *
 * Thread = topic (ext_id: topic id); question = post_number 1; answers =
 * the other regular and moderator posts (ext_id: post id); small-action
 * posts ("closed this topic"), whispers, hidden and deleted posts are
 * skipped and counted.  The accepted answer is the topic-level
 * accepted_answer.post_number (discourse-solved), else the first post
 * with accepted_answer true.  Bodies: `cooked` HTML through the
 * sanitizer, or `raw` Markdown through cmark when there is no cooked.
 * Tags: the category (pos 0; its slug when a categories.json or
 * site.json is in the source, else "category-ID") and the topic's tags.
 * Authors: user_id, with role admin, moderator or staff from the post's
 * flags (system for user -1).
 *
 * A topic whose post_stream.stream lists more ids than it has posts was
 * saved from the paged API: it is ingested with what it has, counted in
 * skipped.paged_topic, and one warning line gives the count.
 */
#include "ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "core/xmalloc.h"

struct dpost {
	json_t *o;
	int64_t id, number, type;
	int accepted;
};

/* Likes: the count of action 2 in actions_summary (Discourse's own
 * `score` is a ranking heuristic, not votes). */
static int
likes(struct sink *k, json_t *o, int64_t *n)
{
	json_t *a, *e;
	size_t i;
	int64_t id, c;

	*n = 0;
	if (jin_arr(k, o, "actions_summary", 0, &a) < 0)
		return -1;
	json_array_foreach(a, i, e) {
		id = 0;
		c = 0;
		if (!json_is_object(e))
			continue;
		if (jin_int(k, e, "id", 0, &id) < 0 ||
		    jin_int(k, e, "count", 0, &c) < 0)
			return -1;
		if (id == 2)
			*n = c;
	}
	return 0;
}

static int
author(struct sink *k, json_t *p, const char *base, int64_t *uid,
    int *has, const char **display)
{
	const char *name, *user, *role = NULL;
	size_t nn, un;
	int staff = 0, mod = 0, admin = 0, rc;
	struct buf url = BUF_INIT;
	struct sink_author a;

	memset(&a, 0, sizeof a);
	*has = 0;
	*display = NULL;
	if (jin_str(k, p, "name", 0, &name, &nn) < 0 ||
	    jin_str(k, p, "username", 0, &user, &un) < 0 ||
	    jin_bool(k, p, "staff", &staff) < 0 ||
	    jin_bool(k, p, "moderator", &mod) < 0 ||
	    jin_bool(k, p, "admin", &admin) < 0 ||
	    jin_int(k, p, "user_id", 0, uid) < 0)
		return -1;
	*display = nn ? name : user;
	if (json_object_get(p, "user_id") == NULL ||
	    json_is_null(json_object_get(p, "user_id")))
		return 0;
	*has = 1;
	if (*uid == -1)
		role = "system";
	else if (admin)
		role = "admin";
	else if (mod)
		role = "moderator";
	else if (staff)
		role = "staff";
	if (base && user && un && strchr(user, '/') == NULL)
		buf_printf(&url, "%s/u/%s", base, user);
	a.id = *uid;
	a.name = *display ? *display : "";
	a.role = role;
	a.url = url.len ? url.data : NULL;
	rc = sink_author(k, &a);
	buf_release(&url);
	return rc;
}

static int
tags(struct sink *k, json_t *topic, int64_t id)
{
	json_t *a, *e, *name;
	int64_t cat = 0;
	size_t i;

	if (json_object_get(topic, "category_id") &&
	    !json_is_null(json_object_get(topic, "category_id"))) {
		static const char sql[] =
		    "INSERT INTO temp.sink_cat(thread, cat) VALUES(?1,?2)";

		if (jin_int(k, topic, "category_id", 0, &cat) < 0)
			return -1;
		pipe_op(k->pipe, sql);
		pipe_int(k->pipe, id);
		pipe_int(k->pipe, cat);
		if (pipe_end(k->pipe, NULL) < 0)
			return -1;
	}
	if (jin_arr(k, topic, "tags", 0, &a) < 0)
		return -1;
	json_array_foreach(a, i, e) {
		/* Plain names, or {id, name, slug} objects (Discourse 3.2+). */
		name = json_is_object(e) ? json_object_get(e, "name") : e;
		if (!json_is_string(name))
			return sink_fail(k, "tags[%zu] is %s, expected a string",
			    i, jin_type(e));
		if (sink_tag(k, id, (int)i + 1, json_string_value(name),
		    json_string_length(name)) < 0)
			return -1;
	}
	return 0;
}

/* Validates the posts array into ps (n entries). */
static int
scan_posts(struct sink *k, json_t *posts, struct dpost *ps, size_t n)
{
	size_t i;
	json_t *p;

	for (i = 0; i < n; i++) {
		p = json_array_get(posts, i);
		memset(&ps[i], 0, sizeof ps[i]);
		ps[i].o = p;
		ps[i].type = 1;
		if (!json_is_object(p))
			return sink_fail(k, "post_stream.posts[%zu] is %s, "
			    "expected an object", i, jin_type(p));
		if (jin_int(k, p, "id", 1, &ps[i].id) < 0 ||
		    jin_int(k, p, "post_number", 1, &ps[i].number) < 0 ||
		    jin_int(k, p, "post_type", 0, &ps[i].type) < 0 ||
		    jin_bool(k, p, "accepted_answer", &ps[i].accepted) < 0)
			return -1;
	}
	return 0;
}

static const char *
skip_reason(struct sink *k, const struct dpost *d)
{
	int hidden = 0;
	json_t *del = json_object_get(d->o, "deleted_at");

	if (d->type == 3)
		return "small_action_post";
	if (d->type == 4)
		return "whisper_post";
	if (d->type != 1 && d->type != 2)
		return "other_post_type";
	if (jin_bool(k, d->o, "hidden", &hidden) == 0 && hidden)
		return "hidden_post";
	if (del && !json_is_null(del))
		return "deleted_post";
	return NULL;
}

/* Whether a small action closes (1) or reopens (0) its topic, or
 * neither (-1); timers close as "autoclosed". */
static int
close_action(const char *code)
{
	if (code == NULL)
		return -1;
	if (strncmp(code, "auto", 4) == 0)
		code += 4;
	if (strcmp(code, "closed.enabled") == 0)
		return 1;
	return strcmp(code, "closed.disabled") == 0 ? 0 : -1;
}

/* Finds the first post (post_number 1) as *q, the accepted answer's
 * number from the posts' accepted_answer flags (only when the topic
 * names none: has_acc 0) and the topic's closure as its small actions
 * tell it: the date of the last "closed.enabled" in *closed, NULL if a
 * "closed.disabled" (reopened) came after it.  0, or -1 after
 * sink_fail. */
static int
scan_topic(struct sink *k, const struct dpost *ps, size_t n, int has_acc,
    int64_t *accepted_no, const char **closed, size_t *q)
{
	const char *code, *date;
	size_t i, cl;
	int act;

	for (i = 0, *q = n; i < n; i++) {
		if (ps[i].number == 1 && *q == n)
			*q = i;
		if (!has_acc && ps[i].accepted && *accepted_no < 0)
			*accepted_no = ps[i].number;
		if (ps[i].type != 3)
			continue;
		if (jin_str(k, ps[i].o, "action_code", 0, &code, &cl) < 0)
			return -1;
		if ((act = close_action(code)) == 0)
			*closed = NULL;
		if (act == 1 && jin_str(k, ps[i].o, "created_at", 0, &date,
		    &cl) < 0)
			return -1;
		if (act == 1 && date)
			*closed = date;
	}
	if (*q == n)
		return sink_fail(k, "no first post (post_number 1) among its "
		    "%zu posts", n);
	return 0;
}

/* Marks the thread's accepted answer (post_number accepted_no, if any)
 * in th; one not among the posts of a paged topic, or the question
 * itself, is counted as a skip.  0, or -1 after sink_fail. */
static int
set_accepted(struct sink *k, const struct dpost *ps, size_t n, size_t q,
    int64_t accepted_no, int paged, struct sink_thread *th)
{
	size_t i;

	if (accepted_no < 0)
		return 0;
	for (i = 0; i < n && ps[i].number != accepted_no; i++)
		;
	if (i == n && !paged)
		return sink_fail(k, "accepted answer post_number %lld is not "
		    "one of its posts", (long long)accepted_no);
	if (i == n || i == q) {
		sink_skip(k, i == n ? "accepted_answer_not_loaded"
				    : "accepted_answer_is_question", 1);
	} else {
		th->has_accepted = 1;
		th->accepted = ps[i].id;
	}
	return 0;
}

/* Stores post d of thread th as the question (kind 1) or an answer;
 * purl is scratch for its URL.  0, or -1 after failing. */
static int
topic_post(struct sink *k, const struct dpost *d, int kind,
    const struct sink_thread *th, const char *base, struct buf *purl)
{
	struct sink_post sp;
	const char *raw, *cooked;
	size_t rn, cn;
	int64_t uid = 0;
	int has = 0;

	buf_truncate(&k->ctx, 0);
	buf_printf(&k->ctx, "topic %lld: post %lld", (long long)th->id,
	    (long long)d->id);
	memset(&sp, 0, sizeof sp);
	sp.id = d->id;
	sp.thread = th->id;
	sp.kind = kind;
	if (jin_str(k, d->o, "created_at", 0, &sp.created, &rn) < 0 ||
	    jin_str(k, d->o, "updated_at", 0, &sp.edited, &rn) < 0 ||
	    jin_str(k, d->o, "cooked", 0, &cooked, &cn) < 0 ||
	    jin_str(k, d->o, "raw", 0, &raw, &rn) < 0 ||
	    likes(k, d->o, &sp.score) < 0 ||
	    author(k, d->o, base, &uid, &has, &sp.author_name) < 0)
		return -1;
	if (cooked == NULL && raw == NULL)
		return sink_fail(k, "neither 'cooked' nor 'raw' is given");
	sp.has_author = has;
	sp.author = has ? uid : 0;
	/* A post's own page is its topic's URL and its number. */
	buf_truncate(purl, 0);
	if (th->url) {
		buf_printf(purl, "%s/%lld", th->url, (long long)d->number);
		sp.url = purl->data;
	}
	if (cooked) {
		sp.body = cooked;
		sp.body_len = cn;
		sp.format = SINK_HTML;
	} else {
		sp.body = raw;
		sp.body_len = rn;
		sp.format = SINK_MARKDOWN;
	}
	if (sp.id < 0 || sp.id >= SINK_ID_LIMIT)
		return sink_fail(k, "post id out of range");
	return sink_post(k, &sp);
}

static int
topic(struct sink *k, json_t *t, const char *base)
{
	json_t *stream, *posts, *ids, *acc;
	struct dpost *ps = NULL;
	struct sink_thread th = { 0 };
	struct buf url = BUF_INIT, purl = BUF_INIT;
	const char *slug, *closed = NULL;
	size_t n, i, q = 0, slen;
	int64_t accepted_no = -1;
	int rc = -1, paged = 0, is_closed = -1;

	if (!json_is_object(t)) {
		sink_fail(k, "expected a topic object, found %s", jin_type(t));
		goto out;
	}
	if (jin_int(k, t, "id", 1, &th.id) < 0)
		goto out;
	buf_printf(&k->ctx, "topic %lld", (long long)th.id);
	if (jin_str(k, t, "title", 1, &th.title, &th.title_len) < 0 ||
	    jin_str(k, t, "created_at", 0, &th.created, &n) < 0 ||
	    jin_str(k, t, "last_posted_at", 0, &th.activity, &n) < 0 ||
	    jin_int(k, t, "views", 0, &th.views) < 0 ||
	    jin_str(k, t, "slug", 0, &slug, &slen) < 0 ||
	    jin_obj(k, t, "post_stream", 1, &stream) < 0 ||
	    jin_arr(k, stream, "posts", 1, &posts) < 0 ||
	    jin_arr(k, stream, "stream", 0, &ids) < 0 ||
	    jin_obj(k, t, "accepted_answer", 0, &acc) < 0)
		goto out;
	if (th.id < 0 || th.id >= SINK_ID_LIMIT) {
		sink_fail(k, "topic id out of range");
		goto out;
	}
	n = json_array_size(posts);
	if (n == 0) {
		sink_fail(k, "post_stream.posts is empty: the topic has no "
		    "posts");
		goto out;
	}
	if (ids && json_array_size(ids) > n) {
		paged = 1;
		sink_skip(k, "paged_topic", 1);
	}
	ps = xcalloc(n, sizeof *ps);
	if (scan_posts(k, posts, ps, n) < 0)
		goto out;
	if (acc && jin_int(k, acc, "post_number", 1, &accepted_no) < 0)
		goto out;
	if (scan_topic(k, ps, n, acc != NULL, &accepted_no, &closed, &q) < 0 ||
	    set_accepted(k, ps, n, q, accepted_no, paged, &th) < 0 ||
	    jin_bool(k, t, "closed", &is_closed) < 0)
		goto out;
	/* The topic's own "closed" is its state now; the small actions give
	 * the date (else its last post's: it was closed after that). */
	if (is_closed == 0)
		closed = NULL;
	else if (is_closed == 1 && closed == NULL)
		closed = th.activity ? th.activity : th.created;
	th.closed = closed;
	if (likes(k, ps[q].o, &th.score) < 0)
		goto out;
	if (base && slug && slen && strchr(slug, '/') == NULL) {
		buf_printf(&url, "%s/t/%s/%lld", base, slug, (long long)th.id);
		th.url = url.data;
	}
	if (sink_thread(k, &th) < 0 || tags(k, t, th.id) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		const char *why = i == q ? NULL : skip_reason(k, &ps[i]);

		if (why) {
			sink_skip(k, why, 1);
			continue;
		}
		if (topic_post(k, &ps[i], i == q ? 1 : 2, &th, base,
		    &purl) < 0)
			goto out;
	}
	rc = 0;
out:
	free(ps);
	buf_release(&url);
	buf_release(&purl);
	buf_reset(&k->ctx);
	return rc;
}

/* categories.json ({"category_list":{"categories":[...]}}) or site.json
 * ({"categories":[...]}): names for the category tags. */
static int
categories(struct sink *k, json_t *doc)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO temp.sink_catname(id, name) VALUES(?1,?2)";
	json_t *list = NULL, *cl, *e;
	const char *name, *slug;
	size_t i, nn, sn;
	int64_t id;

	if (jin_obj(k, doc, "category_list", 0, &cl) < 0 ||
	    jin_arr(k, cl ? cl : doc, "categories", 1, &list) < 0)
		return -1;
	json_array_foreach(list, i, e) {
		if (!json_is_object(e))
			return sink_fail(k, "categories[%zu] is %s", i,
			    jin_type(e));
		if (jin_int(k, e, "id", 1, &id) < 0 ||
		    jin_str(k, e, "name", 0, &name, &nn) < 0 ||
		    jin_str(k, e, "slug", 0, &slug, &sn) < 0)
			return -1;
		if (sn == 0) {
			slug = name;
			sn = nn;
		}
		if (sn == 0)
			continue;
		pipe_op(k->pipe, sql);
		pipe_int(k->pipe, id);
		pipe_text(k->pipe, slug, sn);
		if (pipe_end(k->pipe, NULL) < 0)
			return -1;
	}
	return 0;
}

static int
is_categories(const char *name)
{
	return strcasecmp(name, "categories.json") == 0 ||
	    strcasecmp(name, "site.json") == 0;
}

int
discourse_document(struct sink *k, const char *data, size_t n,
    const char *base_url)
{
	json_t *doc = jin_load(k, data, n, 0);
	int rc;

	if (doc == NULL)
		return -1;
	rc = topic(k, doc, base_url);
	json_decref(doc);
	return rc;
}

int
discourse_categories(struct sink *k, const char *data, size_t n)
{
	json_t *doc = jin_load(k, data, n, 0);
	int rc;

	if (doc == NULL)
		return -1;
	rc = categories(k, doc);
	json_decref(doc);
	return rc;
}

int
discourse_finish(struct sink *k)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO thread_tags(source_id, thread_ext, pos, tag)"
	    " SELECT ?1, c.thread, 0, coalesce(n.name, 'category-'||c.cat)"
	    " FROM temp.sink_cat c LEFT JOIN temp.sink_catname n"
	    " ON n.id=c.cat";
	sqlite3_stmt *s;

	/* The staged categories must all be in before they are read. */
	if (sink_sync(k) < 0)
		return -1;
	s = store_stmt(k->st, sql);
	bind_int(s, 1, k->source);
	return store_done(k->st, s);
}

/* ---- The source ---- */

struct dsrc {
	struct sink k;
	struct buf doc;
	const char *base;
	struct progress pr;
};

static int
on_member(void *arg, struct member *m)
{
	struct dsrc *d = arg;

	d->k.where = m->display;
	if (jin_slurp(&d->k, m, JIN_DOC_MAX, &d->doc) < 0)
		return -1;
	progress_update(&d->pr, (uint64_t)d->k.res->bytes);
	if (is_categories(m->name))
		return discourse_categories(&d->k, d->doc.data, d->doc.len);
	return discourse_document(&d->k, d->doc.data, d->doc.len, d->base);
}

int
discourse_ingest(struct store *st, const char *path, const char *name,
    const struct ingest_opts *opt, struct ingest_result *res)
{
	struct dsrc d;
	struct buf base = BUF_INIT;
	int rc = -1;
	int64_t paged = 0;
	size_t i;

	(void)opt;
	memset(&d, 0, sizeof d);
	buf_init(&d.doc);
	/* A source named after its host gives links to the original. */
	if (strchr(name, '.') && strchr(name, '/') == NULL) {
		buf_printf(&base, "https://%s", name);
		d.base = base.data;
	}
	if (sink_open(&d.k, st, name, opt, "discourse", path, res) < 0)
		goto out;
	progress_start(&d.pr, "discourse", 0);
	rc = input_each(path, input_is_json, on_member, &d);
	progress_end(&d.pr);
	if (rc < 0)
		goto out;
	rc = -1;
	d.k.where = path;
	if (res->bytes == 0) {
		fq_err("%s: no Discourse topic (.json) files in this source",
		    path);
		goto out;
	}
	if (discourse_finish(&d.k) < 0 || sink_finish(&d.k, NULL) < 0)
		goto out;
	for (i = 0; i < d.k.nskips; i++)
		if (strcmp(d.k.skips[i].name, "paged_topic") == 0)
			paged = d.k.skips[i].n;
	if (paged)
		fq_note("faqtory: warning: %s: %lld topics list more posts in "
		       "post_stream.stream than they hold; ingested with the "
		       "posts they have", name, (long long)paged);
	rc = 0;
out:
	sink_release(&d.k);
	buf_release(&d.doc);
	buf_release(&base);
	return rc;
}
