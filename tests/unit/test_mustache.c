/*
 * render/template: every case of every official Mustache spec file, then
 * our own contract (errors, override directories, recursion guard,
 * HTML-safe strings, values) and a micro-benchmark that prints pages/s.
 *
 * The spec lives in ../shared/mustache-spec (relative to the repository
 * root, where tests run); MUSTACHE_SPEC overrides it.  A missing spec
 * is a failure, never a skip.
 */
#include "harness.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "render/template.h"

#define SPEC_DIR "../shared/mustache-spec"

static struct tval *
from_json(struct tctx *cx, json_t *j)
{
	struct tval *v;
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		v = tval_map(cx);
		json_object_foreach(j, key, item)
			tval_set(v, key, from_json(cx, item));
		return v;
	case JSON_ARRAY:
		v = tval_list(cx);
		json_array_foreach(j, i, item)
			tval_list_push(v, from_json(cx, item));
		return v;
	case JSON_STRING:
		return tval_str(cx, json_string_value(j),
		    json_string_length(j));
	case JSON_INTEGER:
		return tval_int(cx, json_integer_value(j));
	case JSON_REAL:
		return tval_real(cx, json_real_value(j));
	case JSON_TRUE:
		return tval_bool(cx, 1);
	case JSON_FALSE:
		return tval_bool(cx, 0);
	default:
		return tval_null(cx);
	}
}

/* Runs one spec case; returns 1 if it passed. */
static int
spec_case(const char *file, json_t *tc)
{
	const char *name = json_string_value(json_object_get(tc, "name"));
	const char *desc = json_string_value(json_object_get(tc, "desc"));
	json_t *tmpl = json_object_get(tc, "template");
	json_t *want = json_object_get(tc, "expected");
	json_t *partials = json_object_get(tc, "partials"), *p;
	struct tset *set = tset_new();
	struct tctx *cx = tctx_new();
	struct buf out = BUF_INIT, what = BUF_INIT;
	const char *pname, *got = NULL;
	int ok = 0;

	buf_printf(&what, "%s: \"%s\" (%s)", file, name ? name : "?",
	    desc ? desc : "");
	json_object_foreach(partials, pname, p) {
		if (tset_add(set, pname, json_string_value(p),
		    json_string_length(p)) == -1) {
			got = tset_errmsg(set);
			goto out;
		}
	}
	/* The name cannot clash with the spec's partial names. */
	if (tset_add(set, "(template)", json_string_value(tmpl),
	    json_string_length(tmpl)) == -1 ||
	    tset_render(set, "(template)",
	    from_json(cx, json_object_get(tc, "data")), &out) == -1) {
		got = tset_errmsg(set);
		goto out;
	}
	got = out.data;
	ok = out.len == json_string_length(want) &&
	    memcmp(out.data, json_string_value(want), out.len) == 0;
out:
	t_report(ok, file, 0, what.data, got, json_string_value(want));
	buf_release(&what);
	buf_release(&out);
	tctx_free(cx);
	tset_free(set);
	return ok;
}

static int
cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_spec(void)
{
	const char *dir = getenv("MUSTACHE_SPEC");
	const char *core[] = { "comments.json", "delimiters.json",
	    "interpolation.json", "inverted.json", "partials.json",
	    "sections.json", "~inheritance.json" };
	char *names[64];
	size_t n = 0, i, k, idx;
	struct dirent *de;
	struct buf path = BUF_INIT;
	json_error_t jerr;
	json_t *root, *tc;
	DIR *d;
	int pass, total, found;

	if (dir == NULL || *dir == '\0')
		dir = SPEC_DIR;
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "test_mustache: no spec directory '%s' "
		    "(set MUSTACHE_SPEC)\n", dir);
		CHECK(!"mustache spec directory present");
		return;
	}
	while ((de = readdir(d)) != NULL && n < 64) {
		size_t len = strlen(de->d_name);

		if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmpname);
	for (k = 0; k < sizeof(core) / sizeof(core[0]); k++) {
		found = 0;
		for (i = 0; i < n; i++)
			found |= strcmp(names[i], core[k]) == 0;
		if (!found)
			fprintf(stderr, "test_mustache: spec file %s missing "
			    "from %s\n", core[k], dir);
		CHECK(found);
	}
	for (i = 0; i < n; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, names[i]);
		if ((root = json_load_file(path.data, 0, &jerr)) == NULL) {
			fprintf(stderr, "test_mustache: %s: %s\n", path.data,
			    jerr.text);
			CHECK(!"spec file parses");
			continue;
		}
		pass = total = 0;
		json_array_foreach(json_object_get(root, "tests"), idx, tc) {
			total++;
			pass += spec_case(names[i], tc);
		}
		printf("spec %-20s %d/%d passed\n", names[i], pass, total);
		CHECK(total > 0);
		json_decref(root);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	buf_release(&path);
}

