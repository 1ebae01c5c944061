/* The publishing rule (core/answerpolicy.h), its [publish] keys in the
 * config, and the reason line of a community answer (render/answer.h). */
#include <stdlib.h>

#include "core/answerpolicy.h"
#include "core/config.h"
#include "harness.h"
#include "render/answer.h"

static struct answer_choice
community(double confidence, int gate)
{
	struct answer_choice c;

	memset(&c, 0, sizeof c);
	c.kind = ANSWER_COMMUNITY;
	c.post = 8;
	c.confidence = confidence;
	c.gate = gate;
	return c;
}

/* A contested thread: the model's choice below the threshold, scored
 * score against next over n answers. */
static struct answer_choice
contested(int64_t score, int64_t next, int64_t n)
{
	struct answer_choice c = community(0.5, score >= 1);

	c.has_score = c.has_next = 1;
	c.score = score;
	c.next_score = next;
	c.nanswers = n;
	return c;
}

static void
test_voted(void)
{
	struct answer_policy p = { 1, 0.77, 1 };
	struct answer_choice c = contested(8, 4, 6);
	int64_t post = 0;

	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_VOTED);
	CHECK_INT(post, 8);
	CHECK_STR(answer_kind_name(ANSWER_VOTED), "voted");
	c = contested(4, 4, 2); /* tied for the top: settles nothing */
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	c = contested(5, 4, 2);
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_VOTED);
	c = contested(3, 4, 2); /* another answer has more votes */
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	c = contested(0, 0, 3); /* no vote for it */
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	c = contested(5, 0, 1); /* a lone answer is the model's to judge */
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	c = contested(5, 0, 2);
	c.has_score = 0;        /* a source without scores */
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	c = contested(8, 4, 6);
	c.confidence = 0.9;     /* confident: a community answer */
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_COMMUNITY);
	c.confidence = 0.5;
	p.voted = 0;            /* answers = community */
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	/* The config's words. */
	answer_policy_init(&p, NULL, NULL, NULL);
	CHECK(p.voted && p.community);
	answer_policy_init(&p, "voted", NULL, NULL);
	CHECK(p.voted && p.community);
	answer_policy_init(&p, "community", NULL, NULL);
	CHECK(!p.voted && p.community);
	answer_policy_init(&p, "accepted", NULL, NULL);
	CHECK(!p.voted && !p.community);
	CHECK(answer_check_answers("voted") == NULL);
	CHECK(answer_check_answers("all") != NULL);
}

static void
test_rule(void)
{
	struct answer_policy p = { 1, 0.77, 0 };
	struct answer_choice c = community(0.9, 1);
	int64_t post = 0;

	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_COMMUNITY);
	CHECK_INT(post, 8);
	c = community(0.77, 1);
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_COMMUNITY);
	c = community(0.76, 1);
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	/* The gate is not tunable by min_confidence. */
	c = community(1, 0);
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	p.community = 0;
	c = community(1, 1);
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	c.kind = ANSWER_ACCEPTED;
	c.post = 32;
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_ACCEPTED);
	CHECK_INT(post, 32);
	/* The writers' answer = ID, even over an accepted answer and
	 * under answers = accepted; naming the accepted one keeps it. */
	c.writers = 1;
	c.writers_post = 25;
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_COMMUNITY);
	CHECK_INT(post, 25);
	c.writers_post = 32;
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_ACCEPTED);
	c.writers = -1;
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_NONE);
	c.kind = ANSWER_NONE;
	c.writers = 1;
	c.writers_post = 7;
	CHECK_INT(answer_publish(&p, &c, &post), ANSWER_COMMUNITY);
	CHECK_STR(answer_kind_name(ANSWER_COMMUNITY), "community");
	CHECK_STR(answer_kind_name(ANSWER_ACCEPTED), "accepted");
	CHECK(answer_kind_name(ANSWER_NONE) == NULL);
}

