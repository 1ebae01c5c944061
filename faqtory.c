/*
 * faqtory: the command line.  Parses arguments and dispatches to the
 * stages; every stage lives in its own folder and talks only to the
 * store.  Exit statuses and error lines are a contract (core/err.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/store.h"
#include "ingest/ingest.h"

#define DEFAULT_DB "faqtory.db"

static const char usage_text[] =
    "usage: faqtory COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "commands:\n"
    "  ingest [--db F] [--no-duplicate-links] [--format stackexchange]"
    " SOURCE...\n"
    "         add or refresh sources: a Stack Exchange dump folder, its .7z\n"
    "         archive as downloaded, or a lone Posts.xml\n"
    "  stats  [--db F] [--json]    counts per source\n"
    "\n"
    "options everywhere: --db F (default " DEFAULT_DB "), --quiet, --json,"
    " --help\n"
    "exit status: 0 done, 1 bad input or failed stage (store untouched),\n"
    "             2 usage, 3 another build holds the lock\n";

struct opts {
	const char *db;
	int json;
	int no_dup_links;
	const char *format;
	char **args;
	int nargs;
};

static int
usage(const char *fmt, const char *arg)
{
	if (fmt) {
		fputs("faqtory: ", stderr);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fputs("run 'faqtory --help' for usage\n", stderr);
	return EXIT_USAGE;
}

/* Whether " --x " occurs in the space-separated list `allowed`. */
static int
has_word(const char *allowed, const char *key)
{
	struct buf k = BUF_INIT;
	int ok;

	buf_printf(&k, " %s ", allowed);
	ok = strstr(k.data, key) != NULL;
	buf_release(&k);
	return ok;
}

/* Parses the options of every subcommand (each accepts only those in
 * `allowed`, a space-separated list); positional arguments are kept.
 * Returns 0, or EXIT_USAGE after printing why. */
static int
parse(int argc, char **argv, const char *allowed, struct opts *o)
{
	int i;

	memset(o, 0, sizeof *o);
	o->db = DEFAULT_DB;
	o->args = calloc((size_t)argc + 1, sizeof *o->args);
	if (o->args == NULL)
		return usage("out of memory", NULL);
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		char key[64];

		if (strcmp(a, "--") == 0) {
			while (++i < argc)
				o->args[o->nargs++] = argv[i];
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			o->args[o->nargs++] = argv[i];
			continue;
		}
		snprintf(key, sizeof key, " %s ", a);
		if (strcmp(a, "--quiet") != 0 && strcmp(a, "-q") != 0 &&
		    !has_word(allowed, key))
			return usage("unknown option '%s'", a);
		if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			fq_quiet = 1;
		} else if (strcmp(a, "--json") == 0) {
			o->json = 1;
		} else if (strcmp(a, "--no-duplicate-links") == 0) {
			o->no_dup_links = 1;
		} else if (strcmp(a, "--db") == 0 || strcmp(a, "--format") == 0) {
			if (i + 1 >= argc)
				return usage("option '%s' needs a value", a);
			if (strcmp(a, "--db") == 0)
				o->db = argv[++i];
			else
				o->format = argv[++i];
		} else {
			return usage("unknown option '%s'", a);
		}
	}
	return 0;
}

static void
mb_per_s(struct buf *b, int64_t bytes, int64_t ms)
{
	buf_printf(b, "%.1f MB in %.2f s", (double)bytes / 1e6,
	    (double)ms / 1000.0);
}

static int
cmd_ingest(struct opts *o)
{
	struct ingest_opts io = { 0 };
	struct ingest_result r;
	struct store *st;
	struct buf out = BUF_INIT, line = BUF_INIT;
	int i, rc = EXIT_OK;

	if (o->nargs == 0)
		return usage("ingest needs at least one SOURCE", NULL);
	io.no_duplicate_links = o->no_dup_links;
	io.format = o->format;
	if ((st = store_open(o->db, 0)) == NULL)
		return EXIT_FAIL;
	buf_puts(&out, "{\"sources\":[");
	for (i = 0; i < o->nargs; i++) {
		int64_t t0 = fq_now_ms();

		if (ingest_source(st, o->args[i], &io, &r) < 0) {
			rc = EXIT_FAIL;
			break;
		}
		buf_reset(&line);
		buf_printf(&line, "ingest %s: %lld threads (%lld new, %lld "
		    "changed, %lld removed, %lld unchanged), ", r.name,
		    (long long)r.threads, (long long)r.added,
		    (long long)r.changed, (long long)r.removed,
		    (long long)r.unchanged);
		mb_per_s(&line, r.bytes, fq_now_ms() - t0);
		fq_note("%s", line.data);
		buf_printf(&out, "%s{\"name\":\"", i ? "," : "");
		esc_json(&out, r.name, strlen(r.name));
		buf_printf(&out, "\",\"threads\":%lld,\"added\":%lld,"
		    "\"changed\":%lld,\"removed\":%lld,\"unchanged\":%lld}",
		    (long long)r.threads, (long long)r.added,
		    (long long)r.changed, (long long)r.removed,
		    (long long)r.unchanged);
	}
	buf_puts(&out, "]}\n");
	if (rc == EXIT_OK && o->json)
		fputs(out.data, stdout);
	buf_release(&out);
	buf_release(&line);
	store_close(st);
	return rc;
}

