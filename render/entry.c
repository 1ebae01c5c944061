/*
 * entry: a thread's entry page, the only page that reads bodies: its
 * question and the answers shown (the published one in its own section,
 * a writer's article in its place, others by score), their comments,
 * the licences its footer names, its tags, "also asked as", related
 * questions and topic, and its QAPage structured data (JSON-LD).
 */
#include "render.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/license.h"
#include "core/store.h"
#include "core/url.h"
#include "core/xmalloc.h"
#include "render/answer.h"
#include "render/render_int.h"
#include "template.h"

#define MAX_OTHER_ANSWERS 5

/* A thread's posts in two steps: their order and scores from the
 * covering index (sorted here: an ORDER BY on the full rows made SQLite
 * copy every body, hidden answers' too, into a sorter), then the posts
 * shown, one by one. */
static const char SQL_POST_KEYS[] =
    "SELECT ext_id, kind, accepted, score FROM posts"
    " WHERE source_id=?1 AND thread_ext=?2";
static const char SQL_POST[] =
    "SELECT p.created, p.author_ext, coalesce(a.name, p.author_name),"
    " a.role, p.license, p.body_html, p.url FROM posts p LEFT JOIN authors a"
    " ON a.source_id=p.source_id AND a.ext_id=p.author_ext"
    " WHERE p.source_id=?1 AND p.ext_id=?2";
static const char SQL_COMMENTS[] =
    "SELECT c.post_ext, c.created, c.score,"
    " coalesce(a.name, c.author_name), a.role, c.body_html, c.license"
    " FROM posts p CROSS JOIN comments c ON c.source_id=p.source_id"
    "  AND c.post_ext=p.ext_id"
    " LEFT JOIN authors a ON a.source_id=c.source_id"
    "  AND a.ext_id=c.author_ext"
    " WHERE p.source_id=?1 AND p.thread_ext=?2 AND c.score>=0"
    " ORDER BY c.post_ext, c.created, c.ext_id";

struct shown {
	int64_t ext;
	struct tval *map;
};

/* The licences an entry's footer names, each once and with its link. */
struct licset {
	struct tval *list;
	char *seen[16];
	size_t n;
};

static void
lic_fail(struct worker *w, const struct page *pg, const char *lic)
{
	struct buf m = BUF_INIT;

	if (lic == NULL)
		buf_printf(&m, "%s: a post of '%s' has no licence: set "
		    "content_license in [site] of the config", pg->path,
		    w->s->srcs[w->s->t[pg->ref].src].name);
	else
		buf_printf(&m, "%s: no link known for the licence '%s' of a "
		    "post of '%s'", pg->path, lic,
		    w->s->srcs[w->s->t[pg->ref].src].name);
	site_fail(w, "%s", m.data);
	buf_release(&m);
}

/* Adds the licence of a post or comment shown on page pg (NULL: its
 * source gives none, the site's content_license applies).  Returns 0,
 * or -1 (reported) where the footer would name no licence or one
 * without its link: CC BY-SA asks for both. */
static int
lic_add(struct worker *w, const struct page *pg, struct licset *ls,
    const char *lic)
{
	const struct site *s = w->s;
	struct tval *l;
	size_t k;

	if (lic == NULL && (lic = s->lic_name) == NULL) {
		lic_fail(w, pg, NULL);
		return -1;
	}
	for (k = 0; k < ls->n; k++)
		if (strcmp(ls->seen[k], lic) == 0)
			return 0;
	buf_reset(&w->a);
	if (s->lic_name && strcmp(lic, s->lic_name) == 0)
		buf_puts(&w->a, s->lic_url);
	else if (!license_cc_url(lic, &w->a)) {
		lic_fail(w, pg, lic);
		return -1;
	}
	if (ls->n == sizeof ls->seen / sizeof ls->seen[0])
		return 0; /* no thread shows that many licences */
	ls->seen[ls->n++] = xstrdup(lic);
	l = tval_map(w->cx);
	tval_set_cstr(l, "name", lic);
	tval_set_str(l, "url", w->a.data, w->a.len);
	tval_list_push(ls->list, l);
	return 0;
}

