/*
 * Fuzz target: the writers' curation file (ingest/curation.c), parsed
 * from the bytes into an in-memory store that holds two small sources
 * (beer: the questions of docs/trends.md's example; eosio.meta: those of
 * tests/e2e/curation.sh), so sections resolve and every action runs.
 * The file "is" in a scratch folder with two articles; article lines
 * naming anything else are refused.  Any input must give 0 or -1 with
 * one error line, never a crash, a leak or undefined behaviour; after
 * a refusal the curation tables must be as before (empty).
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
static char top[64], path[128];

static const char *const files[] = { "beer.jsonl", "eosio.meta.jsonl",
	"articles/sell-by.md", "articles/outdated.md" };

static void
put(const char *name, const char *text)
{
	char p[160];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", top, name);
	if ((f = fopen(p, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

/* One JSON Lines thread per id, each with an accepted answer. */
static void
source(const char *name, const int *ids, size_t n)
{
	char p[160], line[256];
	struct ingest_opts opt = { 0 };
	struct ingest_result res;
	FILE *f;
	size_t i;

	snprintf(p, sizeof p, "%s/%s", top, name);
	if ((f = fopen(p, "w")) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof line, "{\"id\": %d, \"title\": \"Q %d\", "
		    "\"question\": {\"body\": \"q\"}, \"answers\": [{\"body\": "
		    "\"a\", \"accepted\": true}]}\n", ids[i], ids[i]);
		fputs(line, f);
	}
	fclose(f);
	if (ingest_source(st, p, &opt, &res) < 0)
		abort();
}

static void
cleanup(void)
{
	char p[160];
	size_t i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", top, files[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/articles", top);
	rmdir(p);
	rmdir(top);
	store_close(st);
}

static void
setup(void)
{
	static const int beer[] = { 976, 7283, 99, 195 };
	static const int eosio[] = { 36, 47, 10, 14, 5, 45, 15 };
	char p[160];

	snprintf(top, sizeof top, "/tmp/fuzz-curation-XXXXXX");
	if (mkdtemp(top) == NULL)
		abort();
	snprintf(p, sizeof p, "%s/articles", top);
	mkdir(p, 0700);
	put("articles/sell-by.md", "# Sell-by\n\nStill *fine*.\n");
	put("articles/outdated.md", "Edit it. <script>x</script>\n");
	snprintf(path, sizeof path, "%s/curation.ini", top);
	fq_quiet = 1;
	if ((st = store_open(":memory:", 0)) == NULL)
		abort();
	source("beer.jsonl", beer, sizeof beer / sizeof beer[0]);
	source("eosio.meta.jsonl", eosio, sizeof eosio / sizeof eosio[0]);
	atexit(cleanup);
}

static int
rows(void)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT (SELECT count(*) FROM "
	    "curation) + (SELECT count(*) FROM curation_phrases)");
	int n = -1;

	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (st == NULL)
		setup();
	/* Each run starts from empty tables (path NULL empties them). */
	if (ingest_curation_text(st, NULL, NULL, 0) < 0 || rows() != 0)
		abort();
	if (ingest_curation_text(st, path, (const char *)data, size) < 0 &&
	    rows() != 0)
		abort();
	return 0;
}
