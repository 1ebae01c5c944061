/*
 * The posts of a source's previous snapshot that can stay as stored.
 *
 * A nightly dump gives every post again, and nearly all of them exactly
 * as the night before.  post_src holds, per stored post, a hash of what
 * the reader gave for it (every field and the raw body: sink.c,
 * post_src_hash); a post given again with the same hash is kept as it
 * is, neither sanitized nor written again, so the ingest writes what
 * changed.  Posts the snapshot no longer has are deleted when the
 * source is finished (keep_drop_unseen).
 *
 * The table: open addressing by post id, linear probing, kept at most
 * half full.  Each slot is empty, stored (not given yet) or given.
 */
#include "ingest_int.h"

#include <cmark.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "core/xmalloc.h"

/* Bump when ingest/sanitize.c, markdown.c, postlink.c or core/url.c
 * would store a post given exactly as before differently: every post is
 * then written again once.  The lint (scripts/lint.py, keep-revision)
 * fails when their sources change and the digest below does not: on any
 * change there, bump the revision and record the digest it prints.
 * The runtime versions of libxml2 and cmark, which sanitizing rests on,
 * are part of the seed as well.
 * sanitizer digest: e8360b12dbaa4227 */
#define KEEP_REVISION 2

enum { SLOT_EMPTY, SLOT_STORED, SLOT_GIVEN };

static uint64_t
keep_revision(void)
{
	uint64_t h = fq_hash64("keep", 4, KEEP_REVISION);

	h = fq_hash64(xmlParserVersion, strlen(xmlParserVersion), h);
	return fq_hash64(cmark_version_string(),
	    strlen(cmark_version_string()), h);
}

static size_t
slot_of(const struct keep *kp, int64_t id)
{
	uint64_t h = (uint64_t)id * UINT64_C(0x9e3779b97f4a7c15);

	return (size_t)(h >> 17) & (kp->cap - 1);
}

static size_t
find(const struct keep *kp, int64_t id)
{
	size_t i = slot_of(kp, id);

	while (kp->state[i] != SLOT_EMPTY && kp->id[i] != id)
		i = (i + 1) & (kp->cap - 1);
	return i;
}

static void
grow(struct keep *kp)
{
	struct keep old = *kp;
	size_t i, j;

	kp->cap = old.cap ? old.cap * 2 : 1024;
	kp->id = xmalloc(kp->cap * sizeof *kp->id);
	kp->src = xmalloc(kp->cap * sizeof *kp->src);
	kp->state = xcalloc(kp->cap, 1);
	for (i = 0; i < old.cap; i++) {
		if (old.state[i] == SLOT_EMPTY)
			continue;
		j = find(kp, old.id[i]);
		kp->id[j] = old.id[i];
		kp->src[j] = old.src[i];
		kp->state[j] = old.state[i];
	}
	free(old.id);
	free(old.src);
	free(old.state);
}

static size_t
add(struct keep *kp, int64_t id, uint64_t src, int state)
{
	size_t i;

	if ((kp->n + 1) * 2 > kp->cap)
		grow(kp);
	i = find(kp, id);
	kp->id[i] = id;
	kp->src[i] = src;
	kp->state[i] = (unsigned char)state;
	kp->n++;
	return i;
}

static const char SQL_LOAD[] =
    "SELECT ext_id, src FROM post_src WHERE source_id=?1";
/* A store written before post_src, a post_src emptied by hand, or
 * --full: the posts are not known to be what the reader gives, so they
 * go, as every snapshot's did before. */
static const char SQL_CLEAR_POSTS[] =
    "DELETE FROM posts WHERE source_id=?1";
static const char SQL_CLEAR_HREFS[] =
    "DELETE FROM post_hrefs WHERE source_id=?1";
static const char SQL_CLEAR_SRC[] =
    "DELETE FROM post_src WHERE source_id=?1";

int
keep_load(struct keep *kp, struct store *st, int64_t source, int full)
{
	static const char *const clear[] = { SQL_CLEAR_POSTS, SQL_CLEAR_HREFS,
		SQL_CLEAR_SRC };
	sqlite3_stmt *s = store_stmt(st, SQL_LOAD);
	int rc = SQLITE_DONE;
	size_t i;

	memset(kp, 0, sizeof *kp);
	kp->seed = keep_revision();
	sqlite3_bind_int64(s, 1, source);
	while (!full && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		add(kp, id, (uint64_t)sqlite3_column_int64(s, 1), SLOT_STORED);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st);
	if (kp->n > 0)
		return 0;
	/* Nothing to keep: the source's posts are all written again. */
	for (i = 0; i < sizeof clear / sizeof clear[0]; i++) {
		s = store_stmt(st, clear[i]);
		sqlite3_bind_int64(s, 1, source);
		if (store_done(st, s) < 0)
			return -1;
	}
	return 0;
}

enum keep_verdict
keep_check(struct keep *kp, int64_t id, uint64_t src)
{
	size_t i;

	if (kp->cap == 0)
		grow(kp);
	i = find(kp, id);
	if (kp->state[i] == SLOT_EMPTY) {
		add(kp, id, src, SLOT_GIVEN);
		return KEEP_NEW;
	}
	if (kp->state[i] == SLOT_GIVEN)
		return KEEP_REPEATED;
	kp->state[i] = SLOT_GIVEN;
	return kp->src[i] == src ? KEEP_SAME : KEEP_CHANGED;
}

static const char *const SQL_DROP[] = {
	"DELETE FROM posts WHERE source_id=?1 AND ext_id=?2",
	"DELETE FROM post_hrefs WHERE source_id=?1 AND post_ext=?2",
	"DELETE FROM post_src WHERE source_id=?1 AND ext_id=?2",
};

static int
keep_drop(struct store *st, int64_t source, int64_t id)
{
	size_t i;

	for (i = 0; i < sizeof SQL_DROP / sizeof SQL_DROP[0]; i++) {
		sqlite3_stmt *s = store_stmt(st, SQL_DROP[i]);

		sqlite3_bind_int64(s, 1, source);
		sqlite3_bind_int64(s, 2, id);
		if (store_done(st, s) < 0)
			return -1;
	}
	return 0;
}

int
keep_queue_drop(struct pipe *p, int64_t source, int64_t id)
{
	size_t i;

	for (i = 0; i < sizeof SQL_DROP / sizeof SQL_DROP[0]; i++) {
		pipe_op(p, SQL_DROP[i]);
		pipe_int(p, source);
		pipe_int(p, id);
		if (pipe_end(p, NULL) < 0)
			return -1;
	}
	return 0;
}

int
keep_drop_unseen(struct keep *kp, struct store *st, int64_t source)
{
	size_t i;

	for (i = 0; i < kp->cap; i++)
		if (kp->state[i] == SLOT_STORED &&
		    keep_drop(st, source, kp->id[i]) < 0)
			return -1;
	return 0;
}

void
keep_free(struct keep *kp)
{
	free(kp->id);
	free(kp->src);
	free(kp->state);
	memset(kp, 0, sizeof *kp);
}
