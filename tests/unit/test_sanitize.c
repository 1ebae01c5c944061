/*
 * Sanitizer tests.  Golden files: tests/golden/sanitize/NAME.html is the
 * input, NAME.out the expected HTML, NAME.txt the expected plain text.
 * Regenerate with
 *
 *	UPDATE_GOLDEN=1 build/tests/test_sanitize
 *
 * and read every changed .out before committing it: a golden is a claim
 * that the output is right, not a record of what the code printed.
 *
 * When the shared data set is there ($SHARED/data, default ../shared),
 * every real body and comment is also checked for idempotence and
 * against the allow-list.
 */
#include "harness.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <time.h>

#include <libxml/xmlreader.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "ingest/ingest_int.h"

#define GOLDEN_DIR "tests/golden/sanitize"

static int
ci_contains(const char *h, const char *needle)
{
	size_t n = strlen(needle);

	for (; *h; h++)
		if (strncasecmp(h, needle, n) == 0)
			return 1;
	return 0;
}

static int
name_in(const char *name, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncmp(name, *list, n) == 0)
			return 1;
	return 0;
}

/*
 * Checks that html only uses the allow-list of ingest_int.h (sanitize): known tags,
 * known attributes on them, double-quoted values, safe URLs, no raw < >
 * outside tags and only the entities esc_html/esc_attr write.  Returns
 * NULL or what is wrong.
 */
static const char *
audit(const char *h)
{
	static const char *const tags[] = { "p", "br", "hr", "h1", "h2",
		"h3", "h4", "h5", "h6", "pre", "code", "kbd", "blockquote",
		"ul", "ol", "li", "dl", "dt", "dd", "em", "strong", "b", "i",
		"s", "del", "ins", "sup", "sub", "a", "img", "table", "thead",
		"tbody", "tr", "th", "td", NULL };
	static const char *const a_attrs[] = { "href", "title", "rel", NULL };
	static const char *const img_attrs[] = { "src", "alt", "title", NULL };
	static const char *const td_attrs[] = { "colspan", "rowspan", NULL };
	static const char *const none[] = { NULL };
	static const char *const ents[] = { "&amp;", "&lt;", "&gt;",
		"&quot;", "&#39;", NULL };
	const char *p = h;

	while (*p) {
		const char *name, *const *allowed;
		size_t nl;
		int close;

		if (*p == '>')
			return "raw > in text";
		if (*p == '&') {
			const char *const *e;

			for (e = ents; *e; e++)
				if (strncmp(p, *e, strlen(*e)) == 0)
					break;
			if (*e == NULL)
				return "unexpected entity";
			p++;
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		close = p[1] == '/';
		name = p + 1 + close;
		nl = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!name_in(name, nl, tags))
			return "tag not allowed";
		p = name + nl;
		allowed = none;
		if (nl == 1 && *name == 'a')
			allowed = a_attrs;
		else if (nl == 3 && strncmp(name, "img", 3) == 0)
			allowed = img_attrs;
		else if (nl == 2 && (strncmp(name, "td", 2) == 0 ||
		    strncmp(name, "th", 2) == 0))
			allowed = td_attrs;
		if (close && *p != '>')
			return "junk in end tag";
		while (*p == ' ') {
			const char *an = p + 1, *v, *ve;
			size_t al = strspn(an, "abcdefghijklmnopqrstuvwxyz");

			if (!name_in(an, al, allowed))
				return "attribute not allowed";
			if (an[al] != '=' || an[al + 1] != '"')
				return "attribute not quoted";
			v = an + al + 2;
			ve = strchr(v, '"');
			if (ve == NULL || memchr(v, '<', (size_t)(ve - v)) ||
			    memchr(v, '>', (size_t)(ve - v)))
				return "bad attribute value";
			if ((al == 4 && strncmp(an, "href", 4) == 0) ||
			    (al == 3 && strncmp(an, "src", 3) == 0)) {
				char u[32];
				size_t k, un = (size_t)(ve - v);

				for (k = 0; k < sizeof(u) - 1 && k < un; k++)
					u[k] = (char)tolower((unsigned char)v[k]);
				u[k] = '\0';
				if (strstr(u, "javascript") || strstr(u, "script:") ||
				    strncmp(u, "data:", 5) == 0 || un == 0)
					return "bad URL";
				if (!sanitize_url_ok(v, un, al == 3))
					return "URL not allowed";
			}
			p = ve + 1;
		}
		if (*p != '>')
			return "unterminated tag";
		p++;
	}
	if (utf8_check(h, strlen(h)) != strlen(h))
		return "invalid UTF-8";
	return NULL;
}

