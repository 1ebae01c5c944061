#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answerpolicy.h"
#include "buf.h"
#include "err.h"
#include "license.h"
#include "safefile.h"
#include "utf8.h"
#include "xmalloc.h"

enum { K_STR, K_PATH, K_LIST, K_PATHS };

/* content_license: a value the renderer can turn into a name and a
 * link (core/license.h), checked here so its error has a line. */
static const char *
license_check(const char *v)
{
	char *name, *url;
	const char *why = license_parse(v, &name, &url);

	free(name);
	free(url);
	return why;
}

/* jobs: a thread count, as --jobs takes it. */
static const char *
jobs_check(const char *v)
{
	char *end = NULL;
	long n = strtol(v, &end, 10);

	return end == v || *end != '\0' || n < 1 || n > 1000 ?
	    "'jobs' is a number from 1 to 1000" : NULL;
}

static const struct key {
	const char *section, *name;
	int kind;
	size_t off;  /* of the char * (K_STR, K_PATH) or char ** */
	size_t noff; /* of the count (K_LIST, K_PATHS) */
	const char *(*valid)(const char *v); /* NULL, or why v is wrong */
} keys[] = {
	{ "site", "title", K_STR, offsetof(struct fq_config, title), 0, NULL },
	{ "site", "base_url", K_STR, offsetof(struct fq_config, base_url),
	  0, NULL },
	{ "site", "language", K_STR, offsetof(struct fq_config, language),
	  0, NULL },
	{ "site", "theme", K_PATH, offsetof(struct fq_config, theme), 0, NULL },
	{ "site", "content_license", K_STR,
	  offsetof(struct fq_config, content_license), 0, license_check },
	{ "build", "db", K_PATH, offsetof(struct fq_config, db), 0, NULL },
	{ "build", "out", K_PATH, offsetof(struct fq_config, out), 0, NULL },
	{ "build", "report", K_PATH, offsetof(struct fq_config, report),
	  0, NULL },
	{ "build", "curation", K_PATH, offsetof(struct fq_config, curation),
	  0, NULL },
	{ "build", "content_language", K_STR,
	  offsetof(struct fq_config, content_language), 0, NULL },
	{ "build", "jobs", K_STR, offsetof(struct fq_config, jobs), 0,
	  jobs_check },
	{ "build", "source", K_PATHS, offsetof(struct fq_config, sources),
	  offsetof(struct fq_config, nsources), NULL },
	{ "scope", "include_tags", K_LIST,
	  offsetof(struct fq_config, include_tags),
	  offsetof(struct fq_config, ninclude), NULL },
	{ "scope", "exclude_tags", K_LIST,
	  offsetof(struct fq_config, exclude_tags),
	  offsetof(struct fq_config, nexclude), NULL },
	{ "publish", "answers", K_STR,
	  offsetof(struct fq_config, publish_answers), 0,
	  answer_check_answers },
	{ "publish", "min_confidence", K_STR,
	  offsetof(struct fq_config, min_confidence), 0,
	  answer_check_confidence },
};

void
config_release(struct fq_config *cfg)
{
	free(cfg->title);
	free(cfg->base_url);
	free(cfg->language);
	free(cfg->theme);
	free(cfg->db);
	free(cfg->out);
	free(cfg->report);
	free(cfg->curation);
	free(cfg->content_language);
	free(cfg->jobs);
	free(cfg->content_license);
	free(cfg->publish_answers);
	free(cfg->min_confidence);
	xfree_strs(cfg->sources, cfg->nsources);
	xfree_strs(cfg->include_tags, cfg->ninclude);
	xfree_strs(cfg->exclude_tags, cfg->nexclude);
	memset(cfg, 0, sizeof *cfg);
}

static void
push(char ***v, size_t *n, const char *s, size_t len)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrndup(s, len);
}

void
config_split_list(const char *s, char ***v, size_t *n)
{
	while (*s) {
		size_t len;

		s += strspn(s, ", \t");
		len = strcspn(s, ", \t");
		if (len)
			push(v, n, s, len);
		s += len;
	}
}

char *
config_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* dir + "/" + p unless p is absolute or dir is empty; heap string. */
static char *
resolve(const char *dir, const char *p)
{
	struct buf b = BUF_INIT;

	if (p[0] == '/' || dir[0] == '\0')
		return xstrdup(p);
	buf_printf(&b, "%s/%s", dir, p);
	return buf_detach(&b);
}

