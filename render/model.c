/*
 * model: the site's model read from the store (sources, threads, tags,
 * links, topics, curation, contributors: titles and ids, never bodies)
 * and the page-decision policy over it (model_decide: which threads get
 * an entry, which fold into another, and the lists that follow).  Only
 * the main thread writes the model; the workers read it.
 */
#include "render.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/shortname.h"
#include "core/store.h"
#include "core/url.h"
#include "core/xmalloc.h"
#include "render/answer.h"
#include "core/fold.h"
#include "render/render_int.h"

void
ilist_push(struct ilist *l, int v)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = v;
}

int
ilist_has(const struct ilist *l, int v)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return 1;
	return 0;
}

/* An item of a list and where it was, to sort by item. */
struct ipos {
	int v;
	size_t at;
};

static int
cmp_ipos(const void *a, const void *b)
{
	const struct ipos *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

/* Drops every item of l seen before in it, keeping the order of first
 * sight: a sort, where a look back per item made a thread that
 * thousands of others link to quadratic. */
static void
ilist_unique(struct ilist *l)
{
	struct ipos *p;
	unsigned char *drop;
	size_t i, k;

	if (l->n < 2)
		return;
	p = xreallocarray(NULL, l->n, sizeof *p);
	drop = xcalloc(l->n, 1);
	for (i = 0; i < l->n; i++) {
		p[i].v = l->v[i];
		p[i].at = i;
	}
	qsort(p, l->n, sizeof *p, cmp_ipos);
	for (i = 1; i < l->n; i++)
		if (p[i].v == p[i - 1].v)
			drop[p[i].at] = 1;
	for (i = k = 0; i < l->n; i++)
		if (!drop[i])
			l->v[k++] = l->v[i];
	l->n = k;
	free(p);
	free(drop);
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const char *p = (const char *)sqlite3_column_text(s, i);

	return p ? xstrdup(p) : NULL;
}

int
model_thread(const struct site *s, int64_t source_id, int64_t ext)
{
	size_t lo = 0, hi = s->nt;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct thr *t = &s->t[mid];

		if (t->source_id < source_id ||
		    (t->source_id == source_id && t->ext_id < ext))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nt && s->t[lo].source_id == source_id &&
	    s->t[lo].ext_id == ext)
		return (int)lo;
	return -1;
}

int
model_thread_id(const struct site *s, int64_t id)
{
	if (id < 0 || (uint64_t)id >= (uint64_t)s->nby_id)
		return -1;
	return s->by_id[id];
}

static int
tag_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tag *)a)->name,
	    ((const struct tag *)b)->name);
}

static int
find_tag(const struct site *s, const char *name)
{
	struct tag key = { 0 };
	const struct tag *t;

	key.name = (char *)name;
	if (s->ntags == 0 || name == NULL)
		return -1;
	t = bsearch(&key, s->tags, s->ntags, sizeof *t, tag_cmp);
	return t ? (int)(t - s->tags) : -1;
}

static int
in_list(char *const *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return 1;
	return 0;
}

/* The canonical entry of thread i (itself, its fold target) or -1. */
int
model_target(const struct site *s, int i)
{
	if (i < 0)
		return -1;
	if (s->t[i].page)
		return i;
	return s->t[i].fold;
}

/* The page that shows thread i: its entry, its fold target's, or its
 * "no entry" page; -1 if it has none. */
int
model_home(const struct site *s, int i)
{
	int c = model_target(s, i);

	return c >= 0 || !s->t[i].stub ? c : i;
}

static const char SQL_SOURCES[] =
    "SELECT id, name, short FROM sources ORDER BY id";
static const char SQL_THREADS[] =
    "SELECT id, source_id, ext_id, title, created, last_activity, score,"
    " views, accepted_ext, url, hash FROM threads"
    " ORDER BY source_id, ext_id";
static const char SQL_TAGS_ALL[] =
    "SELECT DISTINCT tag FROM thread_tags ORDER BY tag";
