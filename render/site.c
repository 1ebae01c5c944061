/*
 * site: the public static site.  The main thread reads the store once
 * into a small model (threads, tags, links, clusters, contributors:
 * titles and ids, never bodies), decides every page and its input key,
 * then worker threads (each with its own store connection, template set
 * and value arena) render the pages, reading bodies as they go.
 *
 * Incrementality: a page whose input key (a hash of everything it
 * shows that is not a body, plus the thread's content hash and the
 * theme) equals the key of the previous manifest is kept without
 * rendering.  Any other page is rendered and kept if its bytes hash as
 * before.  Output depends on the store, the theme and the options only:
 * no clock, no directory order, no thread timing.
 */
#include "render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/license.h"
#include "core/safefile.h"
#include "core/shortname.h"
#include "core/store.h"
#include "core/strtab.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "locale.h"
#include "shards.h"
#include "render/fold.h"
#include "render/answer.h"
#include "render/manifest.h"
#include "render/render_int.h"
#include "template.h"

/* Bump when page shapes change: forces every key to change. */
#define RENDER_VERSION "faqtory-render-4"
#define MAX_OTHER_ANSWERS 5

/* ---- workers ------------------------------------------------------------ */

void
site_fail(struct worker *w, const char *fmt, const char *arg)
{
	struct site *s = w->s;

	pthread_mutex_lock(&s->errlock);
	if (atomic_fetch_add(&s->failed, 1) == 0)
		fq_err(fmt, arg);
	pthread_mutex_unlock(&s->errlock);
}

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
		/* {{#accepted}} or {{#community}}: each has its heading. */
		tval_set(root, kind, m);
		ld_place(&w->ans, &w->sug, kind, la);
	} else {
		tval_list_push(others, m);
		ld_place(&w->ans, &w->sug, NULL, la);
	}
}

