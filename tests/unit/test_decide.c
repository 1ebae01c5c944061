/* The page-decision policy (model_decide, render/model.c) over a model
 * built by hand: scope, entries, folding, the lists that follow, and
 * topics' near-duplicates. */
#include "harness.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/xmalloc.h"
#include "render/render.h"
#include "render/render_int.h"

/* A model of n threads (ids 1..n, answered, in scope) and the tags
 * named in tags (NULL-terminated, sorted). */
static void
model(struct site *s, const struct render_opts *o, size_t n,
    const char *const *tags)
{
	size_t i;

	memset(s, 0, sizeof *s);
	s->o = o;
	s->nt = n;
	s->t = xcalloc(n, sizeof *s->t);
	for (i = 0; i < n; i++) {
		struct thr *t = &s->t[i];

		t->id = (int64_t)i + 1;
		t->ext_id = t->id;
		t->fold = t->topic = t->merge = -1;
		t->in_scope = 1;
		t->ans.kind = ANSWER_ACCEPTED;
		t->title = xstrdup("t");
		t->created = xstrdup("2020-01-01T00:00:00");
		t->activity = xstrdup("2020-01-01T00:00:00");
	}
	for (; tags && tags[s->ntags]; s->ntags++)
		;
	s->tags = xcalloc(s->ntags + 1, sizeof *s->tags);
	for (i = 0; i < s->ntags; i++)
		s->tags[i].name = xstrdup(tags[i]);
}

static void
activity(struct site *s, int i, const char *when)
{
	free(s->t[i].activity);
	s->t[i].activity = xstrdup(when);
}

static void
check_list(const struct ilist *l, const int *want, size_t n, int line)
{
	size_t k;
	int ok = l->n == n;

	for (k = 0; ok && k < n; k++)
		ok = l->v[k] == want[k];
	t_report(ok, __FILE__, line, "list", NULL, NULL);
}

#define LIST(l, ...)                                                   \
	do {                                                           \
		const int w_[] = { __VA_ARGS__ };                      \
		check_list((l), w_, sizeof w_ / sizeof w_[0], __LINE__); \
	} while (0)

/* In scope: an include tag if any are given, no exclude tag, not
 * hidden; an entry: in scope and publishing an answer. */
static void
test_scope(void)
{
	static const char *const tags[] = { "ale", "lager", "stout", NULL };
	char ale[] = "ale", stout[] = "stout";
	char *inc[] = { ale, stout }, *exc[] = { stout };
	struct render_opts o = { 0 };
	struct site s;

	o.include_tags = inc, o.ninclude = 2;
	o.exclude_tags = exc, o.nexclude = 1;
	model(&s, &o, 5, tags);
	ilist_push(&s.t[0].tags, 0);             /* ale: in */
	ilist_push(&s.t[1].tags, 1);             /* lager only: out */
	ilist_push(&s.t[2].tags, 0);             /* ale and stout: out */
	ilist_push(&s.t[2].tags, 2);
	ilist_push(&s.t[3].tags, 0);             /* hidden: out */
	s.t[3].hidden = 1;
	ilist_push(&s.t[4].tags, 0);             /* no answer: no entry */
	s.t[4].ans.kind = ANSWER_NONE;
	model_decide(&s);
	CHECK_INT(s.t[0].in_scope, 1);
	CHECK_INT(s.t[0].page, 1);
	CHECK_INT(s.t[1].in_scope, 0);
	CHECK_INT(s.t[2].in_scope, 0);
	CHECK_INT(s.t[3].in_scope, 0);
	CHECK_INT(s.t[3].page, 0);
	CHECK_INT(s.t[4].in_scope, 1);
	CHECK_INT(s.t[4].page, 0);
	LIST(&s.entries, 0);
	LIST(&s.tags[0].pages, 0);
	CHECK_INT(s.tags[1].pages.n, 0);
	model_release(&s);
}

/* Duplicates fold into their entry, which lists them as also asked;
 * entries come by activity (newest first, then id), a tag's entries by
 * score (then id). */
static void
test_fold_and_order(void)
{
	static const char *const tags[] = { "ale", NULL };
	struct render_opts o = { 0 };
	struct site s;

	model(&s, &o, 5, tags);
	activity(&s, 0, "2021-01-01T00:00:00");
	activity(&s, 1, "2023-01-01T00:00:00");
	activity(&s, 3, "2023-01-01T00:00:00");
	s.t[0].score = 5;
	s.t[1].score = 1;
	s.t[3].score = 5;
	for (int i = 0; i < 4; i++)
		ilist_push(&s.t[i].tags, 0);
	ilist_push(&s.t[2].dup_out, 1); /* 2 duplicates 1 */
	ilist_push(&s.t[4].dup_out, 2); /* 4 duplicates 2, folded too */
	s.t[4].ans.kind = ANSWER_NONE;
	model_decide(&s);
	CHECK_INT(s.t[2].page, 0);
	CHECK_INT(s.t[2].fold, 1);
	CHECK_INT(s.t[4].fold, 1);
	CHECK_INT(model_target(&s, 4), 1);
	CHECK_INT(model_home(&s, 4), 1);
	LIST(&s.t[1].also, 2, 4);
	LIST(&s.entries, 1, 3, 0);
	LIST(&s.tags[0].pages, 0, 3, 1);
	model_release(&s);
}

/* A topic's canonical question is its entry's; its members point at
 * it; near-duplicates (core/fold.h) and the canonical entry list each other
 * first among related questions, the closest first. */
static void
test_topics(void)
{
	struct render_opts o = { 0 };
	struct site s;
	struct topic *tp;

	model(&s, &o, 5, NULL);
	ilist_push(&s.t[0].dup_out, 1); /* 0 folds into 1 */
	ilist_push(&s.t[2].related, 4);
	s.ntopics = 2;
	s.topics = xcalloc(2, sizeof *s.topics);
	tp = &s.topics[0];
	tp->id = 7;
	tp->canonical = 0; /* folded: becomes 1 */
	ilist_push(&tp->members, 0);
	ilist_push(&tp->members, 1);
	ilist_push(&tp->members, 2);
	ilist_push(&tp->members, 3);
	tp->sim = xcalloc(4, sizeof *tp->sim);
	tp->sim[0] = 1.0, tp->sim[1] = 1.0, tp->sim[2] = 0.31;
	tp->sim[3] = 0.9;
	tp = &s.topics[1];
	tp->id = 8;
	tp->canonical = 4;
	s.t[4].ans.kind = ANSWER_NONE; /* no entry: the topic has none */
	ilist_push(&tp->members, 4);
	tp->sim = xcalloc(1, sizeof *tp->sim);
	model_decide(&s);
	CHECK_INT(s.topics[0].canonical, 1);
	CHECK_INT(s.t[2].topic, 0);
	CHECK_INT(s.t[3].topic, 0);
	CHECK_INT(s.topics[1].canonical, -1);
	CHECK_INT(s.t[4].topic, -1);
	LIST(&s.t[2].related, 1, 4);
	LIST(&s.t[3].related, 1);
	LIST(&s.t[1].related, 3, 2);
	model_release(&s);
}

void
run_tests(void)
{
	test_scope();
	test_fold_and_order();
	test_topics();
}
