/*
 * index/answers: snapshots at the acceptance (the leak cut-off),
 * features, the softmax confidence, the evidence gate, the phrase
 * matcher, and the fit's determinism, on small hand-built threads.
 */
#include "harness.h"

#include <math.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "index/answers.h"
#include "index/index_int.h"

/* One source, one thread asked by author 1 on 2020-01-01 and accepted
 * (answer 11) on 2020-01-05: answer 10 by author 2 (2020-01-02, long,
 * votes +1 on the 3rd and +5 on the 6th, after the acceptance day),
 * answer 11 by author 3 (2020-01-04; +1 on the 5th, the acceptance
 * day; the asker thanked its author on the 5th, and "doesn't work" on
 * the 7th), answer 12 by author 4 (2020-01-08, after the acceptance). */
static void
build(struct ans_set *s, struct ans_source *src, struct ans_thread *t,
    struct ans_post *p, struct ans_vote *v, struct ans_remark *r)
{
	static char name[] = "example.stackexchange.com", kind[] =
	    "stackexchange";

	memset(s, 0, sizeof *s);
	memset(src, 0, sizeof *src);
	src->name = name;
	src->kind = kind;
	src->se = src->dated = 1;
	memset(t, 0, sizeof *t);
	t->id = 1;
	t->ext = 100;
	t->asker = 1;
	t->has_accepted = 1;
	t->accepted = 11;
	snprintf(t->acc, sizeof t->acc, "2020-01-05");
	snprintf(t->t, sizeof t->t, "2020-01-01T10:00:00");
	t->npost = 3;
	memset(p, 0, 3 * sizeof *p);
	p[0].ext = 10;
	p[0].author = 2;
	snprintf(p[0].t, sizeof p[0].t, "2020-01-02T10:00:00");
	p[0].score = 6;
	p[0].words = 300;
	p[0].vote0 = 0;
	p[0].nvote = 2;
	p[1].ext = 11;
	p[1].author = 3;
	snprintf(p[1].t, sizeof p[1].t, "2020-01-04T10:00:00");
	p[1].score = 1;
	p[1].words = 20;
	p[1].vote0 = 2;
	p[1].nvote = 1;
	p[1].rem0 = 0;
	p[1].nrem = 2;
	p[2].ext = 12;
	p[2].author = 4;
	snprintf(p[2].t, sizeof p[2].t, "2020-01-08T10:00:00");
	p[2].words = 5;
	snprintf(v[0].day, sizeof v[0].day, "2020-01-03");
	v[0].delta = 1;
	snprintf(v[1].day, sizeof v[1].day, "2020-01-06");
	v[1].delta = 5;
	snprintf(v[2].day, sizeof v[2].day, "2020-01-05");
	v[2].delta = 1;
	memset(r, 0, 2 * sizeof *r);
	snprintf(r[0].t, sizeof r[0].t, "2020-01-05T09:00:00");
	r[0].thanks = 1;
	snprintf(r[1].t, sizeof r[1].t, "2020-01-07T09:00:00");
	r[1].neg = 1;
	s->srcs = src;
	s->nsrcs = 1;
	s->th = t;
	s->nth = 1;
	s->posts = p;
	s->nposts = 3;
	s->votes = v;
	s->nvotes = 3;
	s->rems = r;
	s->nrems = 2;
}

static void
test_snapshot(void)
{
	struct ans_set s;
	struct ans_source src;
	struct ans_thread t;
	struct ans_post p[3];
	struct ans_vote v[3];
	struct ans_remark r[2];
	struct ans_opts hide = { 1, 0 }, strict = { 1, 1 }, now = { 0, 0 };
	struct ans_cand *c;
	size_t n;

	build(&s, &src, &t, p, v, r);
	n = ans_snapshot(&s, &t, &hide, &c);
	/* Answer 12 came after the acceptance day. */
	CHECK_INT(n, 2);
	/* The vote of the 6th is after the acceptance: not counted. */
	CHECK_INT(c[0].score, 1);
	/* The acceptance day's own vote is kept (same-day variant)... */
	CHECK_INT(c[1].score, 1);
	/* ...the thanks of that day too, the complaint of the 7th not. */
	CHECK(c[1].thanks && !c[1].neg && c[1].asker_c);
	CHECK(ans_gate(&s, &t, &c[1]));
	free(c);
	n = ans_snapshot(&s, &t, &strict, &c);
	CHECK_INT(n, 2);
	CHECK_INT(c[1].score, 0); /* strict: the day's vote is hidden */
	free(c);
	/* Now: every answer, final scores, every remark. */
	n = ans_snapshot(&s, &t, &now, &c);
	CHECK_INT(n, 3);
	CHECK_INT(c[0].score, 6);
	CHECK(c[1].neg);
	CHECK(!ans_gate(&s, &t, &c[2])); /* no score, no words, no staff */
	free(c);
}

