/*
 * write_beneath: render's writes beneath its output never follow a
 * symlink (render/beneath.c), and the report may not overlap the site
 * (render/outpath.c).  The planted symlinks here are ones no e2e test
 * can place: at a temporary file's name, at a file of a fresh tree, at
 * a folder made between two calls.  Keeping a file of the previous
 * release reads it beneath that release the same way, and removing a
 * stale file takes its empty folders along at any depth.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "render/render.h"
#include "render/render_int.h"

struct tree {
	char root[64];
	int outfd;
};

/* root/out (the output) and root/away (someone else's folder). */
static int
tree_make(struct tree *t)
{
	struct buf p = BUF_INIT;

	snprintf(t->root, sizeof t->root, "/tmp/faqtory-wb-XXXXXX");
	if (mkdtemp(t->root) == NULL)
		return -1;
	buf_printf(&p, "%s/out", t->root);
	mkdir(p.data, 0755);
	t->outfd = open(p.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	buf_reset(&p);
	buf_printf(&p, "%s/away", t->root);
	mkdir(p.data, 0755);
	buf_release(&p);
	return t->outfd < 0 ? -1 : 0;
}

static void
tree_free(struct tree *t)
{
	struct buf cmd = BUF_INIT;

	if (t->outfd >= 0)
		close(t->outfd);
	buf_printf(&cmd, "rm -rf '%s'", t->root);
	if (system(cmd.data) != 0)
		CHECK(!"removing the temporary tree");
	buf_release(&cmd);
}

/* Plants a symlink at out/rel pointing at target (absolute or not). */
static void
plant(const struct tree *t, const char *rel, const char *target)
{
	struct buf p = BUF_INIT;

	buf_printf(&p, "%s/out/%s", t->root, rel);
	CHECK_INT(symlink(target, p.data), 0);
	buf_release(&p);
}

/* Number of entries in root/away. */
static int
away_count(const struct tree *t)
{
	struct buf cmd = BUF_INIT;
	char line[32] = "";
	FILE *f;

	buf_printf(&cmd, "ls -A '%s/away' | wc -l", t->root);
	if ((f = popen(cmd.data, "r")) != NULL) {
		if (fgets(line, sizeof line, f) == NULL)
			line[0] = '\0';
		pclose(f);
	}
	buf_release(&cmd);
	return atoi(line);
}

static int
is_file(const struct tree *t, const char *rel)
{
	struct stat sb;

	return fstatat(t->outfd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(sb.st_mode);
}

static void
test_writes(void)
{
	struct tree t;
	struct buf away = BUF_INIT;
	size_t bad = 99;
	int replace;

	if (tree_make(&t) < 0) {
		CHECK(!"temporary tree");
		tree_free(&t);
		return;
	}
	buf_printf(&away, "%s/away", t.root);
	for (replace = 0; replace < 2; replace++) {
		CHECK_INT(render_write_beneath(t.outfd, "q/s/1/x/index.html",
		    "a", 1, replace, &bad), 0);
		CHECK(is_file(&t, "q/s/1/x/index.html"));
	}
	/* A symlinked folder, at the top and deeper: refused, named. */
	plant(&t, "tag", away.data);
	CHECK_INT(render_write_beneath(t.outfd, "tag/c/index.html", "a", 1,
	    1, &bad), -1);
	CHECK_INT(errno, ELOOP);
	CHECK_INT(bad, 3);
	CHECK_INT(render_write_beneath(t.outfd, "tag/c/index.html", "a", 1,
	    0, &bad), -1);
	CHECK_INT(errno, ELOOP);
	plant(&t, "q/s/2", "../../../away");
	CHECK_INT(render_write_beneath(t.outfd, "q/s/2/y/index.html", "a", 1,
	    0, &bad), -1);
	CHECK_INT(errno, ELOOP);
	CHECK_INT(bad, 5);
	{
		struct render_keeper k;

		/* Keeping a file into a symlinked folder is refused too. */
		render_keeper_init(&k, t.outfd, t.outfd);
		CHECK_INT(render_keep_beneath(&k, "q/s/2/index.html", 1), -1);
		render_keeper_release(&k);
	}
	/* A file in the way, where a folder belongs. */
	CHECK_INT(render_write_beneath(t.outfd, "q/s/1/x/index.html/z", "a",
	    1, 0, &bad), -1);
	CHECK_INT(errno, ENOTDIR);
	/* A symlink at the file: a new tree's write refuses it; an
	 * update replaces the link, never what it points to. */
	plant(&t, "feed.xml", "../away/feed.xml");
	CHECK_INT(render_write_beneath(t.outfd, "feed.xml", "a", 1, 0, &bad),
	    -1);
	CHECK_INT(errno, ELOOP);
	CHECK_INT(render_write_beneath(t.outfd, "feed.xml", "a", 1, 1, &bad),
	    0);
	CHECK(is_file(&t, "feed.xml"));
	/* At a temporary file's name (named after the writing thread:
	 * this one's): removed, never followed. */
	{
		struct buf tmp = BUF_INIT;

		buf_printf(&tmp, "sitemap.xml.tmp%ld",
		    (long)pthread_self() % 100000);
		plant(&t, tmp.data, "../away/sitemap.xml");
		CHECK_INT(render_write_beneath(t.outfd, "sitemap.xml", "a", 1,
		    1, &bad), 0);
		CHECK(is_file(&t, "sitemap.xml"));
		CHECK(faccessat(t.outfd, tmp.data, F_OK, AT_SYMLINK_NOFOLLOW)
		    != 0);
		buf_release(&tmp);
	}
	/* Folders of one page, made without probing; through a symlink
	 * refused. */
	CHECK_INT(render_mkdirs_beneath(t.outfd, "q/s/3/slug/index.html", 4,
	    10, &bad), 0);
	CHECK(faccessat(t.outfd, "q/s/3/slug", F_OK, 0) == 0);
	CHECK_INT(render_mkdirs_beneath(t.outfd, "tag/d/index.html", 4, 5,
	    &bad), -1);
	CHECK_INT(render_mkdirs_beneath(t.outfd, "../away/x", 0, 7, &bad),
	    -1);
	CHECK_INT(errno, EXDEV);
	CHECK_INT(render_write_beneath(t.outfd, "a/../../away/f", "a", 1, 0,
	    &bad), -1);
	CHECK_INT(away_count(&t), 0);
	buf_release(&away);
	tree_free(&t);
}

/* Writes text as root/sub/rel, its folders made (a test fixture). */
static void
put(const struct tree *t, const char *sub, const char *rel,
    const char *text)
{
	struct buf p = BUF_INIT;
	size_t bad;
	int dfd;

	buf_printf(&p, "%s/%s", t->root, sub);
	mkdir(p.data, 0755);
	dfd = open(p.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK_INT(render_write_beneath(dfd, rel, text, strlen(text), 0, &bad),
	    0);
	if (dfd >= 0)
		close(dfd);
	buf_release(&p);
}

/* The link count of the file rel under dfd (0: none, or not a regular
 * file). */
static int
links(int dfd, const char *rel)
{
	struct stat sb;

	if (fstatat(dfd, rel, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(sb.st_mode))
		return 0;
	return (int)sb.st_nlink;
}

/* The same for root/away/rel. */
static int
away_links(const struct tree *t, const char *rel)
{
	struct buf p = BUF_INIT;
	int n;

	buf_printf(&p, "%s/away/%s", t->root, rel);
	n = links(AT_FDCWD, p.data);
	buf_release(&p);
	return n;
}

static int
absent(const struct tree *t, const char *rel)
{
	return faccessat(t->outfd, rel, F_OK, AT_SYMLINK_NOFOLLOW) != 0;
}

/* Plants a symlink at root/prev/rel. */
static void
plant_prev(const struct tree *t, const char *rel, const char *target)
{
	struct buf p = BUF_INIT;

	buf_printf(&p, "%s/prev/%s", t->root, rel);
	CHECK_INT(symlink(target, p.data), 0);
	buf_release(&p);
}

/* Keeps each file of root/prev the checks expect into root/out (or
 * copies, when prev is on another file system than out). */
static void
keep_from(struct tree *t, int prevfd)
{
	struct render_keeper k;

	render_keeper_init(&k, prevfd, t->outfd);
	CHECK_INT(render_keep_beneath(&k, "q/s/1/a/index.html", 4), 0);
	CHECK(is_file(t, "q/s/1/a/index.html"));
	/* Two files of one folder, the second under the folders the
	 * first opened; then a file at the top. */
	CHECK_INT(render_keep_beneath(&k, "search/d/1.json", 2), 0);
	CHECK_INT(render_keep_beneath(&k, "search/d/2.json", 2), 0);
	CHECK_INT(render_keep_beneath(&k, "feed.xml", 3), 0);
	/* Not the size the manifest says: not kept. */
	CHECK_INT(render_keep_beneath(&k, "index.html", 99), -1);
	CHECK_INT(errno, EFBIG);
	CHECK(absent(t, "index.html"));
	/* A symlinked folder, leading out of the release. */
	CHECK_INT(render_keep_beneath(&k, "q/s/2/b/index.html", 7), -1);
	CHECK_INT(errno, ELOOP);
	CHECK(absent(t, "q/s/2"));
	/* A symlink at the file: not linked as a symlink either. */
	CHECK_INT(render_keep_beneath(&k, "q/s/1/a/page.html", 7), -1);
	CHECK(absent(t, "q/s/1/a/page.html"));
	/* A FIFO: refused without blocking. */
	CHECK_INT(render_keep_beneath(&k, "search/d/fifo", 0), -1);
	CHECK_INT(errno, EISDIR);
	CHECK(absent(t, "search/d/fifo"));
	CHECK_INT(render_keep_beneath(&k, "q/s/1/../../../away/b/x", 7), -1);
	CHECK_INT(render_keep_beneath(&k, "search/d/3.json", 2), -1);
	CHECK_INT(errno, ENOENT);
	CHECK_INT(render_keep_beneath(&k, "search/t/1.json", 2), 0);
	render_keeper_release(&k);
	CHECK_INT(away_links(t, "b/index.html"), 1);
	CHECK_INT(away_links(t, "secret"), 1);
	CHECK_INT(away_count(t), 2);
}

/* Fills root/prev: the files keep_from keeps, and what someone who can
 * write it planted. */
static int
prev_make(struct tree *t)
{
	struct buf p = BUF_INIT;
	int fd;

	put(t, "prev", "q/s/1/a/index.html", "page");
	put(t, "prev", "search/d/1.json", "[]");
	put(t, "prev", "search/d/2.json", "{}");
	put(t, "prev", "search/t/1.json", "[]");
	put(t, "prev", "feed.xml", "rss");
	put(t, "prev", "index.html", "home");
	put(t, "away", "b/index.html", "SECRET\n");
	put(t, "away", "secret", "SECRET\n");
	buf_printf(&p, "%s/away/b", t->root);
	plant_prev(t, "q/s/2", p.data);
	buf_reset(&p);
	buf_printf(&p, "%s/away/secret", t->root);
	plant_prev(t, "q/s/1/a/page.html", p.data);
	buf_reset(&p);
	buf_printf(&p, "%s/prev/search/d/fifo", t->root);
	CHECK_INT(mkfifo(p.data, 0644), 0);
	buf_reset(&p);
	buf_printf(&p, "%s/prev", t->root);
	fd = open(p.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	buf_release(&p);
	return fd;
}

static void
test_keep(void)
{
	struct tree t;
	int prevfd;

	if (tree_make(&t) < 0) {
		CHECK(!"temporary tree");
		tree_free(&t);
		return;
	}
	prevfd = prev_make(&t);
	CHECK(prevfd >= 0);
	keep_from(&t, prevfd);
	CHECK_INT(links(t.outfd, "q/s/1/a/index.html"), 2);
	close(prevfd);
	tree_free(&t);
}

/* The copy where a hard link cannot go: the previous release on another
 * file system (a tmpfs, when there is one that is not /tmp's). */
static void
test_keep_copy(void)
{
	struct tree t, tmp;
	struct stat a, b;
	char shm[64] = "/dev/shm/faqtory-wb-XXXXXX";
	int prevfd;

	if (stat("/dev/shm", &a) != 0 || stat("/tmp", &b) != 0 ||
	    a.st_dev == b.st_dev || mkdtemp(shm) == NULL)
		return;
	if (tree_make(&t) < 0) {
		CHECK(!"temporary tree");
		tree_free(&t);
		rmdir(shm);
		return;
	}
	/* out stays on /tmp; the previous release and the outside folder
	 * go to /dev/shm. */
	tmp = t;
	tmp.outfd = -1;
	memcpy(t.root, shm, sizeof t.root);
	prevfd = prev_make(&t);
	CHECK(prevfd >= 0);
	keep_from(&t, prevfd);
	CHECK_INT(links(t.outfd, "q/s/1/a/index.html"), 1);
	close(prevfd);
	tree_free(&t);
	tree_free(&tmp);
}

/* A stale file deeper than any fixed limit: removed with every folder
 * it leaves empty, up to the first that still holds something. */
static void
test_remove(void)
{
	struct tree t;
	struct buf deep = BUF_INIT, p = BUF_INIT;
	size_t bad;
	int i;

	if (tree_make(&t) < 0) {
		CHECK(!"temporary tree");
		tree_free(&t);
		return;
	}
	for (i = 0; i < 100; i++)
		buf_puts(&deep, i == 0 ? "d" : "/d");
	buf_printf(&p, "%.*s/keep", 2 * 10 - 1, deep.data);
	buf_puts(&deep, "/f.html");
	CHECK_INT(render_write_beneath(t.outfd, deep.data, "a", 1, 0, &bad),
	    0);
	CHECK_INT(render_write_beneath(t.outfd, p.data, "a", 1, 0, &bad), 0);
	CHECK_INT(render_remove_beneath(t.outfd, deep.data), 0);
	CHECK(absent(&t, deep.data));
	/* d/.../d (10 levels) holds keep: it and its parents stay. */
	CHECK(is_file(&t, p.data));
	buf_truncate(&p, 2 * 10 - 1);
	buf_puts(&p, "/d");
	CHECK(absent(&t, p.data));
	CHECK_INT(render_remove_beneath(t.outfd, deep.data), -1);
	CHECK_INT(errno, ENOENT);
	/* The last file of a folder at the top: the folder goes too. */
	CHECK_INT(render_write_beneath(t.outfd, "tag/x/index.html", "a", 1, 0,
	    &bad), 0);
	CHECK_INT(render_remove_beneath(t.outfd, "tag/x/index.html"), 0);
	CHECK(absent(&t, "tag"));
	/* Through a symlinked folder or "..": nothing outside is removed;
	 * a symlink at the file is removed itself. */
	put(&t, "away", "f.html", "mine");
	buf_reset(&p);
	buf_printf(&p, "%s/away", t.root);
	plant(&t, "link", p.data);
	CHECK_INT(render_remove_beneath(t.outfd, "link/f.html"), -1);
	CHECK_INT(errno, ELOOP);
	CHECK_INT(render_remove_beneath(t.outfd, "../away/f.html"), -1);
	CHECK_INT(render_remove_beneath(t.outfd, "q/../../away/f.html"), -1);
	buf_puts(&p, "/f.html");
	plant(&t, "feed.xml", p.data);
	CHECK_INT(render_remove_beneath(t.outfd, "feed.xml"), 0);
	CHECK(absent(&t, "feed.xml"));
	CHECK_INT(away_links(&t, "f.html"), 1);
	buf_release(&deep);
	buf_release(&p);
	tree_free(&t);
}

static void
test_overlap(void)
{
	char dir[64] = "/tmp/faqtory-ov-XXXXXX";
	struct buf a = BUF_INIT, b = BUF_INIT;

	CHECK(render_outputs_overlap("site", "site"));
	CHECK(render_outputs_overlap("site", "./site/"));
	CHECK(render_outputs_overlap("site", "site/report"));
	CHECK(render_outputs_overlap("site/report", "site"));
	CHECK(render_outputs_overlap("x/../site", "site"));
	CHECK(render_outputs_overlap("site", "site.releases/r"));
	CHECK(render_outputs_overlap("/", "anything"));
	CHECK(!render_outputs_overlap("site", "site2"));
	CHECK(!render_outputs_overlap("site", "report"));
	CHECK(!render_outputs_overlap("out/site", "out/report"));
	if (mkdtemp(dir) == NULL) {
		CHECK(!"temporary folder");
		return;
	}
	buf_printf(&a, "%s/real", dir);
	buf_printf(&b, "%s/alias", dir);
	CHECK_INT(mkdir(a.data, 0755), 0);
	CHECK_INT(symlink(a.data, b.data), 0);
	buf_puts(&b, "/report");
	CHECK(render_outputs_overlap(a.data, b.data));
	unlink(b.data);
	buf_truncate(&b, b.len - strlen("/report"));
	unlink(b.data);
	rmdir(a.data);
	rmdir(dir);
	buf_release(&a);
	buf_release(&b);
}

void
run_tests(void)
{
	test_writes();
	test_keep();
	test_keep_copy();
	test_remove();
	test_overlap();
}
