/*
 * faqtory: the command line.  Parses arguments and dispatches to the
 * stages; every stage lives in its own folder and talks only to the
 * store.  Exit statuses and error lines are a contract (core/err.h).
 */
#include <libxml/parser.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/answerpolicy.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/lock.h"
#include "core/stats.h"
#include "core/store.h"
#include "index/index.h"
#include "ingest/ingest.h"
#include "render/render.h"

#define DEFAULT_DB "faqtory.db"
/* From the Makefile's VERSION (debian/changelog carries the same). */
#ifndef FAQTORY_VERSION
#define FAQTORY_VERSION "0.1"
#endif

static const char usage_text[] =
    "usage: faqtory COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "commands:\n"
    "  ingest [--db F] [--no-duplicate-links] [--format FMT] [--lang L]"
    " [--full] SOURCE...\n"
    "         add or refresh sources: a Stack Exchange dump folder, its .7z\n"
    "         archive as downloaded, or a lone Posts.xml; Discourse topic\n"
    "         JSON (folder, .tar.xz, .zip); a GitHub Discussions export\n"
    "         (.json); JSON Lines (.jsonl).  FMT (detected when omitted):\n"
    "         stackexchange, discourse, github, jsonl (docs/sources.md);\n"
    "         L: the Snowball stemmers of its text, e.g. russian, \"id english\";\n"
    "         --full: write every post again (else unchanged ones are kept)\n"
    "  stats  [--db F] [--config F] [--json]  counts per source (community:\n"
    "         entries with a community answer under [publish])\n"
    "  index  [--db F] [--check] [--full]  full-text index, related\n"
    "         questions and clusters (incremental; --check: verify the\n"
    "         index only; --full: recompute everything)\n"
    "  answers --eval [--db F] [--json] [--strict-votes]\n"
    "         answer selection on held-out accepted threads: precision and\n"
    "         coverage per source, baselines, question views covered\n"
    "         (docs/answer-selection.md)\n"
    "  search [--db F] [--json] [--limit N] [--any] [--] QUERY...\n"
    "         best matching questions (all words, else any; --any: any)\n"
    "  search [--db F] [--json] [--limit N] --entries SITE [--no-fix] "
    "[--] QUERY...\n"
    "         the site's own search, ranked as the browser ranks it\n"
    "  related [--db F] [--json] [--k N] [ID | SOURCE:ID]\n"
    "         nearest questions of one question, or of every question\n"
    "  clusters [--db F] [--json] [--level issue|topic]\n"
    "         recurring issues and topics, and their members\n"
    "  trends [--db F] [--json | --csv]  the writers' flags, ranked\n"
    "         (rising, gap, suspect_answer, unanswered; docs/trends.md)\n"
    "  render [--db F] [--config F] --out DIR [--template DIR] [--report R]\n"
    "         [--full]  write the static FAQ site into DIR (only what\n"
    "         changed; --full: render every page), and the writers'\n"
    "         report into R\n"
    "  build  [--config F] [--db F] [--out DIR] [--template DIR] [--report R]\n"
    "         [--curation FILE] [--lang L] [--full] [SOURCE...]\n"
    "         ingest, index, render and publish DIR atomically (DIR becomes\n"
    "         a symlink to DIR.releases/N; the previous release is kept)\n"
    "  serve  [--port N] DIR       preview a built site on 127.0.0.1\n"
    "\n"
    "options everywhere: --db F (default " DEFAULT_DB "), --quiet, --json,"
    " --help\n"
    "faqtory --version: the version and where the default theme was found\n"
    "--jobs N (ingest, index, render, build): threads, default the online"
    " CPUs;\n"
    "         the output is the same whatever N\n"
    "exit status: 0 done, 1 bad input or failed stage (store untouched),\n"
    "             2 usage, 3 another build holds the lock\n";