/* Compiles text as template "t" and renders it with data; returns the
 * output, or "ERR: message". */
static char *
render1(const char *text, const struct tval *data)
{
	struct tset *set = tset_new();
	struct buf out = BUF_INIT;

	if (tset_add(set, "t", text, strlen(text)) == -1 ||
	    tset_render(set, "t", data, &out) == -1) {
		buf_reset(&out);
		buf_printf(&out, "ERR: %s", tset_errmsg(set));
	}
	tset_free(set);
	return buf_detach(&out);
}

static int
add(struct tset *set, const char *name, const char *text)
{
	return tset_add(set, name, text, strlen(text));
}

static void
check_error(const char *name, const char *text, const char *want)
{
	struct tset *set = tset_new();

	CHECK_INT(tset_add(set, name, text, strlen(text)), -1);
	CHECK_STR(tset_errmsg(set), want);
	CHECK(!tset_has(set, name));
	tset_free(set);
}

static void
test_errors(void)
{
	struct tset *set;
	struct buf out = BUF_INIT;

	check_error("page.mustache", "<ul>\n{{#page}}\n    {{#answers}}\n"
	    "<li>{{body}}</li>\n{{/page}}\n",
	    "page.mustache:5:1: end tag 'page' does not match section "
	    "'answers'");
	check_error("page.mustache", "<ul>\n{{#page}}\n    {{#answers}}\n"
	    "<li>{{body}}</li>\n{{/answers}}\n",
	    "page.mustache:2:1: unclosed section 'page'");
	check_error("page.mustache", "x\n\t{{^answers}}none",
	    "page.mustache:2:2: unclosed section 'answers'");
	check_error("t", "ab {{/x}}", "t:1:4: unexpected end tag 'x'");
	check_error("t", "ab\n  {{name", "t:2:3: unclosed tag");
	check_error("t", "{{{name}}", "t:1:1: unclosed tag");
	check_error("t", "x {{=<% =}}", "t:1:3: bad delimiter '<%'");
	check_error("t", "x {{=<% %> %>=}}", "t:1:3: bad delimiter "
	    "'<% %> %>'");
	check_error("t", "{{= =}}", "t:1:1: bad delimiter ''");
	check_error("t", "{{<%}}", "t:1:1: unclosed parent '%'");
	check_error("t", "{{$b}}x", "t:1:1: unclosed block 'b'");
	check_error("t", "a {{ }}", "t:1:3: empty tag");
	check_error("t", "a {{a b}}", "t:1:3: bad tag name 'a b'");
	check_error("t", "a {{a..b}}", "t:1:3: bad name 'a..b'");
	check_error("t", "{{=| |=}}\n|#a|\n|/b|", "t:3:1: end tag 'b' "
	    "does not match section 'a'");

	/* A failed add leaves the previous template of that name alone. */
	set = tset_new();
	CHECK_INT(add(set, "t", "ok"), 0);
	CHECK_INT(add(set, "t", "{{#x}}"), -1);
	CHECK_INT(tset_render(set, "t", NULL, &out), 0);
	CHECK_STR(out.data, "ok");
	CHECK_STR(tset_errmsg(set), "");
	CHECK_INT(tset_render(set, "nope", NULL, &out), -1);
	CHECK_STR(tset_errmsg(set), "no template 'nope'");
	CHECK_STR(out.data, "ok");
	buf_release(&out);
	tset_free(set);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	struct buf path = BUF_INIT;
	FILE *f;

	buf_printf(&path, "%s/%s", dir, name);
	f = fopen(path.data, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	buf_release(&path);
}

static void
remove_tree(const char *dir)
{
	struct buf path = BUF_INIT;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, de->d_name);
		if (unlink(path.data) != 0)
			remove_tree(path.data);
	}
	closedir(d);
	rmdir(dir);
	buf_release(&path);
}

