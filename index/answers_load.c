/*
 * answers_load: what answer selection reads from the store, in one
 * pass per table: sources, threads (with the asker), answers (with the
 * author's role), dated votes, and the asker's words on each answer.
 *
 * The asker's words: on Stack Exchange, the asker's comments on an
 * answer; on GitHub, the asker's replies to a top-level comment; on
 * the forum formats (GitHub, Discourse), also the asker's own later
 * post, about the nearest earlier answer by someone else.  Words that
 * reveal the mark ("accepted", "marked as the solution") are dropped
 * everywhere: they exist because of the acceptance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/htmltext.h"
#include "core/xmalloc.h"
#include "index/answers.h"
#include "index/index_int.h"

static const char SQL_A_SOURCES[] =
    "SELECT s.id, s.name, s.kind, s.lang,"
    " EXISTS(SELECT 1 FROM votes v WHERE v.source_id=s.id)"
    " FROM sources s ORDER BY s.id";
static const char SQL_A_THREADS[] =
    "SELECT t.id, t.source_id, t.ext_id, t.created, t.views,"
    " t.accepted_ext, t.accepted_day, q.author_ext, q.author_name"
    " FROM threads t LEFT JOIN posts q ON q.source_id=t.source_id"
    " AND q.thread_ext=t.ext_id AND q.kind=1"
    " ORDER BY t.source_id, t.ext_id";
static const char SQL_A_POSTS[] =
    "SELECT p.source_id, p.thread_ext, p.ext_id, p.created, p.score,"
    " p.author_ext, p.author_name, coalesce(a.role, ''), p.body_html"
    " FROM posts p LEFT JOIN authors a ON a.source_id=p.source_id"
    " AND a.ext_id=p.author_ext WHERE p.kind=2"
    " ORDER BY p.source_id, p.thread_ext, p.ext_id";
static const char SQL_A_VOTES[] =
    "SELECT source_id, post_ext, day, up - down FROM votes"
    " ORDER BY source_id, post_ext, day";
static const char SQL_A_COMMENTS[] =
    "SELECT source_id, post_ext, created, author_ext, body_html"
    " FROM comments WHERE author_ext IS NOT NULL"
    " ORDER BY source_id, post_ext, ext_id";

/* A post by its source and ext_id. */
struct pkey {
	int64_t src, ext;
	size_t post;
};

struct loader {
	struct store *st;
	struct ans_set *s;
	size_t *post_th;      /* per post: its thread */
	struct pkey *keys;    /* sorted */
	size_t nkeys;
	struct buf text, low;
	struct tmp_rem { size_t post; struct ans_remark r; } *rems;
	size_t nrems, caprems;
};

static void
copy_time(char *dst, const unsigned char *src)
{
	snprintf(dst, ANS_TIME, "%s", src ? (const char *)src : "");
}

static int
src_index(const struct ans_set *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->nsrcs; i++)
		if (s->srcs[i].id == id)
			return (int)i;
	return -1;
}

/* An author key: the account, else a hash of the display name. */
static int64_t
author_key(sqlite3_stmt *q, int col, int *anon)
{
	const char *name;

	*anon = sqlite3_column_type(q, col) == SQLITE_NULL;
	if (!*anon)
		return sqlite3_column_int64(q, col);
	name = (const char *)sqlite3_column_text(q, col + 1);
	return -(int64_t)(fq_hash64(name ? name : "", name ? strlen(name) : 0,
	    7) >> 2) - 1;
}

static int
load_sources(struct loader *L)
{
	sqlite3_stmt *q = store_stmt(L->st, SQL_A_SOURCES);
	struct ans_set *s = L->s;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ans_source *src;
		const char *lang = (const char *)sqlite3_column_text(q, 3);

		s->srcs = xreallocarray(s->srcs, s->nsrcs + 1, sizeof *s->srcs);
		src = &s->srcs[s->nsrcs++];
		memset(src, 0, sizeof *src);
		src->id = sqlite3_column_int64(q, 0);
		src->name = xstrdup((const char *)sqlite3_column_text(q, 1));
		src->kind = xstrdup((const char *)sqlite3_column_text(q, 2));
		src->se = strcmp(src->kind, "stackexchange") == 0;
		src->dated = src->se && sqlite3_column_int(q, 4);
		if (ans_phrases_load(L->st, src, lang && *lang ? lang : NULL) < 0)
			return -1;
	}
	return rc == SQLITE_DONE ? 0 : store_fail(L->st);
}

