/*
 * core/escape: every entity context drops what XML 1.0 forbids (C0
 * controls but tab/LF/CR, U+FFFE, U+FFFF) and keeps the rest of UTF-8,
 * the 0xEF sequences around the noncharacters included.
 */
#include "harness.h"

#include <string.h>

#include "core/buf.h"
#include "core/escape.h"

typedef void escape_fn(struct buf *, const char *, size_t);

static void
esc(escape_fn *fn, const char *in, size_t n, const char *want)
{
	struct buf b = BUF_INIT;

	fn(&b, in, n);
	t_report(b.len == strlen(want) && memcmp(b.data, want, b.len) == 0,
	    __FILE__, __LINE__, in, b.data, want);
	buf_release(&b);
}

#define E(fn, in, want) esc(fn, in, sizeof(in) - 1, want)

void
run_tests(void)
{
	escape_fn *const fns[] = { esc_html, esc_attr, esc_xml };
	size_t i;

	for (i = 0; i < 3; i++) {
		escape_fn *fn = fns[i];

		E(fn, "a\xef\xbf\xbe" "b\xef\xbf\xbf" "c", "abc");
		E(fn, "\xef\xbf\xbf", "");
		E(fn, "\xef\xbf\xbf\xef\xbf\xbe", "");
		E(fn, "x\x01\x02\x1f\x00y", "xy");
		E(fn, "t\tl\nc\r.", "t\tl\nc\r.");
		/* U+FFFD, U+FFEF, U+FF08, U+F900 stay */
		E(fn, "\xef\xbf\xbd\xef\xbf\xaf\xef\xbc\x88\xef\xa4\x80",
		    "\xef\xbf\xbd\xef\xbf\xaf\xef\xbc\x88\xef\xa4\x80");
		/* a cut sequence at the end is left as it is */
		E(fn, "a\xef\xbf", "a\xef\xbf");
		E(fn, "a\xef", "a\xef");
		/* U+1FFFE is allowed in XML 1.0 */
		E(fn, "\xf0\x9f\xbf\xbe", "\xf0\x9f\xbf\xbe");
		E(fn, "<\xef\xbf\xbf&", "&lt;&amp;");
	}
	E(esc_attr, "\"\xef\xbf\xbe'", "&quot;&#39;");
	E(esc_html, "\"\xef\xbf\xbe'", "\"'");
	E(esc_json, "a\xef\xbf\xbe" "b\xef\xbf\xbf", "a\\ufffeb\\uffff");
}
