/*
 * ingest: recognises a source, names it, and runs its reader inside one
 * transaction, so that a failed or interrupted ingest leaves the store
 * exactly as it was.
 */
#include "ingest.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/path.h"
#include "core/store.h"
#include "ingest_int.h"

/* The source's name: the site's host name, from the folder or archive
 * name ("beer.stackexchange.com", "beer.stackexchange.com.7z"), or for a
 * lone Posts.xml from its folder. */
static int
source_name(const char *path, int is_dir, char *out, size_t size)
{
	char real[PATH_MAX], *slash;
	const char *b;
	size_t n;

	if (realpath(path, real) == NULL) {
		fq_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!is_dir && path_has_ext(real, ".xml")) {
		slash = strrchr(real, '/');
		if (slash && slash != real)
			*slash = '\0';
	}
	b = path_base(real);
	n = strlen(b);
	if (!is_dir) {
		/* Archives and lone JSON files: the name without extensions
		 * ("urho3d-topics.tar.xz" -> "urho3d-topics"). */
		static const char *const exts[] = { ".7z", ".tar.xz", ".tar.gz",
			".tar.bz2", ".tar.zst", ".tgz", ".txz", ".tar", ".zip",
			".json", ".jsonl", ".ndjson" };
		size_t i, k;

		for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
			k = strlen(exts[i]);
			if (n > k && strcasecmp(b + n - k, exts[i]) == 0) {
				n -= k;
				break;
			}
		}
	}
	if (n == 0 || n >= size) {
		fq_err("%s: cannot derive a source name", path);
		return -1;
	}
	memcpy(out, b, n);
	out[n] = '\0';
	return 0;
}

/* ---- Format detection (documented in docs/sources.md) ---- */

enum { F_SE, F_DISCOURSE, F_GITHUB, F_JSONL, F_N };

static const struct {
	const char *name;
	int (*fn)(struct store *, const char *, const char *,
	    const struct ingest_opts *, struct ingest_result *);
} formats[F_N] = {
	{ "stackexchange", se_ingest },
	{ "discourse", discourse_ingest },
	{ "github", github_ingest },
	{ "jsonl", jsonl_ingest },
};

/* The first data member of a source: its name and first bytes. */
struct sniff {
	char name[256];
	char head[8192];
	size_t n;
};

static int
sniff_want(const char *name)
{
	return path_has_ext(name, ".xml") || path_has_ext(name, ".json") ||
	    path_has_ext(name, ".jsonl") || path_has_ext(name, ".ndjson");
}

static int
sniff_member(void *arg, struct member *m)
{
	struct sniff *sn = arg;
	ssize_t r;

	snprintf(sn->name, sizeof sn->name, "%s", m->name);
	while (sn->n < sizeof sn->head - 1 &&
	    (r = m->read(m, sn->head + sn->n, sizeof sn->head - 1 - sn->n)) > 0)
		sn->n += (size_t)r;
	sn->head[sn->n] = '\0';
	return 1; /* one is enough */
}

/* Returns the format of the source at path, or -1 after saying why. */
static int
detect(const char *path)
{
	struct sniff sn;
	const char *p;
	int rc;

	memset(&sn, 0, sizeof sn);
	rc = input_each(path, sniff_want, sniff_member, &sn);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		fq_err("%s: no .xml, .json or .jsonl data in this source "
		       "(see --format)", path);
		return -1;
	}
	if (path_has_ext(sn.name, ".xml"))
		return F_SE;
	if (path_has_ext(sn.name, ".jsonl") || path_has_ext(sn.name, ".ndjson"))
		return F_JSONL;
	p = sn.head;
	if (memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	p += strspn(p, " \t\r\n");
	if (*p == '[')
		return F_GITHUB;
	if (strstr(p, "\"post_stream\"") || strstr(p, "\"category_list\""))
		return F_DISCOURSE;
	if (strstr(p, "\"discussions\"") || strstr(p, "\"data\""))
		return F_GITHUB;
	fq_err("%s: cannot tell the format of %s (use --format)", path,
	    sn.name);
	return -1;
}

/* A language list is words of lowercase ASCII letters separated by
 * single spaces; whether Snowball knows them is the index stage's to say
 * (it owns the stemmers). */
static int
lang_ok(const char *s)
{
	const char *p;

	if (*s == '\0' || strlen(s) > 64)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p == ' ' && p > s &&
		    p[-1] != ' ' && p[1] != '\0')))
			return 0;
	return 1;
}

static const char SQL_SET_LANG[] =
    "UPDATE sources SET lang=?2 WHERE name=?1";

static int
set_lang(struct store *st, const char *name, const char *lang)
{
	sqlite3_stmt *s = store_stmt(st, SQL_SET_LANG);

	bind_text(s, 1, name, strlen(name));
	bind_text(s, 2, lang, strlen(lang));
	return store_done(st, s);
}

int
ingest_source(struct store *st, const char *path,
    const struct ingest_opts *opt, struct ingest_result *res)
{
	struct stat sb;
	int rc = -1, fmt;

	memset(res, 0, sizeof *res);
	if (stat(path, &sb) < 0) {
		fq_err("%s: %s", path, strerror(errno));
		return -1;
	}
	for (fmt = 0; fmt < F_N; fmt++)
		if (opt->format && strcmp(opt->format, formats[fmt].name) == 0)
			break;
	if (opt->format && fmt == F_N) {
		fq_err("%s: unknown format '%s' (stackexchange, discourse, "
		       "github or jsonl)", path, opt->format);
		return -1;
	}
	if (opt->lang && !lang_ok(opt->lang)) {
		fq_err("%s: bad language list '%s' (Snowball names such as "
		       "english, russian or id, separated by spaces)", path,
		    opt->lang);
		return -1;
	}
	if (opt->format == NULL && (fmt = detect(path)) < 0)
		return -1;
	if (source_name(path, S_ISDIR(sb.st_mode), res->name,
	    sizeof res->name) < 0)
		return -1;
	store_bulk(st, 1);
	if (store_begin(st) < 0)
		goto out;
	rc = formats[fmt].fn(st, path, res->name, opt, res);
	if (rc == 0 && opt->lang)
		rc = set_lang(st, res->name, opt->lang);
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0)
		store_rollback(st);
out:
	store_bulk(st, 0);
	return rc;
}

void
ingest_result_note(const struct ingest_result *r, int64_t ms, int brief)
{
	if (brief)
		fq_note("ingest %s: %lld threads (%lld new, %lld changed, "
		    "%lld removed) in %.2f s", r->name, (long long)r->threads,
		    (long long)r->added, (long long)r->changed,
		    (long long)r->removed, (double)ms / 1000.0);
	else
		fq_note("ingest %s: %lld threads (%lld new, %lld changed, "
		    "%lld removed, %lld unchanged), %.1f MB in %.2f s",
		    r->name, (long long)r->threads, (long long)r->added,
		    (long long)r->changed, (long long)r->removed,
		    (long long)r->unchanged, (double)r->bytes / 1e6,
		    (double)ms / 1000.0);
}

void
ingest_result_json(const struct ingest_result *r, struct buf *out)
{
	buf_puts(out, "{\"name\":\"");
	esc_json(out, r->name, strlen(r->name));
	buf_printf(out, "\",\"threads\":%lld,\"added\":%lld,"
	    "\"changed\":%lld,\"removed\":%lld,\"unchanged\":%lld}",
	    (long long)r->threads, (long long)r->added,
	    (long long)r->changed, (long long)r->removed,
	    (long long)r->unchanged);
}