static void
test_features(void)
{
	struct ans_set s;
	struct ans_source src;
	struct ans_thread t;
	struct ans_post p[3];
	struct ans_vote v[3];
	struct ans_remark r[2];
	struct ans_opts hide = { 1, 0 };
	struct ans_cand *c;
	double x[2 * ANS_NF];
	size_t n;

	build(&s, &src, &t, p, v, r);
	n = ans_snapshot(&s, &t, &hide, &c);
	ans_features(&s, &t, c, n, x);
	/* Tied at score 1: neither is alone at the top. */
	CHECK(x[F_TOP] == 0 && x[F_TIED] == 1);
	CHECK(x[ANS_NF + F_TIED] == 1);
	CHECK(x[F_MARGIN] == 0);
	CHECK(x[F_FIRST] == 1 && x[ANS_NF + F_FIRST] == 0);
	CHECK(x[ANS_NF + F_THANKS] == 1 && x[F_THANKS] == 0);
	CHECK(fabs(x[F_SCORE] - log1p(1.0) / 3) < 1e-12);
	CHECK(fabs(x[F_LEN] - 0.95) < 1e-12); /* log1p(300)/6, hundredths */
	free(c);
}

static void
test_choose(void)
{
	double w[ANS_NF] = { 0 }, x[3 * ANS_NF] = { 0 }, conf;
	size_t k;

	/* A lone candidate: confidence 1 whatever the weights. */
	w[F_LEN] = 3;
	x[F_LEN] = 0.5;
	k = ans_choose(w, x, 1, &conf);
	CHECK_INT(k, 0);
	CHECK(conf == 1.0);
	/* Softmax share: scores 0, ln 3: 3/4 to the second. */
	memset(w, 0, sizeof w);
	w[F_SCORE] = 1;
	x[F_LEN] = 0;
	x[ANS_NF + F_SCORE] = log(3.0);
	k = ans_choose(w, x, 2, &conf);
	CHECK_INT(k, 1);
	CHECK(fabs(conf - 0.75) < 1e-12);
	/* Ties go to the earlier answer. */
	x[2 * ANS_NF + F_SCORE] = log(3.0);
	k = ans_choose(w, x, 3, &conf);
	CHECK_INT(k, 1);
	CHECK(fabs(conf - 3.0 / 7.0) < 1e-12);
}

static void
test_phrases(void)
{
	struct ans_phrases ph;
	struct buf low = BUF_INIT;
	unsigned char thanks = 0, neg = 0;
	static const char said[] = "Thanks, that worked!";

	memset(&ph, 0, sizeof ph);
	ans_phrases_builtin(&ph, NULL);
	index_fold(&low, said, sizeof said - 1);
	CHECK(ans_verdict(&ph, low.data, low.len, &thanks, &neg) == 0);
	CHECK(thanks && !neg);
	CHECK(ans_verdict(&ph, "thanks, but it still fails", 26, &thanks,
	    &neg) == 0);
	CHECK(!thanks && neg);
	/* Words that exist because of the mark are dropped. */
	CHECK(ans_verdict(&ph, "thanks, accepted", 16, &thanks, &neg) < 0);
	CHECK(ans_verdict(&ph, "i marked your reply as the solution", 35,
	    &thanks, &neg) < 0);
	/* Word boundaries: "ty" is not in "pretty", "fixed" not "prefixed". */
	CHECK(!ans_phrase_match("pretty prefixed", 15, "ty"));
	CHECK(!ans_phrase_match("pretty prefixed", 15, "fixed"));
	CHECK(ans_phrase_match("it's fixed.", 11, "fixed"));
	/* A gap stays within the sentence. */
	CHECK(!ans_phrase_match("mark it. as", 11, "mark ... as"));
	ans_phrases_free(&ph);
	memset(&ph, 0, sizeof ph);
	ans_phrases_builtin(&ph, "indonesian");
	CHECK(ans_any(&ph, PH_THANKS, "terima kasih, berhasil", 22));
	CHECK(ans_any(&ph, PH_THANKS, "thanks", 6)); /* english too */
	ans_phrases_free(&ph);
	buf_release(&low);
}