static void
test_init(void)
{
	struct answer_policy p;

	answer_policy_init(&p, NULL, NULL, NULL);
	CHECK(p.community == 1 && p.min_confidence == ANSWER_DEFAULT_CONFIDENCE);
	answer_policy_init(&p, "accepted", "0.5", NULL);
	CHECK(p.community == 0 && p.min_confidence == 0.5);
	answer_policy_init(&p, "community", "1", NULL);
	CHECK(p.community == 1 && p.min_confidence == 1);
	CHECK(answer_check_answers("community") == NULL);
	CHECK(answer_check_answers("Community") != NULL);
	CHECK(answer_check_confidence("0") == NULL);
	CHECK(answer_check_confidence(".85") == NULL);
	CHECK(answer_check_confidence("1.0") == NULL);
	CHECK(answer_check_confidence("1.01") != NULL);
	CHECK(answer_check_confidence("-0") != NULL);
	CHECK(answer_check_confidence("nan") != NULL);
	CHECK(answer_check_confidence("0.8x") != NULL);
	CHECK(answer_check_confidence(" 0.8") != NULL);
	CHECK(answer_check_confidence("1e-1") == NULL);
}

static void
test_config(void)
{
	static const char good[] = "[publish]\nanswers = accepted\n"
	    "min_confidence = 0.9\n";
	static const char twice[] = "[publish]\nanswers = accepted\n"
	    "answers = community\n";
	struct fq_config cfg;

	CHECK(config_parse(&cfg, "x.ini", good, sizeof good - 1) == 0);
	CHECK_STR(cfg.publish_answers, "accepted");
	CHECK_STR(cfg.min_confidence, "0.9");
	config_release(&cfg);
	/* Errors go to stderr as "faqtory: x.ini:3: ...": only the
	 * refusal is checked here, the lines by tests/e2e/community.sh. */
	CHECK(config_parse(&cfg, "x.ini", twice, sizeof twice - 1) < 0);
}

static void
test_reason(void)
{
	static const char *const en[][2] = {
		{ "answer_reason_lower", "score {score} against {next}" },
		{ "answer_reason_only", "the only answer, score {score}" },
		{ "answer_reason_self_fix", "the asker's own fix" },
		{ "answer_reason_staff", "posted by staff" },
		{ "answer_reason_thanks", "the asker thanked its author" },
		{ "answer_reason_tied", "tied at {score}" },
		{ "answer_reason_top",
		  "highest of {n} {answers}, {score} against {next}{x}" },
		{ "answer_reason_unmarked", "Not marked accepted" },
		{ "answer_reason_writers", "Chosen by the writers." },
		{ "answers_one", "answer" },
		{ "answers_other", "answers" },
	};
	struct locale_kv loc[sizeof en / sizeof en[0]];
	struct render_answer a;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof en / sizeof en[0]; i++) {
		loc[i].k = (char *)en[i][0];
		loc[i].v = (char *)en[i][1];
	}
	memset(&a, 0, sizeof a);
	a.kind = ANSWER_COMMUNITY;
	a.c = community(0.9, 1);
	a.c.has_score = a.c.has_next = 1;
	a.c.score = 26;
	a.c.next_score = 3;
	a.c.nanswers = 13;
	a.c.thanks = 1;
	render_answer_reason(&a, loc, i, "en", &b);
	CHECK_STR(b.data, "Not marked accepted; highest of 13 answers, 26 "
	    "against 3{x}; the asker thanked its author.");
	buf_reset(&b);
	a.c.has_next = 0;
	a.c.nanswers = 1;
	a.c.score = 4;
	a.c.thanks = 0;
	a.c.staff = 1;
	render_answer_reason(&a, loc, i, "en", &b);
	CHECK_STR(b.data, "Not marked accepted; the only answer, score 4; "
	    "posted by staff.");
	buf_reset(&b);
	a.c.has_score = 0; /* a source without scores says nothing of them */
	a.c.staff = 0;
	a.c.self_fix = 1;
	render_answer_reason(&a, loc, i, "en", &b);
	CHECK_STR(b.data, "Not marked accepted; the asker's own fix.");
	buf_reset(&b);
	a.c.writers = 1;
	render_answer_reason(&a, loc, i, "en", &b);
	CHECK_STR(b.data, "Chosen by the writers.");
	/* The key changes with what the line shows. */
	{
		uint64_t k = render_answer_key(&a);

		a.c.writers = 0;
		CHECK(render_answer_key(&a) != k);
	}
	buf_release(&b);
}

void
run_tests(void)
{
	test_rule();
	test_voted();
	test_init();
	test_config();
	test_reason();
}