static const char SQL_TAG_DESC[] =
    "SELECT name, description FROM tags WHERE description IS NOT NULL"
    " AND description<>'' ORDER BY name, source_id";
static const char SQL_THREAD_TAGS[] =
    "SELECT source_id, thread_ext, tag FROM thread_tags"
    " ORDER BY source_id, thread_ext, pos, tag";
static const char SQL_LINKS[] =
    "SELECT source_id, from_ext, to_ext, kind FROM links"
    " ORDER BY source_id, from_ext, to_ext, kind";
/* The threads each page's bodies link (ingest resolved them): their
 * page state is part of the page's key (plan.c), so a link follows its
 * target when that gains, loses or moves its entry. */
static const char SQL_BODY_LINKS[] =
    "SELECT DISTINCT source_id, from_ext, to_ext FROM post_links"
    " ORDER BY source_id, from_ext, to_ext";
/* What each thread's page shows of its authors. */
static const char SQL_AUTHOR_KEYS[] =
    "SELECT p.source_id, p.thread_ext,"
    " fq_hsum(fq_hash(p.ext_id, a.name, a.role, a.url)) FROM posts p"
    " JOIN authors a ON a.source_id=p.source_id AND a.ext_id=p.author_ext"
    " GROUP BY p.source_id, p.thread_ext";
/* Posts first (CROSS JOIN keeps that order): both tables are then read
 * through their covering indexes, in thread order, never a body. */
static const char SQL_COMMENT_AUTHOR_KEYS[] =
    "SELECT p.source_id, p.thread_ext,"
    " fq_hsum(fq_hash(c.ext_id, a.name, a.role)) FROM posts p"
    " CROSS JOIN comments c ON c.source_id=p.source_id"
    "  AND c.post_ext=p.ext_id"
    " JOIN authors a ON a.source_id=c.source_id AND a.ext_id=c.author_ext"
    " GROUP BY p.source_id, p.thread_ext";
static const char SQL_ACCEPTED[] =
    "SELECT p.source_id, p.thread_ext, p.author_ext,"
    " coalesce(a.name, p.author_name), a.role, p.score, p.ext_id FROM posts p"
    " LEFT JOIN authors a ON a.source_id=p.source_id"
    "  AND a.ext_id=p.author_ext"
    " WHERE p.accepted=1 ORDER BY p.source_id, p.thread_ext";

static int
step_fail(struct store *st, int rc)
{
	if (rc != SQLITE_DONE)
		return store_fail(st);
	return 0;
}

static const struct site *sort_site; /* for qsort; main thread only */

