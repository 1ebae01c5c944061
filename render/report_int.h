/*
 * report_int: what the files of the writers' report share (render/report*.c,
 * docs/trends.md "The report").  report.c owns the context and writes
 * the files; report_data.c loads the questions and categories once;
 * report_brief.c the front page and the week pages, report_category.c
 * the category pages, report_issue.c the recurring issues' pages,
 * report_flags.c the flags page, the duplicates and the Atom feed,
 * report_chart.c the SVG charts, report_words.c the new words,
 * report_csv.c the CSV tables.
 *
 * Memory: everything hangs off struct rctx and is freed by report.c;
 * template values live in c->cx (a page's arena) until its next reset.
 */
#ifndef FQ_REPORT_INT_H
#define FQ_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/answerpolicy.h"
#include "core/buf.h"
#include "core/store.h"
#include "render/locale.h"
#include "render/render.h"
#include "render/template.h"

#define RDAY 86400
#define RWEEK (7 * RDAY)
/* Weeks a chart shows, weeks of history kept per category (the 52 of a
 * chart behind the oldest of the 12 week pages, and 12 before it for the
 * baseline), week pages. */
#define RCHART 52
/* Weeks a category's weeks.csv goes back: ten years. */
#define RCSV_WEEKS 520
#define RHIST 76
#define RPICK 12
#define RBASE 12 /* the weeks a week is compared with */

/* One question of the store. */
struct rq {
	int64_t id, ext, source;  /* threads.id, its id in the source */
	const char *sn;           /* sources.short (interned in rdata) */
	char *title, *url;        /* url "" when none */
	char created[20];         /* "" when undated */
	int64_t first_answer;     /* seconds to its first answer, -1 none */
	int week;                 /* weeks before now (0 newest), -1 none */
	int accepted;             /* the source marks an accepted answer */
	enum answer_kind pub;     /* what it publishes (answerpolicy.h) */
	int64_t post;             /* the published answer */
	int64_t issue, topic;     /* recurring issue, topic; 0 none */
	char *author;             /* the published answer's author, or NULL */
	int aweek;                /* weeks before now it was written, -1 */
	int confirmed;            /* the writers chose its answer */
	int flagged;              /* a flag names it */
};

/* A category: a tag of one source, or a topic. */
struct rcat {
	int topic;          /* 0: a tag */
	char *name;         /* the tag, or the topic's label */
	char *path;         /* "tag/<short>/<slug>/" or "topic/<id>/" */
	const char *sn;     /* the tag's source (short name) */
	size_t *q, nq;      /* its questions (indices into rdata.q) */
	int64_t weeks[RHIST]; /* questions per week, [0] the newest */
};

/* A recurring issue (table issues). */
struct riss {
	int64_t id;
	int64_t canonical;    /* threads.id */
	char *label;
	char first[20], last[20];
	size_t *q, nq;        /* its questions, newest first */
	int64_t weeks[RHIST];
	int first_week;       /* weeks before now of its first question */
	int flagged;          /* a flag names it */
};

struct rdata {
	int64_t now;          /* the newest date in the data, epoch; -1 */
	char now_s[20];
	struct rq *q;         /* by threads.id */
	size_t nq;
	struct rcat *cat;     /* tags by source and name, then topics */
	size_t ncat;
	struct riss *iss;     /* by id */
	size_t niss;
	char **sources;       /* short names, interned */
	size_t nsources;
};

struct rctx {
	struct store *st;
	const char *dir;
	int dirfd; /* dir, opened once it exists */
	const char *base_url;
	const char *lang;
	struct answer_policy pol; /* what the site publishes */
	const char **entries; /* the site's entry folders, sorted */
	size_t nentries;
	const struct render_plan *plan;
	struct tset *set;  /* the report's templates */
	struct tctx *cx;   /* the page being filled */
	struct tval *loc;  /* the locale strings, rebuilt per page */
	struct locale_kv *strings;
	size_t nstrings;
	struct rdata d;
	struct buf page, path, tmp;
	struct buf css;    /* report.css, for brief.html */
};

/* report.c */
int report_put_file(struct rctx *c, const char *rel, const char *data,
    size_t n);
int report_put_page(struct rctx *c, const char *name, struct tval *root,
    const char *rel);
/* A page's root map: "root" (the way back to the report's folder),
 * "title", "lang" and the locale strings as "t". */
struct tval *report_root(struct rctx *c, const char *root, const char *title);
/* The locale string of key (the key itself when none has it). */
const char *report_str(const struct rctx *c, const char *key);
void report_text(struct rctx *c, struct tval *m, const char *key,
    const char *s, size_t n);
void report_ctext(struct rctx *c, struct tval *m, const char *key,
    const char *s);
void report_fmt(struct tval *m, const char *key, const char *fmt, double d);
/* The day (YYYY-MM-DD) of epoch e into out (11 bytes). */
void report_day(int64_t e, char *out);
/* A question as a map for question.mustache: title, id, "href" (its
 * public entry, at answer post when post > 0, else its thread), "entry"
 * and "url" where it has them.  report_question sets it as key "q" of m. */
void report_question(struct rctx *c, struct tval *m, const struct rq *q,
    int64_t post);
struct tval *report_question_raw(struct rctx *c, const char *sn,
    int64_t ext, const char *title, const char *url, int64_t post);
const struct rq *report_find(const struct rctx *c, int64_t id);
struct riss *report_find_issue(const struct rctx *c, int64_t id);

/* report_data.c: loads c->d; 0 or -1 (reported). */
int report_data_load(struct rctx *c);
void report_data_free(struct rdata *d);

/* report_chart.c: a bar chart of the n weekly counts v ([0] the newest)
 * ending at week `end` weeks before now; a sparkline likewise. */
struct tval *report_chart(struct rctx *c, const int64_t *v, size_t n,
    int end, const char *name, const char *id);
struct tval *report_spark(struct rctx *c, const int64_t *v, size_t n,
    const char *name);

/* report_words.c: words of the titles of questions idx[0..n) (indices
 * into c->d.q) asked within `recent` weeks of week `from` that none of
 * the older ones used, as list "words" of m (at most max). */
void report_new_words(struct rctx *c, struct tval *m, const size_t *idx,
    size_t n, int from, int recent, size_t max);

/* report_csv.c: appends one CSV field, then a comma, or CRLF if last. */
void report_csv(struct buf *b, const char *s, int last);
void report_csv_int(struct buf *b, int64_t v, int last);

/* report_brief.c: index.html, brief.html, the week pages and their CSV */
int report_brief(struct rctx *c);
/* report_category.c: a page per category */
int report_categories(struct rctx *c);
/* report_issue.c: a page per recurring issue, and the brief's list of
 * the issues new or growing in week k as list "issues" of m. */
int report_issues(struct rctx *c);
int report_issue_rows(struct rctx *c, struct tval *m, int k);
/* report_flags.c: the flags of a recurring issue (cluster > 0), of one
 * kind, of a category's questions, whose newest question was asked
 * within `recent` weeks (0, NULL, -1: any), at most max (0: all, the
 * dismissed ones too unless cat) as list "flags" of root, and their
 * number "nflags". */
int report_flag_rows(struct rctx *c, struct tval *root, int64_t cluster,
    const char *kind, const struct rcat *cat, size_t max, int recent);
int report_merge_rows(struct rctx *c, struct tval *root, size_t max);
int report_flags_page(struct rctx *c);
int report_feed(struct rctx *c);

#endif
