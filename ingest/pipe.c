#include "ingest_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "core/xmalloc.h"

#define MAX_VALS 16
#define MAX_HELPERS 6             /* sanitizing threads: past a few, the
				   * writer (SQLite) is the bottleneck */
#define NBATCH (4 + MAX_HELPERS)  /* in flight: bounds memory */
#define BATCH_OPS 1024
#define BATCH_BYTES (1u << 20)

enum { V_NULL, V_INT, V_TEXT, V_BODY, V_BODY_HASH };

struct val {
	int type;
	int64_t i;       /* V_INT; V_BODY: PIPE_HTML/COMMENT; V_BODY_HASH: seed */
	size_t off, len; /* V_TEXT, V_BODY: bytes in the batch's text */
};

struct op {
	const char *sql;
	/* pipe_where, its strings kept in the batch's text (offsets; the
	 * text may move as it grows) */
	long line;
	const char *what;
	int64_t id;
	size_t file_off, ctx_off;
	int has_where;
	int body;          /* index of the body in v, or -1 */
	int links;         /* pipe_links: 0 none, 1 a post's, 2 a comment's */
	int64_t owner;     /* pipe_links: the post's or comment's id */
	int nv;
	struct val v[MAX_VALS];
};

struct batch {
	struct op *ops;
	size_t nops;
	struct buf text;
};

/* A queued batch's bodies: not yet sanitized, being sanitized by a
 * helper, sanitized (the writer then only binds and steps). */
enum { B_RAW, B_CLAIMED, B_READY };

struct pipe {
	struct store *st;
	int threaded;  /* a writer thread (jobs >= 2); else flush writes */
	int nbatch;    /* batches in use: 4 + nhelpers */
	int nhelpers;
	pthread_t writer, helpers[MAX_HELPERS];
	int state[NBATCH]; /* B_*, of a queued batch, under mu */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch batches[NBATCH];
	/* queue of full batches, in order, as indexes into batches[] */
	int queue[NBATCH];
	int qhead, qlen;
	int free_list[NBATCH];
	int nfree;
	int busy;      /* the writer is running a batch */
	int closing;
	int failed;    /* set by the writer, read under mu */
	int64_t unsanitizable; /* rows left out; the writer's until synced */
	struct buf html;   /* the writer's sanitized body */
	struct buf rhtml;  /* the reader's, when it helps (see flush) */
	struct batch *cur; /* being filled by the reader */
	struct op *op;     /* the op being built, in cur */
	const struct postlink_site *site; /* pipe_link_site; the caller's */
	int64_t source;                   /* pipe_link_site */
};

/* Prints "FILE[:LINE]: [CTX: ]WHAT ID<msg>" for a failed op, as an
 * error or (warn) as a warning. */
static void
op_error(struct batch *b, struct op *op, const char *idword,
    const char *msg, int warn)
{
	const char *file = op->has_where ? b->text.data + op->file_off : "";
	const char *ctx = op->has_where ? b->text.data + op->ctx_off : "";
	char line[32] = "";

	if (op->line > 0)
		snprintf(line, sizeof line, ":%ld", op->line);
	(warn ? fq_warn : fq_err)("%s%s: %s%s%s %s%lld%s", file, line, ctx,
	    *ctx ? ": " : "", op->what ? op->what : "row", idword,
	    (long long)op->id, msg);
}

/* Sanitizes the op's body (if any) into the batch: the V_BODY value
 * becomes V_TEXT and V_BODY_HASH becomes V_INT.  Run by whichever thread
 * owns the batch; `html` is that thread's scratch buffer.  Returns -1,
 * saying nothing and leaving the op as it was, if the sanitizer gives
 * up: the writer reports it (run_op), in order and only if no earlier
 * op failed. */
static int
prepare_op(struct batch *b, struct op *op, struct buf *html)
{
	int i, done = 0;
	uint64_t h = 0;

	for (i = 0; i < op->nv; i++) {
		struct val *v = &op->v[i];

		if (v->type != V_BODY)
			continue;
		buf_reset(html);
		if (v->i == PIPE_COMMENT) {
			sanitize_comment(b->text.data + v->off, v->len, html,
			    NULL);
		} else if ((v->i == PIPE_MARKDOWN ?
		    markdown_to_safe_html(b->text.data + v->off, v->len, html,
			NULL) :
		    sanitize_html(b->text.data + v->off, v->len, html, NULL)) ==
		    SANITIZE_FALLBACK)
			return -1;
		v->type = V_TEXT;
		v->off = b->text.len;
		v->len = html->len;
		buf_put(&b->text, html->data, html->len);
		h = 0;
		done = 1;
	}
	for (i = 0; i < op->nv && done; i++) {
		struct val *v = &op->v[i];

		if (v->type != V_BODY_HASH)
			continue;
		h = fq_hash64(html->data, html->len, (uint64_t)v->i);
		v->type = V_INT;
		v->i = (int64_t)h;
	}
	return 0;
}

