/*
 * libFuzzer target for render/template: compiles the input as a
 * template (also reachable as partial/parent "self", so recursion and
 * inheritance are exercised) and renders it against a small fixed
 * context next to fixed partials.  Compile errors are expected; crashes,
 * sanitizer reports and leaks are not.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "render/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tval *
context(struct tctx *cx)
{
	struct tval *root = tval_map(cx), *list, *item, *sub;
	int i;

	tval_set_cstr(root, "title", "A <title> & \"quotes\"");
	tval_set_html(root, "body", "<p>safe</p>", 11);
	tval_set_int(root, "n", 42);
	tval_set(root, "pi", tval_real(cx, 3.14159));
	tval_set_bool(root, "yes", 1);
	tval_set_bool(root, "no", 0);
	tval_set(root, "nil", tval_null(cx));
	tval_set_cstr(root, "empty", "");
	list = tval_set_list(root, "list");
	for (i = 0; i < 3; i++) {
		item = tval_map(cx);
		tval_set_int(item, "i", i);
		tval_set_cstr(item, "name", i ? "b" : "a");
		tval_list_push(list, item);
	}
	tval_list_push(list, tval_str(cx, "str", 3));
	tval_set_list(root, "none");
	sub = tval_set_map(root, "a");
	sub = tval_set_map(sub, "b");
	tval_set_cstr(sub, "c", "deep");
	tval_set(sub, "self", root); /* a cycle: only depth stops it */
	return root;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char layout[] =
	    "<h1>{{$title}}{{title}}{{/title}}</h1>\n  {{$body}}\n  x\n"
	    "  {{/body}}\n{{>self}}";
	static const char item[] = "{{#list}}{{name}}{{/list}}";
	static const char mainsrc[] = "{{<self}}{{$title}}T{{/title}}"
	    "{{/self}}{{<layout}}{{$body}}{{>item}}{{/body}}{{/layout}}";
	struct tset *set = tset_new();
	struct tctx *cx = tctx_new();
	struct buf out = BUF_INIT;
	const struct tval *root = context(cx);

	tset_add(set, "layout", layout, sizeof(layout) - 1);
	tset_add(set, "item", item, sizeof(item) - 1);
	if (tset_add(set, "self", (const char *)data, size) == 0) {
		tset_render(set, "self", root, &out);
		buf_reset(&out);
		tset_add(set, "main", mainsrc, sizeof(mainsrc) - 1);
		tset_render(set, "main", root, &out);
	}
	buf_release(&out);
	tctx_free(cx);
	tset_free(set);
	return 0;
}