struct opts {
	const char *db;
	int json;
	int no_dup_links;
	const char *format;
	const char *lang;
	const char *level;         /* clusters: issue, topic, NULL both */
	int limit, k, any, check; /* search, related, index */
	const char *entries;      /* search: the site's folder */
	int nofix;                /* search --entries */
	int full;                 /* ingest, index, render, build: redo all */
	int eval, strict_votes;   /* answers */
	int csv;                  /* trends */
	const char *out, *tmpl, *config; /* render, build */
	const char *report, *curation;   /* render, build */
	int port, port_given;            /* serve */
	int jobs;                        /* 0: [build] jobs, else the CPUs */
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
		} else if (strcmp(a, "--any") == 0) {
			o->any = 1;
		} else if (strcmp(a, "--no-fix") == 0) {
			o->nofix = 1;
		} else if (strcmp(a, "--check") == 0) {
			o->check = 1;
		} else if (strcmp(a, "--full") == 0) {
			o->full = 1;
		} else if (strcmp(a, "--eval") == 0) {
			o->eval = 1;
		} else if (strcmp(a, "--strict-votes") == 0) {
			o->strict_votes = 1;
		} else if (strcmp(a, "--csv") == 0) {
			o->csv = 1;
		} else if (strcmp(a, "--limit") == 0 || strcmp(a, "--k") == 0 ||
		    strcmp(a, "--jobs") == 0) {
			char *end = NULL;
			long v = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : 0;

			if (end == NULL || *end != '\0' || v < 1 || v > 1000)
				return usage("option '%s' needs a number from 1 "
				    "to 1000", a);
			i++;
			*(strcmp(a, "--k") == 0 ? &o->k : strcmp(a, "--jobs") == 0 ?
			    &o->jobs : &o->limit) = (int)v;
		} else if (strcmp(a, "--out") == 0 ||
		    strcmp(a, "--template") == 0 ||
		    strcmp(a, "--config") == 0 || strcmp(a, "--port") == 0) {
			const char *v = i + 1 < argc ? argv[++i] : NULL;
			char *end = NULL;

			if (v == NULL)
				return usage("option '%s' needs a value", a);
			if (a[2] == 'o')
				o->out = v;
			else if (a[2] == 't')
				o->tmpl = v;
			else if (a[2] == 'c')
				o->config = v;
			else if ((o->port = (int)strtol(v, &end, 10)) < 0 ||
			    o->port > 65535 || *end != '\0' || end == v)
				return usage("option '--port' needs a number "
				    "from 0 to 65535", NULL);
			else
				o->port_given = 1;
		} else if (strcmp(a, "--report") == 0 ||
		    strcmp(a, "--curation") == 0 ||
		    strcmp(a, "--entries") == 0) {
			if (i + 1 >= argc)
				return usage("option '%s' needs a value", a);
			*(a[2] == 'r' ? &o->report : a[2] == 'c' ?
			    &o->curation : &o->entries) = argv[++i];
		} else if (strcmp(a, "--db") == 0 || strcmp(a, "--format") == 0 ||
		    strcmp(a, "--lang") == 0 || strcmp(a, "--level") == 0) {
			if (i + 1 >= argc)
				return usage("option '%s' needs a value", a);
			if (strcmp(a, "--level") == 0)
				o->level = argv[++i];
			else if (strcmp(a, "--db") == 0)
				o->db = argv[++i];
			else if (strcmp(a, "--lang") == 0)
				o->lang = argv[++i];
			else
				o->format = argv[++i];
		} else {
			return usage("unknown option '%s'", a);
		}
	}
	return 0;
}

/* The threads of a stage: --jobs, else [build] jobs (cfg NULL: none),
 * else the online CPUs. */
static int
jobs_of(const struct opts *o, const struct fq_config *cfg)
{
	long n;

	if (o->jobs)
		return o->jobs;
	if (cfg && cfg->jobs)
		return atoi(cfg->jobs); /* checked by the config */
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 1000 ? 1000 : (int)n;
}

