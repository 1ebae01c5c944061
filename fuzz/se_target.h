/*
 * The harness the Stack Exchange file targets share (included by
 * fuzz_se_comments.c, fuzz_se_postlinks.c, fuzz_se_posthistory.c,
 * fuzz_se_users.c, fuzz_se_tags.c and fuzz_se_votes.c, each one
 * translation unit).
 *
 * The input is written as one file of a scratch dump (say Comments.xml)
 * next to a small fixed Posts.xml, so that its rows resolve against
 * posts as they would in a real dump; the dump is then ingested into
 * one in-memory store kept across runs (refresh paths run too).  The
 * fixed posts are made up here, shaped like the 2020 dumps: questions
 * 1..150, answers 151..180 (parents 1..30; the even questions among
 * those accept their answer), and tag-wiki excerpts with
 * the ids the seeds' Tags.xml rows name.  Any input gives success or
 * one error line, never a crash, a leak, undefined behaviour or a
 * store that breaks its invariants (checked after every run).
 */
#ifndef FQ_FUZZ_SE_TARGET_H
#define FQ_FUZZ_SE_TARGET_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/store.h"
#include "ingest/ingest.h"

static struct store *se_st;
static char se_top[64], se_dir[96], se_posts[128], se_file[128];

static void
se_cleanup(void)
{
	unlink(se_posts);
	unlink(se_file);
	rmdir(se_dir);
	rmdir(se_top);
	store_close(se_st);
}

static void
se_write_posts(FILE *f)
{
	static const int64_t excerpts[] = { 304, 4880, 5062, 5109, 7872 };
	static const char d[] = "2014-01-21T20:26:05.383";
	int64_t id;
	size_t i;

	fputs("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<posts>\n", f);
	for (id = 1; id <= 150; id++) {
		fprintf(f, "  <row Id=\"%lld\" PostTypeId=\"1\" CreationDate=\"%s\""
		    " Score=\"1\" Body=\"&lt;p&gt;question %lld&lt;/p&gt;\""
		    " OwnerUserId=\"%lld\" Title=\"question %lld\""
		    " Tags=\"&lt;hops&gt;&lt;history&gt;\"", (long long)id,
		    d, (long long)id, (long long)(id % 60), (long long)id);
		if (id <= 30 && id % 2 == 0) /* answers 152, 154 ... 180 */
			fprintf(f, " AcceptedAnswerId=\"%lld\"",
			    (long long)(id + 150));
		fputs(" />\n", f);
	}
	for (id = 151; id <= 180; id++)
		fprintf(f, "  <row Id=\"%lld\" PostTypeId=\"2\" ParentId=\"%lld\""
		    " CreationDate=\"%s\" Score=\"2\" Body=\"&lt;p&gt;answer"
		    "&lt;/p&gt;\" OwnerUserId=\"%lld\" />\n", (long long)id,
		    (long long)(id - 150), d, (long long)(id % 60));
	for (i = 0; i < sizeof excerpts / sizeof *excerpts; i++)
		fprintf(f, "  <row Id=\"%lld\" PostTypeId=\"4\" CreationDate=\"%s\""
		    " Body=\"&lt;p&gt;excerpt %zu&lt;/p&gt;\" />\n",
		    (long long)excerpts[i], d, i);
	fputs("</posts>\n", f);
}

/* Creates the scratch dump with its Posts.xml; `file` is the name the
 * input is written as. */
static void
se_setup(const char *file)
{
	FILE *f;

	snprintf(se_top, sizeof se_top, "/tmp/fuzz-se-XXXXXX");
	if (mkdtemp(se_top) == NULL)
		abort();
	snprintf(se_dir, sizeof se_dir, "%s/f.stackexchange.com", se_top);
	mkdir(se_dir, 0700);
	snprintf(se_posts, sizeof se_posts, "%s/Posts.xml", se_dir);
	snprintf(se_file, sizeof se_file, "%s/%s", se_dir, file);
	if ((f = fopen(se_posts, "wb")) == NULL)
		abort();
	se_write_posts(f);
	if (fclose(f) != 0)
		abort();
	fq_quiet = 1;
	if ((se_st = store_open(":memory:", 0)) == NULL)
		abort();
	atexit(se_cleanup);
}

/* Whatever the input did, these hold in the store: every count is 0. */
static const char *const se_invariants[] = {
	/* every answer belongs to a thread */
	"SELECT count(*) FROM posts p WHERE kind=2 AND NOT EXISTS(SELECT 1"
	" FROM threads t WHERE t.source_id=p.source_id AND"
	" t.ext_id=p.thread_ext)",
	/* every comment is on a post that is there */
	"SELECT count(*) FROM comments c WHERE NOT EXISTS(SELECT 1 FROM"
	" posts p WHERE p.source_id=c.source_id AND p.ext_id=c.post_ext)",
	/* links join two threads that are there */
	"SELECT count(*) FROM links l WHERE NOT EXISTS(SELECT 1 FROM threads"
	" t WHERE t.source_id=l.source_id AND t.ext_id=l.from_ext) OR NOT"
	" EXISTS(SELECT 1 FROM threads t WHERE t.source_id=l.source_id AND"
	" t.ext_id=l.to_ext)",
	/* every date stored is normalized (core/date.h) */
	"SELECT count(*) FROM (SELECT created d FROM comments UNION ALL"
	" SELECT created FROM authors UNION ALL SELECT created FROM posts"
	" UNION ALL SELECT closed FROM threads) WHERE d IS NOT NULL AND"
	" d NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T"
	"[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'",
	/* vote counts are per day of a post that is there, never empty */
	"SELECT count(*) FROM votes v WHERE up < 0 OR down < 0 OR"
	" up + down = 0 OR day NOT GLOB"
	" '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' OR NOT EXISTS("
	" SELECT 1 FROM posts p WHERE p.source_id=v.source_id AND"
	" p.ext_id=v.post_ext)",
	/* an acceptance day belongs to a thread with an accepted answer */
	"SELECT count(*) FROM threads WHERE accepted_day IS NOT NULL AND"
	" (accepted_ext IS NULL OR accepted_day NOT GLOB"
	" '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')",
	NULL
};

static void
se_check(void)
{
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; se_invariants[i]; i++) {
		s = store_stmt(se_st, se_invariants[i]);
		if (s == NULL || sqlite3_step(s) != SQLITE_ROW ||
		    sqlite3_column_int(s, 0) != 0) {
			fprintf(stderr, "invariant broken: %s\n",
			    se_invariants[i]);
			abort();
		}
		sqlite3_reset(s);
	}
}

static int
se_target(const uint8_t *data, size_t size, const char *file)
{
	struct ingest_opts opt = { 0 };
	struct ingest_result res;
	FILE *f;

	if (se_st == NULL)
		se_setup(file);
	if ((f = fopen(se_file, "wb")) == NULL)
		abort();
	if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	(void)ingest_source(se_st, se_dir, &opt, &res);
	se_check();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
