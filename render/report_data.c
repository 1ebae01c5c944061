/*
 * report_data: every question of the store with what the brief counts
 * (its week, first answer, accepted or published answer and its author,
 * recurring issue and topic), and the categories (tags and topics) with
 * their weekly counts, loaded once for every page of the report
 * (report_int.h).  "Now" is the newest date in the data, never the clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/flags.h"
#include "core/xmalloc.h"
#include "render/render_int.h"
#include "render/report_int.h"

static const char SQL_NOW[] = "SELECT max(newest) FROM sources";

static const char SQL_QUESTIONS[] =
    "SELECT t.id, t.source_id, s.short, t.ext_id, t.title,"
    " coalesce(t.url, ''), coalesce(t.created, ''),"
    " t.accepted_ext IS NOT NULL, (SELECT min(p.created) FROM posts p"
    "  WHERE p.source_id=t.source_id AND p.thread_ext=t.ext_id"
    "  AND p.kind=2),"
    " coalesce((SELECT issue_id FROM issue_members WHERE thread_id=t.id), 0),"
    " coalesce((SELECT cluster_id FROM cluster_members"
    "  WHERE thread_id=t.id), 0)," ANSWER_CHOICE_COLS
    " FROM threads t JOIN sources s ON s.id=t.source_id" ANSWER_CHOICE_JOIN
    " ORDER BY t.id";
#define Q_NCOLS 11

static const char SQL_AUTHOR[] =
    "SELECT coalesce(a.name, p.author_name), coalesce(p.created, '')"
    " FROM posts p LEFT JOIN authors a ON a.source_id=p.source_id"
    " AND a.ext_id=p.author_ext WHERE p.source_id=?1 AND p.ext_id=?2"
    " AND p.kind=2";

static const char SQL_TAGS[] =
    "SELECT t.id, s.short, tt.tag FROM thread_tags tt JOIN threads t"
    " ON t.source_id=tt.source_id AND t.ext_id=tt.thread_ext"
    " JOIN sources s ON s.id=tt.source_id ORDER BY s.short, tt.tag, t.id";

static const char SQL_TOPICS[] =
    "SELECT c.id, c.label, m.thread_id FROM clusters c"
    " JOIN cluster_members m ON m.cluster_id=c.id ORDER BY c.id, m.thread_id";

static const char *
col(sqlite3_stmt *q, int i)
{
	const char *s = (const char *)sqlite3_column_text(q, i);

	return s ? s : "";
}

/* The interned short name sn. */
static const char *
intern(struct rdata *d, const char *sn)
{
	size_t i;

	for (i = 0; i < d->niss; i++) {
		free(d->iss[i].label);
		free(d->iss[i].q);
	}
	free(d->iss);
	for (i = 0; i < d->nsources; i++)
		if (strcmp(d->sources[i], sn) == 0)
			return d->sources[i];
	d->sources = xreallocarray(d->sources, d->nsources + 1,
	    sizeof *d->sources);
	return d->sources[d->nsources++] = xstrdup(sn);
}

/* Weeks before now of date s, or -1 (undated, or after now). */
static int
week_of(const struct rdata *d, const char *s, int64_t *epoch)
{
	int64_t e = *s ? date_epoch(s) : -1;

	if (epoch)
		*epoch = e;
	if (e < 0 || d->now < 0 || e > d->now)
		return -1;
	return (int)((d->now - e) / RWEEK);
}

/* The author and week of q's published answer. */
static int
load_author(struct rctx *c, struct rq *q)
{
	sqlite3_stmt *a = store_stmt(c->st, SQL_AUTHOR);
	int rc;

	q->aweek = -1;
	bind_int(a, 1, q->source);
	bind_int(a, 2, q->post);
	if ((rc = sqlite3_step(a)) == SQLITE_ROW) {
		if (*col(a, 0))
			q->author = xstrdup(col(a, 0));
		q->aweek = week_of(&c->d, col(a, 1), NULL);
	}
	sqlite3_reset(a);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(c->st);
}