struct postkey {
	int64_t ext, score;
	int kind, published; /* published: the answer the entry publishes */
};

/* The question first, then the published answer, then by score. */
static int
cmp_postkey(const void *pa, const void *pb)
{
	const struct postkey *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->published != b->published)
		return a->published > b->published ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return (a->ext > b->ext) - (a->ext < b->ext);
}

static void
json_str(struct buf *b, const char *key, const char *v, size_t n)
{
	buf_putc(b, '"');
	buf_puts(b, key);
	buf_puts(b, "\":\"");
	esc_json(b, v ? v : "", v ? n : 0);
	buf_putc(b, '"');
}

static void
json_person(struct buf *b, const char *name)
{
	buf_puts(b, "\"author\":{\"@type\":\"Person\",");
	json_str(b, "name", name, name ? strlen(name) : 0);
	buf_putc(b, '}');
}

static void
json_date(struct buf *b, const char *key, const char *d)
{
	buf_putc(b, '"');
	buf_puts(b, key);
	buf_puts(b, "\":\"");
	esc_json(b, d ? d : "", d ? strlen(d) : 0);
	if (d && strlen(d) == 19)
		buf_putc(b, 'Z');
	buf_putc(b, '"');
}

/* Appends the question's own fields to the Question begun in ld (its
 * name), each followed by a comma: its answers come next. */
static void
ld_question(struct buf *ld, const char *html, size_t n, const char *created,
    const char *author)
{
	json_str(ld, "text", html, n);
	buf_putc(ld, ',');
	json_date(ld, "dateCreated", created);
	buf_putc(ld, ',');
	json_person(ld, author);
	buf_putc(ld, ',');
}

/* An answer as the page's QAPage structured data gives it. */
struct ld_answer {
	const char *text;    /* HTML */
	size_t len;
	const char *created; /* ISO-8601, or NULL: not given */
	int64_t score;
	int has_score;       /* 0: no upvoteCount (a writer's article) */
	const char *author;
	const char *url;     /* its original page, or NULL: not given */
};

/* Appends a as a schema.org Answer.  Its url is the answer's page in
 * its source, written only when known and safe by the one URL policy:
 * none is made up. */
static void
ld_answer(struct buf *b, const struct ld_answer *a)
{
	buf_puts(b, "{\"@type\":\"Answer\",");
	json_str(b, "text", a->text, a->len);
	if (a->created && *a->created) {
		buf_putc(b, ',');
		json_date(b, "dateCreated", a->created);
	}
	if (a->has_score)
		buf_printf(b, ",\"upvoteCount\":%lld", (long long)a->score);
	if (a->url && url_is_safe(a->url, strlen(a->url), URL_ABSOLUTE)) {
		buf_putc(b, ',');
		json_str(b, "url", a->url, strlen(a->url));
	}
	buf_putc(b, ',');
	json_person(b, a->author);
	buf_putc(b, '}');
}

/* Files answer a under its place in the QAPage: the published answer
 * of kind "accepted" is the acceptedAnswer (into ans); every other
 * answer, whatever its kind, is a suggestedAnswer (into sug, in page
 * order, so a published answer of another kind, shown first, leads). */
static void
ld_place(struct buf *ans, struct buf *sug, const char *kind,
    const struct ld_answer *a)
{
	if (kind && strcmp(kind, "accepted") == 0) {
		buf_puts(ans, "\"acceptedAnswer\":");
		ld_answer(ans, a);
	} else {
		buf_putc(sug, sug->len ? ',' : '[');
		ld_answer(sug, a);
	}
}

/* Closes the Question and the QAPage begun in ld. */
static void
ld_finish(struct buf *ld, int64_t nanswers, const struct buf *ans,
    const struct buf *sug)
{
	buf_printf(ld, "\"answerCount\":%lld", (long long)nanswers);
	if (ans->len) {
		buf_putc(ld, ',');
		buf_put(ld, ans->data, ans->len);
	}
	if (sug->len) {
		buf_puts(ld, ",\"suggestedAnswer\":");
		buf_put(ld, sug->data, sug->len);
		buf_putc(ld, ']');
	}
	buf_puts(ld, "}}");
}