/* A comment's links are staged for this ingest (comments are read
 * again every time); a post's are kept with the post (keep.c). */
static const char SQL_STAGE_HREF[] =
    "INSERT INTO temp.sink_hrefs(comment, owner, href, what, id, answer,"
    " own) VALUES(?1,?2,?3,?4,?5,?6,?7)";
static const char SQL_POST_HREF[] =
    "INSERT INTO post_hrefs(source_id, post_ext, href, what, id, answer,"
    " own) VALUES(?1,?2,?3,?4,?5,?6,?7)";

struct hrefs {
	struct pipe *p;
	const struct op *op;
	int rc;
};

static void
stage_href(void *arg, const char *href, size_t n)
{
	struct hrefs *h = arg;
	struct postlink l;
	sqlite3_stmt *s;

	if (h->rc < 0 || !postlink_parse(h->p->site, href, n, &l))
		return;
	if (h->op->links == 2) {
		s = store_stmt(h->p->st, SQL_STAGE_HREF);
		sqlite3_bind_int(s, 1, 1);
	} else {
		s = store_stmt(h->p->st, SQL_POST_HREF);
		sqlite3_bind_int64(s, 1, h->p->source);
	}
	sqlite3_bind_int64(s, 2, h->op->owner);
	sqlite3_bind_text64(s, 3, href, n, SQLITE_STATIC, SQLITE_UTF8);
	sqlite3_bind_int(s, 4, l.what);
	sqlite3_bind_int64(s, 5, l.id);
	if (l.answer)
		sqlite3_bind_int64(s, 6, l.answer);
	sqlite3_bind_int(s, 7, l.own);
	h->rc = store_done(h->p->st, s);
	sqlite3_clear_bindings(s);
}

/* The links of a run op's sanitized body that name a post of the site
 * (pipe_links), staged for sink_finish.  0 or -1 (error printed). */
static int
stage_links(struct pipe *p, struct batch *b, const struct op *op)
{
	struct hrefs h = { p, op, 0 };
	const struct val *v;

	if (!op->links || op->body < 0 || p->site == NULL ||
	    p->site->kind == POSTLINK_NONE)
		return 0;
	v = &op->v[op->body];
	postlink_scan(b->text.data + v->off, v->len, stage_href, &h);
	return h.rc;
}

static int
run_op(struct pipe *p, struct batch *b, struct op *op)
{
	sqlite3_stmt *s;
	int i, rc;

	/* One hostile post must not stop its whole source: the row is left
	 * out, named and counted (sink_finish drops what depended on it). */
	if (prepare_op(b, op, &p->html) < 0) {
		op_error(b, op, "", ": body HTML nested too deep to sanitize; "
		    "skipped", 1);
		p->unsanitizable++;
		return 0;
	}
	s = store_stmt(p->st, op->sql);
	for (i = 0; i < op->nv; i++) {
		struct val *v = &op->v[i];

		switch (v->type) {
		case V_INT:
			sqlite3_bind_int64(s, i + 1, v->i);
			break;
		case V_TEXT:
			sqlite3_bind_text64(s, i + 1, b->text.data + v->off,
			    v->len, SQLITE_STATIC, SQLITE_UTF8);
			break;
		default:
			sqlite3_bind_null(s, i + 1);
			break;
		}
	}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	/* Text was bound SQLITE_STATIC: unbind before the batch is reused. */
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return stage_links(p, b, op);
	if ((rc & 0xff) == SQLITE_CONSTRAINT && op->what)
		op_error(b, op, "id ", " appears twice", 0);
	else
		store_fail(p->st);
	return -1;
}

/* Runs the ops of batch b (unless an earlier op failed) and empties it.
 * Returns whether an op failed. */
