/*
 * publish: the manifest's path rule and parser, and render_publish's
 * all-or-nothing swap (a second output that cannot be swapped rolls
 * the first back), which an end-to-end test cannot time.
 */
#include "harness.h"

#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "render/manifest.h"
#include "render/render.h"

static void
test_path_rule(void)
{
	static const char *good[] = { "index.html", "q/s/1/slug/index.html",
		"assets/a b.css", "tag/c_2b_2b/index.html", "a..b/c." };
	static const char *bad[] = { "", "/etc/passwd", "../x", "a/../x",
		"a/./x", "./x", "a//b", "a/", ".faqtory-manifest", "a/.hidden",
		"a\\b", "a\tb", "a\x7f", "..", "." };
	size_t i;

	for (i = 0; i < sizeof good / sizeof *good; i++)
		CHECK(render_manifest_path_ok(good[i], strlen(good[i])));
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!render_manifest_path_ok(bad[i], strlen(bad[i])));
	CHECK(!render_manifest_path_ok("a\0b", 3));
}

static void
test_parse(void)
{
	char text[] =
	    "00000000000000ff 0000000000000001 12 index.html\n"
	    "0000000000000000 0000000000000000 5 ../victim\n"
	    "0000000000000000 0000000000000000 5 /etc/passwd\n"
	    "0000000000000000 0000000000000000 -5 x.html\n"
	    "0000000000000000 000000000000000G 5 y.html\n"
	    "0000000000000002 0000000000000003 7 q/a/index.html\n"
	    "end\n"
	    "0000000000000002 0000000000000003 7 after-end.html\n";
	char unfinished[] = "0000000000000002 0000000000000003 7 a.html\n";
	struct manifest_entry *v;
	size_t n, bad;

	CHECK_INT(render_manifest_parse(text, strlen(text), &v, &n, &bad), 0);
	CHECK_INT(n, 2);
	CHECK_INT(bad, 4);
	if (n == 2) {
		CHECK_STR(v[0].path, "index.html");
		CHECK_INT(v[0].key, 0xff);
		CHECK_INT(v[0].size, 12);
		CHECK_STR(v[1].path, "q/a/index.html");
	}
	free(v);
	CHECK_INT(render_manifest_parse(unfinished, strlen(unfinished), &v,
	    &n, &bad), -1);
	CHECK(v == NULL && n == 0);
}

/* A release of `out` whose staging folder holds one file. */
static int
staged(struct render_release *r, const char *out)
{
	struct buf p = BUF_INIT;
	FILE *f;

	if (render_release_begin(r, out) < 0)
		return -1;
	buf_printf(&p, "%s/%s", r->staging, RENDER_MANIFEST);
	if ((f = fopen(p.data, "w")) != NULL) {
		fputs("end\n", f);
		fclose(f);
	}
	buf_release(&p);
	return f ? 0 : -1;
}

static void
test_rollback(void)
{
	char dir[] = "/tmp/faqtory-publish-XXXXXX";
	struct buf site = BUF_INIT, rep = BUF_INIT, p = BUF_INIT;
	struct render_release a, b;
	struct render_release *v[2] = { &a, &b };
	char link[256];
	ssize_t n;

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	buf_printf(&site, "%s/site", dir);
	buf_printf(&rep, "%s/rep", dir);
	CHECK(staged(&a, site.data) == 0 && staged(&b, rep.data) == 0);
	CHECK_INT(render_publish(v, 2), 0);
	render_release_end(&a);
	render_release_end(&b);

	/* Second build: the report's path turns into a non-empty folder
	 * between begin and publish, so its swap fails after the site's. */
	CHECK(staged(&a, site.data) == 0 && staged(&b, rep.data) == 0);
	unlink(rep.data);
	buf_printf(&p, "%s/x", rep.data);
	CHECK(mkdir(rep.data, 0755) == 0 && mkdir(p.data, 0755) == 0);
	fputs("(one error line expected:)\n", stderr);
	CHECK_INT(render_publish(v, 2), -1);
	n = readlink(site.data, link, sizeof link - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR(link, "site.releases/1");
	render_release_end(&a);
	render_release_end(&b);
	buf_reset(&p);
	buf_printf(&p, "%s/site.releases/2", dir);
	CHECK(access(p.data, F_OK) != 0); /* the unpublished staging */

	buf_reset(&p);
	buf_printf(&p, "rm -rf '%s'", dir);
	CHECK(system(p.data) == 0);
	buf_release(&site);
	buf_release(&rep);
	buf_release(&p);
}

void
run_tests(void)
{
	test_path_rule();
	test_parse();
	test_rollback();
}
