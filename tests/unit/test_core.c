#include "harness.h"

#include <stdlib.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/utf8.h"

static void
test_buf(void)
{
	struct buf b = BUF_INIT;
	char *s;
	int i;

	CHECK_STR(b.data, "");
	buf_puts(&b, "abc");
	buf_printf(&b, "-%d-", 42);
	CHECK_STR(b.data, "abc-42-");
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d", i % 10);
	CHECK_INT(b.len, 1007);
	buf_truncate(&b, 3);
	CHECK_STR(b.data, "abc");
	s = buf_detach(&b);
	CHECK_STR(s, "abc");
	CHECK_STR(b.data, "");
	free(s);
	s = buf_detach(&b);
	CHECK_STR(s, "");
	free(s);
	buf_release(&b);
}

static void
esc(void (*fn)(struct buf *, const char *, size_t), const char *in,
    const char *want)
{
	struct buf b = BUF_INIT;

	fn(&b, in, strlen(in));
	CHECK_STR(b.data, want);
	buf_release(&b);
}

static void
test_escape(void)
{
	esc(esc_html, "<a href=\"x\">&'", "&lt;a href=\"x\"&gt;&amp;'");
	esc(esc_attr, "\"'<>&", "&quot;&#39;&lt;&gt;&amp;");
	esc(esc_xml, "a\001b\tc", "a" "b\tc");
	esc(esc_json, "a\"b\\c\n</script>\xe2\x80\xa8",
	    "a\\\"b\\\\c\\n\\u003c/script\\u003e\\u2028");
	esc(esc_json, "bad\xff", "bad\\ufffd");
	esc(esc_json, "\x01", "\\u0001");
	esc(esc_url_component, "a b/ü", "a%20b%2F%C3%BC");
	esc(esc_csv, "plain", "plain");
	esc(esc_csv, "a,\"b\"", "\"a,\"\"b\"\"\"");
}

static void
test_utf8(void)
{
	struct buf b = BUF_INIT;
	size_t adv;

	CHECK_INT(utf8_decode("\xc3\xbc", 2, &adv), 0xfc);
	CHECK_INT(adv, 2);
	CHECK_INT(utf8_decode("\xc0\xaf", 2, &adv), -1); /* overlong */
	CHECK_INT(utf8_decode("\xed\xa0\x80", 3, &adv), -1); /* surrogate */
	CHECK_INT(utf8_decode("\xf4\x90\x80\x80", 4, &adv), -1);
	CHECK_INT(utf8_decode("\xe0\xb0", 2, &adv), -1); /* truncated */
	CHECK_INT(utf8_check("ok\xe0\xb0\x86x", 6), 6);
	CHECK_INT(utf8_check("ok\xff", 3), 2);
	utf8_repair(&b, "a\xffz", 3);
	CHECK_STR(b.data, "a\xef\xbf\xbdz");
	buf_reset(&b);
	utf8_encode(&b, 0x1f600);
	CHECK_STR(b.data, "\xf0\x9f\x98\x80");
	buf_release(&b);
}

void
run_tests(void)
{
	test_buf();
	test_escape();
	test_utf8();
}