int
entry_render(struct worker *w, const struct page *pg, struct tval *root)
{
	struct site *s = w->s;
	struct tctx *cx = w->cx;
	const struct thr *t = &s->t[pg->ref];
	sqlite3_stmt *q;
	struct tval *others, *list, *m;
	struct shown shown[MAX_OTHER_ANSWERS + 2];
	size_t nshown = 0, k, kk;
	/* The worker's buffers: no allocation per page once warm. */
	struct buf *body = &w->body, *ld = &w->ld, *ans = &w->ans;
	struct buf *rootb = &w->rootb;
	int64_t nanswers = 0, hidden = 0, nothers = 0, npublished = 0;
	struct licset ls = { NULL, { NULL }, 0 };
	int rc = -1, step;

	buf_reset(body);
	buf_reset(ld);
	buf_reset(ans);
	buf_reset(&w->sug);
	buf_reset(rootb);
	page_root_of(rootb, pg->path);
	page_set_title(root, "title", t);
	page_set_date(root, "created", t, t->created, 0);
	page_set_date(root, "activity", t, t->activity, 0);
	page_set_date(root, "created_day", t, t->created, 1);
	page_set_date(root, "activity_day", t, t->activity, 1);
	if (t->url)
		tval_set_cstr(root, "source_url", t->url);
	tval_set_cstr(root, "source_name", s->srcs[t->src].name);
	others = tval_set_list(root, "others");
	ls.list = tval_set_list(root, "licenses");
	buf_puts(ld, "{\"@context\":\"https://schema.org\",\"@type\":"
	    "\"QAPage\",\"mainEntity\":{\"@type\":\"Question\",");
	json_str(ld, "name", t->title, strlen(t->title));
	buf_putc(ld, ',');

	q = store_stmt(w->st, SQL_POST_KEYS);
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
	if (step != SQLITE_DONE) {
		store_fail(w->st);
		goto out;
	}
	if (w->nkeys > 1)
		qsort(w->keys, w->nkeys, sizeof *w->keys, cmp_postkey);
	for (kk = 0; kk < w->nkeys; kk++) {
		int64_t ext = w->keys[kk].ext;
		int kind = w->keys[kk].kind;
		int published = w->keys[kk].published;
		int64_t score = w->keys[kk].score;
		const char *name, *role, *lic, *created, *html, *url;
		size_t hlen;

		if (kind == 2)
			nanswers++;
		if (kind == 2 && !published &&
		    (score < 1 || nothers >= MAX_OTHER_ANSWERS)) {
			hidden++; /* its body is never read */
			continue;
		}
		q = store_stmt(w->st, SQL_POST);
		bind_int(q, 1, t->source_id);
		bind_int(q, 2, ext);
		if ((step = sqlite3_step(q)) != SQLITE_ROW) {
			sqlite3_reset(q);
			if (step == SQLITE_DONE)
				site_fail(w, "%s: a post vanished", pg->path);
			else
				store_fail(w->st);
			goto out;
		}
		created = (const char *)sqlite3_column_text(q, 0);
		name = (const char *)sqlite3_column_text(q, 2);
		role = (const char *)sqlite3_column_text(q, 3);
		lic = (const char *)sqlite3_column_text(q, 4);
		html = (const char *)sqlite3_column_text(q, 5);
		hlen = (size_t)sqlite3_column_bytes(q, 5);
		url = (const char *)sqlite3_column_text(q, 6);
		m = tval_map(cx);
		tval_set_int(m, "id", ext);
		tval_set_int(m, "score", score);
		tval_set_cstr(m, "label", theme_loc(s, kind == 1 ? "asked_by" :
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
		if (kind == 2 && published && name &&
		    t->ans.kind == ANSWER_ACCEPTED) {
			buf_reset(&w->b);
			buf_puts(&w->b, rootb->data);
			buf_puts(&w->b, "contributors/#u-");
			buf_puts(&w->b, s->srcs[t->src].shortname);
			if (sqlite3_column_type(q, 1) != SQLITE_NULL)
				buf_printf(&w->b, "-%lld", (long long)
				    sqlite3_column_int64(q, 1));
			else
				buf_printf(&w->b, "-n%016llx",
				    (unsigned long long)fq_hash64(name,
				    strlen(name), 0));
			tval_set_str(m, "author_href", w->b.data, w->b.len);
		}
		buf_reset(body);
		body_fix(w, pg->ref, rootb->data, html ? html : "",
		    html ? hlen : 0, body);
		tval_set_html(m, "body", body->data, body->len);
		tval_set_list(m, "comments");
		if (lic_add(w, pg, &ls, lic) < 0) {
			sqlite3_reset(q);
			goto out;
		}
		if (kind == 1) {
			tval_set(root, "question", m);
			buf_reset(&w->b);
			body_plain_text(html ? html : "", hlen, 160, &w->b);
			tval_set_html(root, "description", w->b.data, w->b.len);
			ld_question(ld, html, hlen, created, name ? name :
			    theme_loc(s, "deleted_user"));
		} else {
			/* The published answer's kind: "accepted", marked by
			 * the asker or staff in the source, or "community"
			 * (core/answerpolicy.h), with the line saying why. */
			const char *akind = published ?
			    answer_kind_name(t->ans.kind) : NULL;
			struct ld_answer la = { html ? html : "", html ? hlen :
			    0, created, score, 1, name ? name :
			    theme_loc(s, "deleted_user"), url };

			if (published)
				npublished++;
			if (published && t->ans.kind == ANSWER_COMMUNITY) {
				buf_reset(&w->b);
				render_answer_reason(&t->ans, s->loc, s->nloc,
				    s->lang, &w->b);
				tval_set_str(m, "reason", w->b.data, w->b.len);
			}
			entry_answer(w, t, root, others, m, akind, &la);
			if (akind == NULL || t->article)
				nothers++;
		}
		if (nshown < sizeof shown / sizeof shown[0]) {
			shown[nshown].ext = ext;
			shown[nshown++].map = m;
		}
		sqlite3_reset(q);
	}
	if (npublished == 0) {
		site_fail(w, "%s: published answer missing", pg->path);
		goto out;
	}
	ld_finish(ld, nanswers, ans, &w->sug);
	tval_set_html(root, "jsonld", ld->data, ld->len);
	if (nothers)
		tval_set_bool(root, "has_others", 1);
	if (hidden)
		theme_set_count(s, root, "hidden_answers", hidden, "more_answers");
	theme_set_count(s, root, "answer_count", nanswers, "answers");

	q = store_stmt(w->st, SQL_COMMENTS);
	bind_int(q, 1, t->source_id);
	bind_int(q, 2, t->ext_id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t post = sqlite3_column_int64(q, 0);
		const char *name = (const char *)sqlite3_column_text(q, 3);
		const char *role = (const char *)sqlite3_column_text(q, 4);
		const char *created = (const char *)sqlite3_column_text(q, 1);
		struct tval *c;

		for (k = 0; k < nshown; k++)
			if (shown[k].ext == post)
				break;
		if (k == nshown)
			continue;
		if (lic_add(w, pg, &ls, (const char *)sqlite3_column_text(q,
		    6)) < 0) {
			sqlite3_reset(q);
			goto out;
		}
		list = (struct tval *)tval_get(shown[k].map, "comments");
		c = tval_map(cx);
		buf_reset(body);
		body_fix(w, pg->ref, rootb->data,
		    (const char *)sqlite3_column_text(q, 5),
		    (size_t)sqlite3_column_bytes(q, 5), body);
		tval_set_html(c, "body", body->data, body->len);
		tval_set_cstr(c, "author", name ? name :
		    theme_loc(s, "deleted_user"));
		tval_set_cstr(c, "created", created ? created : "");
		page_set_day(c, "day", created);
		if (role && (strcmp(role, "staff") == 0 ||
		    strcmp(role, "moderator") == 0 ||
		    strcmp(role, "admin") == 0))
			tval_set_bool(c, "staff", 1);
		tval_list_push(list, c);
		tval_set_bool(shown[k].map, "has_comments", 1);
	}
	sqlite3_reset(q);
	if (step != SQLITE_DONE) {
		store_fail(w->st);
		goto out;
	}

	list = tval_set_list(root, "tags");
	for (k = 0; k < t->tags.n; k++) {
		const struct tag *g = &s->tags[t->tags.v[k]];

		m = tval_map(cx);
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

		m = tval_map(cx);
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
	page_related_list(w, root, pg->ref);
	if (t->topic >= 0) {
		m = tval_set_map(root, "topic");
		tval_set_cstr(m, "label", s->topics[t->topic].label);
		tval_set_int(m, "id", s->topics[t->topic].id);
	}
	rc = 0;
out:
	for (k = 0; k < ls.n; k++)
		free(ls.seen[k]);
	return rc;
}

static int
do_page(struct worker *w, struct page *p)
{
	struct site *s = w->s;
	const struct manifest_entry *o = plan_find_old(s, p->path);
	const struct buf *out;
	size_t bad;

	if (o && p->key && o->key == p->key &&
	    files_keep(w, p, o->size) == 0) {
		p->hash = o->hash;
		p->size = o->size;
		p->status = ST_KEPT;
		return 0;
	}
	if (p->kind == P_SEARCHDATA) {
		out = &s->shards.data[p->ref];
	} else {
		if (page_render(w, p) < 0)
			return -1;
		out = &w->out;
	}
	p->hash = fq_hash64(out->data, out->len, 0);
	p->size = (int64_t)out->len;
	if (o && o->hash == p->hash && o->size == p->size &&
	    files_keep(w, p, o->size) == 0) {
		p->status = ST_KEPT;
		return 0;
	}
	if (files_write(s->outfd, p->path, out->data, out->len,
	    s->prev == NULL && !s->fresh, p->own, &bad) < 0) {
		struct buf m = BUF_INIT;

		files_write_failed(&m, s, p->path, bad);
		site_fail(w, "%s", m.data);
		buf_release(&m);
		return -1;
	}
	p->status = ST_WRITTEN;
	return 0;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct site *s = w->s;

	for (;;) {
		size_t i = atomic_fetch_add(&s->next, 1);
		struct page *p = plan_queued_page(s, i);

		if (p == NULL || atomic_load(&s->failed))
			break;
		if (do_page(w, p) < 0) {
			atomic_fetch_add(&s->failed, 1);
			break;
		}
	}
	return NULL;
}

static int
worker_init(struct worker *w, struct site *s)
{
	size_t i;

	memset(w, 0, sizeof *w);
	w->s = s;
	render_keeper_init(&w->keep, s->prevfd, s->outfd);
	buf_init(&w->out);
	buf_init(&w->a);
	buf_init(&w->b);
	buf_init(&w->body);
	buf_init(&w->ld);
	buf_init(&w->ans);
	buf_init(&w->sug);
	buf_init(&w->rootb);
	w->cx = tctx_new();
	/* The locale strings once per worker, not once per page, and
	 * escaped once ({{t.key}} would escape them on every page). */
	w->lcx = tctx_new();
	w->loc = tval_map(w->lcx);
	for (i = 0; i < s->nloc; i++) {
		buf_reset(&w->a);
		esc_attr(&w->a, s->loc[i].v, strlen(s->loc[i].v));
		tval_set_html(w->loc, s->loc[i].k, w->a.data, w->a.len);
	}
	w->set = tset_new();
	for (i = 0; i < s->nthemes; i++) {
		if (tset_load_dir(w->set, s->themes[i]) < 0) {
			fq_err("%s", tset_errmsg(w->set));
			return -1;
		}
	}
	for (i = 0; i <= P_SEARCHDATA; i++) {
		const char *name = page_template((enum pkind)i);

		if (name && !tset_has(w->set, name)) {
			fq_err("%s: no template '%s.mustache'", s->themes[0],
			    name);
			return -1;
		}
	}
	if ((w->st = store_open(s->db_path, 1)) == NULL)
		return -1;
	/* One read transaction for the whole run: one snapshot, and no
	 * lock traffic per statement.  A worker reads each thread's posts
	 * once: 1 MB of cache keeps the b-tree interiors, and the peak of
	 * a small site low (bench/render.sh: 4 MB cost 5 MB more at 1x and
	 * no time). */
	return store_exec(w->st, "PRAGMA cache_size=-1024; BEGIN");
}

static void
worker_release(struct worker *w)
{
	if (w->st)
		store_rollback(w->st);
	store_close(w->st);
	tset_free(w->set);
	tctx_free(w->cx);
	tctx_free(w->lcx);
	buf_release(&w->out);
	buf_release(&w->a);
	buf_release(&w->b);
	buf_release(&w->body);
	buf_release(&w->ld);
	buf_release(&w->ans);
	buf_release(&w->sug);
	buf_release(&w->rootb);
	free(w->keys);
	render_keeper_release(&w->keep);
}

/* ---- the run ------------------------------------------------------------ */

static void
site_release(struct site *s)
{
	size_t i;

	for (i = 0; i < s->nsrcs; i++) {
		free(s->srcs[i].name);
		free(s->srcs[i].shortname);
	}
	free(s->srcs);
	free(s->lic_name);
	free(s->lic_url);
	for (i = 0; i < s->nt; i++) {
		struct thr *t = &s->t[i];

		free(t->title);
		free(t->slug);
		free(t->path);
		free(t->etitle);
		free(t->created);
		free(t->activity);
		free(t->url);
		free(t->tags.v);
		free(t->links.v);
		free(t->dup_out.v);
		free(t->related.v);
		free(t->also.v);
		free(t->article);
		free(t->writer);
	}
	free(s->t);
	free(s->by_id);
	for (i = 0; i < s->ntags; i++) {
		free(s->tags[i].name);
		free(s->tags[i].slug);
		free(s->tags[i].desc);
		free(s->tags[i].pages.v);
	}
	free(s->tags);
	for (i = 0; i < s->ntopics; i++) {
		free(s->topics[i].label);
		free(s->topics[i].members.v);
		free(s->topics[i].sim);
		free(s->topics[i].first);
		free(s->topics[i].last);
	}
	free(s->topics);
	for (i = 0; i < s->ncontribs; i++) {
		free(s->contribs[i].name);
		free(s->contribs[i].role);
	}
	free(s->contribs);
	free(s->entries.v);
	for (i = 0; i < s->nloc; i++) {
		free(s->loc[i].k);
		free(s->loc[i].v);
	}
	free(s->loc);
	for (i = 0; i < s->nthemes; i++)
		free(s->themes[i]);
	free(s->olds);
	free(s->manifest);
	for (i = 0; i < s->npages; i++)
		free(s->pages[i].path);
	free(s->pages);
	for (i = 0; i < s->nspages; i++)
		free(s->spages[i].path);
	free(s->spages);
	shards_release(&s->shards);
	free(s->base_path);
	if (s->outfd >= 0)
		close(s->outfd);
	if (s->prevfd >= 0)
		close(s->prevfd);
	pthread_mutex_destroy(&s->errlock);
	pthread_mutex_destroy(&s->qlock);
	pthread_cond_destroy(&s->qcond);
}

/* The static search's files, for every entry (render/shards.c). */
static int
search_files(struct site *s, struct store *st)
{
	struct shard_doc *d = xcalloc(s->entries.n + 1, sizeof *d);
	struct shard_topic *tp = xcalloc(s->ntopics + 1, sizeof *tp);
	struct buf *paths = xcalloc(s->entries.n + 1, sizeof *paths);
	int64_t *folded = xcalloc(s->nt + 1, sizeof *folded);
	int *at = xcalloc(s->nt + 1, sizeof *at);
	size_t i, nt = 0, nf = 0;
	int rc;

	/* Folded threads grouped by their entry, in thread order. */
	for (i = 0; i < s->entries.n; i++)
		at[s->entries.v[i]] = (int)i + 1;
	for (i = 0; i < s->nt; i++)
		if (s->t[i].fold >= 0 && !s->t[i].page && at[s->t[i].fold])
			d[at[s->t[i].fold] - 1].nfolded++;
	for (i = 0; i < s->entries.n; i++) {
		d[i].folded = folded + nf;
		nf += d[i].nfolded;
		d[i].nfolded = 0;
	}
	for (i = 0; i < s->nt; i++) {
		struct shard_doc *e;

		if (s->t[i].fold < 0 || s->t[i].page || !at[s->t[i].fold])
			continue;
		e = &d[at[s->t[i].fold] - 1];
		folded[(size_t)(e->folded - folded) + e->nfolded++] =
		    s->t[i].id;
	}
	for (i = 0; i < s->entries.n; i++) {
		const struct thr *t = &s->t[s->entries.v[i]];

		buf_init(&paths[i]);
		plan_entry_path(s, s->entries.v[i], &paths[i]);
		d[i].thread_id = t->id;
		d[i].source = s->srcs[t->src].shortname;
		d[i].ext = t->ext_id;
		d[i].title = t->title;
		d[i].path = paths[i].data;
	}
	for (i = 0; i < s->ntopics; i++) {
		const struct topic *p = &s->topics[i];

		if (p->canonical < 0)
			continue;
		tp[nt].id = p->id;
		tp[nt].label = p->label ? p->label : s->t[p->canonical].title;
		tp[nt++].size = p->members.n;
	}
	rc = shards_build(st, d, s->entries.n, tp, nt, &s->shards);
	for (i = 0; i < s->entries.n; i++)
		buf_release(&paths[i]);
	free(paths);
	free(folded);
	free(at);
	free(d);
	free(tp);
	return rc;
}

int
render_site(const char *db_path, const char *out, const char *prev,
    const struct render_opts *o, struct render_result *res)
{
	struct site s;
	struct store *st = NULL;
	struct worker *ws = NULL;
	int nw = o->threads > 0 ? o->threads : 2, i, started = 0, rc = -1;
	const char *bp;
	size_t k;
	int64_t t0 = fq_now_ms();
	int timing;

	memset(res, 0, sizeof *res);
	memset(&s, 0, sizeof s);
	pthread_mutex_init(&s.errlock, NULL);
	pthread_mutex_init(&s.qlock, NULL);
	pthread_cond_init(&s.qcond, NULL);
	atomic_init(&s.next, 0);
	atomic_init(&s.failed, 0);
	s.outfd = s.prevfd = -1;
	s.o = o;
	s.db_path = db_path;
	s.out = out;
	s.prev = prev;
	s.title = o->title ? o->title : "FAQ";
	s.base_url = o->base_url ? o->base_url : "http://localhost:8080/";
	s.lang = o->language ? o->language : "en";
	bp = strstr(s.base_url, "//");
	bp = bp ? strchr(bp + 2, '/') : NULL;
	s.base_path = xstrdup(bp ? bp : "/");
	if (!render_ends_with(s.base_url, "/")) {
		fq_err("base URL '%s' must end with '/'", s.base_url);
		goto out;
	}
	s.global = key_str(fq_hash64(RENDER_VERSION, sizeof RENDER_VERSION, 0),
	    s.title);
	s.global = key_str(key_str(s.global, s.base_url), s.lang);
	if (o->content_license) {
		const char *why = license_parse(o->content_license,
		    &s.lic_name, &s.lic_url);

		if (why) {
			fq_err("%s", why);
			goto out;
		}
		s.global = key_str(key_str(s.global, s.lic_name), s.lic_url);
	}
	if (mkdir(out, 0755) == 0) {
		s.fresh = 1;
	} else if (errno != EEXIST) {
		fq_err("%s: %s", out, strerror(errno));
		goto out;
	}
	if ((s.outfd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fq_err("%s: %s", out, strerror(errno));
		goto out;
	}
	if (prev && (s.prevfd = open(prev, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0) {
		fq_err("%s: %s", prev, strerror(errno));
		goto out;
	}
	timing = getenv("FAQTORY_TIMING") != NULL;
	t0 = fq_now_ms();
	if (theme_load(&s) < 0 || model_load(&s, &st) < 0 || theme_pages(&s) < 0)
		goto out;
	/* Before plan: a URL the previous tree published stays
	 * (keep_urls). */
	plan_load_manifest(&s, prev ? prev : out);
	plan_pages(&s);
	/* A build's staging release (prev set) is as new as a folder
	 * made here: render_release_begin made it empty. */
	if (s.fresh || prev)
		files_plan_dirs(&s);
	if (timing)
		fprintf(stderr, "render: model %lld ms\n",
		    (long long)(fq_now_ms() - t0));
	if (timing)
		fprintf(stderr, "render: model and plan %lld ms\n",
		    (long long)(fq_now_ms() - t0));

	ws = xcalloc((size_t)nw, sizeof *ws);
	for (i = 0; i < nw; i++) {
		if (worker_init(&ws[i], &s) < 0) {
			worker_release(&ws[i]);
			atomic_fetch_add(&s.failed, 1);
			break;
		}
		started++;
	}
	for (i = 1; i < started; i++) {
		if (pthread_create(&ws[i].tid, NULL, work, &ws[i]) != 0) {
			worker_release(&ws[i]);
			started = i;
			break;
		}
	}
	/* The contributors and the search files take one core while the
	 * other renders pages; then this thread joins the page queue. */
	if (atomic_load(&s.failed) == 0 && (model_load_contribs(&s, st) < 0 ||
	    search_files(&s, st) < 0))
		atomic_fetch_add(&s.failed, 1);
	plan_shards(&s, atomic_load(&s.failed) == 0);
	store_close(st);
	st = NULL;
	if (started > 0)
		work(&ws[0]);
	for (i = 1; i < started; i++)
		pthread_join(ws[i].tid, NULL);
	if (s.nspages > 0) {
		s.pages = xreallocarray(s.pages, s.npages + s.nspages,
		    sizeof *s.pages);
		memcpy(s.pages + s.npages, s.spages,
		    s.nspages * sizeof *s.pages);
		s.npages += s.nspages;
		s.capages = s.npages;
		free(s.spages);
		s.spages = NULL;
		s.nspages = 0;
	}
	if (timing)
		fprintf(stderr, "render: pages %lld ms\n",
		    (long long)(fq_now_ms() - t0));
	for (i = 0; i < started; i++)
		worker_release(&ws[i]);
	if (started == 0 || atomic_load(&s.failed))
		goto out;

	if (s.npages > 1)
		qsort(s.pages, s.npages, sizeof *s.pages, plan_page_cmp);
	for (k = 0; k < s.npages; k++) {
		if (s.pages[k].status == ST_WRITTEN)
			res->written++;
		else
			res->kept++;
		if (s.pages[k].kind == P_ENTRY)
			res->entries++;
	}
	res->pages = (int64_t)s.npages;
	res->removed = files_remove_gone(&s);
	if (files_write_manifest(&s) < 0)
		goto out;
	rc = 0;
out:
	store_close(st);
	free(ws);
	site_release(&s);
	return rc;
}
