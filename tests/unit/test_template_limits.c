/*
 * render/template: the bound on output.  A theme whose partials expand
 * 2^40 times must end at once with one error naming the template, with
 * or without writing anything; a large page made of large values must
 * still render.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "render/template.h"

#define LEVELS 40

/* p0 .. p39, each including the next twice; the last writes leaf. */
static struct tset *
doubling_theme(const char *leaf)
{
	struct tset *set = tset_new();
	char name[16], text[64];
	int i;

	for (i = 0; i < LEVELS; i++) {
		snprintf(name, sizeof name, "p%d", i);
		if (i == LEVELS - 1)
			snprintf(text, sizeof text, "%s", leaf);
		else
			snprintf(text, sizeof text, "{{>p%d}}{{>p%d}}", i + 1,
			    i + 1);
		CHECK(tset_add(set, name, text, strlen(text)) == 0);
	}
	return set;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Renders p0 of a doubling theme: an error naming p0, quickly, and
 * nothing left in out. */
static void
expect_bounded(const char *leaf)
{
	struct tset *set = doubling_theme(leaf);
	struct tctx *cx = tctx_new();
	struct buf out = BUF_INIT;
	double t0 = now();
	int rc;

	buf_puts(&out, "kept");
	rc = tset_render(set, "p0", tval_map(cx), &out);
	CHECK(rc == -1);
	CHECK(now() - t0 < 10);
	CHECK_STR(out.data, "kept");
	CHECK(strncmp(tset_errmsg(set), "p0: output over its limit", 25) ==
	    0);
	CHECK(strchr(tset_errmsg(set), '\n') == NULL);
	buf_release(&out);
	tctx_free(cx);
	tset_free(set);
}

/* A page of large values is not refused for being large: the bound
 * grows with the page's data. */
static void
large_data_renders(void)
{
	struct tset *set = tset_new();
	struct tctx *cx = tctx_new();
	struct tval *root = tval_map(cx), *list;
	struct buf out = BUF_INIT;
	size_t big = TMPL_MAX_OUTPUT + (1 << 20), i;
	char *body = malloc(big);
	const char *tpl = "<h1>{{title}}</h1>{{body}}<ul>{{#items}}<li>"
	    "{{name}}</li>{{/items}}</ul>";

	memset(body, 'x', big);
	tval_set_cstr(root, "title", "t");
	tval_set_html(root, "body", body, big);
	list = tval_set_list(root, "items");
	for (i = 0; i < 100000; i++) {
		struct tval *m = tval_map(cx);

		tval_set_cstr(m, "name", "an item");
		tval_list_push(list, m);
	}
	CHECK(tset_add(set, "page", tpl, strlen(tpl)) == 0);
	CHECK(tset_render(set, "page", root, &out) == 0);
	CHECK(out.len > big);
	free(body);
	buf_release(&out);
	tctx_free(cx);
	tset_free(set);
}

void
run_tests(void)
{
	expect_bounded("some text that is written 2^39 times");
	expect_bounded("");  /* expansions that write nothing */
	expect_bounded("{{#none}}x{{/none}}");
	large_data_renders();
}
