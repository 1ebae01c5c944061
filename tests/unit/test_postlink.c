/*
 * ingest/postlink.c: which hrefs of a body name a post of the same site
 * (docs/sources.md, "Links between posts").
 */
#include <string.h>

#include "harness.h"
#include "ingest/ingest_int.h"

/* "what id answer own" of href on site s, or "-" when not local. */
static const char *
parse(const struct postlink_site *s, const char *href)
{
	static char out[96];
	struct postlink l;

	if (!postlink_parse(s, href, strlen(href), &l))
		return "-";
	snprintf(out, sizeof out, "%s %lld %lld %d", l.what ==
	    POSTLINK_ANSWER ? "a" : "q", (long long)l.id,
	    (long long)l.answer, l.own);
	return out;
}

static void
collect(void *ctx, const char *href, size_t n)
{
	struct buf *b = ctx;

	buf_put(b, href, n);
	buf_putc(b, '|');
}

void
run_tests(void)
{
	struct postlink_site se, dc, forum, gh;
	struct buf b = BUF_INIT;
	static const char html[] = "<p><a href=\"/q/1\">x</a> <img src=\"/q/2\">"
	    "<a rel=\"x\" href=\"/a/3\">y</a><a>z</a><a data-href=\"/q/4\">"
	    "</p><a href=\"/q/5";

	postlink_site_init(&se, "stackexchange", "beer.stackexchange.com");
	postlink_site_init(&dc, "discourse", "urho3d-topics");
	postlink_site_init(&forum, "discourse", "forum.example.com");
	postlink_site_init(&gh, "github", "discussions");

	CHECK_STR(parse(&se, "/questions/12"), "q 12 0 1");
	CHECK_STR(parse(&se, "/questions/12/some-slug"), "q 12 0 1");
	CHECK_STR(parse(&se, "/questions/12/some-slug/34#34"), "q 12 34 1");
	CHECK_STR(parse(&se, "https://beer.stackexchange.com/q/12/7"),
	    "q 12 0 1");
	CHECK_STR(parse(&se, "http://beer.stackexchange.com/a/9?x=1"),
	    "a 9 0 1");
	CHECK_STR(parse(&se, "//alcohol.stackexchange.com/questions/5"),
	    "q 5 0 0");
	CHECK_STR(parse(&se, "https://stackoverflow.com/questions/5"), "-");
	CHECK_STR(parse(&se, "https://x.stackexchange.com"), "-");
	CHECK_STR(parse(&se, "/questions/12abc"), "-");
	CHECK_STR(parse(&se, "/questions/0"), "-");
	CHECK_STR(parse(&se, "/users/12"), "-");
	CHECK_STR(parse(&se, "questions/12"), "-");
	CHECK_STR(parse(&se, "/t/slug/12"), "-");

	CHECK_STR(parse(&dc, "/t/some-topic/5808/1"), "q 5808 0 1");
	CHECK_STR(parse(&dc, "/t/5808"), "q 5808 0 1");
	CHECK_STR(parse(&dc, "https://discourse.urho3d.io/t/x/5808"), "-");
	CHECK_STR(parse(&dc, "/questions/12"), "-");
	CHECK_STR(parse(&forum, "https://forum.example.com/t/x/7"),
	    "q 7 0 1");
	CHECK_STR(parse(&forum, "https://other.example.com/t/x/7"), "-");
	CHECK_STR(parse(&gh, "/questions/12"), "-");

	postlink_scan(html, sizeof html - 1, collect, &b);
	CHECK_STR(b.data, "/q/1|/a/3|");
	buf_release(&b);
}