static int
cmd_ingest(struct opts *o)
{
	struct ingest_opts io = { 0 };
	struct ingest_result r;
	struct store *st;
	struct buf out = BUF_INIT;
	int i, rc = EXIT_OK;

	if (o->nargs == 0)
		return usage("ingest needs at least one SOURCE", NULL);
	io.no_duplicate_links = o->no_dup_links;
	io.format = o->format;
	io.lang = o->lang;
	io.jobs = jobs_of(o, NULL);
	io.full = o->full;
	if ((st = store_open(o->db, 0)) == NULL)
		return EXIT_FAIL;
	buf_puts(&out, "{\"sources\":[");
	for (i = 0; i < o->nargs; i++) {
		int64_t t0 = fq_now_ms();

		if (ingest_source(st, o->args[i], &io, &r) < 0) {
			rc = EXIT_FAIL;
			break;
		}
		ingest_result_note(&r, fq_now_ms() - t0, 0);
		if (i)
			buf_putc(&out, ',');
		ingest_result_json(&r, &out);
	}
	buf_puts(&out, "]}\n");
	if (rc == EXIT_OK && o->json)
		fputs(out.data, stdout);
	buf_release(&out);
	store_close(st);
	return rc;
}

/* The publishing rule stats counts by: the config's [publish] with
 * --config, else the defaults (core/answerpolicy.h).  The store named
 * by the config is used unless --db is given. */
static int
stats_policy(struct opts *o, struct fq_config *cfg, struct answer_policy *p,
    struct store **st)
{
	if (o->config && config_load(cfg, o->config) < 0)
		return -1;
	if (strcmp(o->db, DEFAULT_DB) == 0 && cfg->db)
		o->db = cfg->db;
	if ((*st = store_open(o->db, 1)) == NULL)
		return -1;
	answer_policy_init(p, cfg->publish_answers, cfg->min_confidence, *st);
	return 0;
}

static int
cmd_stats(struct opts *o)
{
	struct fq_config cfg = { 0 };
	struct answer_policy pol;
	struct store *st = NULL;
	struct buf out = BUF_INIT;
	int ret = EXIT_FAIL;

	if (o->nargs)
		return usage("stats takes no arguments", NULL);
	if (stats_policy(o, &cfg, &pol, &st) < 0 ||
	    stats_write(st, &pol, o->json, &out) < 0)
		goto out;
	fputs(out.data, stdout);
	ret = EXIT_OK;
out:
	buf_release(&out);
	store_close(st);
	config_release(&cfg);
	return ret;
}

/* The index stage: thin wrappers over index/index.h. */
static int
cmd_index(struct opts *o)
{
	struct index_result r;
	struct store *st;
	int rc = EXIT_OK;

	if (o->nargs)
		return usage("index takes no arguments", NULL);
	if ((st = index_open(o->db, 0)) == NULL)
		return EXIT_FAIL;
	if (o->check) {
		rc = index_check(st) < 0 ? EXIT_FAIL : EXIT_OK;
		if (rc == EXIT_OK)
			fq_note("index: integrity ok");
		store_close(st);
		return rc;
	}
	if ((o->full && index_forget(st) < 0) ||
	    index_run(st, jobs_of(o, NULL), &r) < 0) {
		store_close(st);
		return EXIT_FAIL;
	}
	index_result_note(&r);
	if (o->json) {
		struct buf out = BUF_INIT;

		index_result_json(&r, &out);
		fputs(out.data, stdout);
		buf_release(&out);
	}
	store_close(st);
	return rc;
}

/* What a read-only command writes: its stage's output for the open
 * store into out.  0, or -1 after the stage printed why. */
typedef int (*query_fn)(struct store *st, const struct opts *o,
    struct buf *out);

/* Runs a read-only command: opens the store (with `open`: index_open
 * for the commands that query the index), lets q write the output and
 * prints it.  EXIT_OK or EXIT_FAIL. */
static int
print_query(const struct opts *o,
    struct store *(*open)(const char *, int), query_fn q)
{
	struct buf out = BUF_INIT;
	struct store *st;
	int rc = EXIT_FAIL;