static const char SQL_STATS[] =
    "SELECT s.name, s.kind,"
    " (SELECT count(*) FROM threads WHERE source_id=s.id),"
    " (SELECT count(*) FROM posts WHERE source_id=s.id AND kind=2),"
    " (SELECT count(*) FROM threads WHERE source_id=s.id"
    "  AND accepted_ext IS NOT NULL),"
    " (SELECT count(*) FROM comments WHERE source_id=s.id),"
    " (SELECT count(*) FROM links WHERE source_id=s.id"
    "  AND kind='duplicate'),"
    " s.skipped, s.missing, s.newest"
    " FROM sources s ORDER BY s.name";

static int
cmd_stats(struct opts *o)
{
	struct store *st;
	sqlite3_stmt *s;
	struct buf out = BUF_INIT;
	int n = 0, rc;

	if (o->nargs)
		return usage("stats takes no arguments", NULL);
	if ((st = store_open(o->db, 1)) == NULL)
		return EXIT_FAIL;
	s = store_stmt(st, SQL_STATS);
	if (o->json)
		buf_puts(&out, "{\"sources\":[");
	else
		buf_printf(&out, "%-36s %-13s %9s %8s %8s %8s %6s\n", "source",
		    "kind", "questions", "answers", "accepted", "comments",
		    "dups");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		const char *kind = (const char *)sqlite3_column_text(s, 1);
		const char *skipped = (const char *)sqlite3_column_text(s, 7);

		if (o->json) {
			buf_printf(&out, "%s{\"name\":\"", n ? "," : "");
			esc_json(&out, name, strlen(name));
			buf_puts(&out, "\",\"kind\":\"");
			esc_json(&out, kind, strlen(kind));
			/* skipped is JSON written by ingest itself. */
			buf_printf(&out, "\",\"questions\":%lld,\"answers\":"
			    "%lld,\"accepted\":%lld,\"comments\":%lld,"
			    "\"duplicate_links\":%lld,\"skipped\":%s}",
			    sqlite3_column_int64(s, 2),
			    sqlite3_column_int64(s, 3),
			    sqlite3_column_int64(s, 4),
			    sqlite3_column_int64(s, 5),
			    sqlite3_column_int64(s, 6), skipped);
		} else {
			buf_printf(&out, "%-36s %-13s %9lld %8lld %8lld %8lld "
			    "%6lld\n", name, kind, sqlite3_column_int64(s, 2),
			    sqlite3_column_int64(s, 3),
			    sqlite3_column_int64(s, 4),
			    sqlite3_column_int64(s, 5),
			    sqlite3_column_int64(s, 6));
			buf_printf(&out, "  skipped: %s\n", skipped);
		}
		n++;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st);
		buf_release(&out);
		store_close(st);
		return EXIT_FAIL;
	}
	if (o->json)
		buf_puts(&out, "]}\n");
	fputs(out.data, stdout);
	buf_release(&out);
	store_close(st);
	return EXIT_OK;
}

static const struct {
	const char *name;
	const char *opts;
	int (*fn)(struct opts *);
} commands[] = {
	{ "ingest", "--db --no-duplicate-links --format --json", cmd_ingest },
	{ "stats", "--db --json", cmd_stats },
};

int
main(int argc, char **argv)
{
	struct opts o;
	size_t i;
	int rc;

	if (argc < 2)
		return usage("missing command", NULL);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("faqtory 0.1");
		return EXIT_OK;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		for (rc = 2; rc < argc; rc++) {
			if (strcmp(argv[rc], "--help") == 0) {
				fputs(usage_text, stdout);
				return EXIT_OK;
			}
		}
		rc = parse(argc - 2, argv + 2, commands[i].opts, &o);
		if (rc == 0)
			rc = commands[i].fn(&o);
		free(o.args);
		return rc;
	}
	return usage("unknown command '%s'", argv[1]);
}