static int
load_threads(struct site *s, struct store *st)
{
	sqlite3_stmt *q;
	size_t cap = 0, k;
	int rc;

	q = store_stmt(st, SQL_SOURCES);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct src *x;

		s->srcs = xreallocarray(s->srcs, s->nsrcs + 1, sizeof *s->srcs);
		x = &s->srcs[s->nsrcs++];
		x->id = sqlite3_column_int64(q, 0);
		x->name = col_dup(q, 1);
		/* Decided by ingest, unique in the store (core/shortname.h). */
		x->shortname = sqlite3_column_type(q, 2) == SQLITE_NULL ?
		    shortname_base(x->name) : col_dup(q, 2);
	}
	if (step_fail(st, rc) < 0)
		return -1;
	q = store_stmt(st, SQL_THREADS);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct thr *t;

		if (s->nt == cap) {
			cap = cap ? cap * 2 : 1024;
			s->t = xreallocarray(s->t, cap, sizeof *s->t);
		}
		t = &s->t[s->nt++];
		memset(t, 0, sizeof *t);
		t->id = sqlite3_column_int64(q, 0);
		t->source_id = sqlite3_column_int64(q, 1);
		t->ext_id = sqlite3_column_int64(q, 2);
		t->title = col_dup(q, 3);
		t->created = col_dup(q, 4);
		t->activity = col_dup(q, 5);
		t->score = sqlite3_column_int64(q, 6);
		t->views = sqlite3_column_int64(q, 7);
		t->has_accepted = sqlite3_column_type(q, 8) != SQLITE_NULL;
		t->accepted_ext = sqlite3_column_int64(q, 8);
		t->url = col_dup(q, 9);
		/* A second line of defence: the store may predate the
		 * policy (core/url.h) ingest applies. */
		if (t->url && !url_is_safe(t->url, strlen(t->url),
		    URL_ABSOLUTE)) {
			free(t->url);
			t->url = NULL;
		}
		t->hash = (uint64_t)sqlite3_column_int64(q, 10);
		t->slug = render_slugify(t->title ? t->title : "");
		t->fold = -1;
		t->topic = -1;
		t->in_scope = 1;
		for (k = 0; k < s->nsrcs; k++)
			if (s->srcs[k].id == t->source_id)
				t->src = (int)k;
		if (t->created == NULL)
			t->created = xstrdup("");
		if (t->activity == NULL)
			t->activity = xstrdup(t->created);
	}
	if (step_fail(st, rc) < 0)
		return -1;
	/* Thread ids are SQLite rowids, dense in practice: a direct
	 * table. */
	for (k = 0; k < s->nt; k++)
		if (s->t[k].id >= 0 && (size_t)s->t[k].id + 1 > s->nby_id)
			s->nby_id = (size_t)s->t[k].id + 1;
	s->by_id = xcalloc(s->nby_id + 1, sizeof *s->by_id);
	for (k = 0; k < s->nby_id; k++)
		s->by_id[k] = -1;
	for (k = 0; k < s->nt; k++)
		if (s->t[k].id >= 0 && (size_t)s->t[k].id < s->nby_id)
			s->by_id[s->t[k].id] = (int)k;
	return 0;
}

static int
load_tags(struct site *s, struct store *st)
{
	sqlite3_stmt *q;
	size_t cap = 0;
	int rc, ti = -1;
	int64_t src = -1, ext = -1;

	q = store_stmt(st, SQL_TAGS_ALL);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct tag *g;

		if (s->ntags == cap) {
			cap = cap ? cap * 2 : 256;
			s->tags = xreallocarray(s->tags, cap, sizeof *s->tags);
		}
		g = &s->tags[s->ntags++];
		memset(g, 0, sizeof *g);
		g->name = col_dup(q, 0);
		g->slug = render_tag_slug(g->name);
	}
	if (step_fail(st, rc) < 0)
		return -1;
	/* SQLite's ORDER BY uses the same byte order as strcmp. */
	q = store_stmt(st, SQL_TAG_DESC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int g = find_tag(s, (const char *)sqlite3_column_text(q, 0));

		if (g >= 0 && s->tags[g].desc == NULL)
			s->tags[g].desc = col_dup(q, 1);
	}
	if (step_fail(st, rc) < 0)
		return -1;
	q = store_stmt(st, SQL_THREAD_TAGS);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(q, 0);
		int64_t b = sqlite3_column_int64(q, 1);
		int g = find_tag(s, (const char *)sqlite3_column_text(q, 2));

		if (a != src || b != ext) {
			ti = model_thread(s, a, b);
			src = a;
			ext = b;
		}
		if (ti >= 0 && g >= 0 && !ilist_has(&s->t[ti].tags, g))
			ilist_push(&s->t[ti].tags, g);
	}
	return step_fail(st, rc);
}

static int
load_links(struct site *s, struct store *st)
{
	sqlite3_stmt *q = store_stmt(st, SQL_LINKS);
	size_t i;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t src = sqlite3_column_int64(q, 0);
		int a = model_thread(s, src, sqlite3_column_int64(q, 1));
		int b = model_thread(s, src, sqlite3_column_int64(q, 2));
		const char *kind = (const char *)sqlite3_column_text(q, 3);

		if (a < 0 || b < 0 || a == b)
			continue;
		ilist_push(&s->t[a].links, b);
		ilist_push(&s->t[b].links, a);
		if (kind && strcmp(kind, "duplicate") == 0)
			ilist_push(&s->t[a].dup_out, b);
	}
	for (i = 0; i < s->nt; i++)
		ilist_unique(&s->t[i].links);
	return step_fail(st, rc);
}