	if ((st = open(o->db, 1)) == NULL)
		return EXIT_FAIL;
	if (q(st, o, &out) == 0) {
		fputs(out.data, stdout);
		rc = EXIT_OK;
	}
	store_close(st);
	buf_release(&out);
	return rc;
}

static int
q_answers(struct store *st, const struct opts *o, struct buf *out)
{
	return index_answers_eval(st, o->json, o->strict_votes, out);
}

/* Answer selection measured on held-out accepted threads. */
static int
cmd_answers(struct opts *o)
{
	if (o->nargs)
		return usage("answers takes no arguments", NULL);
	if (!o->eval)
		return usage("answers needs --eval", NULL);
	return print_query(o, index_open, q_answers);
}

/* The query is the arguments joined by single spaces. */
static int
q_search(struct store *st, const struct opts *o, struct buf *out)
{
	struct index_search_opts so = { o->json, o->limit ? o->limit : 10,
		o->any, o->nofix };
	struct buf q = BUF_INIT;
	int i, rc;

	for (i = 0; i < o->nargs; i++)
		buf_printf(&q, "%s%s", i ? " " : "", o->args[i]);
	if (o->entries)
		rc = index_search_site(st, o->entries, q.data, q.len, &so, out);
	else
		rc = index_search(st, q.data, q.len, &so, out);
	buf_release(&q);
	return rc;
}

static int
cmd_search(struct opts *o)
{
	if (o->nargs == 0)
		return usage("search needs a QUERY", NULL);
	return print_query(o, index_open, q_search);
}

/* One thread's neighbours (ID given), else every thread's. */
static int
q_related(struct store *st, const struct opts *o, struct buf *out)
{
	int64_t id = 0;

	if (o->nargs == 1 && (id = index_find_thread(st, o->args[0])) <= 0)
		return -1;
	return index_related(st, id, o->k ? o->k : 10, o->json, out);
}

static int
cmd_related(struct opts *o)
{
	if (o->nargs > 1)
		return usage("related takes at most one ID", NULL);
	return print_query(o, index_open, q_related);
}

static int
q_clusters(struct store *st, const struct opts *o, struct buf *out)
{
	return index_clusters(st, o->json, o->level, out);
}

static int
cmd_clusters(struct opts *o)
{
	if (o->nargs)
		return usage("clusters takes no arguments", NULL);
	if (o->level && strcmp(o->level, "issue") != 0 &&
	    strcmp(o->level, "topic") != 0)
		return usage("option '--level' is issue or topic, not '%s'",
		    o->level);
	return print_query(o, index_open, q_clusters);
}

static int
q_trends(struct store *st, const struct opts *o, struct buf *out)
{
	return index_trends(st, o->json ? INDEX_TRENDS_JSON : o->csv ?
	    INDEX_TRENDS_CSV : INDEX_TRENDS_TEXT, out);
}

/* trends reads the flags only: no tokenizer needed (store_open). */
static int
cmd_trends(struct opts *o)
{
	if (o->nargs)
		return usage("trends takes no arguments", NULL);
	if (o->json && o->csv)
		return usage("trends takes --json or --csv, not both", NULL);
	return print_query(o, store_open, q_trends);
}

/* Site settings from the config file (if any) into ro; cfg owns them. */
static void
site_opts(const struct fq_config *cfg, const struct opts *o,
    struct render_opts *ro)
{
	memset(ro, 0, sizeof *ro);
	ro->title = cfg->title;
	ro->base_url = cfg->base_url;
	ro->language = cfg->language;
	ro->theme = cfg->theme;
	ro->content_license = cfg->content_license;
	ro->override = o->tmpl;
	ro->full = o->full;
	ro->include_tags = cfg->include_tags;
	ro->ninclude = cfg->ninclude;
	ro->exclude_tags = cfg->exclude_tags;
	ro->nexclude = cfg->nexclude;
	ro->answers = cfg->publish_answers;
	ro->min_confidence = cfg->min_confidence;
	ro->threads = jobs_of(o, cfg);
}

