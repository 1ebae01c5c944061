#include "harness.h"

#include <stdlib.h>

#include <dirent.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/htmltext.h"
#include "core/sort.h"
#include "core/strtab.h"
#include "core/escape.h"
#include "core/utf8.h"
#include "core/varint.h"

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
	esc(esc_csv, "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	esc(esc_csv, "+1", "\"'+1\"");
	esc(esc_csv, "-x", "\"'-x\"");
	esc(esc_csv, "@sum", "\"'@sum\"");
	esc(esc_csv, "a=b", "a=b");
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

static void
date_case(const char *in, const char *want)
{
	char out[DATE_LEN + 1] = "";
	int rc = date_norm(in, strlen(in), out);

	if (want == NULL)
		CHECK_INT(rc, -1);
	else
		CHECK_STR(rc == 0 ? out : "(refused)", want);
}

static void
test_date(void)
{
	/* The shapes real sources use. */
	date_case("2014-01-21T20:26:05.383", "2014-01-21T20:26:05");
	date_case("2014-01-21T20:26:05", "2014-01-21T20:26:05");
	date_case("2014-01-21T20:26", "2014-01-21T20:26:00");
	date_case("2014-01-21", "2014-01-21T00:00:00");
	date_case("2022-11-22T10:20:30.123Z", "2022-11-22T10:20:30");
	date_case("2021-01-24T23:30:00+02:00", "2021-01-24T21:30:00");
	date_case("2021-01-24T23:30:00-0130", "2021-01-25T01:00:00");
	date_case("2020-02-29T00:00:00", "2020-02-29T00:00:00");
	/* Refused. */
	date_case("2019-02-29T00:00:00", NULL);
	date_case("2014-13-01", NULL);
	date_case("2014-01-21T25:00", NULL);
	date_case("2014-01-21T20:26:05.383 junk", NULL);
	date_case("", NULL);
	date_case("yesterday", NULL);
	CHECK_INT(date_epoch("1970-01-02T00:00:00"), 86400);
	CHECK_INT(date_epoch("bad"), -1);
}

static void squash(struct buf *out, const char *s);

/* Words must match; line breaks only where `breaks` says (blocks end
 * lines: "one" and "two" must not run together). */
static void
text_case(const char *html, const char *want, const char *breaks)
{
	struct buf b = BUF_INIT, sq = BUF_INIT;

	htmltext_append(&b, html, strlen(html));
	squash(&sq, b.data);
	CHECK_STR(sq.data, want);
	if (breaks)
		CHECK(strstr(b.data, breaks) != NULL);
	buf_release(&b);
	buf_release(&sq);
}

/* Collapses whitespace runs to one space and trims, for comparing two
 * extractions that may break lines differently. */
static void
squash(struct buf *out, const char *s)
{
	int sp = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t') {
			sp = out->len > 0;
			continue;
		}
		if (sp)
			buf_putc(out, ' ');
		sp = 0;
		buf_putc(out, *s);
	}
}

static void
test_htmltext(void)
{
	DIR *d;
	struct dirent *de;
	int compared = 0;

	text_case("<p>a &amp; b &lt;c&gt;</p>\n", "a & b <c>", NULL);
	text_case("<p>x<br>y</p>\n<ul><li>one</li><li>two</li></ul>\n",
	    "x y one two", "one\ntwo");
	text_case("<p><img src=\"https://i/x.png\" alt=\"alt\"> &#233;t&#xE9;</p>",
	    "\xc3\xa9t\xc3\xa9", NULL);
	/* The index reads stored HTML through htmltext; the sanitizer gave
	 * its own plain text for the same bodies.  They must hold the same
	 * words: check every golden output that has both. */
	d = opendir("tests/golden/sanitize");
	CHECK(d != NULL);
	while (d && (de = readdir(d)) != NULL) {
		struct buf path = BUF_INIT, a = BUF_INIT, b = BUF_INIT,
		    t = BUF_INIT;
		size_t n = strlen(de->d_name), hn, tn;
		char *html, *txt;

		if (n < 5 || strcmp(de->d_name + n - 4, ".out") != 0)
			continue;
		buf_printf(&path, "tests/golden/sanitize/%.*s.out",
		    (int)(n - 4), de->d_name);
		html = t_slurp(path.data, &hn);
		buf_reset(&path);
		buf_printf(&path, "tests/golden/sanitize/%.*s.txt",
		    (int)(n - 4), de->d_name);
		txt = t_slurp(path.data, &tn);
		if (html && txt) {
			htmltext_append(&t, html, hn);
			squash(&a, t.data);
			squash(&b, txt);
			if (strcmp(a.data, b.data) != 0)
				fprintf(stderr, "htmltext differs on %s\n",
				    de->d_name);
			CHECK_STR(a.data, b.data);
			compared++;
		}
		free(html);
		free(txt);
		buf_release(&path);
		buf_release(&a);
		buf_release(&b);
		buf_release(&t);
	}
	if (d)
		closedir(d);
	CHECK(compared >= 20);
}