static int
load_body_links(struct site *s, struct store *st)
{
	sqlite3_stmt *q = store_stmt(st, SQL_BODY_LINKS);
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t src = sqlite3_column_int64(q, 0);
		int a = model_thread(s, src, sqlite3_column_int64(q, 1));
		int b = model_thread(s, src, sqlite3_column_int64(q, 2));

		if (a >= 0 && b >= 0 && a != b)
			ilist_push(&s->t[a].blinks, b);
	}
	return step_fail(st, rc);
}

static int
load_author_keys(struct site *s, struct store *st, const char *sql)
{
	sqlite3_stmt *q = store_stmt(st, sql);
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int i = model_thread(s, sqlite3_column_int64(q, 0),
		    sqlite3_column_int64(q, 1));

		if (i >= 0)
			s->t[i].authors = key_int(s->t[i].authors,
			    sqlite3_column_int64(q, 2));
	}
	return step_fail(st, rc);
}

static int
has_table(struct store *st, const char *name)
{
	static const char sql[] =
	    "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1";
	sqlite3_stmt *q = store_stmt(st, sql);
	int yes;

	bind_text(q, 1, name, strlen(name));
	yes = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_reset(q);
	return yes;
}

/*
 * Clusters and related questions come from index/ when it has run.  Its
 * tables are optional here: a store that was never indexed simply has
 * no topics, and "also asked as" then lists human duplicates only.
 */
static void
load_index(struct site *s, struct store *st)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = NULL;
	const char *sql;

	if (has_table(st, "clusters") && has_table(st, "cluster_members")) {
		sql = "SELECT c.id, c.label, c.canonical_thread, m.thread_id,"
		      " c.first_seen, c.last_seen, m.similarity FROM clusters c"
		      " JOIN cluster_members m ON m.cluster_id=c.id"
		      " ORDER BY c.id, m.thread_id";
		if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
			struct topic *tp = NULL;

			while (sqlite3_step(q) == SQLITE_ROW) {
				int64_t id = sqlite3_column_int64(q, 0);
				int m = model_thread_id(s,
				    sqlite3_column_int64(q, 3));

				if (tp == NULL || tp->id != id) {
					s->topics = xreallocarray(s->topics,
					    s->ntopics + 1, sizeof *s->topics);
					tp = &s->topics[s->ntopics++];
					memset(tp, 0, sizeof *tp);
					tp->id = id;
					tp->label = col_dup(q, 1);
					tp->canonical = model_thread_id(s,
					    sqlite3_column_int64(q, 2));
					tp->first = col_dup(q, 4);
					tp->last = col_dup(q, 5);
				}
				if (m < 0)
					continue;
				ilist_push(&tp->members, m);
				tp->sim = xreallocarray(tp->sim,
				    tp->members.cap, sizeof *tp->sim);
				tp->sim[tp->members.n - 1] =
				    sqlite3_column_double(q, 6);
			}
		}
		sqlite3_finalize(q);
		q = NULL;
	}
	if (has_table(st, "related")) {
		sql = "SELECT thread_id, other_id FROM related"
		      " ORDER BY thread_id, rank";
		if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
			while (sqlite3_step(q) == SQLITE_ROW) {
				int a = model_thread_id(s,
				    sqlite3_column_int64(q, 0));
				int b = model_thread_id(s,
				    sqlite3_column_int64(q, 1));

				if (a >= 0 && b >= 0 && a != b)
					ilist_push(&s->t[a].related, b);
			}
		}
		sqlite3_finalize(q);
	}
}