static int
load_threads(struct loader *L)
{
	sqlite3_stmt *q = store_stmt(L->st, SQL_A_THREADS);
	struct ans_set *s = L->s;
	size_t cap = 0;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ans_thread *t;
		int64_t id = sqlite3_column_int64(q, 0);

		if (s->nth && s->th[s->nth - 1].id == id)
			continue; /* a second question post: the first one */
		if (s->nth == cap) {
			cap = cap ? 2 * cap : 1024;
			s->th = xreallocarray(s->th, cap, sizeof *s->th);
		}
		t = &s->th[s->nth++];
		memset(t, 0, sizeof *t);
		t->id = id;
		t->src = src_index(s, sqlite3_column_int64(q, 1));
		t->ext = sqlite3_column_int64(q, 2);
		copy_time(t->t, sqlite3_column_text(q, 3));
		t->views = sqlite3_column_int64(q, 4);
		t->has_accepted = sqlite3_column_type(q, 5) != SQLITE_NULL;
		t->accepted = sqlite3_column_int64(q, 5);
		copy_time(t->acc, sqlite3_column_text(q, 6));
		t->acc_exact = strlen(t->acc) > 10;
		t->asker = author_key(q, 7, &t->asker_anon);
	}
	return rc == SQLITE_DONE ? 0 : store_fail(L->st);
}

/* Words of HTML as whitespace-separated runs of its text: tags and
 * no-break spaces separate, an entity is one character. */
static int32_t
count_words(const char *h, size_t n)
{
	int32_t words = 0;
	int in = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = h[i];
		int space = c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v';

		if (c == '<') {
			const char *e = memchr(h + i, '>', n - i);

			i = e ? (size_t)(e - h) : n;
			space = 1;
		} else if (c == '&' && (strncmp(h + i, "&nbsp;", 6) == 0 ||
		    strncmp(h + i, "&#160;", 6) == 0)) {
			i += 5;
			space = 1;
		} else if ((unsigned char)c == 0xc2 && i + 1 < n &&
		    (unsigned char)h[i + 1] == 0xa0) {
			i++;
			space = 1;
		}
		if (!space && !in)
			words++;
		in = !space;
	}
	return words;
}

static int
has_code(const char *h)
{
	return strstr(h, "<pre") || strstr(h, "<code") || strstr(h, "<PRE") ||
	    strstr(h, "<CODE");
}

/* The folded plain text of stored HTML, in L->low. */
static void
folded(struct loader *L, const char *h, size_t n)
{
	buf_reset(&L->text);
	buf_reset(&L->low);
	htmltext_append(&L->text, h, n);
	index_fold(&L->low, L->text.data, L->text.len);
}

static struct ans_thread *
thread_of(struct ans_set *s, size_t *cur, int64_t src, int64_t ext)
{
	while (*cur < s->nth) {
		struct ans_thread *t = &s->th[*cur];
		int64_t tsrc = t->src >= 0 ? s->srcs[t->src].id : -1;

		if (tsrc > src || (tsrc == src && t->ext > ext))
			return NULL;
		if (tsrc == src && t->ext == ext)
			return t;
		(*cur)++;
	}
	return NULL;
}

static int
by_time(const void *a, const void *b)
{
	const struct ans_post *x = a, *y = b;
	int c = strcmp(x->t, y->t);

	if (c)
		return c;
	return x->ext < y->ext ? -1 : x->ext > y->ext;
}

static int
load_posts(struct loader *L)
{
	sqlite3_stmt *q = store_stmt(L->st, SQL_A_POSTS);
	struct ans_set *s = L->s;
	struct ans_thread *t = NULL;
	size_t cur = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t src = sqlite3_column_int64(q, 0);
		int64_t thr = sqlite3_column_int64(q, 1);
		const char *role = (const char *)sqlite3_column_text(q, 7);
		const char *h = (const char *)sqlite3_column_text(q, 8);
		size_t hn = (size_t)sqlite3_column_bytes(q, 8);
		struct ans_post *p;

		if (t == NULL || s->srcs[t->src].id != src || t->ext != thr) {
			t = thread_of(s, &cur, src, thr);
			if (t == NULL)
				continue;
			t->post0 = s->nposts;
		}
		if (s->nposts == cap) {
			cap = cap ? 2 * cap : 4096;
			s->posts = xreallocarray(s->posts, cap, sizeof *s->posts);
		}
		p = &s->posts[s->nposts++];
		memset(p, 0, sizeof *p);
		t->npost++;
		p->ext = sqlite3_column_int64(q, 2);
		copy_time(p->t, sqlite3_column_text(q, 3));
		p->score = sqlite3_column_int64(q, 4);
		p->author = author_key(q, 5, &p->anon);
		p->staff = strcmp(role, "staff") == 0 ||
		    strcmp(role, "moderator") == 0 || strcmp(role, "admin") == 0;
		p->words = count_words(h ? h : "", h ? hn : 0);
		p->code = h && has_code(h);
		if (p->author == t->asker && p->anon == t->asker_anon && h) {
			folded(L, h, hn);
			p->solved = (unsigned char)ans_any(&s->srcs[t->src].ph,
			    PH_SELF_FIX, L->low.data, L->low.len);
		}
	}
	return rc == SQLITE_DONE ? 0 : store_fail(L->st);
}

