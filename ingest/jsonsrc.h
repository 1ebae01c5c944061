/*
 * Internal to ingest/: the JSON source readers (discourse.c, github.c,
 * jsonl.c).  Each *_ingest reads the source at `path` as source `name`
 * inside the caller's open transaction and returns 0, or -1 after
 * printing one error line.  The *_document functions parse one document
 * of their format (one Discourse topic file, one GitHub export file, one
 * JSON Lines line) into an open sink; they are the fuzz targets' entry
 * points.  Formats, detection and ids are documented in docs/sources.md.
 */
#ifndef FQ_JSONSRC_H
#define FQ_JSONSRC_H

#include <stddef.h>

struct store;
struct sink;
struct ingest_opts;
struct ingest_result;

int discourse_ingest(struct store *st, const char *path, const char *name,
    const struct ingest_opts *opt, struct ingest_result *res);
int github_ingest(struct store *st, const char *path, const char *name,
    const struct ingest_opts *opt, struct ingest_result *res);
int jsonl_ingest(struct store *st, const char *path, const char *name,
    const struct ingest_opts *opt, struct ingest_result *res);

/* base_url: "https://forum.example.com" or NULL (then no URLs). */
int discourse_document(struct sink *k, const char *data, size_t n,
    const char *base_url);
/* Stages the category names of a categories.json or site.json document
 * for discourse_finish. */
int discourse_categories(struct sink *k, const char *data, size_t n);
/* Resolves what discourse_document staged (category names for the
 * category tags); call once before sink_finish. */
int discourse_finish(struct sink *k);
int github_document(struct sink *k, const char *data, size_t n);
/* line: the line number in its file, for messages. */
int jsonl_document(struct sink *k, const char *data, size_t n, long line);

#endif