/*
 * Puts answer m on the page: the published answer (kind, e.g.
 * "accepted", else NULL) in its own section, or replaced by the writer's
 * article and then first among the others; every other answer among the
 * others.  The published answer's element says its kind and source id
 * (data-answer-kind, data-answer-id), and la goes into the structured
 * data beside it.
 */
static void
entry_answer(struct worker *w, const struct thr *t, struct tval *root,
    struct tval *others, struct tval *m, const char *kind,
    const struct ld_answer *la)
{
	if (kind)
		tval_set_cstr(m, "answer_kind", kind);
	if (kind && t->article) {
		/* A writer's article replaces it; the community's answer
		 * stays, first among the others. */
		struct tval *art = tval_map(w->cx);
		struct ld_answer ld = { t->article, strlen(t->article), NULL,
		    0, 0, t->writer ? t->writer : "", NULL };

		tval_set_html(art, "body", t->article, strlen(t->article));
		tval_set_cstr(art, "author", t->writer ? t->writer : "");
		tval_set(root, "article", art);
		tval_list_push(others, m);
		ld_place(&w->ans, &w->sug, kind, &ld);
		ld_place(&w->ans, &w->sug, NULL, la);
	} else if (kind) {
		/* {{#accepted}}, {{#community}} or {{#voted}}: each has
		 * its heading. */
		tval_set(root, kind, m);
		ld_place(&w->ans, &w->sug, kind, la);
	} else {
		tval_list_push(others, m);
		ld_place(&w->ans, &w->sug, NULL, la);
	}
}

/* One entry page being rendered: what its posts, comments and footer
 * share. */
struct entry {
	struct worker *w;
	const struct page *pg;
	const struct thr *t;
	struct tval *root, *others;
	struct shown shown[MAX_OTHER_ANSWERS + 2]; /* whose comments show */
	size_t nshown;
	struct licset ls;
	int64_t nanswers, hidden, nothers, npublished;
};

/* The thread's own values, and the QAPage begun in w->ld. */
static void
entry_head(struct entry *e)
{
	struct worker *w = e->w;
	const struct thr *t = e->t;
	struct tval *root = e->root;

	buf_reset(&w->body);
	buf_reset(&w->ld);
	buf_reset(&w->ans);
	buf_reset(&w->sug);
	buf_reset(&w->rootb);
	page_root_of(&w->rootb, e->pg->path);
	page_set_title(root, "title", t);
	page_set_date(root, "created", t, t->created, 0);
	page_set_date(root, "activity", t, t->activity, 0);
	page_set_date(root, "created_day", t, t->created, 1);
	page_set_date(root, "activity_day", t, t->activity, 1);
	if (t->url)
		tval_set_cstr(root, "source_url", t->url);
	tval_set_cstr(root, "source_name", w->s->srcs[t->src].name);
	e->others = tval_set_list(root, "others");
	e->ls.list = tval_set_list(root, "licenses");
	buf_puts(&w->ld, "{\"@context\":\"https://schema.org\",\"@type\":"
	    "\"QAPage\",\"mainEntity\":{\"@type\":\"Question\",");
	json_str(&w->ld, "name", t->title, strlen(t->title));
	buf_putc(&w->ld, ',');
}

/* The thread's posts in page order into w->keys.  0 or -1 (reported). */
static int
post_keys(struct worker *w, const struct thr *t)
{
	sqlite3_stmt *q = store_stmt(w->st, SQL_POST_KEYS);
	int step;

	bind_int(q, 1, t->source_id);
	bind_int(q, 2, t->ext_id);
	w->nkeys = 0;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		struct postkey *pk;

		if (w->nkeys == w->capkeys) {
			w->capkeys = w->capkeys ? 2 * w->capkeys : 64;
			w->keys = xreallocarray(w->keys, w->capkeys,
			    sizeof *w->keys);
		}
		pk = &w->keys[w->nkeys++];
		pk->ext = sqlite3_column_int64(q, 0);
		pk->kind = sqlite3_column_int(q, 1);
		pk->published = pk->kind == 2 &&
		    t->ans.kind != ANSWER_NONE && pk->ext == t->ans.post;
		pk->score = sqlite3_column_int64(q, 3);
	}
	sqlite3_reset(q);
	if (step != SQLITE_DONE)
		return store_fail(w->st);
	if (w->nkeys > 1)
		qsort(w->keys, w->nkeys, sizeof *w->keys, cmp_postkey);
	return 0;
}

