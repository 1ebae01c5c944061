/*
 * serve's request rules (render/servepath.c) and its opening beneath
 * the served folder (render/beneath.c), both ways: openat2 and the
 * portable walk.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "render/render.h"
#include "render/render_int.h"

/* render_serve_path on a C string; "-" stands for NULL (refused). */
static void
path_is(const char *url, const char *want)
{
	char *got = render_serve_path(url, strlen(url));

	if (strcmp(want, "-") == 0)
		t_report(got == NULL, __FILE__, __LINE__, url, got, "(null)");
	else
		CHECK_STR(got, want);
	free(got);
}

static void
test_path(void)
{
	path_is("/", "");
	path_is("/index.html", "index.html");
	path_is("/tags", "tags");
	path_is("/tags/", "tags/");
	path_is("/q/beer/12/how-to-age/", "q/beer/12/how-to-age/");
	path_is("/assets/site.css", "assets/site.css");
	path_is("/tag/c_23/", "tag/c_23/");
	path_is("/sp%20ace/", "sp ace/");
	path_is("/a%2fb", "a/b");       /* one decode, then the same rules */
	path_is("/%25", "%");
	path_is("/%252e%252e/x", "%2e%2e/x");  /* decoded once only */
	path_is("/caf%C3%A9/", "caf\xc3\xa9/");
	/* What must never name a file. */
	path_is("", "-");
	path_is("*", "-");
	path_is("index.html", "-");
	path_is("http://evil.example/", "-");
	path_is("//etc/passwd", "-");
	path_is("/%2fetc/passwd", "-");
	path_is("/%2Fetc/passwd", "-");
	path_is("///", "-");
	path_is("/a//b", "-");
	path_is("/..", "-");
	path_is("/../etc/passwd", "-");
	path_is("/a/../../etc", "-");
	path_is("/%2e%2e/%2e%2e/etc/passwd", "-");
	path_is("/%2E./x", "-");
	path_is("/./index.html", "-");
	path_is("/.faqtory-manifest", "-");
	path_is("/assets/.hidden", "-");
	path_is("/a\\b", "-");
	path_is("/%5c..%5cetc", "-");
	path_is("/\\/evil.example", "-");
	path_is("/index.html%00.png", "-");
	path_is("/a%0d%0aSet-Cookie:x", "-");
	path_is("/a%7f", "-");
	path_is("/%", "-");
	path_is("/%4", "-");
	path_is("/%zz", "-");
	path_is("/a%2", "-");
	/* A raw NUL byte inside the length. */
	CHECK(render_serve_path("/a\0/../etc", 10) == NULL);
}

static void
location_is(const char *rel, const char *want)
{
	char *got = render_serve_location(rel);

	CHECK_STR(got, want);
	free(got);
}

static void
test_location(void)
{
	location_is("tags", "/tags/");
	location_is("q/beer/12/x", "/q/beer/12/x/");
	location_is("sp ace", "/sp%20ace/");
	location_is("a%b", "/a%25b/");
	location_is("caf\xc3\xa9", "/caf%C3%A9/");
	location_is("x?y#z", "/x%3Fy%23z/");
	/* Even if handed something that was never checked, the result
	 * stays path-absolute on this host. */
	location_is("\\evil.example", "/%5Cevil.example/");
	location_is("a\r\nb", "/a%0D%0Ab/");
}

static void
test_host(void)
{
	CHECK(render_serve_host_ok("127.0.0.1:8080", 8080));
	CHECK(render_serve_host_ok("localhost:8080", 8080));
	CHECK(render_serve_host_ok("LOCALHOST:8080", 8080));
	CHECK(render_serve_host_ok("127.0.0.1", 80));
	CHECK(render_serve_host_ok("localhost", 80));
	CHECK(!render_serve_host_ok(NULL, 8080));
	CHECK(!render_serve_host_ok("", 8080));
	CHECK(!render_serve_host_ok("127.0.0.1", 8080));
	CHECK(!render_serve_host_ok("127.0.0.1:8081", 8080));
	CHECK(!render_serve_host_ok("127.0.0.1:08080", 8080));
	CHECK(!render_serve_host_ok("127.0.0.1:8080 ", 8080));
	CHECK(!render_serve_host_ok("127.0.0.1:80800", 8080));
	CHECK(!render_serve_host_ok("127.0.0.1:", 8080));
	CHECK(!render_serve_host_ok("evil.example", 8080));
	CHECK(!render_serve_host_ok("evil.example:8080", 8080));
	CHECK(!render_serve_host_ok("localhost.evil.example:8080", 8080));
	CHECK(!render_serve_host_ok("127.0.0.1.evil.example:8080", 8080));
	CHECK(!render_serve_host_ok("[::1]:8080", 8080));
}

