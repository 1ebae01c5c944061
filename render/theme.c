/*
 * theme: the theme folders (the default or --theme, then the override
 * folder), their files hashed into the site's global key, their assets
 * as pages, and the locale strings the templates and the code show
 * (later folders win, "en" first, then the site's language).
 */
#include "render.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/path.h"
#include "core/safefile.h"
#include "core/store.h"
#include "core/xmalloc.h"
#include "locale.h"
#include "render/render_int.h"
#include "template.h"

/* A file of theme folder k: a regular file inside it, at most
 * SAFEFILE_THEME_MAX (theme assets are published, so a symlink leading
 * out of the folder must not publish what it points at).  NULL after
 * `why` is set. */
char *
theme_file(const struct site *s, size_t k, const char *name, size_t *len,
    char *why)
{
	struct buf p = BUF_INIT, b = BUF_INIT;
	int rc;

	buf_printf(&p, "%s/%s", s->themes[k], name);
	rc = safefile_read(p.data, s->themes[k], SAFEFILE_THEME_MAX, &b, why);
	buf_release(&p);
	if (rc < 0) {
		buf_release(&b);
		return NULL;
	}
	*len = b.len;
	return buf_detach(&b);
}

int
theme_is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int
kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct locale_kv *)a)->k,
	    ((const struct locale_kv *)b)->k);
}

/* Merges the strings of one locale file into s->loc (later files win).
 * A missing file is fine (returns 0) unless required. */
static int
load_locale(struct site *s, const char *dir, const char *lang, int required)
{
	struct buf p = BUF_INIT, text = BUF_INIT, err = BUF_INIT;
	char why[SAFEFILE_WHY];
	int rc = -1;

	buf_printf(&p, "%s/locales/%s.json", dir, lang);
	if (access(p.data, F_OK) != 0) {
		if (required)
			fq_err("%s: no such locale file", p.data);
		else
			rc = 0;
		goto out;
	}
	if (safefile_read(p.data, dir, SAFEFILE_THEME_MAX, &text, why) < 0) {
		fq_err("%s: %s", p.data, why);
		goto out;
	}
	if ((rc = locale_merge(&s->loc, &s->nloc, text.data, text.len, p.data,
	    &err)) < 0)
		fq_err("%s", err.data);
out:
	buf_release(&text);
	buf_release(&err);
	buf_release(&p);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the regular files in dir (NULL-terminated). */
static char **
list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	struct buf p = BUF_INIT;
	struct stat sb;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		buf_reset(&p);
		buf_printf(&p, "%s/%s", dir, de->d_name);
		if (stat(p.data, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	buf_release(&p);
	if (*n > 1)
		qsort(v, *n, sizeof *v, name_cmp);
	return v;
}

/* Hashes every theme file into the global key and adds the assets (the
 * files that are not templates) as pages. */
int
theme_pages(struct site *s)
{
	size_t i, k, n;
	struct buf p = BUF_INIT, a = BUF_INIT;
	char **names;
	int rc = -1;

	for (k = 0; k < s->nthemes; k++) {
		names = list_dir(s->themes[k], &n);
		for (i = 0; i < n; i++) {
			char *text, why[SAFEFILE_WHY];
			size_t len;

			if ((text = theme_file(s, k, names[i], &len,
			    why)) == NULL) {
				fq_err("%s/%s: %s", s->themes[k], names[i],
				    why);
				xfree_strs(names, n);
				goto out;
			}
			s->global = key_str(s->global, names[i]);
			s->global = fq_hash64(text, len, s->global);
			free(text);
			if (path_ends_with(names[i], ".mustache"))
				continue;
			buf_reset(&a);
			buf_printf(&a, "assets/%s", names[i]);
			plan_add_page(s, a.data, P_ASSET, (int)k, 0);
		}
		xfree_strs(names, n);
	}
	rc = 0;
out:
	buf_release(&p);
	buf_release(&a);
	return rc;
}

int
theme_load(struct site *s)
{
	const char *how;
	size_t i;

	s->themes[s->nthemes++] = s->o->theme ? xstrdup(s->o->theme)
					      : render_default_theme(&how);
	if (!theme_is_dir(s->themes[0])) {
		fq_err("%s: theme folder not found", s->themes[0]);
		return -1;
	}
	if (s->o->override) {
		if (!theme_is_dir(s->o->override)) {
			fq_err("%s: template folder not found", s->o->override);
			return -1;
		}
		s->themes[s->nthemes++] = xstrdup(s->o->override);
	}
	for (i = 0; i < s->nthemes; i++) {
		if (load_locale(s, s->themes[i], "en", i == 0) < 0)
			return -1;
		if (strcmp(s->lang, "en") != 0 &&
		    load_locale(s, s->themes[i], s->lang, 0) < 0)
			return -1;
	}
	if (s->nloc > 1)
		qsort(s->loc, s->nloc, sizeof *s->loc, kv_cmp);
	for (i = 0; i < s->nloc; i++) {
		s->global = key_str(s->global, s->loc[i].k);
		s->global = key_str(s->global, s->loc[i].v);
	}
	return 0;
}

const char *
theme_loc(const struct site *s, const char *k)
{
	return locale_get(s->loc, s->nloc, k);
}

/* The form of the counted noun `key` for n (locale_noun). */
static const char *
theme_plural(const struct site *s, const char *key, int64_t n)
{
	return locale_noun(s->loc, s->nloc, s->lang, key, n);
}

/* Sets field to the count n and field_noun to the form of the noun key
 * for it, e.g. {{answer_count}} {{answer_count_noun}}: "1 answer". */
void
theme_set_count(const struct site *s, struct tval *m, const char *field,
    int64_t n, const char *key)
{
	char name[64];

	tval_set_int(m, field, n);
	snprintf(name, sizeof name, "%s_noun", field);
	tval_set_cstr(m, name, theme_plural(s, key, n));
}
