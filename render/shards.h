/*
 * shards: the files of the static search (docs/search.md), built from
 * what the index stage stored (search_docs, search_forms).  Internal to
 * render/: site.c passes the entries and topics, and writes each file
 * as it comes through its manifest like every page (unchanged bytes are
 * kept).
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

/*
 * Where the search files go: emit(arg, path, data) once per file, as
 * soon as it is complete, path relative to the site root.  Neither
 * string is the callee's to keep (the buffers are reused for the next
 * file); a nonzero return stops the build.  One file in memory at a
 * time: held all together they were the render's peak (about 1 GB at
 * a million questions, on top of the site's model).
 */
struct shard_sink {
	int (*emit)(void *arg, const char *path, const struct buf *data);
	void *arg;
	/* shards.c's own: the file being built, and the hash of the files
	 * before it (meta.json's tag) */
	struct buf path, cur;
	int open, failed;
	uint64_t tag;
};

/*
 * Builds every search file for the entries `docs` (any order) and hands
 * each to out->emit (meta.json last).  A store without search data
 * (never indexed) gives a meta file with no shards.  Returns 0, or -1
 * after printing an error or when emit refused a file.
 */
int shards_build(struct store *st, const struct shard_doc *docs, size_t n,
    const struct shard_topic *topics, size_t ntopics,
    struct shard_sink *out);

#endif