static void
test_load_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	struct buf root = BUF_INIT, base = BUF_INIT, over = BUF_INIT,
	    bad = BUF_INIT, out = BUF_INIT;
	struct tset *set = tset_new();
	struct tctx *cx = tctx_new();
	struct tval *data = tval_map(cx);
	char *r;

	buf_printf(&root, "%s/faqtory-tmpl-XXXXXX", tmp && *tmp ? tmp :
	    "/tmp");
	r = mkdtemp(root.data);
	CHECK(r != NULL);
	if (r == NULL)
		goto out;
	buf_printf(&base, "%s/base", root.data);
	buf_printf(&over, "%s/over", root.data);
	buf_printf(&bad, "%s/bad", root.data);
	CHECK_INT(mkdir(base.data, 0700), 0);
	CHECK_INT(mkdir(over.data, 0700), 0);
	CHECK_INT(mkdir(bad.data, 0700), 0);
	write_file(base.data, "page.mustache",
	    "{{<layout}}{{$main}}<h1>{{>title}}</h1>{{/main}}{{/layout}}");
	write_file(base.data, "layout.mustache",
	    "<body>{{$main}}{{/main}}{{>footer}}</body>\n");
	write_file(base.data, "title.mustache", "T:{{t}}");
	write_file(base.data, "footer.mustache", "<p>base footer</p>");
	write_file(base.data, "notes.txt", "{{#unclosed}}");
	write_file(over.data, "title.mustache", "O:{{t}}");
	write_file(over.data, ".hidden.mustache", "{{#unclosed}}");
	buf_printf(&out, "%s/dir.mustache", over.data);
	CHECK_INT(mkdir(out.data, 0700), 0);
	buf_reset(&out);
	write_file(bad.data, "a.mustache", "fine");
	write_file(bad.data, "b.mustache", "line\n  {{#x}}");

	tval_set_cstr(data, "t", "A&B");
	CHECK_INT(tset_load_dir(set, base.data), 4);
	CHECK(tset_has(set, "page") && tset_has(set, "footer"));
	CHECK(!tset_has(set, "notes"));
	CHECK_INT(tset_render(set, "page", data, &out), 0);
	CHECK_STR(out.data, "<body><h1>T:A&amp;B</h1><p>base footer</p>"
	    "</body>\n");
	CHECK_INT(tset_load_dir(set, over.data), 1);
	buf_reset(&out);
	CHECK_INT(tset_render(set, "page", data, &out), 0);
	CHECK_STR(out.data, "<body><h1>O:A&amp;B</h1><p>base footer</p>"
	    "</body>\n");

	/* The first bad file stops loading; its path is in the message. */
	CHECK_INT(tset_load_dir(set, bad.data), -1);
	CHECK(tset_has(set, "a"));
	CHECK(strstr(tset_errmsg(set), "/bad/b.mustache:2:3: unclosed "
	    "section 'x'") != NULL);
	CHECK(strncmp(tset_errmsg(set), root.data, root.len) == 0);

	buf_reset(&out);
	buf_printf(&out, "%s/missing", root.data);
	CHECK_INT(tset_load_dir(set, out.data), -1);
	CHECK(strstr(tset_errmsg(set), "unable to open directory") != NULL);
out:
	remove_tree(root.data);
	buf_release(&root);
	buf_release(&base);
	buf_release(&over);
	buf_release(&bad);
	buf_release(&out);
	tctx_free(cx);
	tset_free(set);
}

static struct tval *
leaf(struct tctx *cx)
{
	struct tval *m = tval_map(cx);

	tval_set(m, "n", tval_null(cx));
	tval_set_list(m, "kids");
	return m;
}