/* The search data's integers: round trips at the 7-bit boundaries, and
 * a truncated or over-long one is reported, not misread. */
static void
test_varint(void)
{
	static const uint64_t v[] = { 0, 1, 127, 128, 16383, 16384,
	    UINT32_MAX, (uint64_t)UINT32_MAX + 1, UINT64_MAX };
	struct buf b = BUF_INIT;
	size_t i, at = 0;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		varint_put(&b, v[i]);
	CHECK_INT(b.len, 1 + 1 + 1 + 2 + 2 + 3 + 5 + 5 + 10);
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		CHECK(varint_get((const unsigned char *)b.data, b.len, &at) ==
		    v[i]);
	CHECK_INT(at, b.len);
	at = 0;
	CHECK(varint_get((const unsigned char *)"\x80\x80", 2, &at) == 0);
	CHECK_INT(at, 3); /* truncated: n + 1 */
	at = 0;
	CHECK(varint_get((const unsigned char *)
	    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11, &at) == 0);
	CHECK_INT(at, 12); /* more than 64 bits */
	buf_release(&b);
}

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* A wide item (more than swap's 64-byte chunk), ordered by key. */
struct wide {
	int key;
	char pad[90];
};

static int
wide_cmp(const void *a, const void *b)
{
	return int_cmp(&((const struct wide *)a)->key,
	    &((const struct wide *)b)->key);
}

/* fq_select against a full sort: the first k hold the k smallest, on
 * random, sorted, reversed and constant inputs, for every k. */
static void
test_select(void)
{
	enum { N = 97 };
	int a[N], sorted[N], got[N], shape, k, i, bad = 0;
	struct wide w[40];
	unsigned seed = 12345;

	for (shape = 0; shape < 4; shape++) {
		for (i = 0; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = shape == 0 ? (int)(seed >> 16) % 50 :
			    shape == 1 ? i : shape == 2 ? N - i : 7;
		}
		memcpy(sorted, a, sizeof a);
		qsort(sorted, N, sizeof *sorted, int_cmp);
		for (k = 0; k <= N; k++) {
			memcpy(got, a, sizeof a);
			fq_select(got, N, sizeof *got, (size_t)k, int_cmp);
			qsort(got, (size_t)k, sizeof *got, int_cmp);
			qsort(got + k, (size_t)(N - k), sizeof *got, int_cmp);
			bad += memcmp(got, sorted, sizeof got) != 0;
		}
	}
	CHECK_INT(bad, 0);
	for (i = 0; i < 40; i++) {
		memset(&w[i], 0, sizeof w[i]);
		w[i].key = (i * 17) % 40;
		w[i].pad[89] = (char)w[i].key;
	}
	fq_select(w, 40, sizeof *w, 10, wide_cmp);
	for (i = 0, bad = 0; i < 40; i++)
		bad += (i < 10) != (w[i].key < 10) || w[i].pad[89] != w[i].key;
	CHECK_INT(bad, 0);
	fq_select(NULL, 0, sizeof *a, 0, int_cmp); /* empty: no access */
}

/* strtab: keys keep their index through growth and resets. */
static void
test_strtab(void)
{
	struct strtab t;
	char key[16];
	int i, added, bad = 0;

	strtab_init(&t);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		bad += strtab_add(&t, key, strlen(key), &added) != i || !added;
	}
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		bad += strtab_find(&t, key, strlen(key)) != i;
		bad += strtab_add(&t, key, strlen(key), &added) != i || added;
	}
	CHECK_INT(bad, 0);
	/* A reset forgets every key of a big table; indexes start again. */
	strtab_reset(&t);
	CHECK_INT(strtab_find(&t, "k1", 2), -1);
	CHECK_INT(strtab_add(&t, "k7", 2, NULL), 0);
	CHECK_INT(strtab_add(&t, "k9", 2, NULL), 1);
	strtab_reset(&t);
	CHECK_INT(strtab_find(&t, "k7", 2), -1);
	CHECK_INT(strtab_find(&t, "k9", 2), -1);
	CHECK_INT(strtab_add(&t, "k9", 2, NULL), 0);
	CHECK_INT((long)t.n, 1);
	strtab_release(&t);
}

void
run_tests(void)
{
	test_buf();
	test_date();
	test_htmltext();
	test_escape();
	test_utf8();
	test_varint();
	test_select();
	test_strtab();
}
