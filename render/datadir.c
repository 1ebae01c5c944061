/*
 * datadir: where the default theme (site-template/, with its locales and
 * the report's templates) is found at run time, so that a checkout, a
 * `make install` (staged in a DESTDIR or moved elsewhere afterwards) and
 * the Debian package all find theirs without a setting.
 */
#include "render.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "render/render_int.h"

/* The install's data folder, compiled in from the Makefile's PREFIX. */
#ifndef FAQTORY_DATADIR_DEFAULT
#define FAQTORY_DATADIR_DEFAULT "/usr/local/share/faqtory"
#endif

#define THEME_NAME "site-template"

/* Where a theme is looked for beside the binary, from its folder: the
 * checkout (./faqtory), the build trees (build-asan/faqtory), an
 * install (PREFIX/bin/faqtory next to PREFIX/share/faqtory). */
static const char *const beside[] = {
	THEME_NAME,
	"../" THEME_NAME,
	"../share/faqtory/" THEME_NAME,
};

/* dir/name resolved (realpath) if it is a folder; NULL if not. */
static char *
found(const char *dir, const char *name)
{
	struct buf b = BUF_INIT;
	char *real = NULL;

	buf_printf(&b, "%s/%s", dir, name);
	if (theme_is_dir(b.data))
		real = realpath(b.data, NULL);
	buf_release(&b);
	return real;
}

/* The theme beside the running binary (/proc/self/exe: the binary
 * itself, whatever symlink or relative path started it), or NULL. */
static char *
beside_binary(void)
{
	char exe[PATH_MAX], *slash, *t = NULL;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	size_t i;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	for (i = 0; t == NULL && i < sizeof beside / sizeof beside[0]; i++)
		t = found(exe[0] ? exe : "/", beside[i]);
	return t;
}

char *
render_default_theme(const char **how)
{
	const char *env = getenv("FAQTORY_DATADIR");
	struct buf b = BUF_INIT;
	char *t;

	/* An override wins, found or not: a wrong one fails the render
	 * with its path instead of quietly using another theme. */
	if (env != NULL && env[0] != '\0') {
		*how = "FAQTORY_DATADIR";
		buf_printf(&b, "%s/" THEME_NAME, env);
		return buf_detach(&b);
	}
	if ((t = beside_binary()) != NULL) {
		*how = "relative to the binary";
		return t;
	}
	if ((t = found(FAQTORY_DATADIR_DEFAULT, THEME_NAME)) != NULL) {
		*how = "compiled-in " FAQTORY_DATADIR_DEFAULT;
		return t;
	}
	*how = "working folder";
	return xstrdup(THEME_NAME);
}

int
render_theme_exists(const char *dir)
{
	return theme_is_dir(dir);
}
