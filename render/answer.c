#include "render/answer.h"

#include <stdio.h>
#include <string.h>

static const char SQL_ANSWERS[] =
    "SELECT t.id," ANSWER_CHOICE_COLS " FROM threads t" ANSWER_CHOICE_JOIN
    " ORDER BY t.id";

int
render_answers_load(struct store *st, const struct answer_policy *p,
    void (*put)(void *arg, int64_t thread_id, const struct render_answer *a),
    void *arg)
{
	sqlite3_stmt *q = store_stmt(st, SQL_ANSWERS);
	struct render_answer a;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		answer_choice_read(q, 1, &a.c);
		a.kind = answer_publish(p, &a.c, &a.post);
		put(arg, sqlite3_column_int64(q, 0), &a);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_fail(st);
}

/* The values a reason phrase may name. */
struct words {
	const struct locale_kv *loc;
	size_t nloc;
	const char *lang;
	const struct answer_choice *c;
};

/*
 * Appends the phrase of locale key k with its placeholders filled:
 * {score} the answer's score, {next} the best other answer's, {n} the
 * number of answers and {answers} the noun for that number (answers_one,
 * answers_other: "1 answer", "13 answers").  Anything else in braces is
 * copied as written, so a translation's mistake shows instead of
 * vanishing.
 */
static void
phrase(struct buf *out, const struct words *w, const char *k)
{
	const char *s = locale_get(w->loc, w->nloc, k);

	while (*s) {
		const char *e = s[0] == '{' ? strchr(s, '}') : NULL;
		size_t n = e ? (size_t)(e - s) + 1 : 0;

		if (n == 7 && strncmp(s, "{score}", n) == 0)
			buf_printf(out, "%lld", (long long)w->c->score);
		else if (n == 6 && strncmp(s, "{next}", n) == 0)
			buf_printf(out, "%lld", (long long)w->c->next_score);
		else if (n == 3 && strncmp(s, "{n}", n) == 0)
			buf_printf(out, "%lld", (long long)w->c->nanswers);
		else if (n == 9 && strncmp(s, "{answers}", n) == 0)
			buf_puts(out, locale_noun(w->loc, w->nloc, w->lang,
			    "answers", w->c->nanswers));
		else
			n = 0;
		if (n == 0)
			buf_putc(out, *s++);
		else
			s += n;
	}
}

/* The score part: how the answer stood against the others, if the
 * source scores answers at all. */
static const char *
score_key(const struct answer_choice *c)
{
	if (!c->has_score)
		return NULL;
	if (!c->has_next || c->nanswers <= 1)
		return "answer_reason_only";
	if (c->score > c->next_score)
		return "answer_reason_top";
	if (c->score == c->next_score)
		return "answer_reason_tied";
	return "answer_reason_lower";
}

void
render_answer_reason(const struct render_answer *a,
    const struct locale_kv *loc, size_t nloc, const char *lang,
    struct buf *out)
{
	struct words w = { loc, nloc, lang, &a->c };
	const char *parts[6];
	size_t n = 0, i;

	if (a->c.writers > 0) {
		phrase(out, &w, "answer_reason_writers");
		return;
	}
	parts[n++] = a->kind == ANSWER_VOTED ? "answer_reason_voted" :
	    "answer_reason_unmarked";
	if ((parts[n] = score_key(&a->c)) != NULL)
		n++;
	if (a->c.self_fix)
		parts[n++] = "answer_reason_self_fix";
	else if (a->c.thanks)
		parts[n++] = "answer_reason_thanks";
	if (a->c.staff)
		parts[n++] = "answer_reason_staff";
	if (a->kind == ANSWER_VOTED)
		parts[n++] = "answer_reason_compare";
	for (i = 0; i < n; i++) {
		if (i)
			buf_puts(out, "; ");
		phrase(out, &w, parts[i]);
	}
	buf_putc(out, '.');
}

uint64_t
render_answer_key(const struct render_answer *a)
{
	int64_t v[10];

	v[0] = a->kind;
	v[1] = a->post;
	v[2] = a->c.writers;
	v[3] = a->c.has_score ? a->c.score : INT64_MIN;
	v[4] = a->c.has_next ? a->c.next_score : INT64_MIN;
	v[5] = a->c.nanswers;
	v[6] = a->c.thanks;
	v[7] = a->c.self_fix;
	v[8] = a->c.staff;
	v[9] = 0;
	return fq_hash64(v, sizeof v, 0x616e73776572ULL);
}