static int
by_key(const void *a, const void *b)
{
	const struct pkey *x = a, *y = b;

	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	return x->ext < y->ext ? -1 : x->ext > y->ext;
}

/* Chronological posts per thread, the accepted answer found, and the
 * (source, ext) -> post lookup. */
static void
index_posts(struct loader *L)
{
	struct ans_set *s = L->s;
	size_t i, j;

	L->post_th = xreallocarray(NULL, s->nposts ? s->nposts : 1,
	    sizeof *L->post_th);
	L->keys = xreallocarray(NULL, s->nposts ? s->nposts : 1,
	    sizeof *L->keys);
	for (i = 0; i < s->nth; i++) {
		struct ans_thread *t = &s->th[i];
		int found = 0;

		if (t->npost > 1)
			qsort(s->posts + t->post0, t->npost, sizeof *s->posts,
			    by_time);
		for (j = t->post0; j < t->post0 + t->npost; j++) {
			L->post_th[j] = i;
			L->keys[L->nkeys].src = s->srcs[t->src].id;
			L->keys[L->nkeys].ext = s->posts[j].ext;
			L->keys[L->nkeys++].post = j;
			found |= t->has_accepted && s->posts[j].ext == t->accepted;
		}
		t->has_accepted = found;
	}
	if (L->nkeys > 1)
		qsort(L->keys, L->nkeys, sizeof *L->keys, by_key);
}

static int
find_post(const struct loader *L, int64_t src, int64_t ext, size_t *post)
{
	struct pkey k = { src, ext, 0 };
	struct pkey *hit = L->nkeys ? bsearch(&k, L->keys, L->nkeys,
	    sizeof k, by_key) : NULL;

	if (hit)
		*post = hit->post;
	return hit != NULL;
}

struct tmp_vote {
	size_t post;
	struct ans_vote v;
};

static int
by_post_day(const void *a, const void *b)
{
	const struct tmp_vote *x = a, *y = b;

	if (x->post != y->post)
		return x->post < y->post ? -1 : 1;
	return strcmp(x->v.day, y->v.day);
}

static int
load_votes(struct loader *L)
{
	sqlite3_stmt *q = store_stmt(L->st, SQL_A_VOTES);
	struct ans_set *s = L->s;
	struct tmp_vote *tv = NULL;
	size_t n = 0, cap = 0, i, post;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *day = (const char *)sqlite3_column_text(q, 2);

		if (!find_post(L, sqlite3_column_int64(q, 0),
		    sqlite3_column_int64(q, 1), &post))
			continue; /* a question's votes */
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			tv = xreallocarray(tv, cap, sizeof *tv);
		}
		tv[n].post = post;
		snprintf(tv[n].v.day, sizeof tv[n].v.day, "%s", day ? day : "");
		tv[n++].v.delta = (int32_t)sqlite3_column_int64(q, 3);
	}
	if (n > 1)
		qsort(tv, n, sizeof *tv, by_post_day);
	s->votes = xreallocarray(NULL, n ? n : 1, sizeof *s->votes);
	for (i = 0; i < n; i++) {
		struct ans_post *p = &s->posts[tv[i].post];

		if (p->nvote == 0)
			p->vote0 = i;
		p->nvote++;
		s->votes[i] = tv[i].v;
	}
	s->nvotes = n;
	free(tv);
	return rc == SQLITE_DONE ? 0 : store_fail(L->st);
}

static void
remark(struct loader *L, size_t post, const char *t, const char *h,
    size_t hn)
{
	const struct ans_set *s = L->s;
	struct tmp_rem r;

	folded(L, h, hn);
	memset(&r, 0, sizeof r);
	r.post = post;
	if (ans_verdict(&s->srcs[s->th[L->post_th[post]].src].ph, L->low.data,
	    L->low.len, &r.r.thanks, &r.r.neg) < 0)
		return;
	snprintf(r.r.t, sizeof r.r.t, "%s", t ? t : "");
	if (L->nrems == L->caprems) {
		L->caprems = L->caprems ? 2 * L->caprems : 1024;
		L->rems = xreallocarray(L->rems, L->caprems, sizeof *L->rems);
	}
	L->rems[L->nrems++] = r;
}

