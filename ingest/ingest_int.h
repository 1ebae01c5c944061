/*
 * ingest_int.h: the one internal header of ingest/, one section per
 * file (in the order data flows: input, sanitize and markdown, the
 * pipe, the sink, the readers).  Only files of ingest/, its unit tests
 * and its fuzz targets include it; everything else uses ingest.h.
 * Functions keep the prefix of the file that defines them (input_,
 * sanitize_, markdown_, pipe_, sink_, jin_ for jsonin.c, se_, and the
 * reader's name), so a name says where it lives.
 */
#ifndef FQ_INGEST_INT_H
#define FQ_INGEST_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/date.h"
#include "ingest.h"

struct store;
struct sink;
struct member;
struct pipe;

/* ---- input.c: the members of a source (folders, archives, lone files) --- */

/*
 * input: the members of a source, whether it is a folder, an archive
 * read as a stream through libarchive (never extracted), or one file.
 * Members are visited in the order the container holds them; callers
 * must not depend on that order.
 */

struct member {
	const char *name;    /* base name inside the container */
	const char *display; /* for messages: "dump.7z:Posts.xml" */
	/* Reads up to n bytes; returns bytes read, 0 at end, -1 on error
	 * (then input_error() says why). */
	ssize_t (*read)(struct member *m, char *p, size_t n);
	void *impl;
	size_t consumed;     /* bytes read so far */
};

/* Called for each member; return 0 to go on, -1 to stop (the callback
 * has printed the error), 1 to stop early without error (input_each
 * then returns 1). */
typedef int (*member_fn)(void *ctx, struct member *m);

/* Visits the members of `path` whose base name `want(name)` accepts.
 * For a single file the one member is the file itself.  Returns 0, or
 * -1 after printing one error line. */
int input_each(const char *path, int (*want)(const char *name),
    member_fn fn, void *ctx);
/* The last read error of a member, or NULL. */
const char *input_error(struct member *m);
/* `want` filters for the JSON readers: a name ending in .json, or in
 * .jsonl or .ndjson (any case; the extension alone is no name). */
int input_is_json(const char *name);
int input_is_jsonl(const char *name);

/* ---- sanitize.c: untrusted HTML to safe HTML and text ------------------- */

/*
 * sanitize: untrusted forum HTML in, safe canonical HTML and plain text
 * out.  The only way post bodies and comments reach the store.
 *
 * Input is parsed with libxml2's HTML parser (never fetching anything,
 * no encoding switches from <meta>) and re-serialized from its SAX events
 * through an allow-list:
 *
 *   block   p h1-h6 pre blockquote hr ul ol li dl dt dd
 *           table thead tbody tr th td
 *   inline  em strong b i s del ins sup sub code kbd br a img
 *   attrs   a: href title (plus rel="nofollow ugc noopener")
 *           img: src alt title     th td: colspan rowspan (1..1000)
 *
 * Any other element is dropped.  Its text is kept, except for elements
 * whose content is code or UI rather than prose (script style template
 * iframe object embed noembed noframes noscript svg math xmp plaintext
 * textarea select button head title audio video canvas ...), whose
 * content is dropped with them.  An <a> without a usable href and an
 * <img> without a usable src are dropped (the link text is kept).
 *
 * The output is canonical, so sanitizing it again gives the same bytes:
 * inline content at the top level is wrapped in <p>, top-level blocks
 * are each followed by one newline, whitespace elsewhere is kept as is
 * (pre/code content byte for byte; a CR from a character reference is
 * written as LF), elements are only emitted where the
 * parser would put them back (li only in ul/ol, td only in tr, no block
 * inside p or inline elements, no a inside a); a dropped block element
 * inside inline content becomes <br>.  Attributes come in a fixed order,
 * every value is quoted and escaped (core/escape.h), output is valid
 * UTF-8.
 *
 * Plain text (for the full-text index): entities decoded, no markup,
 * block boundaries become one newline, table cells one space, other
 * whitespace runs one space (inside pre, line breaks are kept).  Alt
 * text and URLs are not included.
 *
 * Limits: parsing stops at libxml2's default nesting limit (256 open
 * elements).  Input the parser gives up on (too deep, or over INT_MAX
 * bytes) is not silently cut: the whole input is shown as escaped text
 * in one <pre>, and the function returns SANITIZE_FALLBACK so the caller
 * can count it.  Output nesting is capped at 128 (deeper elements are
 * dropped, their text kept), so the output itself always parses.  Time
 * and memory are linear in the input.
 *
 * All functions append to `html` and `text`; either may be NULL.  They
 * never fail (out of memory aborts, see core/xmalloc.h) and allocate
 * nothing the caller must free besides what the bufs own.
 */