/* Two fits on the same examples give the same bits. */
static void
test_determinism(void)
{
	struct ans_set s;
	struct ans_source src;
	struct ans_thread *t = xcalloc(60, sizeof *t);
	struct ans_post *p = xcalloc(120, sizeof *p);
	struct ans_items l;
	struct ans_model a, b;
	struct ans_opts hide = { 1, 0 };
	size_t skipped = 0, i;
	struct buf ja = BUF_INIT, jb = BUF_INIT;
	static char name[] = "x", kind[] = "discourse";

	memset(&s, 0, sizeof s);
	memset(&src, 0, sizeof src);
	src.name = name;
	src.kind = kind;
	for (i = 0; i < 60; i++) {
		t[i].ext = (int64_t)i;
		t[i].asker = 1000;
		t[i].has_accepted = 1;
		t[i].post0 = 2 * i;
		t[i].npost = 2;
		p[2 * i].ext = (int64_t)(2 * i);
		p[2 * i].author = 1;
		p[2 * i].words = (int32_t)(i % 7) * 10;
		p[2 * i + 1].ext = (int64_t)(2 * i + 1);
		p[2 * i + 1].author = 2;
		p[2 * i + 1].words = (int32_t)(i % 5) * 20;
		p[2 * i + 1].score = (int64_t)(i % 3);
		t[i].accepted = p[2 * i + (i % 4 != 0)].ext;
	}
	s.srcs = &src;
	s.nsrcs = 1;
	s.th = t;
	s.nth = 60;
	s.posts = p;
	s.nposts = 120;
	ans_items_build(&s, &hide, &l, &skipped);
	CHECK_INT(l.n, 60);
	ans_model_fit(&s, &l, NULL, ANS_MARGIN, 1, &a);
	ans_model_fit(&s, &l, NULL, ANS_MARGIN, 4, &b); /* any thread count: the same model */
	ans_model_json(&s, &a, &ja);
	ans_model_json(&s, &b, &jb);
	CHECK_STR(ja.data, jb.data);
	CHECK(memcmp(a.w[0], b.w[0], sizeof a.w[0]) == 0);
	CHECK(a.own_fit[0]); /* 60 multi-answer examples */
	CHECK(a.w[0][F_FIRST] < 0); /* the later answer was mostly accepted */
	buf_release(&ja);
	buf_release(&jb);
	ans_model_free(&a);
	ans_model_free(&b);
	ans_items_free(&l);
	free(t);
	free(p);
}

static void
test_threshold(void)
{
	/* Confidences high to low, right, right, wrong, right: 0.9 and
	 * 0.8 give precision 1; 0.7 gives 2/3. */
	double conf[] = { 0.9, 0.8, 0.7, 0.6 };
	unsigned char ok[] = { 1, 1, 0, 1 }, gate[] = { 1, 1, 1, 0 };
	size_t nc[] = { 2, 2, 2, 2 };

	CHECK(ans_pick_threshold(conf, ok, NULL, nc, 4, 0.85, 0.9) == 0.8);
	CHECK(ans_pick_threshold(conf, ok, NULL, nc, 4, 0.7, 0.7) == 0.6);
	/* The gate leaves 0.6's right answer out: 0.6 and 0.7 both
	 * cover 2 of 3 right, so 0.8 is the lowest that reaches 0.7. */
	CHECK(ans_pick_threshold(conf, ok, gate, nc, 4, 0.7, 0.7) == 0.8);
	/* The halves and folds the study drew (Python's zlib.crc32). */
	CHECK_INT(ans_half("beer.stackexchange.com", 976), 1);
	CHECK_INT(ans_fold_of("beer.stackexchange.com", 976), 1);
}

/* The direct count ans_pick_threshold replaced: every threshold counts
 * its rows afresh. */
static double
threshold_direct(const double *conf, const unsigned char *ok,
    const unsigned char *gate, const size_t *nc, size_t n, double t2,
    double tall)
{
	double best = 1.0;
	size_t i, j;

	for (i = 0; i < n; i++) {
		double t = floor(conf[i] * 10000 + 0.5) / 10000;
		size_t c2 = 0, k2 = 0, ca = 0, ka = 0;

		for (j = 0; j < n; j++) {
			if (conf[j] < t || (gate && !gate[j]))
				continue;
			ca++;
			ka += ok[j];
			if (nc[j] >= 2) {
				c2++;
				k2 += ok[j];
			}
		}
		if (ca && (double)ka >= tall * (double)ca &&
		    (c2 == 0 || (double)k2 >= t2 * (double)c2) && t < best)
			best = t;
	}
	return best;
}

/* The prefix-sum threshold equals the direct count on random rows with
 * ties, gates, NaN and infinities. */
static void
test_threshold_random(void)
{
	enum { N = 300 };
	double conf[N];
	unsigned char ok[N], gate[N];
	size_t nc[N], i, n;
	unsigned x = 17;
	int round, same = 1;

	for (round = 0; round < 200; round++) {
		n = (size_t)round % N + 1;
		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			conf[i] = (double)(x >> 8 & 1023) / 1023.0;
			if ((x >> 20 & 63) == 0)
				conf[i] = (x & 1) ? NAN : INFINITY;
			ok[i] = (x >> 3 & 3) != 0;
			gate[i] = (x >> 5 & 7) != 0;
			nc[i] = (x >> 9 & 3) + 1;
		}
		same &= ans_pick_threshold(conf, ok, NULL, nc, n, 0.8, 0.75) ==
		    threshold_direct(conf, ok, NULL, nc, n, 0.8, 0.75);
		same &= ans_pick_threshold(conf, ok, gate, nc, n, 0.7, 0.8) ==
		    threshold_direct(conf, ok, gate, nc, n, 0.7, 0.8);
	}
	CHECK(same);
}

void
run_tests(void)
{
	test_snapshot();
	test_features();
	test_choose();
	test_phrases();
	test_determinism();
	test_threshold();
	test_threshold_random();
}
