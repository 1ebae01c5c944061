/*
 * shards: the files of the static search (docs/search.md), built from
 * what the index stage stored (search_docs, search_forms).  Internal to
 * render/: site.c passes the entries and topics, then writes the files
 * through its manifest like every page (unchanged bytes are kept).
 *
 *   search/meta.json       shard boundaries, corpus size, common terms,
 *                          top topics (the empty state)
 *   search/t/<n>.bin       terms and word forms, by byte order, with
 *                          their postings
 *   search/d/<g>.json      title, URL, id, snippet and the answer's first
 *                          sentence of the entries whose thread id >>
 *                          SHARD_GROUP_BITS is g
 */
#ifndef FQ_SHARDS_H
#define FQ_SHARDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/store.h"

struct shard_doc {
	int64_t thread_id;
	const char *source; /* short name, for data-id "SOURCE:ID" */
	int64_t ext;
	const char *title;
	const char *path;   /* relative to the site root: "q/beer/12/slug/" */
	int64_t source_id, answer; /* its published answer (posts.ext_id), */
	                           /* 0: none; its first sentence is shown */
	const int64_t *folded; /* threads folded into it ("also asked as"): */
	size_t nfolded;        /* their titles count as its title */
};

struct shard_topic {
	int64_t id;
	const char *label;
	size_t size;
};

struct shard_files {
	char **path;        /* relative to the site root */
	struct buf *data;
	size_t n;
};

/*
 * Builds every search file for the entries `docs` (any order) into out
 * (owned by the caller: shards_release).  A store without search data
 * (never indexed) gives a meta file with no shards.  Returns 0, or -1
 * after printing an error.
 */
int shards_build(struct store *st, const struct shard_doc *docs, size_t n,
    const struct shard_topic *topics, size_t ntopics,
    struct shard_files *out);
void shards_release(struct shard_files *out);

#endif