static void
render_note(const struct render_result *r, int64_t t0)
{
	fq_note("render: %lld written, %lld kept, %lld removed (%lld files, "
	    "%lld entries, %.2f s)", (long long)r->written, (long long)r->kept,
	    (long long)r->removed, (long long)r->pages, (long long)r->entries,
	    (double)(fq_now_ms() - t0) / 1000.0);
}

/* Locks the store (db; NULL: none) and each output, in that order, so
 * that two builds never write one store or one output, even from two
 * stores (core/lock.h).  locks[3] get the descriptors (-1: none).  Returns
 * EXIT_OK, or EXIT_LOCKED / EXIT_FAIL after one message. */
static int
take_locks(const char *db, const char *out, const char *report, int *locks)
{
	const char *paths[3] = { db, out, report };
	int i, rc = EXIT_OK;

	for (i = 0; i < 3; i++)
		locks[i] = -1;
	for (i = 0; i < 3 && rc == EXIT_OK; i++) {
		if (paths[i] == NULL)
			continue;
		if ((locks[i] = lock_take(paths[i])) < 0) {
			rc = locks[i] == -3 ? EXIT_LOCKED : EXIT_FAIL;
			locks[i] = -1;
		}
	}
	return rc;
}

static void
release_locks(int *locks)
{
	int i;

	for (i = 0; i < 3; i++)
		if (locks[i] >= 0)
			close(locks[i]);
}

/* Refuses a report that would be published into the site or around
 * it (render_outputs_overlap): before any lock is taken, as usage. */
static int
separate_outputs(const char *out, const char *report)
{
	struct buf m = BUF_INIT;
	int rc;

	if (report == NULL || !render_outputs_overlap(out, report))
		return EXIT_OK;
	buf_printf(&m, "the report '%s' and the site '%s' overlap; give "
	    "each its own folder, neither inside the other", report, out);
	rc = usage("%s", m.data);
	buf_release(&m);
	return rc;
}

/* The report of a site render, written into its staging release once
 * the site has decided its pages (render.h: render_plan), so that it
 * links only the entries the site publishes. */
struct report_job {
	const char *db;
	const struct render_release *rel;
	const struct render_opts *ro;
};

static int
report_planned(void *arg, const struct render_plan *p)
{
	const struct report_job *j = arg;

	return render_report(j->db, j->rel->staging, j->ro, p);
}

/* Renders the report (when there is one) from the plan of the site's
 * render. */
static void
report_hook(struct render_opts *ro, struct report_job *j, const char *db,
    const struct render_release *rel)
{
	j->db = db;
	j->rel = rel;
	j->ro = ro;
	ro->planned = report_planned;
	ro->planned_arg = j;
}

/* The build's render: into the release before the current one, updated
 * in place once the render is past what can fail early; if someone
 * planted a symlink in it, again into a fresh folder (the report,
 * rendered once the pages were planned, stays as it was written).  0,
 * or -1 (message printed). */
static void
recycle(void *arg)
{
	render_release_recycle(arg);
}

static int
build_site(const char *db, struct render_release *rel,
    struct render_opts *ro, struct render_result *rr)
{
	ro->ready = recycle;
	ro->ready_arg = rel;
	if (render_site(db, rel->staging, rel->current, ro, rr) == 0)
		return 0;
	if (!rr->tampered || render_release_fresh(rel) < 0)
		return -1;
	ro->planned = NULL;
	ro->ready = NULL;
	return render_site(db, rel->staging, rel->current, ro, rr);
}

/* render: the site updated in place, the report as a release.  The
 * report is rendered once the site has decided its pages and before it
 * writes any, so a report that fails leaves the site as it was. */
