/*
 * Fuzz target: a Posts.xml cut into pieces and parsed on three threads
 * (ingest/xmlrows.c, pieces of 64 bytes so that every few rows are a
 * cut) must give what the sequential parse gives: the same success or
 * failure, and on success the same threads and posts, byte for byte.
 * Each input is ingested into two fresh in-memory stores, one with
 * --jobs 1 (no pieces) and one with --jobs 4.  Any difference, crash,
 * leak or undefined behaviour is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/store.h"
#include "ingest/ingest.h"

static char top[64], dir[96], file[128];

static void
cleanup(void)
{
	unlink(file);
	rmdir(dir);
	rmdir(top);
}

/* What a store holds of the source, as one string (caller frees). */
static char *
content(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce((SELECT"
	    " group_concat(ext_id || '|' || title || '|' || hash, ';')"
	    " FROM (SELECT * FROM threads ORDER BY ext_id)), '') || '#' ||"
	    " coalesce((SELECT group_concat(ext_id || '|' || thread_ext || '|'"
	    " || hash || '|' || body_html, ';') FROM (SELECT * FROM posts"
	    " ORDER BY ext_id)), '')");
	char *out;

	if (sqlite3_step(s) != SQLITE_ROW)
		abort();
	out = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (out == NULL)
		abort();
	return out;
}

static int
ingest(int jobs, char **out)
{
	struct ingest_opts opt = { 0 };
	struct ingest_result res;
	struct store *st = store_open(":memory:", 0);
	int rc;

	if (st == NULL)
		abort();
	opt.jobs = jobs;
	rc = ingest_source(st, dir, &opt, &res);
	*out = content(st);
	store_close(st);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a, *b;
	int ra, rb;
	FILE *f;

	if (top[0] == '\0') {
		snprintf(top, sizeof top, "/tmp/fuzz-xmlrows-XXXXXX");
		if (mkdtemp(top) == NULL)
			abort();
		snprintf(dir, sizeof dir, "%s/f.stackexchange.com", top);
		mkdir(dir, 0700);
		snprintf(file, sizeof file, "%s/Posts.xml", dir);
		fq_quiet = 1;
		setenv("FAQTORY_XML_PIECE", "64", 1);
		atexit(cleanup);
	}
	f = fopen(file, "wb");
	if (f == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	ra = ingest(1, &a);
	rb = ingest(4, &b);
	if (ra != rb || (ra == 0 && strcmp(a, b) != 0))
		abort();
	free(a);
	free(b);
	return 0;
}