static void
test_gzip_ok(void)
{
	CHECK(render_serve_gzip_ok("gzip"));
	CHECK(render_serve_gzip_ok("GZip"));
	CHECK(render_serve_gzip_ok("gzip, deflate, br"));
	CHECK(render_serve_gzip_ok("br;q=1.0, gzip;q=0.8, *;q=0.1"));
	CHECK(render_serve_gzip_ok("x-gzip"));
	CHECK(render_serve_gzip_ok("*"));
	CHECK(render_serve_gzip_ok("identity, *;q=0.001"));
	CHECK(render_serve_gzip_ok(" gzip ; q=1 "));
	CHECK(render_serve_gzip_ok("gzip;q=1.000"));
	CHECK(!render_serve_gzip_ok(NULL));
	CHECK(!render_serve_gzip_ok(""));
	CHECK(!render_serve_gzip_ok("identity"));
	CHECK(!render_serve_gzip_ok("br, deflate"));
	CHECK(!render_serve_gzip_ok("gzip;q=0"));
	CHECK(!render_serve_gzip_ok("gzip;q=0.000"));
	CHECK(!render_serve_gzip_ok("gzip;q=0, *"));    /* named beats '*' */
	CHECK(!render_serve_gzip_ok("*;q=0"));
	CHECK(!render_serve_gzip_ok("gzipx"));
	CHECK(!render_serve_gzip_ok("xgzip, gzi"));
	/* A weight that does not parse is no consent. */
	CHECK(!render_serve_gzip_ok("gzip;q=2"));
	CHECK(!render_serve_gzip_ok("gzip;q=1.5"));
	CHECK(!render_serve_gzip_ok("gzip;q=0.5x"));
	CHECK(!render_serve_gzip_ok("gzip;level=9"));
	CHECK(!render_serve_gzip_ok("gzip junk"));
	CHECK(render_serve_gzip_ok("gzip;q=2, *"));
}

/* A site folder with a page, a symlinked folder, a symlinked file, a
 * symlink to "/" and a FIFO, all under a fresh temporary folder. */
struct tree {
	struct buf root, site;
	int dirfd;
};

static void
put(const char *dir, const char *name, const char *what)
{
	struct buf p = BUF_INIT;
	FILE *f;

	buf_printf(&p, "%s/%s", dir, name);
	if ((f = fopen(p.data, "w")) != NULL) {
		fputs(what, f);
		fclose(f);
	}
	buf_release(&p);
}

static void
link_to(const char *target, const char *dir, const char *name)
{
	struct buf p = BUF_INIT;

	buf_printf(&p, "%s/%s", dir, name);
	CHECK_INT(symlink(target, p.data), 0);
	buf_release(&p);
}

static int
tree_make(struct tree *t)
{
	const char *tmp = getenv("TMPDIR");
	struct buf p = BUF_INIT;

	buf_init(&t->root);
	buf_init(&t->site);
	buf_printf(&t->root, "%s/faqtory-serve-XXXXXX", tmp && *tmp ? tmp :
	    "/tmp");
	if (mkdtemp(t->root.data) == NULL)
		return -1;
	buf_printf(&t->site, "%s/site", t->root.data);
	mkdir(t->site.data, 0700);
	buf_printf(&p, "%s/outside", t->root.data);
	mkdir(p.data, 0700);
	put(p.data, "secret.txt", "SECRET");
	link_to(p.data, t->site.data, "linked");
	buf_reset(&p);
	buf_printf(&p, "%s/outside/secret.txt", t->root.data);
	link_to(p.data, t->site.data, "secret.txt");
	link_to("/", t->site.data, "root");
	buf_reset(&p);
	buf_printf(&p, "%s/a", t->site.data);
	mkdir(p.data, 0700);
	put(p.data, "index.html", "page");
	put(t->site.data, "index.html", "home");
	buf_reset(&p);
	buf_printf(&p, "%s/fifo", t->site.data);
	CHECK_INT(mkfifo(p.data, 0600), 0);
	buf_release(&p);
	t->dirfd = open(t->site.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return t->dirfd < 0 ? -1 : 0;
}

static void
tree_free(struct tree *t)
{
	static const char *const names[] = { "site/linked", "site/secret.txt",
		"site/root", "site/fifo", "site/index.html", "site/a/index.html",
		"outside/secret.txt" };
	static const char *const dirs[] = { "site/a", "site", "outside", "" };
	struct buf p = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", t->root.data, names[i]);
		unlink(p.data);
	}
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", t->root.data, dirs[i]);
		rmdir(p.data);
	}
	if (t->dirfd >= 0)
		close(t->dirfd);
	buf_release(&p);
	buf_release(&t->root);
	buf_release(&t->site);
}

typedef int open_fn(int, const char *, struct stat *);

/* Whether rel opens (1) or is refused (0) by fn. */
static int
opens(open_fn *fn, int dirfd, const char *rel)
{
	struct stat sb;
	int fd = fn(dirfd, rel, &sb);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static void
check_open(open_fn *fn, int dirfd)
{
	CHECK(opens(fn, dirfd, "index.html"));
	CHECK(opens(fn, dirfd, "a/index.html"));
	CHECK(!opens(fn, dirfd, "a"));               /* a folder */
	CHECK(!opens(fn, dirfd, "missing.html"));
	CHECK(!opens(fn, dirfd, "fifo"));            /* and it did not block */
	CHECK(!opens(fn, dirfd, "secret.txt"));      /* symlinked file */
	CHECK(!opens(fn, dirfd, "linked/secret.txt")); /* symlinked folder */
	CHECK(!opens(fn, dirfd, "root/etc/passwd"));
	CHECK(!opens(fn, dirfd, "/etc/passwd"));
	CHECK(!opens(fn, dirfd, "../site/index.html"));
	CHECK(!opens(fn, dirfd, "a/../../site/index.html"));
	CHECK(!opens(fn, dirfd, ""));
}

static void
test_beneath(void)
{
	struct tree t;

	if (tree_make(&t) == 0) {
		check_open(render_open_beneath, t.dirfd);
		check_open(render_open_walk, t.dirfd);
	} else {
		CHECK(!"temporary site folder");
	}
	tree_free(&t);
}

void
run_tests(void)
{
	test_path();
	test_location();
	test_host();
	test_gzip_ok();
	test_beneath();
}