static int
cmd_render(struct opts *o)
{
	struct report_job job;
	struct fq_config cfg = { 0 };
	struct render_opts ro;
	struct render_result r;
	struct render_release rel = { 0 };
	struct render_release *v[1] = { &rel };
	const char *out, *db, *report;
	int64_t t0 = fq_now_ms();
	int locks[3] = { -1, -1, -1 }, rc = EXIT_FAIL;

	if (o->nargs)
		return usage("render takes no arguments", NULL);
	if (o->config && config_load(&cfg, o->config) < 0)
		return EXIT_FAIL;
	out = o->out ? o->out : cfg.out;
	db = strcmp(o->db, DEFAULT_DB) == 0 && cfg.db ? cfg.db : o->db;
	report = o->report ? o->report : cfg.report;
	if (out == NULL) {
		rc = usage("render needs --out DIR", NULL);
		goto out;
	}
	if ((rc = separate_outputs(out, report)) != EXIT_OK ||
	    (rc = take_locks(NULL, out, report, locks)) != EXIT_OK)
		goto out;
	rc = EXIT_FAIL;
	site_opts(&cfg, o, &ro);
	if (report) {
		if (render_release_begin(&rel, report) < 0)
			goto out;
		report_hook(&ro, &job, db, &rel);
	}
	if (render_site(db, out, NULL, &ro, &r) < 0)
		goto out;
	render_note(&r, t0);
	if (report) {
		if (render_publish(v, 1) < 0)
			goto out;
		fq_note("report: %s", report);
	}
	rc = EXIT_OK;
out:
	render_release_end(&rel);
	release_locks(locks);
	config_release(&cfg);
	return rc;
}

/* What a build that fails after ingest leaves: a snapshot of the store
 * to roll back to would copy all of it on every build (gigabytes, on a
 * disk that may be full), while the ingest it keeps is only the
 * sources as they are, which the next build finds unchanged. */
static const char BUILD_REMARK[] =
    "the store keeps this build's ingest; the published site is unchanged";

/* The stages of build that write the store: ingest (each source a
 * transaction), the curation, the index.  0 or -1 (printed). */
static int
build_store(struct store *st, struct fq_config *cfg, struct opts *o,
    const char *curation)
{
	struct ingest_opts io = { 0 };
	struct ingest_result ir;
	struct index_result xr;
	char **srcs = o->nargs ? o->args : cfg->sources;
	int i, nsrcs = o->nargs ? o->nargs : (int)cfg->nsources;
	int64_t t0;

	io.lang = o->lang ? o->lang : cfg->content_language;
	io.jobs = jobs_of(o, cfg);
	io.full = o->full;
	for (i = 0; i < nsrcs; i++) {
		t0 = fq_now_ms();
		if (ingest_source(st, srcs[i], &io, &ir) < 0)
			return -1;
		/* Said only when true: an unchanged source left the store
		 * as it was. */
		if (ir.added || ir.changed || ir.removed)
			fq_err_remark(BUILD_REMARK);
		ingest_result_note(&ir, fq_now_ms() - t0, 1);
	}
	/* The writers' curation is an input like the dumps: read (and its
	 * articles sanitized) into the store before index and render. */
	if (ingest_curation(st, curation) < 0)
		return -1;
	t0 = fq_now_ms();
	if ((o->full && index_forget(st) < 0) ||
	    index_run(st, jobs_of(o, cfg), &xr) < 0)
		return -1;
	index_result_brief(&xr, fq_now_ms() - t0);
	return 0;
}

/*
 * build: the nightly job.  Holds the locks of the store and of its
 * outputs for the whole run; each stage either completes or leaves what
 * it owns as it was (ingest and index are transactions, render writes
 * staging releases that render_publish swaps in together or not at
 * all).  A failure after ingest keeps the ingest (BUILD_REMARK).
 */