static void
test_recursion(void)
{
	struct tset *set = tset_new();
	struct tctx *cx = tctx_new();
	struct tval *root, *node, *kids;
	struct buf out = BUF_INIT, want = BUF_INIT;
	char *s;
	int i;

	CHECK_INT(add(set, "r", "x{{>r}}"), 0);
	buf_puts(&out, "keep");
	CHECK_INT(tset_render(set, "r", NULL, &out), -1);
	CHECK_STR(tset_errmsg(set), "r: nesting deeper than 100 "
	    "(recursive partial?)");
	CHECK_STR(out.data, "keep");

	CHECK_INT(add(set, "p", "{{<p}}{{$b}}x{{/b}}{{/p}}"), 0);
	CHECK_INT(tset_render(set, "p", NULL, &out), -1);
	CHECK(strstr(tset_errmsg(set), "nesting deeper") != NULL);

	/* A block whose content expands itself again. */
	CHECK_INT(add(set, "lay", "{{$b}}{{/b}}"), 0);
	CHECK_INT(add(set, "q", "{{<lay}}{{$b}}{{<lay}}{{/lay}}{{/b}}"
	    "{{/lay}}"), 0);
	CHECK_INT(tset_render(set, "q", NULL, &out), 0);

	/* Data-driven recursion well inside the limit works. */
	CHECK_INT(add(set, "node", "({{n}}{{#kids}}{{>node}}{{/kids}})"), 0);
	root = node = tval_map(cx);
	for (i = 0; i < 30; i++) {
		tval_set_int(node, "n", i);
		buf_printf(&want, "(%d()", i);
		kids = tval_set_list(node, "kids");
		tval_list_push(kids, leaf(cx));
		node = tval_map(cx);
		tval_list_push(kids, node);
	}
	/* Without its own keys a leaf would see its parent's. */
	tval_set(node, "n", tval_null(cx));
	tval_set_list(node, "kids");
	buf_puts(&want, "()");
	for (i = 0; i < 30; i++)
		buf_puts(&want, ")");
	buf_reset(&out);
	CHECK_INT(tset_render(set, "node", root, &out), 0);
	CHECK_STR(out.data, want.data);

	/* Too deep even though each step is legitimate. */
	root = node = tval_map(cx);
	for (i = 0; i < 200; i++) {
		kids = tval_set_map(node, "k");
		node = kids;
	}
	s = render1("{{#k}}{{>r2}}{{/k}}", root);
	CHECK_STR(s, "");
	free(s);
	CHECK_INT(add(set, "r2", "{{#k}}{{>r2}}{{/k}}"), 0);
	CHECK_INT(tset_render(set, "r2", root, &out), -1);

	/* Deep nesting in the template itself is bounded too. */
	buf_reset(&want);
	for (i = 0; i < 150; i++)
		buf_puts(&want, "{{^no}}");
	for (i = 0; i < 150; i++)
		buf_puts(&want, "{{/no}}");
	CHECK_INT(add(set, "deep", want.data), 0);
	CHECK_INT(tset_render(set, "deep", NULL, &out), -1);
	CHECK_STR(tset_errmsg(set), "deep: nesting deeper than 100 "
	    "(recursive partial?)");
	buf_reset(&want);
	for (i = 0; i < 90; i++)
		buf_puts(&want, "{{^no}}");
	buf_puts(&want, "ok");
	for (i = 0; i < 90; i++)
		buf_puts(&want, "{{/no}}");
	CHECK_INT(add(set, "deep", want.data), 0);
	buf_reset(&out);
	CHECK_INT(tset_render(set, "deep", NULL, &out), 0);
	CHECK_STR(out.data, "ok");
	buf_release(&out);
	buf_release(&want);
	tctx_free(cx);
	tset_free(set);
}

static void
test_values(void)
{
	struct tctx *cx = tctx_new();
	struct tval *m = tval_map(cx), *l, *sub;
	char *s;
	int i;

	tval_set_cstr(m, "plain", "<b>&amp;</b>");
	tval_set_html(m, "safe", "<b>&amp;</b>", 12);
	s = render1("{{plain}}|{{{plain}}}|{{&plain}}|{{safe}}|{{{safe}}}", m);
	CHECK_STR(s, "&lt;b&gt;&amp;amp;&lt;/b&gt;|<b>&amp;</b>|"
	    "<b>&amp;</b>|<b>&amp;</b>|<b>&amp;</b>");
	free(s);

	tval_set_int(m, "i", -9007199254740993LL);
	tval_set(m, "d1", tval_real(cx, 1.21));
	tval_set(m, "d2", tval_real(cx, 3.0));
	tval_set(m, "d3", tval_real(cx, 0.1));
	tval_set(m, "d4", tval_real(cx, 1e21));
	tval_set_bool(m, "t", 1);
	tval_set(m, "n", tval_null(cx));
	s = render1("{{i}} {{d1}} {{d2}} {{d3}} {{d4}} {{t}} [{{n}}]", m);
	CHECK_STR(s, "-9007199254740993 1.21 3 0.1 1e+21 true []");
	free(s);

	/* Replacing a key; falsey and truthy values. */
	tval_set_cstr(m, "plain", "again");
	tval_set_cstr(m, "empty", "");
	tval_set_int(m, "zero", 0);
	tval_set_list(m, "none");
	tval_set_bool(m, "f", 0);
	s = render1("{{plain}}:{{#empty}}E{{/empty}}{{#zero}}Z{{/zero}}"
	    "{{^none}}N{{/none}}{{^f}}F{{/f}}{{^n}}U{{/n}}{{^missing}}M"
	    "{{/missing}}", m);
	CHECK_STR(s, "again:EZNFUM");
	free(s);
	CHECK(tval_kind(tval_get(m, "none")) == TVAL_LIST);
	CHECK(tval_get(m, "nope") == NULL);

	/* Lists of maps, parent context, and arena reuse across pages. */
	for (i = 0; i < 3; i++) {
		int k;

		tctx_reset(cx);
		m = tval_map(cx);
		tval_set_cstr(m, "site", "S");
		l = tval_set_list(m, "qs");
		for (k = 0; k < 2000; k++) {
			sub = tval_map(cx);
			tval_set_int(sub, "id", k);
			tval_list_push(l, sub);
		}
		s = render1("{{#qs}}{{#id}}{{/id}}{{/qs}}{{site}}"
		    "{{#qs.0}}x{{/qs.0}}", m);
		CHECK_STR(s, "S");
		free(s);
	}
	tctx_free(cx);
}