/* The stronger, blunt checks for the xss-* goldens. */
static const char *
audit_xss(const char *h)
{
	static const char *const bad[] = { "<script", "<iframe", "<style",
		"<object", "<embed", "<svg", "<math", "<form", "<base", "<meta",
		"<link", "<frame", "<input", "<button", "<textarea", " style=",
		" on", "href=\"javascript", "src=\"javascript", "vbscript:",
		"href=\"data:", "src=\"data:", "srcdoc", "formaction", NULL };
	const char *const *b;
	const char *p;

	for (b = bad; *b; b++) {
		if (**b != ' ') {
			if (ci_contains(h, *b))
				return *b;
			continue;
		}
		/* " on..." is only an attribute inside a tag, outside
		 * quoted values */
		for (p = h; (p = strchr(p, '<')) != NULL; p++) {
			int quoted = 0;

			for (; *p && *p != '>'; p++) {
				if (*p == '"')
					quoted = !quoted;
				else if (!quoted &&
				    strncasecmp(p, *b, strlen(*b)) == 0)
					return *b;
			}
			if (*p == '\0')
				break;
		}
	}
	return audit(h);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
write_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(s, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "unable to write '%s'\n", path);
		exit(1);
	}
}

static void
golden_one(const char *name, int update)
{
	char path[512], what[600];
	struct buf html = BUF_INIT, text = BUF_INIT, again = BUF_INIT;
	char *in, *want;
	size_t n, stem = strlen(name) - strlen(".html");
	const char *bad;

	snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, name);
	in = t_slurp(path, &n);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	CHECK_INT(sanitize_html(in, n, &html, &text), SANITIZE_OK);
	buf_putc(&text, '\n');

	snprintf(path, sizeof(path), "%s/%.*s.out", GOLDEN_DIR, (int)stem,
	    name);
	if (update)
		write_file(path, html.data, html.len);
	want = t_slurp(path, NULL);
	snprintf(what, sizeof(what), "%s matches .out", name);
	t_report(want && strcmp(html.data, want) == 0, __FILE__, __LINE__,
	    what, html.data, want);
	free(want);

	snprintf(path, sizeof(path), "%s/%.*s.txt", GOLDEN_DIR, (int)stem,
	    name);
	if (update)
		write_file(path, text.data, text.len);
	want = t_slurp(path, NULL);
	snprintf(what, sizeof(what), "%s matches .txt", name);
	if (want != NULL)
		t_report(strcmp(text.data, want) == 0, __FILE__, __LINE__,
		    what, text.data, want);
	free(want);

	sanitize_html(html.data, html.len, &again, NULL);
	snprintf(what, sizeof(what), "%s is idempotent", name);
	t_report(strcmp(again.data, html.data) == 0, __FILE__, __LINE__, what,
	    again.data, html.data);

	bad = strncmp(name, "xss-", 4) == 0 ? audit_xss(html.data) :
	    audit(html.data);
	snprintf(what, sizeof(what), "%s passes the allow-list audit", name);
	t_report(bad == NULL, __FILE__, __LINE__, what, bad, "(nothing)");

	free(in);
	buf_release(&html);
	buf_release(&text);
	buf_release(&again);
}

static void
test_goldens(void)
{
	DIR *d = opendir(GOLDEN_DIR);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	const char *up = getenv("UPDATE_GOLDEN");

	CHECK(d != NULL);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 5 && strcmp(de->d_name + l - 5, ".html") == 0) {
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n++] = strdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	CHECK(n >= 30);
	for (i = 0; i < n; i++) {
		golden_one(names[i], up != NULL && *up == '1');
		free(names[i]);
	}
	free(names);
}

static void
html_is(const char *in, size_t n, const char *want_html, const char *want_text)
{
	struct buf h = BUF_INIT, t = BUF_INIT, again = BUF_INIT;

	sanitize_html(in, n, &h, &t);
	CHECK_STR(h.data, want_html);
	if (want_text)
		CHECK_STR(t.data, want_text);
	sanitize_html(h.data, h.len, &again, NULL);
	CHECK_STR(again.data, h.data);
	buf_release(&h);
	buf_release(&t);
	buf_release(&again);
}