/* The asker's comments (replies, on GitHub) on someone else's answer. */
static int
load_comments(struct loader *L)
{
	sqlite3_stmt *q = store_stmt(L->st, SQL_A_COMMENTS);
	struct ans_set *s = L->s;
	size_t post;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const struct ans_thread *t;
		const char *h = (const char *)sqlite3_column_text(q, 4);

		if (!find_post(L, sqlite3_column_int64(q, 0),
		    sqlite3_column_int64(q, 1), &post) || h == NULL)
			continue;
		t = &s->th[L->post_th[post]];
		if (t->asker_anon || sqlite3_column_int64(q, 3) != t->asker ||
		    (s->posts[post].author == t->asker &&
			s->posts[post].anon == t->asker_anon))
			continue;
		remark(L, post, (const char *)sqlite3_column_text(q, 2), h,
		    (size_t)sqlite3_column_bytes(q, 4));
	}
	return rc == SQLITE_DONE ? 0 : store_fail(L->st);
}

static const char SQL_A_BODY[] =
    "SELECT body_html FROM posts WHERE source_id=?1 AND ext_id=?2";

/* Forums: the asker's own post after an answer speaks about it. */
static int
load_followups(struct loader *L)
{
	struct ans_set *s = L->s;
	size_t i, j;

	for (i = 0; i < s->nth; i++) {
		const struct ans_thread *t = &s->th[i];
		size_t other = (size_t)-1;

		if (t->src < 0 || s->srcs[t->src].se)
			continue;
		for (j = t->post0; j < t->post0 + t->npost; j++) {
			const struct ans_post *p = &s->posts[j];
			sqlite3_stmt *q;

			if (p->author != t->asker || p->anon != t->asker_anon) {
				other = j;
				continue;
			}
			if (other == (size_t)-1)
				continue;
			q = store_stmt(L->st, SQL_A_BODY);
			bind_int(q, 1, s->srcs[t->src].id);
			bind_int(q, 2, p->ext);
			if (sqlite3_step(q) == SQLITE_ROW)
				remark(L, other, p->t,
				    (const char *)sqlite3_column_text(q, 0),
				    (size_t)sqlite3_column_bytes(q, 0));
			sqlite3_reset(q);
		}
	}
	return 0;
}

static int
by_post_time(const void *a, const void *b)
{
	const struct tmp_rem *x = a, *y = b;

	if (x->post != y->post)
		return x->post < y->post ? -1 : 1;
	return strcmp(x->r.t, y->r.t);
}

static void
place_remarks(struct loader *L)
{
	struct ans_set *s = L->s;
	size_t i;

	if (L->nrems > 1)
		qsort(L->rems, L->nrems, sizeof *L->rems, by_post_time);
	s->rems = xreallocarray(NULL, L->nrems ? L->nrems : 1, sizeof *s->rems);
	for (i = 0; i < L->nrems; i++) {
		struct ans_post *p = &s->posts[L->rems[i].post];

		if (p->nrem == 0)
			p->rem0 = i;
		p->nrem++;
		s->rems[i] = L->rems[i].r;
	}
	s->nrems = L->nrems;
}

int
ans_load(struct store *st, struct ans_set *s)
{
	struct loader L;
	int rc = -1;

	memset(s, 0, sizeof *s);
	memset(&L, 0, sizeof L);
	L.st = st;
	L.s = s;
	buf_init(&L.text);
	buf_init(&L.low);
	if (load_sources(&L) < 0 || load_threads(&L) < 0 || load_posts(&L) < 0)
		goto out;
	index_posts(&L);
	if (load_votes(&L) < 0 || load_comments(&L) < 0 ||
	    load_followups(&L) < 0)
		goto out;
	place_remarks(&L);
	ans_finish(s);
	rc = 0;
out:
	free(L.post_th);
	free(L.keys);
	free(L.rems);
	buf_release(&L.text);
	buf_release(&L.low);
	return rc;
}

void
ans_set_free(struct ans_set *s)
{
	size_t i;

	for (i = 0; i < s->nsrcs; i++) {
		free(s->srcs[i].name);
		free(s->srcs[i].kind);
		ans_phrases_free(&s->srcs[i].ph);
	}
	free(s->srcs);
	free(s->th);
	free(s->posts);
	free(s->votes);
	free(s->rems);
	memset(s, 0, sizeof *s);
}