static void
test_layout(void)
{
	struct tset *set = tset_new();
	struct tctx *cx = tctx_new();
	struct tval *m = tval_map(cx);
	struct buf out = BUF_INIT;
	static const char layout[] =
	    "<html>\n"
	    "  <head>\n"
	    "    <title>{{$title}}FAQ{{/title}}</title>\n"
	    "  </head>\n"
	    "  <body>\n"
	    "    {{$body}}\n"
	    "    <p>empty</p>\n"
	    "    {{/body}}\n"
	    "    {{>footer}}\n"
	    "  </body>\n"
	    "</html>\n";
	static const char page[] =
	    "{{<layout}}\n"
	    "{{$title}}{{q}} - FAQ{{/title}}\n"
	    "{{$body}}\n"
	    "<h1>{{q}}</h1>\n"
	    "{{#answers}}\n"
	    "<div>\n"
	    "  {{{.}}}\n"
	    "</div>\n"
	    "{{/answers}}\n"
	    "{{/body}}\n"
	    "{{/layout}}\n";
	struct tval *answers;

	CHECK_INT(tset_add(set, "layout", layout, sizeof(layout) - 1), 0);
	CHECK_INT(tset_add(set, "page", page, sizeof(page) - 1), 0);
	CHECK_INT(add(set, "footer", "<footer>\n  (c)\n</footer>\n"), 0);
	tval_set_cstr(m, "q", "Why <b>?");
	answers = tval_set_list(m, "answers");
	tval_list_push(answers, tval_html(cx, "<p>one</p>", 10));
	tval_list_push(answers, tval_html(cx, "<p>two</p>", 10));
	CHECK_INT(tset_render(set, "page", m, &out), 0);
	CHECK_STR(out.data,
	    "<html>\n"
	    "  <head>\n"
	    "    <title>Why &lt;b&gt;? - FAQ</title>\n"
	    "  </head>\n"
	    "  <body>\n"
	    "    <h1>Why &lt;b&gt;?</h1>\n"
	    "    <div>\n"
	    "      <p>one</p>\n"
	    "    </div>\n"
	    "    <div>\n"
	    "      <p>two</p>\n"
	    "    </div>\n"
	    "    <footer>\n"
	    "      (c)\n"
	    "    </footer>\n"
	    "  </body>\n"
	    "</html>\n");
	buf_release(&out);
	tctx_free(cx);
	tset_free(set);
}