static void
comment_is(const char *in, const char *want_html, const char *want_text)
{
	struct buf h = BUF_INIT, t = BUF_INIT, again = BUF_INIT;

	sanitize_comment(in, strlen(in), &h, &t);
	CHECK_STR(h.data, want_html);
	CHECK_STR(t.data, want_text);
	/* comment output is already canonical sanitizer output */
	sanitize_html(h.data, h.len, &again, NULL);
	CHECK_STR(again.data, h.data);
	CHECK(audit(h.data) == NULL);
	buf_release(&h);
	buf_release(&t);
	buf_release(&again);
}

static void
test_small(void)
{
	struct buf h = BUF_INIT, t = BUF_INIT;

	html_is("", 0, "", "");
	html_is(" \n\t ", 4, "", "");
	html_is("hello", 5, "<p>hello</p>\n", "hello");
	html_is("<span>hi</span> <b>x</b>", 24, "<p>hi <b>x</b></p>\n",
	    "hi x");
	html_is("<div>a</div><div>b</div>", 24, "<p>a</p>\n<p>b</p>\n",
	    "a\nb");
	html_is("<ul><li><div>a</div><div>b</div></li></ul>", 42,
	    "<ul><li>a<br>b</li></ul>\n", "a\nb");
	/* NUL and invalid UTF-8 become U+FFFD, other controls go */
	html_is("a\0b\x01" "c\xff", 6, "<p>a\xef\xbf\xbd" "bc\xef\xbf\xbd</p>\n",
	    NULL);
	html_is("<p>x\r\ny\rz</p>", 13, "<p>x\ny\nz</p>\n", "x y z");
	/* a CR from a reference is written as LF, or it would change on
	 * the next pass */
	html_is("<p title=\"a&#13;b\">x&#13;y</p>", 29, "<p>x\ny</p>\n", NULL);
	html_is("<img src=\"http://e.com/\" alt=\"a&#13;b\">", 39,
	    "<p><img src=\"http://e.com/\" alt=\"a\nb\"></p>\n", NULL);
	html_is("<a href=\"/q/1\" title=\"T\">t</a>", 30,
	    "<p><a href=\"/q/1\" title=\"T\" rel=\"nofollow ugc noopener\">t"
	    "</a></p>\n", "t");
	/* libxml2 ends the value at the bad reference: a relative link */
	html_is("<a href=\"java&#0;script:alert(1)\">t</a>", 39,
	    "<p><a href=\"java\" rel=\"nofollow ugc noopener\">t</a></p>\n",
	    "t");
	html_is("<a href=\"javascript&colon;alert(1)\">t</a>", 39,
	    "<p>t</p>\n", "t");
	{
		/* libxml2 leaves instate at EOF after this unclosed <pre>:
		 * it is parsed whole, not taken for a halted parse */
		struct buf in = BUF_INIT, out = BUF_INIT;
		int i;

		buf_puts(&in, "<pre>");
		for (i = 0; i < 1000; i++)
			buf_puts(&in, "a\n");
		CHECK(sanitize_html(in.data, in.len, &out, NULL) ==
		    SANITIZE_OK);
		CHECK(out.len == in.len + 7);
		buf_release(&in);
		buf_release(&out);
	}
	html_is("<pre><code>a  b\n\n  c</code></pre>", 32,
	    "<pre><code>a  b\n\n  c</code></pre>\n", "a b\nc");

	/* appends; NULL outputs are fine */
	buf_puts(&h, "keep");
	buf_puts(&t, "keep");
	sanitize_html("<p>x</p>", 8, &h, &t);
	CHECK_STR(h.data, "keep<p>x</p>\n");
	CHECK_STR(t.data, "keepx");
	sanitize_html("<p>x</p>", 8, NULL, &t);
	sanitize_html("<p>x</p>", 8, &h, NULL);
	sanitize_html("<p>x</p>", 8, NULL, NULL);
	sanitize_comment("x", 1, NULL, NULL);
	markdown_to_safe_html("x", 1, NULL, NULL);
	CHECK_STR(h.data, "keep<p>x</p>\n<p>x</p>\n");
	buf_release(&h);
	buf_release(&t);
}

