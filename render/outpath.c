/*
 * outpath: whether two outputs of one run would write into each other.
 *
 * The site and the report are each published as OUT, OUT.releases/<n>
 * and OUT.lock; if one lay inside the other, publishing one would
 * replace or prune the other's files (and their locks would not keep
 * two runs apart).  Paths are compared twice: as written, made absolute
 * ("a/./b/../c" is "a/c"), and as the file system resolves them, so
 * that a symlink or "x/../" naming the same folder another way is
 * caught too.  A part that does not exist yet is taken as written.
 */
#define _GNU_SOURCE
#include "render.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xmalloc.h"

/* Appends path to out (absolute, normal: no ".", "..", empty
 * component or trailing slash) component by component. */
static void
push_normal(struct buf *out, const char *path)
{
	const char *p = path;

	while (*p) {
		const char *e = strchrnul(p, '/');
		size_t n = (size_t)(e - p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out->data, '/');

			buf_truncate(out, slash ? (size_t)(slash - out->data) :
			    0);
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			buf_putc(out, '/');
			buf_put(out, p, n);
		}
		p = *e ? e + 1 : e;
	}
}

/* path made absolute against the working folder, unnormalized. */
static void
absolute(struct buf *out, const char *path)
{
	buf_reset(out);
	if (path[0] != '/') {
		char *cwd = getcwd(NULL, 0);

		buf_puts(out, cwd ? cwd : ".");
		buf_putc(out, '/');
		free(cwd);
	}
	buf_puts(out, path);
}

/* abs as written, normalized. */
static void
lexical(struct buf *out, const char *abs)
{
	buf_reset(out);
	push_normal(out, abs);
	if (out->len == 0)
		buf_putc(out, '/');
}

/* abs as the file system resolves it: its longest prefix that exists,
 * through realpath(3), then the rest as written, normalized. */
static void
resolved(struct buf *out, const char *abs)
{
	char *copy = xstrdup(abs), *real = NULL, *slash;
	const char *rest = NULL;

	for (;;) {
		if ((real = realpath(copy, NULL)) != NULL)
			break;
		if ((slash = strrchr(copy, '/')) == NULL || slash == copy)
			break;
		*slash = '\0';
		rest = abs + (slash - copy);
	}
	buf_reset(out);
	push_normal(out, real ? real : "/");
	if (real)
		push_normal(out, rest ? rest : "");
	else
		push_normal(out, abs);
	if (out->len == 0)
		buf_putc(out, '/');
	free(real);
	free(copy);
}

/* Whether b is a or inside it (both normal). */
static int
inside(const struct buf *a, const struct buf *b)
{
	if (a->len == 1)
		return 1; /* "/" */
	return b->len >= a->len && memcmp(a->data, b->data, a->len) == 0 &&
	    (b->data[a->len] == '\0' || b->data[a->len] == '/');
}

/* What an output occupies, absolute, as publish.c names it: OUT,
 * OUT.releases, OUT.tmp (the symlink swapped in) and OUT.lock. */
static const char *const parts[] = { "", ".releases", ".tmp", ".lock" };
#define NPARTS (sizeof parts / sizeof parts[0])

static void
footprint(struct buf *out, const char *path, size_t n)
{
	absolute(out, path);
	while (out->len > 1 && out->data[out->len - 1] == '/')
		buf_truncate(out, out->len - 1);
	buf_puts(out, parts[n]);
}

int
render_outputs_overlap(const char *a, const char *b)
{
	struct buf pa = BUF_INIT, pb = BUF_INIT, fa = BUF_INIT, fb = BUF_INIT;
	size_t i, j;
	int view, hit = 0;

	for (i = 0; i < NPARTS && !hit; i++) {
		for (j = 0; j < NPARTS && !hit; j++) {
			footprint(&fa, a, i);
			footprint(&fb, b, j);
			for (view = 0; view < 2 && !hit; view++) {
				if (view == 0) {
					lexical(&pa, fa.data);
					lexical(&pb, fb.data);
				} else {
					resolved(&pa, fa.data);
					resolved(&pb, fb.data);
				}
				hit = inside(&pa, &pb) || inside(&pb, &pa);
			}
		}
	}
	buf_release(&pa);
	buf_release(&pb);
	buf_release(&fa);
	buf_release(&fb);
	return hit;
}