/* The link to the contributors page of the author of a post (q: the
 * SQL_POST row) into m: the page counts accepted answers. */
static void
author_href(struct entry *e, sqlite3_stmt *q, const char *name,
    struct tval *m)
{
	struct worker *w = e->w;

	buf_reset(&w->b);
	buf_puts(&w->b, w->rootb.data);
	buf_puts(&w->b, "contributors/#u-");
	buf_puts(&w->b, w->s->srcs[e->t->src].shortname);
	if (sqlite3_column_type(q, 1) != SQLITE_NULL)
		buf_printf(&w->b, "-%lld", (long long)
		    sqlite3_column_int64(q, 1));
	else
		buf_printf(&w->b, "-n%016llx",
		    (unsigned long long)fq_hash64(name,
		    strlen(name), 0));
	tval_set_str(m, "author_href", w->b.data, w->b.len);
}

/* Puts the post pk (its SQL_POST row in q) on the page: the question,
 * or an answer (entry_answer).  0 or -1 (reported). */
static int
entry_post(struct entry *e, const struct postkey *pk, sqlite3_stmt *q)
{
	struct worker *w = e->w;
	const struct site *s = w->s;
	const struct thr *t = e->t;
	struct tval *root = e->root, *m;
	const char *name, *role, *lic, *created, *html, *url;
	size_t hlen;

	created = (const char *)sqlite3_column_text(q, 0);
	name = (const char *)sqlite3_column_text(q, 2);
	role = (const char *)sqlite3_column_text(q, 3);
	lic = (const char *)sqlite3_column_text(q, 4);
	html = (const char *)sqlite3_column_text(q, 5);
	hlen = (size_t)sqlite3_column_bytes(q, 5);
	url = (const char *)sqlite3_column_text(q, 6);
	m = tval_map(w->cx);
	tval_set_int(m, "id", pk->ext);
	tval_set_int(m, "score", pk->score);
	tval_set_cstr(m, "label", theme_loc(s, pk->kind == 1 ? "asked_by" :
	    "answered_by"));
	tval_set_cstr(m, "created", created ? created : "");
	page_set_day(m, "day", created);
	tval_set_cstr(m, "author", name ? name :
	    theme_loc(s, "deleted_user"));
	if (role && (strcmp(role, "staff") == 0 ||
	    strcmp(role, "admin") == 0))
		tval_set_bool(m, "staff", 1);
	else if (role && strcmp(role, "moderator") == 0)
		tval_set_bool(m, "moderator", 1);
	/* The contributors page counts accepted answers. */
	if (pk->kind == 2 && pk->published && name &&
	    t->ans.kind == ANSWER_ACCEPTED)
		author_href(e, q, name, m);
	buf_reset(&w->body);
	body_fix(w, e->pg->ref, w->rootb.data, html ? html : "",
	    html ? hlen : 0, &w->body);
	tval_set_html(m, "body", w->body.data, w->body.len);
	tval_set_list(m, "comments");
	if (lic_add(w, e->pg, &e->ls, lic) < 0)
		return -1;
	if (pk->kind == 1) {
		tval_set(root, "question", m);
		buf_reset(&w->b);
		body_plain_text(html ? html : "", hlen, 160, &w->b);
		tval_set_html(root, "description", w->b.data, w->b.len);
		ld_question(&w->ld, html, hlen, created, name ? name :
		    theme_loc(s, "deleted_user"));
	} else {
		/* The published answer's kind: "accepted", marked by
		 * the asker or staff in the source, "community" or
		 * "voted" (core/answerpolicy.h), with the line saying
		 * why. */
		const char *akind = pk->published ?
		    answer_kind_name(t->ans.kind) : NULL;
		struct ld_answer la = { html ? html : "", html ? hlen :
		    0, created, pk->score, 1, name ? name :
		    theme_loc(s, "deleted_user"), url };

		if (pk->published)
			e->npublished++;
		if (pk->published && (t->ans.kind == ANSWER_COMMUNITY ||
		    t->ans.kind == ANSWER_VOTED)) {
			buf_reset(&w->b);
			render_answer_reason(&t->ans, s->loc, s->nloc,
			    s->lang, &w->b);
			tval_set_str(m, "reason", w->b.data, w->b.len);
		}
		entry_answer(w, t, root, e->others, m, akind, &la);
		if (akind == NULL || t->article)
			e->nothers++;
	}
	if (e->nshown < sizeof e->shown / sizeof e->shown[0]) {
		e->shown[e->nshown].ext = pk->ext;
		e->shown[e->nshown++].map = m;
	}
	return 0;
}

