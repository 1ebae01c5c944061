/*
 * Fuzz target: the Stack Exchange Posts.xml ingest, end to end (XML
 * reader, row handling, sanitizer on the writer thread, SQL resolution)
 * into one in-memory store kept across runs, so refresh paths run too.
 * Any input must give 0 or -1 with one error line, never a crash, a
 * leak or undefined behaviour; and the store must stay consistent.
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

static struct store *st;
static char top[64], dir[96], file[128];

/* The scratch dump goes when the run ends. */
static void
cleanup(void)
{
	unlink(file);
	rmdir(dir);
	rmdir(top);
	store_close(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ingest_opts opt = { 0 };
	struct ingest_result res;
	sqlite3_stmt *s;
	FILE *f;

	if (st == NULL) {
		snprintf(top, sizeof top, "/tmp/fuzz-posts-XXXXXX");
		if (mkdtemp(top) == NULL)
			abort();
		snprintf(dir, sizeof dir, "%s/f.stackexchange.com", top);
		mkdir(dir, 0700);
		snprintf(file, sizeof file, "%s/Posts.xml", dir);
		fq_quiet = 1;
		st = store_open(":memory:", 0);
		if (st == NULL)
			abort();
		atexit(cleanup);
	}
	f = fopen(file, "wb");
	if (f == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	(void)ingest_source(st, dir, &opt, &res);
	/* Whatever happened, every answer belongs to a thread. */
	s = store_stmt(st, "SELECT count(*) FROM posts p WHERE kind=2 AND NOT "
	    "EXISTS(SELECT 1 FROM threads t WHERE t.source_id=p.source_id AND "
	    "t.ext_id=p.thread_ext)");
	if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0) != 0)
		abort();
	sqlite3_reset(s);
	return 0;
}