/* The recurring issues (index/issues.c), when the store has them. */
static void
load_issues(struct site *s, struct store *st)
{
	static const char sql[] =
	    "SELECT i.id, i.canonical_thread, i.size, (SELECT"
	    " coalesce(sum(t.views), 0) FROM issue_members m JOIN threads t"
	    " ON t.id=m.thread_id WHERE m.issue_id=i.id) FROM issues i"
	    " ORDER BY i.id";
	sqlite3_stmt *q = NULL;

	if (!has_table(st, "issues") || sqlite3_prepare_v2(store_db(st), sql,
	    -1, &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(q);
		return;
	}
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct issue *is;

		s->issues = xreallocarray(s->issues, s->nissues + 1,
		    sizeof *s->issues);
		is = &s->issues[s->nissues++];
		is->id = sqlite3_column_int64(q, 0);
		is->canonical = model_thread_id(s, sqlite3_column_int64(q, 1));
		is->size = sqlite3_column_int64(q, 2);
		is->views = sqlite3_column_int64(q, 3);
	}
	sqlite3_finalize(q);
}

/*
 * The writers' curation (ingest/curation.c wrote it into the store):
 * retitle replaces the shown title (the slug, hence the URL, stays),
 * hide unpublishes, merge folds an entry into another, pin puts entries
 * first on the home page, article replaces the accepted answer.
 */
static int
load_curation(struct site *s, struct store *st)
{
	static const char sql[] =
	    "SELECT action, thread_id, target_id, text, html FROM curation"
	    " ORDER BY line";
	sqlite3_stmt *q = store_stmt(st, sql);
	size_t i;
	int rc;

	for (i = 0; i < s->nt; i++)
		s->t[i].merge = -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(q, 0);
		int ti = model_thread_id(s, sqlite3_column_int64(q, 1));
		struct thr *t;

		if (ti < 0 || a == NULL)
			continue;
		t = &s->t[ti];
		if (strcmp(a, "pin") == 0) {
			t->pinned = 1;
		} else if (strcmp(a, "hide") == 0) {
			t->hidden = 1;
		} else if (strcmp(a, "merge") == 0) {
			t->merge = model_thread_id(s,
			    sqlite3_column_int64(q, 2));
		} else if (strcmp(a, "retitle") == 0 &&
		    sqlite3_column_type(q, 3) != SQLITE_NULL) {
			free(t->title);
			t->title = col_dup(q, 3);
		} else if (strcmp(a, "article") == 0 &&
		    sqlite3_column_type(q, 4) != SQLITE_NULL) {
			free(t->article);
			free(t->writer);
			t->article = col_dup(q, 4);
			t->writer = col_dup(q, 3);
		}
	}
	return step_fail(st, rc);
}