/* The question, the published answer and the others worth showing (a
 * positive score, or any beside a top-voted answer; at most
 * MAX_OTHER_ANSWERS: the rest are counted, their
 * bodies never read), and the QAPage closed.  0 or -1 (reported). */
static int
entry_posts(struct entry *e)
{
	struct worker *w = e->w;
	const struct thr *t = e->t;
	size_t kk;
	int step;

	if (post_keys(w, t) < 0)
		return -1;
	for (kk = 0; kk < w->nkeys; kk++) {
		const struct postkey *pk = &w->keys[kk];
		sqlite3_stmt *q;
		int rc;

		if (pk->kind == 2)
			e->nanswers++;
		/* A top-voted answer invites the comparison: the others
		 * show whatever their score. */
		if (pk->kind == 2 && !pk->published &&
		    ((pk->score < 1 && t->ans.kind != ANSWER_VOTED) ||
		    e->nothers >= MAX_OTHER_ANSWERS)) {
			e->hidden++; /* its body is never read */
			continue;
		}
		q = store_stmt(w->st, SQL_POST);
		bind_int(q, 1, t->source_id);
		bind_int(q, 2, pk->ext);
		if ((step = sqlite3_step(q)) != SQLITE_ROW) {
			sqlite3_reset(q);
			if (step == SQLITE_DONE)
				site_fail(w, "%s: a post vanished",
				    e->pg->path);
			else
				store_fail(w->st);
			return -1;
		}
		/* Nothing left to show (the body was only what the
		 * sanitizer removes): counted, not shown. */
		if (pk->kind == 2 && !pk->published &&
		    sqlite3_column_bytes(q, 5) == 0) {
			sqlite3_reset(q);
			e->hidden++;
			continue;
		}
		rc = entry_post(e, pk, q);
		sqlite3_reset(q);
		if (rc < 0)
			return -1;
	}
	if (e->npublished == 0) {
		site_fail(w, "%s: published answer missing", e->pg->path);
		return -1;
	}
	ld_finish(&w->ld, e->nanswers, &w->ans, &w->sug);
	tval_set_html(e->root, "jsonld", w->ld.data, w->ld.len);
	if (e->nothers)
		tval_set_bool(e->root, "has_others", 1);
	if (e->hidden)
		theme_set_count(w->s, e->root, "hidden_answers", e->hidden,
		    "more_answers");
	theme_set_count(w->s, e->root, "answer_count", e->nanswers,
	    "answers");
	return 0;
}

/* The comments of the posts shown (with a score of at least 0), under
 * their posts.  0 or -1 (reported). */
