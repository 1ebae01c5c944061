/*
 * pipe: ingest on two cores.  The reading thread parses and sanitizes
 * rows and describes each store write as an "op" (a cached statement
 * and its values); a writer thread executes the ops against the store,
 * which it alone touches while the pipe is open.  Ops travel in batches
 * through a small bounded queue, so memory stays flat however big the
 * dump.
 *
 *   struct pipe *p = pipe_open(st);
 *   pipe_op(p, SQL_X); pipe_int(p, 42); pipe_text(p, s, n); pipe_end(p, &where);
 *   ...
 *   if (pipe_sync(p) < 0) ...   // waits until every op ran; -1 if one failed
 *   pipe_close(p);              // joins the writer
 *
 * Errors: a failing op prints one error line (from the writer thread)
 * and poisons the pipe; every later pipe_end/pipe_sync returns -1
 * without printing, so the reader stops and the caller rolls back.
 * Values are copied into the batch at once; callers may reuse their
 * buffers.  All functions must be called from one (the reading) thread.
 */
#ifndef FQ_PIPE_H
#define FQ_PIPE_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct pipe;

/* Where an op came from, for the error line of a failed write:
 * "FILE[:LINE]: [CTX: ]WHAT id ID appears twice" on a constraint
 * failure, and for the warning "warning: ...: WHAT ID: body HTML nested
 * too deep to sanitize; skipped" when the sanitizer gives up.  The
 * strings are copied with the op. */
struct pipe_where {
	const char *file;
	long line;        /* 0: not known */
	const char *ctx;  /* NULL or "" for none */
	const char *what; /* a string literal; NULL: a constraint failure is a
			   * plain store error */
	int64_t id;
};

struct pipe *pipe_open(struct store *st);
/* Waits for the queue to drain, joins the writer, frees everything. */
void pipe_close(struct pipe *p);

void pipe_op(struct pipe *p, const char *sql);
void pipe_int(struct pipe *p, int64_t v);
void pipe_text(struct pipe *p, const char *s, size_t n); /* NULL → NULL */
void pipe_null(struct pipe *p);
/* An untrusted body, sanitized by the writer thread before it is bound
 * (sanitizing is ingest's heaviest step, so it runs on the second
 * core).  At most one per op.  If the sanitizer has to fall back (HTML
 * nested deeper than the parser allows), the op is not run: one warning
 * line names it (see pipe_where) and pipe_unsanitizable() counts it;
 * the pipe goes on. */
enum { PIPE_HTML, PIPE_MARKDOWN, PIPE_COMMENT };
void pipe_body(struct pipe *p, int kind, const char *s, size_t n);
/* Binds fq_hash64(sanitized body of this op, seed): the content hash. */
void pipe_body_hash(struct pipe *p, uint64_t seed);
/* Finishes the op; returns 0, or -1 if the pipe has failed. */
int pipe_end(struct pipe *p, const struct pipe_where *w);
/* Waits until every queued op has run; 0, or -1 if any failed. */
int pipe_sync(struct pipe *p);
/* Ops left out because their body could not be sanitized (complete
 * after pipe_sync). */
int64_t pipe_unsanitizable(struct pipe *p);

#endif
