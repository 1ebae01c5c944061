/*
 * Internal to ingest/: the one writer behind every source format (Stack
 * Exchange XML, Discourse, GitHub Discussions, JSON Lines).  A reader
 * turns each thread of its format into sink_thread / sink_post /
 * sink_comment / sink_author / sink_tag / sink_link calls; the sink
 * queues them on the two-thread pipe (pipe.h: bodies are sanitized and
 * rows inserted on the second core), and sink_finish() resolves what is
 * left in SQL at the end of the source's transaction: threads are
 * upserted (their ids stay stable), the other rows of the source are
 * cleared by sink_open() and inserted again, threads this snapshot lacks
 * are removed, links are kept only when both ends are present, accepted
 * answers are marked, votes are counted per post and day, per-thread
 * content hashes are recomputed.
 *
 * The question post of a thread is the post with kind 1 and that
 * thread_ext; its ext_id need not equal the thread's (Discourse numbers
 * topics and posts separately).
 *
 * Ids: a source's own integer ids in [0, 2^52) are kept as they are;
 * anything else (string node ids, or no id at all) becomes a synthetic
 * id in [2^52, 2^53) from sink_synth_id(), a hash of a key that only
 * depends on the data, so the same data gives the same ids on every
 * ingest and synthetic ids never meet real ones.
 *
 * Threads: between sink_open() and sink_finish() the store belongs to
 * the pipe's writer thread.  A reader that needs its own staging rows
 * queues them on k->pipe (pipe_op ...), or calls sink_sync() first and
 * then uses the store directly until its next queued write.
 *
 * Errors: every function returning int returns 0, or -1 after one line
 * "WHERE[:LINE]: CONTEXT: what" has been printed (by this thread, or by
 * the writer thread for a failed insert or sanitize, in which case the
 * next call returns -1).  The sink owns all of its memory; strings
 * passed in are copied, never kept.
 */
#ifndef FQ_SINK_H
#define FQ_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/date.h"

struct store;
struct ingest_result;

#define SINK_ID_LIMIT (INT64_C(1) << 52)

/* How a body is written: HTML, Markdown, or Stack Exchange comment text
 * (plain text with [text](url) links). */
enum sink_format { SINK_HTML, SINK_MARKDOWN, SINK_COMMENT };

struct sink_skip {
	char name[48];
	int64_t n;
};

struct pipe;

struct sink {
	struct store *st;
	struct pipe *pipe;
	struct ingest_result *res;
	int64_t source;
	const char *where;   /* the file (or archive:member) being read */
	long line;           /* its line, or 0 when not known */
	struct buf ctx;      /* what in it, e.g. "topic 12: post 3"; may be empty */
	int no_duplicate_links;
	char newest[DATE_LEN + 1];
	struct sink_skip skips[32];
	size_t nskips;
	struct buf tmp;
	struct buf url;      /* source_url()'s result */
};

struct sink_thread {
	int64_t id;
	const char *title; /* plain text, repaired to valid UTF-8 */
	size_t title_len;
	const char *created, *activity, *closed; /* ISO-8601, or NULL */
	int64_t score, views;
	int has_accepted;
	int64_t accepted;  /* ext_id of the accepted answer */
	/* When it was chosen (ISO-8601), where the source says so
	 * exactly (GitHub's chosenAt), or NULL; see sink_vote(). */
	const char *accepted_at;
	const char *url;   /* NUL-terminated, or NULL; unsafe ones dropped */
};

struct sink_post {
	int64_t id, thread;
	int kind;          /* 1 question, 2 answer */
	const char *created, *edited;
	int64_t score;
	int has_author;
	int64_t author;
	const char *author_name; /* NUL-terminated, or NULL */
	const char *license;     /* NUL-terminated, or NULL */
	const char *url;   /* the post's own page: NUL-terminated, or NULL;
			    * unsafe ones dropped */
	const char *body;
	size_t body_len;
	enum sink_format format;
};

struct sink_author {
	int64_t id;
	const char *name;      /* NUL-terminated; repaired to valid UTF-8 */
	int has_reputation;
	int64_t reputation;
	const char *role;      /* NULL, staff, moderator, admin or system */
	const char *created;   /* ISO-8601, or NULL */
	const char *url;       /* NUL-terminated, or NULL; unsafe ones dropped */
};

