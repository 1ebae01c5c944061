/*
 * write_beneath: render's writes beneath its output never follow a
 * symlink (render/beneath.c), and the report may not overlap the site
 * (render/outpath.c).  The planted symlinks here are ones no e2e test
 * can place: at a temporary file's name, at a file of a fresh tree, at
 * a folder made between two calls.
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
	CHECK_INT(render_link_beneath(t.outfd, "q/s/1/x/index.html", t.outfd,
	    "q/s/2/index.html"), -1);
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
	test_overlap();
}
