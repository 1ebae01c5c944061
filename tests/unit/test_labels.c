/*
 * Topic labels (index/labels.c): the stopword lists of every language
 * the tokenizer stems, and the label of small made-up clusters.
 */
#include "harness.h"

#include <stdlib.h>

#include "core/buf.h"
#include "index/labels.h"
#include "index/tokenize.h"

static int
is_stop(struct labeler *lb, const char *w)
{
	return label_is_stopword(lb, w, strlen(w));
}

static void
test_lists(void)
{
	size_t i;
	struct labeler *en = labeler_new(NULL), *id = labeler_new("id");
	struct labeler *ru = labeler_new("russian"), *fr = labeler_new("fr");

	/* One list per language tok_new() accepts, none nearly empty. */
	CHECK_INT(stopword_nlists, 28);
	for (i = 0; i < stopword_nlists; i++) {
		struct tokenizer *t = tok_new(stopword_lists[i].name);

		CHECK(t != NULL);
		tok_free(t);
		CHECK(strlen(stopword_lists[i].words) > 40);
	}
	CHECK(is_stop(en, "the") && is_stop(en, "The") && is_stop(en, "a"));
	CHECK(is_stop(en, "how") && is_stop(en, "What") && is_stop(en, "why"));
	CHECK(is_stop(en, "can") && is_stop(en, "does") && is_stop(en, "with"));
	CHECK(is_stop(en, "my") && is_stop(en, "would"));
	CHECK(is_stop(en, "how-to")); /* holds one */
	CHECK(!is_stop(en, "keg") && !is_stop(en, "wallet"));
	CHECK(!is_stop(en, "yang"));
	CHECK(is_stop(id, "yang") && is_stop(id, "bagaimana") &&
	    is_stop(id, "dengan") && is_stop(id, "the"));
	CHECK(!is_stop(id, "dompet"));
	CHECK(is_stop(ru, "как") && is_stop(ru, "Что") && is_stop(ru, "the"));
	CHECK(is_stop(fr, "le") && is_stop(fr, "où") && is_stop(fr, "ou"));
	labeler_free(en);
	labeler_free(id);
	labeler_free(ru);
	labeler_free(fr);
}

/* The label of members m[] (titles, tags) over terms t[]. */
static char *
label(const struct label_member *m, size_t n, struct label_term *t,
    size_t nt)
{
	struct labeler *lb = labeler_new(NULL);
	struct buf out = BUF_INIT;
	char *s;

	label_make(lb, m, n, t, nt, &out);
	labeler_free(lb);
	s = strdup(out.data ? out.data : "");
	buf_release(&out);
	return s;
}

static void
test_words(void)
{
	struct label_member m[] = {
		{ "Why does the keg foam?", NULL },
		{ "The keg and beer lines in 2020", NULL },
		{ "Cleaning a beer Keg", NULL },
	};
	/* "the" is heaviest but a stopword; "2020" a bare number; "clean"
	 * in one title only. */
	struct label_term t[] = {
		{ "the", 3, 3, 5.0f }, { "2020", 4, 2, 4.5f },
		{ "keg", 3, 3, 3.0f }, { "beer", 4, 3, 2.0f },
		{ "clean", 5, 3, 1.0f },
	};
	struct label_term r[] = { t[4], t[3], t[2], t[1], t[0] };
	char *a = label(m, 3, t, 5), *b = label(m, 3, r, 5);

	/* The most common form ("Keg" once, not at the start: "keg"
	 * twice), in the order of the titles (keg earlier on average). */
	CHECK_STR(a, "keg beer");
	CHECK_STR(b, a); /* the terms' input order does not matter */
	free(a);
	free(b);
}

static void
test_tags_and_title(void)
{
	struct label_member m[] = {
		{ "Yeast starter size", "hops\nyeast\nbrewing" },
		{ "Dry hopping timing", "yeast\nhops" },
		{ "Bottle conditioning", "brewing\n2019" },
		{ "Cold crash", "hops\nyeast" },
	};
	struct label_term t[] = { { "the", 3, 4, 5.0f } };
	struct label_member lone[] = {
		{ "How do I get rid of 2 chill haze?", NULL },
		{ "What is it?", NULL },
	};
	char *a = label(m, 4, t, 1), *b = label(lone, 2, t, 1);

	/* No word: the pair most members hold. */
	CHECK_STR(a, "hops, yeast");
	/* Neither: the canonical title's words that fit. */
	CHECK_STR(b, "get rid chill");
	free(a);
	free(b);
}

void
run_tests(void)
{
	test_lists();
	test_words();
	test_tags_and_title();
}
