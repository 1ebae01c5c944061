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
#include "core/store.h"
#include "se.h"

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n >= k && strcasecmp(s + n - k, suf) == 0;
}

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
	if (!is_dir && ends_with(real, ".xml")) {
		slash = strrchr(real, '/');
		if (slash && slash != real)
			*slash = '\0';
	}
	b = base_name(real);
	n = strlen(b);
	if (!is_dir && ends_with(b, ".7z"))
		n -= 3;
	if (n == 0 || n >= size) {
		fq_err("%s: cannot derive a source name", path);
		return -1;
	}
	memcpy(out, b, n);
	out[n] = '\0';
	return 0;
}

int
ingest_source(struct store *st, const char *path,
    const struct ingest_opts *opt, struct ingest_result *res)
{
	struct stat sb;
	int rc;

	memset(res, 0, sizeof *res);
	if (stat(path, &sb) < 0) {
		fq_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (opt->format && strcmp(opt->format, "stackexchange") != 0) {
		fq_err("%s: unknown format '%s'", path, opt->format);
		return -1;
	}
	if (source_name(path, S_ISDIR(sb.st_mode), res->name,
	    sizeof res->name) < 0)
		return -1;
	if (store_begin(st) < 0)
		return -1;
	rc = se_ingest(st, path, res->name, opt, res);
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0)
		store_rollback(st);
	return rc;
}