static int
cmp_activity(const void *pa, const void *pb, const struct site *s)
{
	const struct thr *a = &s->t[*(const int *)pa];
	const struct thr *b = &s->t[*(const int *)pb];
	int c = strcmp(b->activity, a->activity);

	if (c)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int
cmp_activity_q(const void *a, const void *b)
{
	return cmp_activity(a, b, sort_site);
}

static int
cmp_score_q(const void *pa, const void *pb)
{
	const struct thr *a = &sort_site->t[*(const int *)pa];
	const struct thr *b = &sort_site->t[*(const int *)pb];

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Folds by human duplicate links and writers' merges only (core/fold.c). */
static void
fold_threads(struct site *s)
{
	struct fold_thr *v = xcalloc(s->nt + 1, sizeof *v);
	size_t i;

	for (i = 0; i < s->nt; i++) {
		v[i].page = s->t[i].page;
		v[i].in_scope = s->t[i].in_scope;
		v[i].merge = s->t[i].merge;
		v[i].dup = s->t[i].dup_out.v;
		v[i].ndup = s->t[i].dup_out.n;
	}
	fold_decide(v, s->nt);
	for (i = 0; i < s->nt; i++) {
		s->t[i].page = v[i].page;
		s->t[i].fold = v[i].fold;
	}
	free(v);
}

/* Puts x first among thread i's related questions. */
static void
related_first(struct site *s, int i, int x)
{
	struct ilist *l = &s->t[i].related;
	size_t k;

	if (!ilist_has(l, x))
		ilist_push(l, x);
	for (k = 0; l->v[k] != x; k++)
		;
	memmove(l->v + 1, l->v, k * sizeof *l->v);
	l->v[0] = x;
}

/* A topic's near-duplicates and its canonical entry list each other
 * first among related questions (a member without an entry lists it on
 * its "no entry" page, if it has one): the closest first on the
 * canonical entry (members come by thread id, so ties keep that
 * order). */
static void
near_related(struct site *s, const struct topic *tp)
{
	size_t *v = xcalloc(tp->members.n + 1, sizeof *v), n = 0, k, j;
	int c = tp->canonical;

	for (k = 0; c >= 0 && k < tp->members.n; k++) {
		int m = tp->members.v[k];

		if (m == c || !fold_near(tp->sim[k]))
			continue;
		related_first(s, m, c);
		if (!s->t[m].page)
			continue;
		for (j = n++; j > 0 && tp->sim[v[j - 1]] < tp->sim[k]; j--)
			v[j] = v[j - 1];
		v[j] = k;
	}
	while (n-- > 0)
		related_first(s, c, tp->members.v[v[n]]);
	free(v);
}

/* Which threads get a page, which fold into another, and the lists
 * that hang off that decision. */
void
model_decide(struct site *s)
{
	const struct render_opts *o = s->o;
	size_t i, k;

	for (i = 0; i < s->nt; i++) {
		struct thr *t = &s->t[i];
		int inc = o->ninclude == 0, exc = 0;

		for (k = 0; k < t->tags.n; k++) {
			const char *name = s->tags[t->tags.v[k]].name;

			if (in_list(o->include_tags, o->ninclude, name))
				inc = 1;
			if (in_list(o->exclude_tags, o->nexclude, name))
				exc = 1;
		}
		t->in_scope = inc && !exc && !t->hidden;
		t->page = t->in_scope && t->ans.kind != ANSWER_NONE;
	}
	fold_threads(s);
	/* Topics group questions for the lists (topic pages, the home
	 * page); they never fold one (core/fold.h). */
	for (i = 0; i < s->ntopics; i++) {
		struct topic *tp = &s->topics[i];

		tp->canonical = model_target(s, tp->canonical);
		for (k = 0; k < tp->members.n; k++)
			if (tp->canonical >= 0)
				s->t[tp->members.v[k]].topic = (int)i;
		near_related(s, tp);
	}
	for (i = 0; i < s->nt; i++) {
		struct thr *t = &s->t[i];

		/* Each thread once: no look back (a canonical question of
		 * thousands of duplicates made it quadratic). */
		if (t->fold >= 0)
			ilist_push(&s->t[t->fold].also, (int)i);
		if (t->page) {
			ilist_push(&s->entries, (int)i);
			for (k = 0; k < t->tags.n; k++)
				ilist_push(&s->tags[t->tags.v[k]].pages, (int)i);
		}
	}
	sort_site = s;
	if (s->entries.n > 1)
		qsort(s->entries.v, s->entries.n, sizeof(int), cmp_activity_q);
	for (i = 0; i < s->ntags; i++)
		if (s->tags[i].pages.n > 1)
			qsort(s->tags[i].pages.v, s->tags[i].pages.n,
			    sizeof(int), cmp_score_q);
}

static int
cmp_contrib(const void *pa, const void *pb)
{
	const struct contrib *a = pa, *b = pb;

	if (a->accepted != b->accepted)
		return a->accepted > b->accepted ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return strcmp(a->anchor, b->anchor);
}

/* Contributors by anchor: an open-addressing table of indexes + 1 into
 * s->contribs, kept at most half full. */
struct ctable {
	size_t *slot;
	size_t n;
};

static size_t *
ctable_find(const struct site *s, struct ctable *ct, const char *anchor)
{
	size_t i = (size_t)fq_hash64(anchor, strlen(anchor), 0) & (ct->n - 1);

	while (ct->slot[i] != 0 &&
	    strcmp(s->contribs[ct->slot[i] - 1].anchor, anchor) != 0)
		i = (i + 1) & (ct->n - 1);
	return &ct->slot[i];
}

static void
ctable_grow(const struct site *s, struct ctable *ct)
{
	size_t k;

	if (2 * (s->ncontribs + 1) <= ct->n)
		return;
	ct->n = ct->n ? 2 * ct->n : 1024;
	free(ct->slot);
	ct->slot = xcalloc(ct->n, sizeof *ct->slot);
	for (k = 0; k < s->ncontribs; k++)
		*ctable_find(s, ct, s->contribs[k].anchor) = k + 1;
}

int
model_load_contribs(struct site *s, struct store *st)
{
	sqlite3_stmt *q = store_stmt(st, SQL_ACCEPTED);
	struct ctable ct = { NULL, 0 };
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int i = model_thread(s, sqlite3_column_int64(q, 0),
		    sqlite3_column_int64(q, 1));
		int has_ext = sqlite3_column_type(q, 2) != SQLITE_NULL;
		int64_t ext = sqlite3_column_int64(q, 2);
		const char *name = (const char *)sqlite3_column_text(q, 3);
		struct contrib *c = NULL;
		char anchor[64];
		size_t *slot;

		/* Credited only where the entry publishes this accepted
		 * answer (the writers' `answer =` may publish another). */
		if (i < 0 || !s->t[i].page || (!has_ext && name == NULL) ||
		    s->t[i].ans.kind != ANSWER_ACCEPTED ||
		    s->t[i].ans.post != sqlite3_column_int64(q, 6))
			continue;
		if (has_ext)
			snprintf(anchor, sizeof anchor, "u-%s-%lld",
			    s->srcs[s->t[i].src].shortname, (long long)ext);
		else
			snprintf(anchor, sizeof anchor, "u-%s-n%016llx",
			    s->srcs[s->t[i].src].shortname, (unsigned long long)
			    fq_hash64(name, strlen(name), 0));
		ctable_grow(s, &ct);
		slot = ctable_find(s, &ct, anchor);
		if (*slot != 0) {
			c = &s->contribs[*slot - 1];
		} else {
			*slot = s->ncontribs + 1;
			s->contribs = xreallocarray(s->contribs,
			    s->ncontribs + 1, sizeof *s->contribs);
			c = &s->contribs[s->ncontribs++];
			memset(c, 0, sizeof *c);
			c->src = s->t[i].src;
			c->ext = ext;
			c->has_ext = has_ext;
			c->name = xstrdup(name ? name : "");
			c->role = col_dup(q, 4);
			memcpy(c->anchor, anchor, sizeof anchor);
		}
		c->accepted++;
		c->score += sqlite3_column_int64(q, 5);
	}
	free(ct.slot);
	if (s->ncontribs > 1)
		qsort(s->contribs, s->ncontribs, sizeof *s->contribs,
		    cmp_contrib);
	return step_fail(st, rc);
}

static void
put_answer(void *arg, int64_t id, const struct render_answer *a)
{
	struct site *s = arg;
	int i = model_thread_id(s, id);

	if (i >= 0)
		s->t[i].ans = *a;
}

/* The answer each thread publishes under the config's [publish]. */
static int
load_answers(struct site *s, struct store *st)
{
	struct answer_policy p;

	answer_policy_init(&p, s->o->answers, s->o->min_confidence, st);
	return render_answers_load(st, &p, put_answer, s);
}

/* What only needs the threads loaded: on a second connection, while
 * the main thread loads tags, links and curation.  The two write
 * different fields of the model. */
struct side_load {
	struct site *s;
	int rc;
};

static void *
side_load(void *arg)
{
	struct side_load *l = arg;
	struct store *st = store_open(l->s->db_path, 1);

	l->rc = -1;
	if (st && store_exec(st, "PRAGMA cache_size=-256; BEGIN") == 0 &&
	    load_author_keys(l->s, st, SQL_AUTHOR_KEYS) == 0 &&
	    load_author_keys(l->s, st, SQL_COMMENT_AUTHOR_KEYS) == 0) {
		load_index(l->s, st);
		load_issues(l->s, st);
		l->rc = 0;
	}
	store_close(st);
	return NULL;
}

/* Whether a source's posts go without a licence (formats other than
 * Stack Exchange carry none; ingest dates Stack Exchange's). */
static const char SQL_NO_LICENSE[] =
    "SELECT 1 FROM sources s WHERE s.id=?1 AND s.kind<>'stackexchange'"
    " AND EXISTS(SELECT 1 FROM posts p WHERE p.source_id=?1"
    " AND p.license IS NULL)";

/* Fails the run before any page is written when a source with entries
 * gives its posts no licence and content_license does not either: no
 * footer may end without one.  Returns 0 or -1 (reported). */
static int
check_licenses(struct site *s, struct store *st)
{
	sqlite3_stmt *q;
	size_t i, k;
	int rc;

	if (s->lic_name)
		return 0;
	for (k = 0; k < s->nsrcs; k++) {
		for (i = 0; i < s->entries.n; i++)
			if (s->t[s->entries.v[i]].src == (int)k)
				break;
		if (i == s->entries.n)
			continue;
		q = store_stmt(st, SQL_NO_LICENSE);
		bind_int(q, 1, s->srcs[k].id);
		rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc == SQLITE_ROW) {
			fq_err("source '%s' gives its posts no licence: set "
			    "content_license in [site] of the config (e.g. "
			    "'content_license = CC BY-SA 4.0')",
			    s->srcs[k].name);
			return -1;
		}
		if (rc != SQLITE_DONE)
			return store_fail(st);
	}
	return 0;
}

