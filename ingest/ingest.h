/*
 * ingest: turns one source (a dump folder, archive or file) into rows of
 * the store.  Each source is one transaction: on any error the store is
 * left exactly as it was, one error line has been printed, and -1 is
 * returned.
 */
#ifndef FQ_INGEST_H
#define FQ_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct store;

struct ingest_opts {
	int no_duplicate_links; /* drop human duplicate links (evaluation) */
	const char *format;     /* NULL: detect; else "stackexchange",
				 * "discourse", "github" or "jsonl" */
	const char *lang;       /* NULL: keep; else the Snowball languages of
				 * the source's text, e.g. "russian" or
				 * "id english" (sources.lang, which the index
				 * stage checks and stems with) */
	int jobs;               /* threads, at least 2 used (reader and
				 * writer); 0 or 1: one */
	int full;               /* write every post again, kept or not
				 * (ingest/keep.c) */
};

/* What one ingest did, for the stage's summary line. */
struct ingest_result {
	char name[256];   /* source name, e.g. beer.stackexchange.com */
	int64_t threads, added, changed, removed, unchanged;
	int64_t bytes;    /* input bytes parsed */
};

int ingest_source(struct store *st, const char *path,
    const struct ingest_opts *opt, struct ingest_result *res);

/* What one ingest did, in the stage's words: the summary line
 * (fq_note) of `faqtory ingest` (with the bytes read, in ms) or, brief,
 * of `faqtory build`; and the source's object of `ingest --json`
 * ({"name":...,"threads":...}, appended to out). */
void ingest_result_note(const struct ingest_result *r, int64_t ms,
    int brief);
void ingest_result_json(const struct ingest_result *r, struct buf *out);

/* Reads the writers' curation file (format in ingest/curation.c and
 * docs/trends.md; articles through cmark and the sanitizer) into the
 * curation tables, replacing what they held, in one transaction; path
 * NULL empties them.  Entries must already be in the store.  Returns 0,
 * or -1 after printing "FILE:LINE: what" (the store unchanged). */
int ingest_curation(struct store *st, const char *path);
/* As ingest_curation, from the file's text already read; `path` names
 * it in messages and its folder is where articles are read from. */
int ingest_curation_text(struct store *st, const char *path,
    const char *text, size_t len);

#endif
