/*
 * core/url: the one URL policy, for links to a source (absolute http(s)
 * only) and for hrefs and srcs in bodies.
 */
#include "harness.h"

#include <string.h>

#include "core/buf.h"
#include "core/url.h"

enum { ABS = URL_ABSOLUTE, BODY = URL_RELATIVE | URL_MAILTO };

static const struct {
	const char *url;
	int abs, body; /* url_is_safe under ABS and BODY */
} cases[] = {
	{ "http://example.com/", 1, 1 },
	{ "https://example.com/q/1?a=b#c", 1, 1 },
	{ "HTTPS://Example.com/", 1, 1 },
	{ "hTtP://x", 1, 1 },
	{ "mailto:a@b.c", 0, 1 },
	{ "/questions/1", 0, 1 },
	{ "#frag", 0, 1 },
	{ "?q=a:b", 0, 1 },
	{ "a/b:c", 0, 1 },
	{ "//cdn.example.com/x.png", 0, 1 },
	{ "", 0, 0 },
	{ "https:", 0, 0 },
	{ "https:example.com", 0, 0 },
	{ "https:///x", 0, 0 },
	{ "https://", 0, 0 },
	{ "javascript:alert(1)", 0, 0 },
	{ "JavaScript:alert(1)", 0, 0 },
	{ "JAVASCRIPT:alert(1)", 0, 0 },
	{ " javascript:alert(1)", 0, 0 },
	{ " JavaScript:alert(1)", 0, 0 },
	{ "java\tscript:alert(1)", 0, 0 },
	{ "java\nscript:alert(1)", 0, 0 },
	{ "java\rscript:alert(1)", 0, 0 },
	{ "java\x01script:alert(1)", 0, 0 },
	{ "java script:alert(1)", 0, 0 },
	{ "\x7fjavascript:alert(1)", 0, 0 },
	{ "https://example.com/a b", 0, 0 },
	{ "https://example.com/\t", 0, 0 },
	{ "vbscript:msgbox(1)", 0, 0 },
	{ "VBScript:msgbox(1)", 0, 0 },
	{ "data:text/html,<script>alert(1)</script>", 0, 0 },
	{ "data:image/png;base64,AAAA", 0, 0 },
	{ "file:///etc/passwd", 0, 0 },
	{ "ftp://example.com/", 0, 0 },
	{ ":nothing", 0, 0 },
	{ "%6aavascript:alert(1)", 0, 0 },
	{ "javascript&colon;alert(1)", 0, 0 },
	{ "javascript&#58;alert(1)", 0, 0 },
};

static void
test_is_safe(void)
{
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *u = cases[i].url;

		t_report(url_is_safe(u, strlen(u), ABS) == cases[i].abs,
		    __FILE__, __LINE__, "absolute policy", u, NULL);
		t_report(url_is_safe(u, strlen(u), BODY) == cases[i].body,
		    __FILE__, __LINE__, "body policy", u, NULL);
	}
	/* The length counts, not a NUL: nothing hides behind one. */
	CHECK(!url_is_safe("https://x\0javascript:", 21, ABS));
	CHECK(!url_is_safe("java\0script:x", 13, BODY));
	CHECK(url_is_safe("https://x.example/yjavascript:", 17, ABS));
	/* mailto only where asked for */
	CHECK(url_is_safe("mailto:a@b", 10, URL_MAILTO));
	CHECK(!url_is_safe("/x", 2, URL_MAILTO));
	CHECK(url_is_safe("/x", 2, URL_RELATIVE));
	CHECK(!url_is_safe("mailto:a@b", 10, URL_RELATIVE));
}

static void
test_clean(void)
{
	static const struct {
		const char *in, *out; /* out NULL: refused */
	} c[] = {
		{ "  https://e.com/a b\n", "https://e.com/a%20b" },
		{ "\thttps://e.com/\x01x ", "https://e.com/%01x" },
		{ "ht\ttp://e.com/", "http://e.com/" },
		{ " java\tscript:alert(1)", NULL },
		{ " JavaScript:alert(1)", NULL },
		{ "\x01\x02javascript:alert(1)", NULL },
		{ "java\nscript:alert(1)", NULL },
		{ "data:,x", NULL },
		{ "vbscript:x", NULL },
		{ "   ", NULL },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		int ok;

		buf_reset(&b);
		buf_puts(&b, "[");
		ok = url_clean(&b, c[i].in, strlen(c[i].in), ABS);
		t_report(ok == (c[i].out != NULL), __FILE__, __LINE__,
		    "url_clean result", c[i].in, NULL);
		if (c[i].out)
			t_report(strcmp(b.data + 1, c[i].out) == 0, __FILE__,
			    __LINE__, "url_clean output", b.data + 1,
			    c[i].out);
		else
			CHECK_STR(b.data, "[");
	}
	CHECK(url_clean(NULL, "https://e.com", 13, ABS));
	CHECK(url_clean(&b, "/rel", 4, URL_RELATIVE));
	CHECK(!url_clean(&b, "/rel", 4, ABS));
	buf_release(&b);
}

void
run_tests(void)
{
	test_is_safe();
	test_clean();
}