enum {
	SANITIZE_OK = 0,
	SANITIZE_FALLBACK = 1 /* rendered as escaped source, see above */
};

/* Untrusted HTML (any bytes: invalid UTF-8 becomes U+FFFD, NUL becomes
 * U+FFFD, other C0 controls are removed, CR LF becomes LF).  Returns
 * SANITIZE_OK or SANITIZE_FALLBACK. */
int sanitize_html(const char *in, size_t n, struct buf *html,
    struct buf *text);

/* Stack Exchange comment: plain text with [text](url) links and bare
 * http(s) URLs.  The HTML is one <p> of escaped text with safe links
 * (nothing for a blank comment), already canonical for sanitize_html.
 * A link whose URL is refused keeps only its text. */
void sanitize_comment(const char *in, size_t n, struct buf *html,
    struct buf *text);

/*
 * URL policy, for attributes whose value is already entity-decoded: the
 * one policy of core/url.h (url_clean: normalized as a browser would,
 * then checked).  Links may be http(s), mailto or relative (including
 * protocol-relative "//host/x"); images must be absolute http(s).
 */
/* Returns 1 if url may be used (for_img: as an image source). */
int sanitize_url_ok(const char *url, size_t n, int for_img);
/* As sanitize_url_ok; on success also appends the normalized URL to out
 * (it still needs esc_attr).  Appends nothing and returns 0 otherwise. */
int sanitize_url(struct buf *out, const char *url, size_t n, int for_img);

/* ---- markdown.c: CommonMark to safe HTML -------------------------------- */

/*
 * markdown: CommonMark (cmark) to safe HTML.
 *
 * cmark runs with CMARK_OPT_UNSAFE so that the raw inline HTML people
 * write in Markdown (<kbd>, <sup>, <br>) survives; everything cmark
 * produces then goes through sanitize_html, which is the one safety
 * boundary (so <script> and javascript: links are removed there, exactly
 * as in HTML bodies).  Invalid UTF-8 becomes U+FFFD.
 */

/* Appends safe HTML and plain text like sanitize_html (either may be
 * NULL) and returns what sanitize_html returned. */
int markdown_to_safe_html(const char *in, size_t n, struct buf *html,
    struct buf *text);

/* ---- postlink.c: links between posts of one site ------------------------ */

/*
 * Which <a href> of a sanitized body names a question or an answer of
 * the source's own site, so that ingest stores the link resolved
 * (post_links, docs/sources.md) and the render maps it to an entry
 * without parsing URLs.
 *
 *   Stack Exchange  /questions/ID[/slug[/AID]], /q/ID, /a/AID (then a
 *                   '/', '?', '#' or the end), relative or on the site's
 *                   host (the source's name); on another
 *                   *.stackexchange.com host (a site's former name) the
 *                   link has own 0 and stands only where the source's
 *                   own links join the two threads
 *   Discourse       /t/slug/ID[/N] or /t/ID[/N], relative or on the
 *                   forum's host when the source is named after it
 *   other formats   none
 *
 * An href is taken as the sanitizer wrote it (attribute-escaped), the
 * bytes the render finds in the stored body.
 */
enum { POSTLINK_NONE, POSTLINK_SE, POSTLINK_DISCOURSE };
enum { POSTLINK_QUESTION = 1, POSTLINK_ANSWER = 2 };

