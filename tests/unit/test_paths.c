/* core/safefile (regular files only, limits, confinement),
 * core/shortname (the base rule) and core/path (names as bytes). */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/path.h"
#include "core/safefile.h"
#include "core/shortname.h"
#include "harness.h"

static char dir[64];

static void
put(const char *name, size_t n)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	if ((f = fopen(p, "w")) == NULL)
		return;
	while (n--)
		fputc('a', f);
	fclose(f);
}

static int
rd(const char *name, const char *beneath, size_t cap, char *why)
{
	struct buf b = BUF_INIT;
	char p[128];
	int rc;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	buf_puts(&b, "x");
	rc = safefile_read(p, beneath, cap, &b, why);
	/* A refusal leaves out as it was. */
	if (rc < 0)
		CHECK_STR(b.data, "x");
	buf_release(&b);
	return rc;
}

static void
test_safefile(void)
{
	char why[SAFEFILE_WHY], p[128], sub[96];

	snprintf(dir, sizeof dir, "/tmp/test-paths-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return;
	snprintf(sub, sizeof sub, "%s/sub", dir);
	mkdir(sub, 0700);
	put("ok.md", 10);
	put("big.md", 2048);
	CHECK_INT(rd("ok.md", NULL, 10, why), 0);
	CHECK_INT(rd("ok.md", dir, 10, why), 0);
	CHECK_INT(rd("ok.md", NULL, 9, why), -1);
	CHECK_STR(why, "larger than the 9 byte limit");
	CHECK_INT(rd("big.md", NULL, 1024, why), -1);
	CHECK_STR(why, "larger than the 1 KiB limit");
	CHECK_INT(rd("ok.md", sub, 100, why), -1);
	CHECK(strncmp(why, "outside the folder", 18) == 0);
	CHECK_INT(rd("sub/../ok.md", dir, 100, why), 0);
	CHECK_INT(rd("sub", NULL, 100, why), -1);
	CHECK_STR(why, "not a regular file");
	snprintf(p, sizeof p, "%s/fifo", dir);
	mkfifo(p, 0600);
	CHECK_INT(rd("fifo", NULL, 100, why), -1);
	CHECK_STR(why, "not a regular file");
	CHECK_INT(safefile_open("/dev/null", NULL, why), -1);
	CHECK_STR(why, "not a regular file");
	snprintf(p, sizeof p, "%s/out.md", dir);
	CHECK_INT(symlink("/etc/passwd", p), 0);
	CHECK_INT(rd("out.md", dir, 100, why), -1);
	CHECK(strncmp(why, "outside the folder", 18) == 0);
	CHECK_INT(rd("missing.md", dir, 100, why), -1);
	/* "/a/bc" is not inside "/a/b". */
	CHECK_INT(safefile_beneath("/a/bc", "/a/b", why), 0);
	unlink(p);
	snprintf(p, sizeof p, "%s/fifo", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/ok.md", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/big.md", dir);
	unlink(p);
	rmdir(sub);
	rmdir(dir);
}

static void
test_shortname(void)
{
	static const char *const cases[][2] = {
		{ "beer.stackexchange.com", "beer" },
		{ "forum_a", "forum-a" },
		{ "Demo", "demo" },
		{ ".hidden", "-hidden" },
		{ "a b/c", "a-b-c" },
		{ "meta.beer.stackexchange.com", "meta.beer" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = shortname_base(cases[i][0]);

		CHECK_STR(s, cases[i][1]);
		free(s);
	}
}

static void
test_path(void)
{
	CHECK_STR(path_base("a/b/c.xml"), "c.xml");
	CHECK_STR(path_base("c"), "c");
	CHECK_INT(path_dir_len("a/b/c"), 3);
	CHECK_INT(path_dir_len("c"), 0);
	CHECK_INT(path_dir_len("/c"), 0);
	CHECK_INT(path_dir_len("a/"), 1);
	CHECK(path_ends_with("q/x/index.html", "index.html"));
	CHECK(!path_ends_with("html", "index.html"));
	CHECK(!path_ends_with("a.MUSTACHE", ".mustache"));
	CHECK(path_has_ext("Posts.XML", ".xml"));
}

void
run_tests(void)
{
	test_safefile();
	test_shortname();
	test_path();
}