static int
write_batch(struct pipe *p, struct batch *b, int failed)
{
	size_t i;

	for (i = 0; i < b->nops && !failed; i++)
		if (run_op(p, b, &b->ops[i]) < 0)
			failed = 1;
	b->nops = 0;
	buf_reset(&b->text);
	return failed;
}

static void *
writer(void *arg)
{
	struct pipe *p = arg;
	int idx, failed;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->qlen == 0 && !p->closing)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->qlen == 0)
			break;
		idx = p->queue[p->qhead];
		p->qhead = (p->qhead + 1) % p->nbatch;
		p->qlen--;
		p->busy = 1;
		while (p->state[idx] == B_CLAIMED) /* a helper finishes it */
			pthread_cond_wait(&p->cv, &p->mu);
		failed = p->failed;
		pthread_mutex_unlock(&p->mu);

		failed = write_batch(p, &p->batches[idx], failed);

		pthread_mutex_lock(&p->mu);
		p->failed |= failed;
		p->busy = 0;
		p->free_list[p->nfree++] = idx;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The first queued batch no helper has taken, or -1 (under mu). */
static int
raw_batch(const struct pipe *p)
{
	int k;

	for (k = 0; k < p->qlen; k++) {
		int idx = p->queue[(p->qhead + k) % p->nbatch];

		if (p->state[idx] == B_RAW)
			return idx;
	}
	return -1;
}

/* A helper: sanitizes the bodies of queued batches ahead of the writer.
 * prepare_op is the writer's own step (a sanitized op is left as it is
 * there), so the store gets the same rows whoever ran it; a body the
 * sanitizer gives up on is left for the writer to name, in order. */
static void *
helper(void *arg)
{
	struct pipe *p = arg;
	struct buf html = BUF_INIT;
	size_t i;
	int idx, failed;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while ((idx = raw_batch(p)) < 0 && !p->closing)
			pthread_cond_wait(&p->cv, &p->mu);
		if (idx < 0)
			break;
		p->state[idx] = B_CLAIMED;
		failed = p->failed;
		pthread_mutex_unlock(&p->mu);
		for (i = 0; !failed && i < p->batches[idx].nops; i++)
			(void)prepare_op(&p->batches[idx],
			    &p->batches[idx].ops[i], &html);
		pthread_mutex_lock(&p->mu);
		p->state[idx] = B_READY;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	buf_release(&html);
	return NULL;
}

/* Starts the writer and jobs - 2 helpers (at most MAX_HELPERS); jobs
 * below 2: no thread, flush writes each batch itself. */
static void
pipe_start(struct pipe *p, int jobs)
{
	int i;

	p->nbatch = 4;
	if (jobs < 2)
		return;
	if (pthread_create(&p->writer, NULL, writer, p) != 0)
		xdie("cannot start the writer thread");
	p->threaded = 1;
	for (i = 0; i < jobs - 2 && i < MAX_HELPERS; i++) {
		if (pthread_create(&p->helpers[i], NULL, helper, p) != 0)
			break; /* fewer helpers: the same rows, slower */
		p->nhelpers++;
	}
	p->nbatch = 4 + p->nhelpers;
}

struct pipe *
pipe_open(struct store *st, int jobs)
{
	struct pipe *p = xcalloc(1, sizeof *p);
	int i;

	p->st = st;
	buf_init(&p->html);
	buf_init(&p->rhtml);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (i = 0; i < NBATCH; i++) {
		p->batches[i].ops = xcalloc(BATCH_OPS, sizeof(struct op));
		buf_init(&p->batches[i].text);
	}
	pipe_start(p, jobs);
	/* batches[0] is the reader's; the rest are free. */
	pthread_mutex_lock(&p->mu);
	for (i = 1; i < p->nbatch; i++)
		p->free_list[p->nfree++] = i;
	pthread_mutex_unlock(&p->mu);
	p->cur = &p->batches[0];
	return p;
}

/* Hands the current batch to the writer and takes a free one.  When the
 * writer is behind (no free batch), the reader sanitizes the batch's
 * bodies itself instead of waiting idle: the two threads balance the
 * heaviest step between them, whatever the mix of rows. */
