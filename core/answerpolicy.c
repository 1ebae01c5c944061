#include "answerpolicy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static enum answer_kind
kind_of(const unsigned char *s)
{
	if (s && strcmp((const char *)s, "accepted") == 0)
		return ANSWER_ACCEPTED;
	if (s && strcmp((const char *)s, "community") == 0)
		return ANSWER_COMMUNITY;
	return ANSWER_NONE;
}

void
answer_choice_read(sqlite3_stmt *q, int col, struct answer_choice *c)
{
	memset(c, 0, sizeof *c);
	c->kind = kind_of(sqlite3_column_text(q, col));
	c->post = sqlite3_column_int64(q, col + 1);
	c->confidence = sqlite3_column_double(q, col + 2);
	c->gate = sqlite3_column_int(q, col + 3) != 0;
	c->has_score = sqlite3_column_type(q, col + 4) != SQLITE_NULL;
	c->score = sqlite3_column_int64(q, col + 4);
	c->has_next = sqlite3_column_type(q, col + 5) != SQLITE_NULL;
	c->next_score = sqlite3_column_int64(q, col + 5);
	c->nanswers = sqlite3_column_int64(q, col + 6);
	c->thanks = sqlite3_column_int(q, col + 7) != 0;
	c->self_fix = sqlite3_column_int(q, col + 8) != 0;
	c->staff = sqlite3_column_int(q, col + 9) != 0;
	if (!sqlite3_column_int(q, col + 12))
		c->kind = ANSWER_NONE;
	if (sqlite3_column_type(q, col + 10) != SQLITE_NULL) {
		c->writers = sqlite3_column_type(q, col + 11) == SQLITE_NULL ?
		    -1 : 1;
		c->writers_post = sqlite3_column_int64(q, col + 11);
		if (c->writers > 0 && !sqlite3_column_int(q, col + 13))
			c->writers = 0;
	}
}

/* A decimal in [0, 1] written whole, or -1. */
static double
parse_unit(const char *v)
{
	char *end;
	double d;

	if (v == NULL || !((*v >= '0' && *v <= '9') || *v == '.'))
		return -1;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || !isfinite(d) || d < 0 || d > 1)
		return -1;
	return d;
}

const char *
answer_check_answers(const char *v)
{
	if (strcmp(v, "accepted") == 0 || strcmp(v, "community") == 0 ||
	    strcmp(v, "voted") == 0)
		return NULL;
	return "answers: expected 'accepted', 'community' or 'voted'";
}

const char *
answer_check_confidence(const char *v)
{
	if (parse_unit(v) < 0)
		return "min_confidence: expected a number from 0 to 1, "
		       "e.g. 0.8";
	return NULL;
}

void
answer_policy_init(struct answer_policy *p, const char *answers,
    const char *min_confidence, struct store *st)
{
	double d = parse_unit(min_confidence);

	p->voted = answers == NULL || strcmp(answers, "voted") == 0;
	p->community = p->voted || strcmp(answers, "community") == 0;
	if (d < 0 && st) {
		struct buf v = BUF_INIT;

		if (store_meta_get(st, "answer_threshold", &v) == 1)
			d = parse_unit(v.data);
		buf_release(&v);
	}
	p->min_confidence = d < 0 ? ANSWER_DEFAULT_CONFIDENCE : d;
}

enum answer_kind
answer_publish(const struct answer_policy *p, const struct answer_choice *c,
    int64_t *post)
{
	if (c->writers < 0)
		return ANSWER_NONE;
	if (c->writers > 0) {
		*post = c->writers_post;
		/* Naming the accepted answer keeps it what it is. */
		return c->kind == ANSWER_ACCEPTED && c->post == *post ?
		    ANSWER_ACCEPTED : ANSWER_COMMUNITY;
	}
	*post = c->post;
	if (c->kind == ANSWER_ACCEPTED)
		return ANSWER_ACCEPTED;
	if (c->kind == ANSWER_COMMUNITY && p->community && c->gate &&
	    c->confidence >= p->min_confidence)
		return ANSWER_COMMUNITY;
	/* Contested: the votes name it, nobody confirmed it. */
	if (c->kind == ANSWER_COMMUNITY && p->voted && c->nanswers >= 2 &&
	    c->has_score && c->score >= 1 &&
	    (!c->has_next || c->score > c->next_score))
		return ANSWER_VOTED;
	return ANSWER_NONE;
}

static const char SQL_SOURCE_CHOICES[] =
    "SELECT" ANSWER_CHOICE_COLS " FROM threads t" ANSWER_CHOICE_JOIN
    " WHERE t.source_id=?1";

int
answer_count(struct store *st, const struct answer_policy *p,
    int64_t source_id, int64_t n[ANSWER_VOTED + 1])
{
	sqlite3_stmt *q = store_stmt(st, SQL_SOURCE_CHOICES);
	struct answer_choice c;
	int64_t post;
	int rc;

	memset(n, 0, (ANSWER_VOTED + 1) * sizeof *n);
	bind_int(q, 1, source_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		answer_choice_read(q, 0, &c);
		n[answer_publish(p, &c, &post)]++;
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_fail(st);
}

const char *
answer_kind_name(enum answer_kind k)
{
	switch (k) {
	case ANSWER_ACCEPTED:
		return "accepted";
	case ANSWER_COMMUNITY:
		return "community";
	case ANSWER_VOTED:
		return "voted";
	default:
		return NULL;
	}
}