struct postlink_site {
	int kind;       /* POSTLINK_NONE: no link is ever local */
	char host[256]; /* "": none known (relative links only) */
};

struct postlink {
	int what;       /* POSTLINK_QUESTION: id is a thread's ext_id;
			 * POSTLINK_ANSWER: id is a post's ext_id */
	int own;        /* 1: the site's host or none; 0: another SE host */
	int64_t id;
	int64_t answer; /* the AID of /questions/ID/slug/AID, else 0 */
};

/* The site of a source of kind `kind` ("stackexchange", ...) named
 * `name`. */
void postlink_site_init(struct postlink_site *s, const char *kind,
    const char *name);
/* 1 with *l set if the href (n bytes) names a post of site s, else 0. */
int postlink_parse(const struct postlink_site *s, const char *href,
    size_t n, struct postlink *l);
/* Calls fn with the href of every <a> of sanitized HTML, in order. */
void postlink_scan(const char *html, size_t n,
    void (*fn)(void *ctx, const char *href, size_t hn), void *ctx);

/* ---- pipe.c: the threaded writer --------------------------------------- */

/*
 * pipe: ingest on up to 8 cores.  The reading thread parses and sanitizes
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

/* jobs: threads, the caller's included (ingest_opts.jobs): below 2 the
 * caller also writes; 2 a writer thread; more also sanitize bodies
 * ahead of the writer.  The store gets the same rows whatever jobs is. */
struct pipe *pipe_open(struct store *st, int jobs);
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
/* After the op has run, stages each link of its sanitized body that
 * names a post of the site given to pipe_link_site (the postlink
 * section): a post's as a row of post_hrefs (kept with the post, see
 * keep.c), a comment's as a row of temp.sink_hrefs (sink.c); `owner` is
 * the post's or the comment's id.  After pipe_body. */
void pipe_links(struct pipe *p, int comment, int64_t owner);
/* The site whose links pipe_links stages (not copied: it outlives the
 * pipe), and its source id in the store; NULL or never called: none. */
void pipe_link_site(struct pipe *p, const struct postlink_site *site,
    int64_t source);
/* Binds fq_hash64(sanitized body of this op, seed): the content hash. */
void pipe_body_hash(struct pipe *p, uint64_t seed);
/* Finishes the op; returns 0, or -1 if the pipe has failed. */
int pipe_end(struct pipe *p, const struct pipe_where *w);
/* Waits until every queued op has run; 0, or -1 if any failed. */
int pipe_sync(struct pipe *p);
/* Ops left out because their body could not be sanitized (complete
 * after pipe_sync). */
int64_t pipe_unsanitizable(struct pipe *p);

/* ---- xmlrows.c: a dump file's rows, parsed on several threads ------------ */

#define XR_MAX_ATTRS 24 /* at most 32: present has a bit each */

/* One row: attribute a (by its index in the names given to xr_open) is
 * data + off[a], len[a] bytes, NUL-terminated, when bit a of present
 * is set; line: its line in the file. */
struct xr_row {
	size_t off[XR_MAX_ATTRS], len[XR_MAX_ATTRS];
	unsigned present;
	long line;
};

/* Why the rows stopped: libxml2's first error in the file, at line:col,
 * or (input) a read error of the member (input_error says why). */
struct xr_error {
	long line;
	int col;
	int input;
	char msg[512];
};

struct xr;
struct _xmlError;

/* libxml2's error e (NULL, or below an error: 0) as one line into msg:
 * its message, newlines turned to spaces, trailing blanks cut.  1 if
 * it was an error. */
int xr_message(const struct _xmlError *e, char *msg, size_t size);

/* Reads the head of m into head (owned by the caller).  If threads >= 1
 * and the file is plainly shaped (see xmlrows.c) with root element
 * <root>, returns a reader that parses the rest on `threads` threads
 * besides the caller's (which cuts the pieces and takes the rows);
 * otherwise NULL, and the caller parses head and the rest of m itself.
 * names: the attribute names to collect, NULL-terminated, at most
 * XR_MAX_ATTRS (not copied). */