static int
flush(struct pipe *p)
{
	size_t i;
	int failed, behind;

	if (!p->threaded) {
		p->failed = write_batch(p, p->cur, p->failed);
		return p->failed ? -1 : 0;
	}
	pthread_mutex_lock(&p->mu);
	behind = p->nfree == 0;
	failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	/* A body the sanitizer gives up on is left as it is for the writer,
	 * which names it in input order (and tries it again: only hostile
	 * input pays twice). */
	for (i = 0; behind && !failed && i < p->cur->nops; i++)
		(void)prepare_op(p->cur, &p->cur->ops[i], &p->rhtml);

	pthread_mutex_lock(&p->mu);
	if (p->cur->nops) {
		p->queue[(p->qhead + p->qlen) % p->nbatch] =
		    (int)(p->cur - p->batches);
		p->state[p->cur - p->batches] = B_RAW;
		p->qlen++;
		pthread_cond_broadcast(&p->cv);
		while (p->nfree == 0)
			pthread_cond_wait(&p->cv, &p->mu);
		p->cur = &p->batches[p->free_list[--p->nfree]];
	}
	failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	return failed ? -1 : 0;
}

int
pipe_sync(struct pipe *p)
{
	int failed;

	if (flush(p) < 0)
		return -1;
	pthread_mutex_lock(&p->mu);
	while (p->qlen || p->busy)
		pthread_cond_wait(&p->cv, &p->mu);
	failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	return failed ? -1 : 0;
}

int64_t
pipe_unsanitizable(struct pipe *p)
{
	int64_t n;

	pthread_mutex_lock(&p->mu);
	n = p->unsanitizable;
	pthread_mutex_unlock(&p->mu);
	return n;
}

void
pipe_close(struct pipe *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->closing = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (p->threaded)
		pthread_join(p->writer, NULL);
	for (i = 0; i < p->nhelpers; i++)
		pthread_join(p->helpers[i], NULL);
	for (i = 0; i < NBATCH; i++) {
		free(p->batches[i].ops);
		buf_release(&p->batches[i].text);
	}
	buf_release(&p->html);
	buf_release(&p->rhtml);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

void
pipe_op(struct pipe *p, const char *sql)
{
	p->op = &p->cur->ops[p->cur->nops];
	p->op->sql = sql;
	p->op->nv = 0;
	p->op->body = -1;
	p->op->links = 0;
}

static struct val *
next_val(struct pipe *p)
{
	if (p->op->nv == MAX_VALS)
		xdie("too many values in one statement");
	return &p->op->v[p->op->nv++];
}

void
pipe_int(struct pipe *p, int64_t v)
{
	struct val *x = next_val(p);

	x->type = V_INT;
	x->i = v;
}

void
pipe_text(struct pipe *p, const char *s, size_t n)
{
	struct val *x = next_val(p);

	if (s == NULL) {
		x->type = V_NULL;
		return;
	}
	x->type = V_TEXT;
	x->off = p->cur->text.len;
	x->len = n;
	buf_put(&p->cur->text, s, n);
}

void
pipe_body(struct pipe *p, int kind, const char *s, size_t n)
{
	pipe_text(p, s, n);
	p->op->v[p->op->nv - 1].type = V_BODY;
	p->op->v[p->op->nv - 1].i = kind;
	p->op->body = p->op->nv - 1;
}

void
pipe_links(struct pipe *p, int comment, int64_t owner)
{
	p->op->links = comment ? 2 : 1;
	p->op->owner = owner;
}

void
pipe_link_site(struct pipe *p, const struct postlink_site *site,
    int64_t source)
{
	p->site = site;
	p->source = source;
}

void
pipe_body_hash(struct pipe *p, uint64_t seed)
{
	struct val *x = next_val(p);

	x->type = V_BODY_HASH;
	x->i = (int64_t)seed;
}

void
pipe_null(struct pipe *p)
{
	next_val(p)->type = V_NULL;
}

int
pipe_end(struct pipe *p, const struct pipe_where *w)
{
	struct op *op = p->op;
	struct buf *t = &p->cur->text;

	op->has_where = w != NULL;
	op->what = w ? w->what : NULL;
	op->line = w ? w->line : 0;
	op->id = w ? w->id : 0;
	if (w) {
		op->file_off = t->len;
		buf_puts(t, w->file ? w->file : "");
		buf_putc(t, '\0');
		op->ctx_off = t->len;
		buf_puts(t, w->ctx ? w->ctx : "");
		buf_putc(t, '\0');
	}
	p->cur->nops++;
	if (p->cur->nops == BATCH_OPS || p->cur->text.len >= BATCH_BYTES)
		return flush(p);
	return 0;
}