/* The main connection may migrate an older store forward (schema only,
 * as every command does on open); rendering itself only reads.  It
 * stays open in *stp for the contributors and the search files (see
 * render_site). */
int
model_load(struct site *s, struct store **stp)
{
	struct store *st = NULL;
	struct side_load side;
	pthread_t tid;
	int rc = -1, joined = 1;

	if (access(s->db_path, F_OK) != 0) {
		fq_err("%s: no such store (run 'faqtory ingest' first)",
		    s->db_path);
		return -1;
	}
	if ((st = store_open(s->db_path, 0)) == NULL)
		return -1;
	/* One snapshot for the model and the search files, and no lock
	 * traffic per statement.  They scan each table once: a page cache
	 * would only hold pages never read again. */
	if (store_exec(st, "PRAGMA cache_size=-256; BEGIN") < 0)
		goto out;
	if (load_threads(s, st) < 0 || load_answers(s, st) < 0)
		goto out;
	side.s = s;
	side.rc = -1;
	if (pthread_create(&tid, NULL, side_load, &side) == 0)
		joined = 0;
	else
		side_load(&side);
	if (load_tags(s, st) < 0 || load_links(s, st) < 0 ||
	    load_body_links(s, st) < 0 ||
	    load_curation(s, st) < 0)
		goto out;
	pthread_join(tid, NULL);
	joined = 1;
	if (side.rc < 0)
		goto out;
	model_decide(s);
	if (check_licenses(s, st) < 0)
		goto out;
	rc = 0;
out:
	if (!joined)
		pthread_join(tid, NULL);
	if (rc == 0)
		*stp = st;
	else
		store_close(st);
	return rc;
}

void
model_release(struct site *s)
{
	size_t i;

	for (i = 0; i < s->nsrcs; i++) {
		free(s->srcs[i].name);
		free(s->srcs[i].shortname);
	}
	free(s->srcs);
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
		free(t->blinks.v);
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
	free(s->issues);
	for (i = 0; i < s->ncontribs; i++) {
		free(s->contribs[i].name);
		free(s->contribs[i].role);
	}
	free(s->contribs);
	free(s->entries.v);
}