static int
cmd_build(struct opts *o)
{
	struct fq_config cfg = { 0 };
	struct render_opts ro;
	struct render_result rr;
	struct render_release rel = { 0 }, rrel = { 0 };
	struct render_release *v[2] = { &rel, &rrel };
	struct report_job job;
	struct store *st = NULL;
	const char *db, *out, *report, *curation;
	int64_t t0;
	int locks[3] = { -1, -1, -1 }, rc = EXIT_FAIL;

	if (o->config && config_load(&cfg, o->config) < 0)
		return EXIT_FAIL;
	out = o->out ? o->out : cfg.out;
	db = strcmp(o->db, DEFAULT_DB) == 0 && cfg.db ? cfg.db : o->db;
	report = o->report ? o->report : cfg.report;
	curation = o->curation ? o->curation : cfg.curation;
	if (out == NULL) {
		rc = usage("build needs --out DIR (or 'out' in the config)",
		    NULL);
		goto out;
	}
	if ((rc = separate_outputs(out, report)) != EXIT_OK ||
	    (rc = take_locks(db, out, report, locks)) != EXIT_OK)
		goto out;
	rc = EXIT_FAIL;
	/* The outputs first: one that is not faqtory's fails the build
	 * before it changes anything. */
	if (render_release_begin(&rel, out) < 0 ||
	    (report && render_release_begin(&rrel, report) < 0))
		goto out;
	if ((st = index_open(db, 0)) == NULL ||
	    build_store(st, &cfg, o, curation) < 0)
		goto out;
	store_close(st);
	st = NULL;
	t0 = fq_now_ms();
	site_opts(&cfg, o, &ro);
	if (report)
		report_hook(&ro, &job, db, &rrel);
	if (build_site(db, &rel, &ro, &rr) < 0)
		goto out;
	render_note(&rr, t0);
	if (render_publish(v, report ? 2 : 1) < 0)
		goto out;
	fq_note("publish: %s -> %s.releases/%s", out, out, rel.name);
	if (report)
		fq_note("publish: %s -> %s.releases/%s", report, report,
		    rrel.name);
	rc = EXIT_OK;
out:
	fq_err_remark(NULL);
	store_close(st);
	render_release_end(&rel);
	render_release_end(&rrel);
	release_locks(locks);
	config_release(&cfg);
	return rc;
}

static int
cmd_serve(struct opts *o)
{
	if (o->nargs != 1)
		return usage("serve needs one DIR", NULL);
	return render_serve(o->args[0], o->port_given ? o->port : 8080) < 0 ?
	    EXIT_FAIL : EXIT_OK;
}

static const struct {
	const char *name;
	const char *opts;
	int (*fn)(struct opts *);
} commands[] = {
	{ "ingest", "--db --no-duplicate-links --format --lang --json --jobs"
	    " --full", cmd_ingest },
	{ "stats", "--db --json --config", cmd_stats },
	{ "index", "--db --json --check --full --jobs", cmd_index },
	{ "answers", "--db --json --eval --strict-votes", cmd_answers },
	{ "search", "--db --json --limit --any --entries --no-fix",
	    cmd_search },
	{ "related", "--db --json --k", cmd_related },
	{ "clusters", "--db --json --level", cmd_clusters },
	{ "trends", "--db --json --csv", cmd_trends },
	{ "render", "--db --out --template --config --report --full --jobs",
	  cmd_render },
	{ "build", "--db --out --template --config --report --curation --lang"
	  " --full --jobs", cmd_build },
	{ "serve", "--port", cmd_serve },
};

/* The version, and where the default theme is and which rule found it
 * (render_default_theme), so an install can be checked at a glance. */
static int
version(void)
{
	const char *how;
	char *theme = render_default_theme(&how);

	printf("faqtory %s\ntheme: %s (%s%s)\n", FAQTORY_VERSION, theme, how,
	    render_theme_exists(theme) ? "" : "; not found");
	free(theme);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct opts o;
	size_t i;
	int rc;

	if (argc < 2)
		return usage("missing command", NULL);
	/* Once, before any thread: ingest parses on two threads. */
	xmlInitParser();
	/* A file size limit (ulimit -f) then fails a write with EFBIG,
	 * reported like a full disk, instead of killing the process. */
	signal(SIGXFSZ, SIG_IGN);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return version();
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