struct sink_comment {
	int64_t id, post;
	const char *created;
	int64_t score;
	int has_author;
	int64_t author;
	const char *author_name;
	const char *license;
	const char *body;
	size_t body_len;
	enum sink_format format;
};

/* Registers source `name` of `kind` (read from `origin`), clears its
 * rows but its threads, and starts the writer thread.  Fails if a source
 * of that name has another kind.  The caller's transaction must be
 * open. */
int sink_open(struct sink *k, struct store *st, const char *name,
    const char *kind, const char *origin, struct ingest_result *res);
/* Stops the writer and frees what the sink owns (after sink_finish or
 * on failure: then the caller rolls back). */
void sink_release(struct sink *k);
/* Waits until every queued write has run; 0, or -1 if one failed. */
int sink_sync(struct sink *k);

/* Prints "faqtory: WHERE[:LINE]: CTX: msg" and returns -1. */
int sink_fail(struct sink *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Counts n things skipped for `reason` (a short snake_case word). */
void sink_skip(struct sink *k, const char *reason, int64_t n);

/* A synthetic id in [2^52, 2^53) for the key's bytes. */
int64_t sink_synth_id(const void *key, size_t n);

/* A repeated thread id fails ("thread id N appears twice"). */
int sink_thread(struct sink *k, const struct sink_thread *t);
/* Fails on a repeated post id.  A body the sanitizer cannot take
 * leaves the post out (one warning line, counted as skipped
 * "unsanitizable_body"): an answer simply goes, a question takes its
 * thread with it (its answers then count as answer_without_question). */
int sink_post(struct sink *k, const struct sink_post *p);
int sink_comment(struct sink *k, const struct sink_comment *c);
/* The first registration of an author id wins. */
int sink_author(struct sink *k, const struct sink_author *a);
/* Tags the thread (duplicates ignored); invalid or empty tags are
 * skipped and counted. */
int sink_tag(struct sink *k, int64_t thread, int pos, const char *tag,
    size_t n);
/* Stages a link between two threads: kind "duplicate" (from is a
 * duplicate of to) or "related"; origin says where it was read.  Kept
 * only when both ends are present; dropped (and counted) when the sink
 * ignores duplicate links.  `date` (ISO-8601 or NULL) is when it was
 * made: a later sink_reopen() of `from` cancels a duplicate closure. */
int sink_link(struct sink *k, int64_t from, int64_t to, const char *kind,
    const char *origin, const char *date);
int sink_reopen(struct sink *k, int64_t thread, const char *date);

/*
 * Votes (Stack Exchange Votes.xml), kept as counts per post and day in
 * `votes(source_id, post_ext, day, up, down)`: one up or down vote, or
 * the acceptance of answer `post`, cast on `date` (ISO-8601; only its
 * day is kept, which is all Stack Exchange dumps give).  At
 * sink_finish(), votes on a post that is not there (deleted, a tag
 * wiki, left out) are counted as skipped "dangling_vote", and a
 * thread's `accepted_day` becomes the earliest acceptance day of its
 * accepted answer ("YYYY-MM-DD"), unless sink_thread gave an exact
 * `accepted_at` (kept as a full date, "YYYY-MM-DDTHH:MM:SS"); an
 * acceptance of an answer that is no longer the accepted one counts
 * nothing.  A vote without a valid date is counted as "bad_vote".
 * Votes are in no content hash: they change nothing a page shows.
 */
enum sink_vote { SINK_UP, SINK_DOWN, SINK_ACCEPT };
int sink_vote(struct sink *k, int64_t post, const char *date,
    enum sink_vote kind);

/* Staging tables readers fill in SQL, emptied by sink_open: for
 * threads that name a category by id whose names come separately
 * (Discourse), temp.sink_cat(thread, cat) and temp.sink_catname(id,
 * name); for tag descriptions (plain text, Stack Exchange's tag wiki
 * excerpts), temp.sink_tagdesc(name, text). */

/* Waits for the writer, resolves, hashes, fills res and the source's
 * row; `missing` lists optional files the source lacked (or NULL). */
int sink_finish(struct sink *k, const char *missing);

#endif