struct xr *xr_open(struct member *m, const char *root,
    const char *const *names, int threads, struct buf *head);
/* The next row in file order: 1 with *row and its *data (both valid
 * until the next call), 0 at the end of the file, -1 on an error
 * (xr_error). */
int xr_next(struct xr *x, const struct xr_row **row, const char **data);
const struct xr_error *xr_error(const struct xr *x);
/* The pieces cut so far. */
uint64_t xr_pieces(const struct xr *x);
/* Stops the threads and frees x (NULL: nothing). */
void xr_close(struct xr *x);

/* ---- keep.c: posts the previous snapshot stored --------------------------- */

/*
 * The source's stored posts by id, each with the hash of what its
 * reader gave (post_src): a post given again with the same hash keeps
 * its stored row (sink_post).  Owned by the sink; keep_free releases.
 */
struct keep {
	uint64_t seed;     /* of every post_src hash: KEEP_REVISION and the
			    * versions of libxml2 and cmark (keep.c) */
	int64_t *id;
	uint64_t *src;
	unsigned char *state;
	size_t cap, n;
};

enum keep_verdict {
	KEEP_NEW,       /* not stored: insert it */
	KEEP_SAME,      /* stored with this hash: keep the row */
	KEEP_CHANGED,   /* stored with another hash: replace it */
	KEEP_REPEATED   /* given twice in this snapshot */
};

/* Loads the source's post_src; with none (a store from before
 * post_src) or `full`, deletes the source's posts, their hrefs and
 * hashes, so every post is written again.  0 or -1 (printed). */
int keep_load(struct keep *kp, struct store *st, int64_t source, int full);
/* Marks post id given with hash src and says what to do with it. */
enum keep_verdict keep_check(struct keep *kp, int64_t id, uint64_t src);
/* Queues the deletion of a stored post, its hrefs and its hash. */
int keep_queue_drop(struct pipe *p, int64_t source, int64_t id);
/* Deletes the stored posts this snapshot did not give (after the pipe
 * is synced). */
int keep_drop_unseen(struct keep *kp, struct store *st, int64_t source);
void keep_free(struct keep *kp);

/* ---- sink.c: the one writer behind every reader ------------------------- */

/*
 * The one writer behind every source format (Stack Exchange XML,
 * Discourse, GitHub Discussions, JSON Lines).  A reader turns each
 * thread of its format into sink_thread / sink_post / sink_comment /
 * sink_author / sink_tag / sink_link calls; the sink queues them on the
 * two-thread pipe (the pipe section: bodies are sanitized and rows
 * inserted on the second core), and sink_finish() resolves what is left
 * in SQL at the end of the source's transaction: threads are upserted
 * (their ids stay stable), a post given exactly as stored keeps its row
 * (keep.c; a changed one is replaced), the other rows of the source are
 * cleared by sink_open() and inserted again, threads this snapshot lacks are
 * removed, links are kept only when both ends are present, accepted
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

#define SINK_ID_LIMIT (INT64_C(1) << 52)
/* Tags kept per thread (positions 0 .. SINK_TAG_MAX - 1; a Stack
 * Exchange question has 5, a Discourse topic its category and a few):
 * every tag makes pages, so one thread of 100,000 tags wrote 2 GB. */
#define SINK_TAG_MAX 32

/* How a body is written: HTML, Markdown, or Stack Exchange comment text
 * (plain text with [text](url) links). */
enum sink_format { SINK_HTML, SINK_MARKDOWN, SINK_COMMENT };

struct sink_skip {
	char name[48];
	int64_t n;
};

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
	struct postlink_site site; /* whose links are local (postlink) */
	struct keep keep;    /* the previous snapshot's posts */
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
    const struct ingest_opts *opt, const char *kind, const char *origin,
    struct ingest_result *res);
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
/* Stages a close event of a thread (any reason) at `date`.  At the end
 * the latest of its close and reopen events decides whether it is
 * closed, the thread's own `closed` date counting as a close then; a
 * reopen wins a tie (threads.closed NULL).  Threads without events
 * keep the date sink_thread gave. */