static void
test_urls(void)
{
	static const struct {
		const char *url;
		int link, img;
	} cases[] = {
		{ "http://example.com/", 1, 1 },
		{ "HTTPS://example.com/", 1, 1 },
		{ "  https://example.com/x y  ", 1, 1 },
		{ "mailto:a@b.c", 1, 0 },
		{ "/questions/1", 1, 0 },
		{ "#frag", 1, 0 },
		{ "?q=a:b", 1, 0 },
		{ "a/b:c", 1, 0 },
		{ "//cdn.example.com/x.png", 1, 0 },
		{ "", 0, 0 },
		{ "   ", 0, 0 },
		{ "javascript:alert(1)", 0, 0 },
		{ "JavaScript:alert(1)", 0, 0 },
		{ " \x01javascript:alert(1)", 0, 0 },
		{ "java\tscript:alert(1)", 0, 0 },
		{ "java\nscript:alert(1)", 0, 0 },
		{ "java\x01script:alert(1)", 0, 0 },
		{ "java script:alert(1)", 0, 0 },
		{ "vbscript:msgbox(1)", 0, 0 },
		{ "data:text/html,x", 0, 0 },
		{ "data:image/png;base64,AAAA", 0, 0 },
		{ "file:///etc/passwd", 0, 0 },
		{ ":nothing", 0, 0 },
		{ "%6aavascript:alert(1)", 0, 0 },
		{ "ftp://example.com/", 0, 0 },
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *u = cases[i].url;

		t_report(sanitize_url_ok(u, strlen(u), 0) == cases[i].link,
		    __FILE__, __LINE__, "link policy", u, NULL);
		t_report(sanitize_url_ok(u, strlen(u), 1) == cases[i].img,
		    __FILE__, __LINE__, "image policy", u, NULL);
	}
	CHECK(!sanitize_url_ok("java\0script:x", 13, 0));
	CHECK(sanitize_url(&b, " \thttps://e.com/a b\n", 20, 1));
	CHECK_STR(b.data, "https://e.com/a%20b");
	CHECK(!sanitize_url(&b, "javascript:x", 12, 0));
	CHECK_STR(b.data, "https://e.com/a%20b");
	buf_release(&b);
}

static void
test_comments(void)
{
	comment_is("[text](javascript:alert(1))", "<p>text</p>\n", "text");
	comment_is("see [docs](https://example.com/a?b=1&c=2) now",
	    "<p>see <a href=\"https://example.com/a?b=1&amp;c=2\" rel=\""
	    "nofollow ugc noopener\">docs</a> now</p>\n", "see docs now");
	comment_is("(see https://en.wikipedia.org/wiki/Foo_(bar)).",
	    "<p>(see <a href=\"https://en.wikipedia.org/wiki/Foo_(bar)\" "
	    "rel=\"nofollow ugc noopener\">https://en.wikipedia.org/wiki/"
	    "Foo_(bar)</a>).</p>\n",
	    "(see https://en.wikipedia.org/wiki/Foo_(bar)).");
	comment_is("  <script>alert(1)</script> & \"q\" ",
	    "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"q\"</p>\n",
	    "<script>alert(1)</script> & \"q\"");
	comment_is("[x](data:text/html,<script>alert(1)</script>) and "
	    "[y](vbscript:x) [z](/questions/1)",
	    "<p>x and y <a href=\"/questions/1\" rel=\"nofollow ugc noopener\""
	    ">z</a></p>\n", "x and y z");
	comment_is("xhttp://not.a.link [](e.com) [a] (b) [c](d e)",
	    "<p>xhttp://not.a.link [](e.com) [a] (b) [c](d e)</p>\n",
	    "xhttp://not.a.link [](e.com) [a] (b) [c](d e)");
	/* A link after an unclosed one's url, in the same run, stays
	 * text (the scan goes on past it: linear on "[x](" repeated);
	 * after a space it is a link again.  Trailing ')' of a bare URL
	 * are trimmed when unbalanced, counted once. */
	comment_is("[a](x[b](/q/2) [c](/q/3)",
	    "<p>[a](x[b](/q/2) <a href=\"/q/3\" rel=\"nofollow ugc noopener\""
	    ">c</a></p>\n", "[a](x[b](/q/2) c");
	comment_is("[docs](http://e.com/x",
	    "<p>[docs](<a href=\"http://e.com/x\" rel=\"nofollow ugc noopener\""
	    ">http://e.com/x</a></p>\n", "[docs](http://e.com/x");
	comment_is("[see](http://example.com/a b)",
	    "<p>[see](<a href=\"http://example.com/a\" rel=\"nofollow ugc "
	    "noopener\">http://example.com/a</a> b)</p>\n",
	    "[see](http://example.com/a b)");
	comment_is("http://e.com/a))) x",
	    "<p><a href=\"http://e.com/a\" rel=\"nofollow ugc noopener\">"
	    "http://e.com/a</a>))) x</p>\n", "http://e.com/a))) x");
	comment_is("", "", "");
	comment_is("bad \xff byte", "<p>bad \xef\xbf\xbd byte</p>\n",
	    "bad \xef\xbf\xbd byte");
}

