/* The fold decision (core/fold.c) and thread paths read back from a
 * manifest (render/urls.c). */
#include "harness.h"

#include <stdint.h>

#include "core/fold.h"
#include "render/render_int.h"

static void
init(struct fold_thr *v, size_t n)
{
	size_t i;

	memset(v, 0, n * sizeof *v);
	for (i = 0; i < n; i++) {
		v[i].in_scope = 1;
		v[i].merge = -1;
	}
}

static void
test_dups(void)
{
	struct fold_thr v[6];
	int d0[] = { 1 }, d1[] = { 2 }, d3[] = { 4, 5 }, d4[] = { 3 };

	/* 0 dup of 1 dup of 2 (an entry): both fold into 2, whatever 1
	 * has; 3 duplicates 4 (no entry, and a cycle back) and 5 (an
	 * entry): it folds into 5; 4 duplicates 3 only, and follows it
	 * into 5. */
	init(v, 6);
	v[0].dup = d0, v[0].ndup = 1;
	v[1].dup = d1, v[1].ndup = 1, v[1].page = 1;
	v[2].page = 1;
	v[3].dup = d3, v[3].ndup = 2;
	v[4].dup = d4, v[4].ndup = 1;
	v[5].page = 1;
	fold_decide(v, 6);
	CHECK_INT(v[0].fold, 2);
	CHECK_INT(v[1].fold, 2);
	CHECK_INT(v[1].page, 0);
	CHECK_INT(v[2].fold, -1);
	CHECK_INT(v[2].page, 1);
	CHECK_INT(v[3].fold, 5);
	CHECK_INT(v[4].fold, 5);
}

static void
test_merges(void)
{
	struct fold_thr v[4];
	int d0[] = { 1 };

	/* A merge wins over a duplicate link; a merge into a thread
	 * without an entry, or into one merged itself, does nothing; out
	 * of scope nothing folds. */
	init(v, 4);
	v[0].dup = d0, v[0].ndup = 1, v[0].merge = 2;
	v[1].page = 1;
	v[2].page = 1;
	v[3].page = 1, v[3].merge = 0;
	fold_decide(v, 4);
	CHECK_INT(v[0].fold, 2);
	CHECK_INT(v[3].fold, -1);
	CHECK_INT(v[3].page, 1);
	init(v, 2);
	v[0].page = 1, v[0].merge = 1, v[0].in_scope = 0;
	v[1].page = 1;
	fold_decide(v, 2);
	CHECK_INT(v[0].fold, -1);
	CHECK_INT(v[0].page, 1);
	CHECK(fold_near(0.31) && !fold_near(0.29));
}

static void
test_chains(void)
{
	struct fold_thr v[4];
	int d1[] = { 2 }, d0[] = { 1 }, d3[] = { 2 };

	/* 0 merges into 1, a human duplicate of 2: no redirect leads to a
	 * redirect, both go to 2. */
	init(v, 3);
	v[0].page = 1, v[0].merge = 1;
	v[1].page = 1, v[1].dup = d1, v[1].ndup = 1;
	v[2].page = 1;
	fold_decide(v, 3);
	CHECK_INT(v[0].fold, 2);
	CHECK_INT(v[1].fold, 2);
	CHECK_INT(v[0].page, 0);
	/* 0 duplicates 1, which the writers merge into 2: 0 goes to 2. */
	init(v, 3);
	v[0].dup = d0, v[0].ndup = 1;
	v[1].page = 1, v[1].merge = 2;
	v[2].page = 1;
	fold_decide(v, 3);
	CHECK_INT(v[0].fold, 2);
	CHECK_INT(v[1].fold, 2);
	/* A merge into one's own duplicate comes back: 3 duplicates 2,
	 * 2 merges into 3; one of them keeps its entry, never both
	 * redirecting. */
	init(v, 4);
	v[2].page = 1, v[2].merge = 3;
	v[3].page = 1, v[3].dup = d3, v[3].ndup = 1;
	fold_decide(v, 4);
	CHECK(v[2].page || v[3].page);
	CHECK(v[2].fold < 0 || v[v[2].fold].fold < 0);
	CHECK(v[3].fold < 0 || v[v[3].fold].fold < 0);
}

static void
path_case(const char *path, int want, const char *src, int64_t id,
    const char *slug)
{
	const char *s = NULL, *g = NULL;
	size_t sn = 0, gn = 0;
	int64_t e = 0;
	int r = render_thread_path(path, &s, &sn, &e, &g, &gn);
	char sb[64] = "", gb[96] = "";

	CHECK_INT(r, want);
	if (!r || !want)
		return;
	snprintf(sb, sizeof sb, "%.*s", (int)sn, s);
	if (g)
		snprintf(gb, sizeof gb, "%.*s", (int)gn, g);
	CHECK_STR(sb, src);
	CHECK_INT(e, id);
	CHECK_STR(gb, slug);
}

static void
test_paths(void)
{
	path_case("q/beer/602/what-are/index.html", 1, "beer", 602,
	    "what-are");
	path_case("q/beer/602/index.html", 1, "beer", 602, "");
	path_case("q/gh/-12/x/index.html", 1, "gh", -12, "x");
	path_case("q/beer/602/what/index.htm", 0, "", 0, "");
	path_case("q/beer/60x/what/index.html", 0, "", 0, "");
	path_case("q/beer/602/a/b/index.html", 0, "", 0, "");
	path_case("q//602/a/index.html", 0, "", 0, "");
	path_case("tag/beer/index.html", 0, "", 0, "");
	path_case("q/beer/-/a/index.html", 0, "", 0, "");
	path_case("q/beer/1234567890123456789/a/index.html", 0, "", 0, "");
}

void
run_tests(void)
{
	test_dups();
	test_merges();
	test_chains();
	test_paths();
}