static void
bench(void)
{
	static const char page[] =
	    "{{<layout}}\n"
	    "{{$title}}{{question.title}} - {{site.name}}{{/title}}\n"
	    "{{$body}}\n"
	    "<article class=\"question\" id=\"q{{question.id}}\">\n"
	    "  <h1>{{question.title}}</h1>\n"
	    "  <p class=\"meta\">asked by {{question.author}} on "
	    "{{question.date}}</p>\n"
	    "  <div class=\"body\">\n"
	    "    {{question.body}}\n"
	    "  </div>\n"
	    "  {{#question.tags.0}}\n"
	    "  <ul class=\"tags\">\n"
	    "    {{#question.tags}}\n"
	    "    <li><a href=\"/tags/{{.}}/\">{{.}}</a></li>\n"
	    "    {{/question.tags}}\n"
	    "  </ul>\n"
	    "  {{/question.tags.0}}\n"
	    "</article>\n"
	    "{{#answers}}\n"
	    "<section class=\"answer{{#accepted}} accepted{{/accepted}}\">\n"
	    "  <p class=\"meta\">{{author}}, score {{score}}</p>\n"
	    "  {{body}}\n"
	    "</section>\n"
	    "{{/answers}}\n"
	    "{{^answers}}\n"
	    "<p>No answers yet.</p>\n"
	    "{{/answers}}\n"
	    "{{>related}}\n"
	    "{{/body}}\n"
	    "{{/layout}}\n";
	static const char layout[] =
	    "<!doctype html>\n"
	    "<html lang=\"{{site.lang}}\">\n"
	    "<head>\n"
	    "  <meta charset=\"utf-8\">\n"
	    "  <title>{{$title}}{{site.name}}{{/title}}</title>\n"
	    "  <link rel=\"stylesheet\" href=\"{{site.root}}style.css\">\n"
	    "</head>\n"
	    "<body>\n"
	    "  <header><a href=\"{{site.root}}\">{{site.name}}</a></header>\n"
	    "  <main>\n"
	    "    {{$body}}{{/body}}\n"
	    "  </main>\n"
	    "  <footer>{{site.footer}}</footer>\n"
	    "</body>\n"
	    "</html>\n";
	static const char related[] =
	    "{{#related.0}}\n"
	    "<aside>\n"
	    "  <h2>Related</h2>\n"
	    "  <ul>\n"
	    "  {{#related}}\n"
	    "    <li><a href=\"{{site.root}}q/{{id}}/\">{{title}}</a></li>\n"
	    "  {{/related}}\n"
	    "  </ul>\n"
	    "</aside>\n"
	    "{{/related.0}}\n";
	const int pages = 10000;
	struct tset *set = tset_new();
	struct tctx *cx = tctx_new();
	struct buf out = BUF_INIT;
	struct timespec t0, t1;
	size_t bytes = 0;
	double secs;
	int i, k;

	CHECK_INT(tset_add(set, "page", page, sizeof(page) - 1), 0);
	CHECK_INT(tset_add(set, "layout", layout, sizeof(layout) - 1), 0);
	CHECK_INT(tset_add(set, "related", related, sizeof(related) - 1), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < pages; i++) {
		struct tval *root, *site, *q, *tags, *list, *a;
		char title[64];

		tctx_reset(cx);
		root = tval_map(cx);
		site = tval_set_map(root, "site");
		tval_set_cstr(site, "name", "Example FAQ");
		tval_set_cstr(site, "lang", "en");
		tval_set_cstr(site, "root", "/");
		tval_set_cstr(site, "footer", "Content under CC BY-SA");
		q = tval_set_map(root, "question");
		snprintf(title, sizeof(title), "How do I frob widget #%d?", i);
		tval_set_int(q, "id", i);
		tval_set_cstr(q, "title", title);
		tval_set_cstr(q, "author", "alice & bob");
		tval_set_cstr(q, "date", "2024-05-01");
		tval_set_html(q, "body", "<p>I tried <code>frob()</code> "
		    "but it fails.</p>", 46);
		tags = tval_set_list(q, "tags");
		tval_list_push(tags, tval_str(cx, "widgets", 7));
		tval_list_push(tags, tval_str(cx, "c", 1));
		list = tval_set_list(root, "answers");
		for (k = 0; k < 3; k++) {
			a = tval_map(cx);
			tval_set_cstr(a, "author", "carol");
			tval_set_int(a, "score", k * 7);
			tval_set_bool(a, "accepted", k == 0);
			tval_set_html(a, "body", "<p>Use <code>frob2()</code>"
			    " instead; it handles the edge cases.</p>", 65);
			tval_list_push(list, a);
		}
		list = tval_set_list(root, "related");
		for (k = 0; k < 5; k++) {
			a = tval_map(cx);
			tval_set_int(a, "id", 1000 + k);
			tval_set_cstr(a, "title", "A related question");
			tval_list_push(list, a);
		}
		buf_reset(&out);
		if (tset_render(set, "page", root, &out) == -1) {
			CHECK_STR(tset_errmsg(set), "");
			break;
		}
		bytes += out.len;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("bench: %d pages (%zu bytes each) in %.3fs: %.0f pages/s "
	    "(values built and rendered per page)\n", pages,
	    bytes / (size_t)pages, secs, secs > 0 ? pages / secs : 0);
	CHECK(strstr(out.data, "How do I frob widget #9999?") != NULL);
	buf_release(&out);
	tctx_free(cx);
	tset_free(set);
}

void
run_tests(void)
{
	test_spec();
	test_errors();
	test_load_dir();
	test_recursion();
	test_values();
	test_layout();
	bench();
}