static int
entry_comments(struct entry *e)
{
	struct worker *w = e->w;
	const struct site *s = w->s;
	sqlite3_stmt *q = store_stmt(w->st, SQL_COMMENTS);
	size_t k;
	int step;

	bind_int(q, 1, e->t->source_id);
	bind_int(q, 2, e->t->ext_id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t post = sqlite3_column_int64(q, 0);
		const char *name = (const char *)sqlite3_column_text(q, 3);
		const char *role = (const char *)sqlite3_column_text(q, 4);
		const char *created = (const char *)sqlite3_column_text(q, 1);
		struct tval *c, *list;

		for (k = 0; k < e->nshown; k++)
			if (e->shown[k].ext == post)
				break;
		if (k == e->nshown)
			continue;
		if (lic_add(w, e->pg, &e->ls, (const char *)
		    sqlite3_column_text(q, 6)) < 0) {
			sqlite3_reset(q);
			return -1;
		}
		list = (struct tval *)tval_get(e->shown[k].map, "comments");
		c = tval_map(w->cx);
		buf_reset(&w->body);
		body_fix(w, e->pg->ref, w->rootb.data,
		    (const char *)sqlite3_column_text(q, 5),
		    (size_t)sqlite3_column_bytes(q, 5), &w->body);
		tval_set_html(c, "body", w->body.data, w->body.len);
		tval_set_cstr(c, "author", name ? name :
		    theme_loc(s, "deleted_user"));
		tval_set_cstr(c, "created", created ? created : "");
		page_set_day(c, "day", created);
		if (role && (strcmp(role, "staff") == 0 ||
		    strcmp(role, "moderator") == 0 ||
		    strcmp(role, "admin") == 0))
			tval_set_bool(c, "staff", 1);
		tval_list_push(list, c);
		tval_set_bool(e->shown[k].map, "has_comments", 1);
	}
	sqlite3_reset(q);
	if (step != SQLITE_DONE)
		return store_fail(w->st);
	return 0;
}

/* What the entry links to: its tags, the questions folded into it or
 * grouped with it ("also asked as"), related questions, its topic. */
static void
entry_links(struct entry *e)
{
	struct worker *w = e->w;
	const struct site *s = w->s;
	const struct thr *t = e->t;
	struct tval *root = e->root, *list, *m;
	size_t k;

	list = tval_set_list(root, "tags");
	for (k = 0; k < t->tags.n; k++) {
		const struct tag *g = &s->tags[t->tags.v[k]];

		m = tval_map(w->cx);
		tval_set_cstr(m, "name", g->name);
		tval_set_cstr(m, "slug", g->slug);
		tval_list_push(list, m);
	}
	if (t->tags.n) {
		tval_set_bool(root, "has_tags", 1);
		m = tval_set_map(root, "first_tag");
		tval_set_cstr(m, "name", s->tags[t->tags.v[0]].name);
		tval_set_cstr(m, "slug", s->tags[t->tags.v[0]].slug);
	}
	list = tval_set_list(root, "also");
	for (k = 0; k < t->also.n; k++) {
		int o = t->also.v[k];

		m = tval_map(w->cx);
		page_set_title(m, "title", &s->t[o]);
		if (s->t[o].page) {
			buf_reset(&w->b);
			plan_entry_path(s, o, &w->b);
			tval_set_str(m, "href", w->b.data, w->b.len);
		}
		tval_list_push(list, m);
	}
	if (t->also.n)
		tval_set_bool(root, "has_also", 1);
	page_related_list(w, root, e->pg->ref);
	if (t->topic >= 0) {
		m = tval_set_map(root, "topic");
		tval_set_cstr(m, "label", s->topics[t->topic].label);
		tval_set_int(m, "id", s->topics[t->topic].id);
	}
}

int
entry_render(struct worker *w, const struct page *pg, struct tval *root)
{
	struct entry e;
	size_t k;
	int rc = -1;

	memset(&e, 0, sizeof e);
	e.w = w;
	e.pg = pg;
	e.t = &w->s->t[pg->ref];
	e.root = root;
	/* The worker's buffers: no allocation per page once warm. */
	entry_head(&e);
	if (body_links(w, pg->ref) == 0 && entry_posts(&e) == 0 &&
	    entry_comments(&e) == 0) {
		entry_links(&e);
		rc = 0;
	}
	for (k = 0; k < e.ls.n; k++)
		free(e.ls.seen[k]);
	return rc;
}