static int
load_question(struct rctx *c, sqlite3_stmt *s, struct rq *q)
{
	struct answer_choice ch;
	int64_t made, first;

	memset(q, 0, sizeof *q);
	q->id = sqlite3_column_int64(s, 0);
	q->source = sqlite3_column_int64(s, 1);
	q->sn = intern(&c->d, col(s, 2));
	q->ext = sqlite3_column_int64(s, 3);
	q->title = xstrdup(col(s, 4));
	q->url = xstrdup(col(s, 5));
	snprintf(q->created, sizeof q->created, "%s", col(s, 6));
	q->week = week_of(&c->d, q->created, &made);
	q->accepted = sqlite3_column_int(s, 7);
	week_of(&c->d, col(s, 8), &first);
	q->first_answer = first >= 0 && made >= 0 && first >= made ?
	    first - made : -1;
	q->issue = sqlite3_column_int64(s, 9);
	q->topic = sqlite3_column_int64(s, 10);
	answer_choice_read(s, Q_NCOLS, &ch);
	q->pub = answer_publish(&c->pol, &ch, &q->post);
	q->confirmed = ch.writers > 0;
	q->aweek = -1;
	return q->pub != ANSWER_NONE ? load_author(c, q) : 0;
}

static int
load_now(struct rctx *c)
{
	sqlite3_stmt *q = store_stmt(c->st, SQL_NOW);
	int rc = sqlite3_step(q);

	c->d.now = -1;
	if (rc == SQLITE_ROW && sqlite3_column_text(q, 0)) {
		snprintf(c->d.now_s, sizeof c->d.now_s, "%s", col(q, 0));
		c->d.now = date_epoch(c->d.now_s);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(c->st);
}

static int
load_questions(struct rctx *c)
{
	sqlite3_stmt *s = store_stmt(c->st, SQL_QUESTIONS);
	size_t cap = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (c->d.nq == cap) {
			cap = cap ? 2 * cap : 256;
			c->d.q = xreallocarray(c->d.q, cap, sizeof *c->d.q);
		}
		if (load_question(c, s, &c->d.q[c->d.nq++]) < 0) {
			sqlite3_reset(s);
			return -1;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(c->st);
}

/* A new category at the end of d->cat. */
static struct rcat *
new_cat(struct rdata *d, int topic, const char *name, const char *sn)
{
	struct rcat *k;

	d->cat = xreallocarray(d->cat, d->ncat + 1, sizeof *d->cat);
	k = &d->cat[d->ncat++];
	memset(k, 0, sizeof *k);
	k->topic = topic;
	k->name = xstrdup(name);
	k->sn = sn;
	return k;
}

static void
add_member(struct rctx *c, struct rcat *k, int64_t id)
{
	const struct rq *q = report_find(c, id);

	if (q == NULL)
		return;
	k->q = xreallocarray(k->q, k->nq + 1, sizeof *k->q);
	k->q[k->nq++] = (size_t)(q - c->d.q);
	if (q->week >= 0 && q->week < RHIST)
		k->weeks[q->week]++;
}

static void
tag_path(struct rcat *k)
{
	struct buf p = BUF_INIT;
	char *slug = render_tag_slug(k->name);

	buf_printf(&p, "tag/%s/%s/", k->sn, slug);
	free(slug);
	k->path = buf_detach(&p);
}

/* The tags, each of one source, with their questions. */
static int
load_tags(struct rctx *c)
{
	sqlite3_stmt *s = store_stmt(c->st, SQL_TAGS);
	struct rcat *k = NULL;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *sn = intern(&c->d, col(s, 1));

		if (k == NULL || k->sn != sn || strcmp(k->name, col(s, 2))) {
			k = new_cat(&c->d, 0, col(s, 2), sn);
			tag_path(k);
		}
		add_member(c, k, sqlite3_column_int64(s, 0));
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(c->st);
}

static int
load_topics(struct rctx *c)
{
	sqlite3_stmt *s = store_stmt(c->st, SQL_TOPICS);
	struct rcat *k = NULL;
	int64_t cur = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (k == NULL || sqlite3_column_int64(s, 0) != cur) {
			struct buf p = BUF_INIT;

			cur = sqlite3_column_int64(s, 0);
			k = new_cat(&c->d, 1, col(s, 1), "");
			buf_printf(&p, "topic/%lld/", (long long)cur);
			k->path = buf_detach(&p);
		}
		add_member(c, k, sqlite3_column_int64(s, 2));
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(c->st);
}

static const char SQL_ISSUES[] =
    "SELECT id, canonical_thread, label, coalesce(first_seen, ''),"
    " coalesce(last_seen, '') FROM issues ORDER BY id";

static int
cmp_riss(const void *key, const void *e)
{
	int64_t id = *(const int64_t *)key, o = ((const struct riss *)e)->id;

	return (id > o) - (id < o);
}

struct riss *
report_find_issue(const struct rctx *c, int64_t id)
{
	return c->d.niss ? bsearch(&id, c->d.iss, c->d.niss, sizeof *c->d.iss,
	    cmp_riss) : NULL;
}

/* Each question into its issue's list, newest first (the questions are
 * by id: walked backwards, then sorted by date). */
static void
issue_members(struct rctx *c)
{
	size_t i;

	for (i = c->d.nq; i-- > 0;) {
		const struct rq *q = &c->d.q[i];
		struct riss *s = q->issue ? report_find_issue(c, q->issue) : NULL;

		if (s == NULL)
			continue;
		s->q = xreallocarray(s->q, s->nq + 1, sizeof *s->q);
		s->q[s->nq++] = i;
		if (q->week >= 0 && q->week < RHIST)
			s->weeks[q->week]++;
		if (q->week > s->first_week)
			s->first_week = q->week;
	}
}

static const struct rdata *sort_d; /* for qsort; one thread */

static int
cmp_newest(const void *a, const void *b)
{
	const struct rq *x = &sort_d->q[*(const size_t *)a];
	const struct rq *y = &sort_d->q[*(const size_t *)b];
	int r = strcmp(y->created, x->created);

	return r ? r : (x->id < y->id) - (x->id > y->id);
}

static int
load_issues(struct rctx *c)
{
	sqlite3_stmt *s = store_stmt(c->st, SQL_ISSUES);
	size_t i;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct riss *x;

		c->d.iss = xreallocarray(c->d.iss, c->d.niss + 1,
		    sizeof *c->d.iss);
		x = &c->d.iss[c->d.niss++];
		memset(x, 0, sizeof *x);
		x->id = sqlite3_column_int64(s, 0);
		x->canonical = sqlite3_column_int64(s, 1);
		x->label = xstrdup(col(s, 2));
		snprintf(x->first, sizeof x->first, "%.10s", col(s, 3));
		snprintf(x->last, sizeof x->last, "%.10s", col(s, 4));
		x->first_week = -1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(c->st);
	issue_members(c);
	sort_d = &c->d;
	for (i = 0; i < c->d.niss; i++)
		if (c->d.iss[i].nq > 1)
			qsort(c->d.iss[i].q, c->d.iss[i].nq, sizeof(size_t),
			    cmp_newest);
	return 0;
}

/* Marks the questions and issues a flag names, dismissed or not: a
 * page whose questions none names need not read the flags again. */
static int
mark_flagged(struct rctx *c)
{
	struct flag_list l;
	int rc;

	flag_list_begin(&l, c->st, 0, 1);
	while ((rc = flag_list_next(&l)) > 0) {
		struct rq *q = (struct rq *)report_find(c, l.row.thread);
		struct riss *s = l.row.cluster ? report_find_issue(c,
		    l.row.cluster) : NULL;

		if (q)
			q->flagged = 1;
		if (s)
			s->flagged = 1;
	}
	return rc;
}

int
report_data_load(struct rctx *c)
{
	if (load_now(c) < 0 || load_questions(c) < 0 || load_tags(c) < 0 ||
	    load_topics(c) < 0 || load_issues(c) < 0 || mark_flagged(c) < 0)
		return -1;
	return 0;
}

void
report_data_free(struct rdata *d)
{
	size_t i;

	for (i = 0; i < d->nq; i++) {
		free(d->q[i].title);
		free(d->q[i].url);
		free(d->q[i].author);
	}
	for (i = 0; i < d->ncat; i++) {
		free(d->cat[i].name);
		free(d->cat[i].path);
		free(d->cat[i].q);
	}
	for (i = 0; i < d->niss; i++) {
		free(d->iss[i].label);
		free(d->iss[i].q);
	}
	free(d->iss);
	for (i = 0; i < d->nsources; i++)
		free(d->sources[i]);
	free(d->q);
	free(d->cat);
	free(d->sources);
	memset(d, 0, sizeof *d);
}