int sink_close(struct sink *k, int64_t thread, const char *date);

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

/* ---- jsonin.c: reading JSON for the JSON readers ------------------------ */

/*
 * Reading JSON (jansson) for the JSON readers, with size caps and
 * one-line errors through the sink (the sink section).
 *
 * Limits: one JSON document (a Discourse topic file, a JSON Lines line)
 * is at most JIN_DOC_MAX bytes, and any one string field at most
 * JIN_FIELD_MAX bytes; both are bad input beyond that, never truncated.
 * jansson itself refuses invalid UTF-8, NUL in strings and nesting
 * deeper than 2048.
 *
 * The accessors take an object and a key and treat a missing key and
 * JSON null alike ("absent").  They return 0 (setting the output, or
 * leaving the default when absent and not required) or -1 after
 * printing "WHERE: CTX: 'key' is a number, expected a string" or the
 * like.  Returned strings and values are borrowed from the json_t and
 * live as long as it does.
 */

#define JIN_DOC_MAX ((size_t)64 << 20)
#define JIN_FIELD_MAX ((size_t)16 << 20)

/* Reads the whole member into out (reset first) and counts its bytes
 * into the source's result; fails if it is larger than cap bytes or
 * cannot be read. */
int jin_slurp(struct sink *k, struct member *m, size_t cap, struct buf *out);
/* Parses one document (an object or array).  Syntax errors print
 * "WHERE:LINE:COL: what" for a whole file (line 0), or "WHERE:COL: what"
 * when the caller's WHERE already ends with the line (`line` > 0, one
 * line of JSON Lines).  Returns a new reference (the caller
 * json_decref()s it) or NULL after printing the error. */
json_t *jin_load(struct sink *k, const char *data, size_t n, long line);

/* The JSON type of v in words, for messages ("a number", "null"). */
const char *jin_type(const json_t *v);

int jin_str(struct sink *k, json_t *o, const char *key, int required,
    const char **s, size_t *n);
/* Integers; a real is accepted and truncated (scores often are). */
int jin_int(struct sink *k, json_t *o, const char *key, int required,
    int64_t *v);
int jin_bool(struct sink *k, json_t *o, const char *key, int *v);
int jin_obj(struct sink *k, json_t *o, const char *key, int required,
    json_t **v);
int jin_arr(struct sink *k, json_t *o, const char *key, int required,
    json_t **v);
/* An id: an integer in [0, 2^52), a string of such digits (the same
 * id), or any other non-empty string (a synthetic id, sink_synth_id). */
int jin_id(struct sink *k, json_t *o, const char *key, int required,
    int64_t *id, int *present);
/* The ext_id of a post or comment node of thread `thread`: its "id"
 * (jin_id), else synthetic from the key "THREAD#POS" (its position,
 * stable for the same data), built in `key` (scratch).  hash_strings:
 * a string id of digits is keyed by position too, so that string ids
 * (GitHub's node ids) never meet real numbers. */
int jin_node_id(struct sink *k, json_t *o, int64_t thread, const char *pos,
    int hash_strings, struct buf *key, int64_t *id);

/* ---- stackexchange.c: the Stack Exchange reader ------------------------- */

/* Reads the dump at `path` as source `site` inside the caller's open
 * transaction.  Returns 0, or -1 after printing one error line. */
int se_ingest(struct store *st, const char *path, const char *site,
    const struct ingest_opts *opt, struct ingest_result *res);

/* ---- discourse.c, github.c, jsonl.c: the JSON readers ------------------- */

/*
 * The JSON source readers.  Each *_ingest reads the source at `path` as
 * source `name` inside the caller's open transaction and returns 0, or
 * -1 after printing one error line.  The *_document functions parse one
 * document of their format (one Discourse topic file, one GitHub export
 * file, one JSON Lines line) into an open sink; they are the fuzz
 * targets' entry points.  Formats, detection and ids are documented in
 * docs/sources.md.
 */

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