static void
test_markdown(void)
{
	const char *md = "# Title\n\n<script>alert(1)</script>\n\n"
	    "Text *em* `a<b` [x](javascript:alert(1)) [y](https://e.com/)\n\n"
	    "<img src=x onerror=alert(2)> <kbd>Ctrl</kbd>\n\n"
	    "    code  block\n";
	struct buf h = BUF_INIT, t = BUF_INIT, again = BUF_INIT;

	CHECK_INT(markdown_to_safe_html(md, strlen(md), &h, &t), SANITIZE_OK);
	CHECK_STR(h.data, "<h1>Title</h1>\n"
	    "<p>Text <em>em</em> <code>a&lt;b</code> x <a href=\"https://e.com/\""
	    " rel=\"nofollow ugc noopener\">y</a></p>\n"
	    "<p> <kbd>Ctrl</kbd></p>\n"
	    "<pre><code>code  block\n</code></pre>\n");
	CHECK_STR(t.data, "Title\nText em a<b x y\nCtrl\ncode block");
	CHECK(audit_xss(h.data) == NULL);
	sanitize_html(h.data, h.len, &again, NULL);
	CHECK_STR(again.data, h.data);
	buf_release(&h);
	buf_release(&t);
	buf_release(&again);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_big(void)
{
	static const char unit[] = "<p>Text with <code>x</code> and <a "
	    "href=\"http://example.com/?a=1&amp;b=2\">link</a></p>\n<pre><code>"
	    "code &lt;here&gt;\n  indented\n</code></pre>\n<blockquote><p>q"
	    "</p></blockquote><img src=\"https://i.stack.imgur.com/x.png\" "
	    "alt=\"enter image description here\"><script>alert(1)</script>\n";
	struct buf in = BUF_INIT, h = BUF_INIT, t = BUF_INIT, again = BUF_INIT;
	double t0, t1;
	int rc;

	while (in.len < 20u << 20)
		buf_put(&in, unit, sizeof(unit) - 1);
	t0 = now();
	rc = sanitize_html(in.data, in.len, &h, &t);
	t1 = now();
	printf("20 MB body: %.2f s\n", t1 - t0);
	CHECK_INT(rc, SANITIZE_OK);
	CHECK(h.len > in.len / 2);
	CHECK(strstr(h.data, "<script") == NULL);
	CHECK(strncmp(h.data, "<p>Text with <code>x</code> and <a href=", 40)
	    == 0);
	CHECK(utf8_check(h.data, h.len) == h.len);
	sanitize_html(h.data, h.len, &again, NULL);
	CHECK(again.len == h.len && memcmp(again.data, h.data, h.len) == 0);

	/* one 20 MB text node: no 10 MB cut (no tree is built) */
	buf_reset(&in);
	buf_reset(&h);
	buf_puts(&in, "<pre><code>");
	while (in.len < 20u << 20)
		buf_puts(&in, "x = 1 &amp;&amp; y;\n");
	buf_puts(&in, "</code></pre>");
	CHECK_INT(sanitize_html(in.data, in.len, &h, NULL), SANITIZE_OK);
	CHECK_INT(h.len, in.len + 1);
	buf_release(&in);
	buf_release(&h);
	buf_release(&t);
	buf_release(&again);
}

/* Deepest element nesting in (canonical) html. */
static size_t
nesting(const char *h)
{
	size_t d = 0, max = 0;

	for (; (h = strchr(h, '<')) != NULL; h++) {
		if (h[1] == '/')
			d--;
		else if (strncmp(h, "<br>", 4) && strncmp(h, "<hr>", 4) &&
		    strncmp(h, "<img ", 5) && ++d > max)
			max = d;
	}
	return max;
}

static void
deep(const char *open, const char *close, size_t depth, int want_rc)
{
	struct buf in = BUF_INIT, h = BUF_INIT, again = BUF_INIT;
	size_t i;

	for (i = 0; i < depth; i++)
		buf_puts(&in, open);
	buf_puts(&in, "deep<script>alert(1)</script>");
	for (i = 0; i < depth; i++)
		buf_puts(&in, close);
	buf_puts(&in, "<p>after</p>");
	CHECK_INT(sanitize_html(in.data, in.len, &h, NULL), want_rc);
	/* nothing silently lost: the text after the nest is still there */
	CHECK(strstr(h.data, "after") != NULL);
	CHECK(strstr(h.data, "deep") != NULL);
	CHECK(!ci_contains(h.data, "<script"));
	CHECK(audit(h.data) == NULL);
	CHECK(nesting(h.data) <= 128);
	sanitize_html(h.data, h.len, &again, NULL);
	CHECK(strcmp(again.data, h.data) == 0);
	buf_release(&in);
	buf_release(&h);
	buf_release(&again);
}

static void
test_deep(void)
{
	deep("<div>", "</div>", 100000, SANITIZE_FALLBACK);
	deep("<b>", "</b>", 100000, SANITIZE_FALLBACK);
	deep("<blockquote>", "</blockquote>", 100000, SANITIZE_FALLBACK);
	deep("<div>", "</div>", 250, SANITIZE_OK);
	deep("<b>", "", 250, SANITIZE_OK);
	deep("<blockquote>", "</blockquote>", 250, SANITIZE_OK);
	deep("<ul><li>", "</li></ul>", 120, SANITIZE_OK);
	deep("<b>", "</i>", 100000, SANITIZE_FALLBACK);
}

/* Runs every Body (HTML) and comment Text of one dump file through the
 * sanitizer; returns the number of rows seen. */
static size_t
real_file(const char *path, int comments)
{
	xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET);
	struct buf h = BUF_INIT, again = BUF_INIT;
	size_t rows = 0, bad = 0;
	int ret;

	if (r == NULL)
		return 0;
	while ((ret = xmlTextReaderRead(r)) == 1) {
		xmlChar *v;
		const char *why = NULL;

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		v = xmlTextReaderGetAttribute(r, BAD_CAST(comments ? "Text" :
		    "Body"));
		if (v == NULL)
			continue;
		rows++;
		buf_reset(&h);
		buf_reset(&again);
		if (comments)
			sanitize_comment((char *)v, strlen((char *)v), &h, NULL);
		else if (sanitize_html((char *)v, strlen((char *)v), &h, NULL))
			why = "fallback";
		sanitize_html(h.data, h.len, &again, NULL);
		if (strcmp(h.data, again.data) != 0)
			why = "not idempotent";
		else if (why == NULL)
			why = audit(h.data);
		if (why != NULL && bad++ < 3)
			fprintf(stderr, "%s row %zu: %s\n--- in\n%s\n--- out\n%s\n"
			    "--- again\n%s\n", path, rows, why, (char *)v, h.data,
			    again.data);
		xmlFree(v);
	}
	CHECK_INT(ret, 0);
	t_report(bad == 0, __FILE__, __LINE__, path, NULL, NULL);
	xmlFreeTextReader(r);
	buf_release(&h);
	buf_release(&again);
	return rows;
}

static void
test_real_data(void)
{
	const char *shared = getenv("SHARED");
	char path[1024];
	DIR *d;
	struct dirent *de;
	size_t rows = 0;

	snprintf(path, sizeof(path), "%s/data", shared ? shared : "../shared");
	d = opendir(path);
	if (d == NULL) {
		printf("real data: %s not found, skipped\n", path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, "stackexchange") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/data/%s/Posts.xml",
		    shared ? shared : "../shared", de->d_name);
		rows += real_file(path, 0);
		snprintf(path, sizeof(path), "%s/data/%s/Comments.xml",
		    shared ? shared : "../shared", de->d_name);
		rows += real_file(path, 1);
	}
	closedir(d);
	printf("real data: %zu bodies and comments checked\n", rows);
	CHECK(rows > 0);
}

void
run_tests(void)
{
	test_small();
	test_urls();
	test_comments();
	test_markdown();
	test_goldens();
	test_deep();
	test_big();
	test_real_data();
	xmlCleanupParser();
}