/* Applies one key = value; returns NULL or a static error message. */
static const char *
apply(struct fq_config *cfg, const char *dir, const char *section,
    const char *k, const char *v)
{
	size_t i;
	char *base = (char *)cfg;
	const char *why;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct key *key = &keys[i];
		char **sp = (char **)(void *)(base + key->off);
		char ***vp = (char ***)(void *)(base + key->off);
		size_t *np = (size_t *)(void *)(base + key->noff);

		if (strcmp(key->section, section) != 0 ||
		    strcmp(key->name, k) != 0)
			continue;
		if (*v == '\0')
			return "empty value";
		if (key->valid && (why = key->valid(v)) != NULL)
			return why;
		switch (key->kind) {
		case K_STR:
		case K_PATH:
			if (*sp)
				return "key given twice";
			*sp = key->kind == K_PATH ? resolve(dir, v) : xstrdup(v);
			break;
		case K_PATHS:
			*vp = xreallocarray(*vp, *np + 1, sizeof **vp);
			(*vp)[(*np)++] = resolve(dir, v);
			break;
		default:
			config_split_list(v, vp, np);
			break;
		}
		return NULL;
	}
	return "unknown key";
}

static const char *
check(const struct fq_config *cfg)
{
	const char *l = cfg->language;
	const char *u = cfg->base_url;
	size_t i;

	if (l) {
		if (strlen(l) > 16)
			return "language: expected a code such as 'en' or 'id'";
		for (i = 0; l[i]; i++)
			if (!((l[i] >= 'a' && l[i] <= 'z') || l[i] == '-' ||
			    (l[i] >= 'A' && l[i] <= 'Z')))
				return "language: expected a code such as "
				       "'en' or 'id'";
	}
	if (u && strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8))
		return "base_url: expected an http:// or https:// URL";
	if (u && (strchr(u, '"') || strchr(u, '<') || strchr(u, ' ')))
		return "base_url: invalid character";
	return NULL;
}

int
config_next_line(const char **p, const char *end, char *line, size_t size,
    const char **why)
{
	const char *nl;
	size_t n;

	if (*p >= end)
		return 0;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	n = nl ? (size_t)(nl - *p) + 1 : (size_t)(end - *p);
	if (n > size - 1) {
		*why = "line too long";
		return -1;
	}
	if (memchr(*p, '\0', n)) {
		*why = "NUL byte in line";
		return -1;
	}
	memcpy(line, *p, n);
	line[n] = '\0';
	*p += n;
	return 1;
}

/* One non-blank, non-comment line; returns NULL or why it is wrong. */
static const char *
parse_line(struct fq_config *cfg, const char *dir, char *section,
    size_t ssize, char *s, char *msg, size_t msize)
{
	char *eq;
	const char *why;

	if (*s == '[') {
		char *e = strchr(s, ']');

		if (e == NULL || e[1] != '\0')
			return "expected '[section]'";
		*e = '\0';
		s = config_trim(s + 1);
		if (strcmp(s, "site") && strcmp(s, "build") &&
		    strcmp(s, "scope") && strcmp(s, "publish"))
			return "unknown section (expected [site], [build], "
			       "[scope] or [publish])";
		snprintf(section, ssize, "%s", s);
		return NULL;
	}
	if ((eq = strchr(s, '=')) == NULL)
		return "expected 'key = value'";
	*eq = '\0';
	if (section[0] == '\0')
		return "key outside a section";
	why = apply(cfg, dir, section, config_trim(s), config_trim(eq + 1));
	if (why && strcmp(why, "unknown key") == 0) {
		snprintf(msg, msize, "unknown key '%.64s' in [%s]",
		    config_trim(s), section);
		why = msg;
	}
	return why;
}

int
config_parse(struct fq_config *cfg, const char *path, const char *text,
    size_t len)
{
	char line[4096], section[32] = "", *dir, *slash, msg[160];
	const char *why = NULL, *p = text, *end = text + len;
	int lineno = 0, r;

	memset(cfg, 0, sizeof *cfg);
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		dir[0] = '\0';
	while (why == NULL &&
	    (r = config_next_line(&p, end, line, sizeof line, &why)) != 0) {
		char *s;

		lineno++;
		if (r < 0)
			break;
		if (utf8_check(line, strlen(line)) != strlen(line)) {
			why = "invalid UTF-8";
			break;
		}
		s = config_trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		why = parse_line(cfg, dir, section, sizeof section, s, msg,
		    sizeof msg);
	}
	if (why == NULL && (why = check(cfg)) != NULL)
		lineno = 0;
	free(dir);
	if (why == NULL)
		return 0;
	if (lineno)
		fq_err("%s:%d: %s", path, lineno, why);
	else
		fq_err("%s: %s", path, why);
	config_release(cfg);
	return -1;
}

int
config_load(struct fq_config *cfg, const char *path)
{
	struct buf text = BUF_INIT;
	char why[SAFEFILE_WHY];
	int rc = -1;

	memset(cfg, 0, sizeof *cfg);
	if (safefile_read(path, NULL, SAFEFILE_CONFIG_MAX, &text, why) < 0)
		fq_err("%s: %s", path, why);
	else
		rc = config_parse(cfg, path, text.data, text.len);
	buf_release(&text);
	return rc;
}
