/*
 * The rows of one dump file, parsed on several threads.
 *
 * A Stack Exchange dump file is one root element holding one <row/> per
 * line.  Parsing it is the single-threaded part of an ingest, so a
 * plainly shaped file is cut into pieces of about PIECE bytes, each
 * ending where a line starting with "<row" begins, and every piece is
 * parsed by libxml2 on its own as <root>piece</root> (the last one
 * carries the file's own end tag, or its lack) on the parser threads.
 * The caller takes the rows in file order, so what it does with them
 * does not depend on how many threads parsed.
 *
 * Why the rows are the whole file's: a cut falls before a line starting
 * with "<row".  Were that line inside a comment, a CDATA section, a
 * processing instruction or an attribute value, the piece before the cut
 * would end inside it and libxml2 would refuse that piece.  So every
 * piece before the first refused one ends at the root's top level, and
 * its rows are the file's.  From the first refused piece on, the rest of
 * the file (that piece, the ones after it, what is left to read) is
 * parsed as one, on the caller's thread, as a sequential parse would:
 * a valid file whose comment spans a cut gives its rows all the same,
 * and a malformed one is refused with libxml2's own message.  The rest
 * is parsed whole as well from a piece with an xml:id (unique in a
 * whole document: no piece alone can check it), after MAX_CARRY pieces'
 * worth read without a cut, and from a read error.  A file that is not
 * plainly shaped (a DOCTYPE, anything but UTF-8, a root element with
 * attributes or not at the start of a line, anything before it but an
 * XML declaration libxml2 takes and blanks) is not cut: xr_open says so
 * and the caller parses it whole.
 *
 * Lines: every piece after the first starts with the newline before
 * its first row, right after the wrapper's start tag, so libxml2's line
 * of a node or an error plus the piece's offset is its line in the
 * file.
 */
#include "ingest_int.h"

#include <libxml/xmlreader.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xmalloc.h"

#define PIECE (4u << 20)
#define HEAD_MAX 4096   /* the XML declaration and root start tag */
#define READ_SIZE (1u << 20)
#define MAX_CARRY 4     /* pieces' worth read without a cut: stop cutting */

enum { C_EMPTY, C_FILLED, C_PARSING, C_DONE };

struct chunk {
	int state;            /* under xr.mu */
	struct buf in;        /* "<root>" piece ["</root>"] */
	size_t pre, len;      /* the piece: in.data + pre, len bytes */
	long delta;           /* file line = libxml2 line + delta */
	struct buf data;      /* the rows' values, NUL-terminated */
	struct xr_row *rows;
	size_t nrows, caprows;
	/* libxml2's first error; or (set when the piece is cut) a piece
	 * not to parse but to start the rest of the file from. */
	int err;
	long eline;
	int ecol;
	char msg[512];
};

struct xr {
	struct member *m;
	const char *root;
	const char *const *names;
	int nthreads;
	pthread_t *tids;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int closing;
	struct chunk *chunks;  /* a ring of nchunks */
	int nchunks;
	uint64_t filled;       /* pieces handed out so far */
	uint64_t parsed;       /* next piece a parser takes */
	uint64_t taken;        /* the piece the caller reads */
	size_t row;            /* next row of the piece taken */
	struct buf carry;      /* read, not yet in a piece */
	long carry_line;       /* the file line carry starts on */
	int eof, failed;       /* input at its end; a read failed */
	int stop;              /* no more pieces (fill_carry) */
	int rest_failed;       /* the rest's parse reached the failed read */
	size_t piece;          /* PIECE, or FAQTORY_XML_PIECE (tests) */
	struct chunk *cur;     /* the piece being read, or NULL */
	struct xr_error error; /* the first error, once reached */
	/* After a refused piece: the rest parsed as one (see above). */
	xmlTextReaderPtr rest;
	uint64_t rest_piece;   /* the piece cont_read serves */
	size_t rest_off;       /* how much of it it has served */
	struct chunk rest_out; /* the row being returned, the error */
};

/* ---- The head: is this file plainly shaped? ---- */

static int
blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* The first occurrence of the n2 bytes w in p[0, n), or NULL (memmem
 * is not POSIX). */
static const char *
find(const char *p, size_t n, const char *w, size_t n2)
{
	const char *e = p + n;

	while (n2 <= (size_t)(e - p) && (p = memchr(p, w[0],
	    (size_t)(e - p) - n2 + 1)) != NULL) {
		if (memcmp(p, w, n2) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* The XML declaration "<?xml ... ?>" at p, of version 1.0 (a piece is
 * parsed without it: as 1.0) and saying no encoding or UTF-8: its
 * length, or 0. */
static size_t
plain_decl(const char *p, size_t n)
{
	const char *end, *enc;

	if (n < 5 || memcmp(p, "<?xml", 5) != 0 || n < 6 || !blank(p[5]))
		return 0;
	end = find(p, n, "?>", 2);
	if (end == NULL || (find(p, (size_t)(end - p), "version=\"1.0\"", 13)
	    == NULL && find(p, (size_t)(end - p), "version='1.0'", 13) == NULL))
		return 0;
	enc = find(p, (size_t)(end - p), "encoding", 8);
	if (enc) {
		enc += 8;
		while (enc < end && (blank(*enc) || *enc == '='))
			enc++;
		if (end - enc < 7 || (*enc != '"' && *enc != '\'') ||
		    strncasecmp(enc + 1, "utf-8", 5) != 0 || enc[6] != *enc)
			return 0;
	}
	return (size_t)(end + 2 - p);
}

/* Where the rows of a plainly shaped head begin (just past "<root>"),
 * or 0; *lines: the newlines before that. */
static size_t
plain_head(const char *p, size_t n, const char *root, long *lines)
{
	size_t i = 0, k, rl = strlen(root);

	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if (n - i >= 5 && memcmp(p + i, "<?xml", 5) == 0) {
		if ((k = plain_decl(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	while (i < n && blank(p[i]))
		i++;
	/* The root at the start of a line: the pieces' wrapper is, so their
	 * columns on that line are the file's. */
	if (n - i < rl + 2 || p[i] != '<' || memcmp(p + i + 1, root, rl) != 0 ||
	    p[i + 1 + rl] != '>' || (i > 0 && p[i - 1] != '\n'))
		return 0;
	i += rl + 2;
	*lines = 0;
	for (k = 0; k < i; k++)
		*lines += p[k] == '\n';
	return i;
}

/* Whether libxml2 takes the head (the declaration and the root's start
 * tag, n bytes) closed by the root's end tag: the pieces are parsed
 * without the declaration, so it is checked here, once. */
static int
head_parses(const char *p, size_t n, const char *root)
{
	struct buf b = BUF_INIT;
	xmlTextReaderPtr rd;
	int ret = -1;

	buf_put(&b, p, n);
	buf_printf(&b, "</%s>", root);
	rd = xmlReaderForMemory(b.data, (int)b.len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (rd != NULL) {
		while ((ret = xmlTextReaderRead(rd)) == 1)
			;
		xmlFreeTextReader(rd);
	}
	buf_release(&b);
	return ret == 0;
}

/* ---- Parsing a piece (on a parser thread) ---- */

int
xr_message(const struct _xmlError *e, char *msg, size_t size)
{
	size_t n;
	char *p;

	if (e == NULL || e->level < XML_ERR_ERROR)
		return 0;
	snprintf(msg, size, "%s", e->message ? e->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	/* libxml2 puts details on a second line; errors are one line. */
	for (p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return 1;
}

static void
on_error(void *arg, xmlErrorPtr e)
{
	struct chunk *c = arg;

	if (c->err || !xr_message(e, c->msg, sizeof c->msg))
		return;
	c->err = 1;
	c->eline = e->line;
	c->ecol = e->int2;
}

/* Collects the row the reader is on into c; -1 if it has an xml:id
 * (see parse_piece). */
static int
collect(struct xr *x, struct chunk *c, xmlTextReaderPtr rd)
{
	struct xr_row *r;
	xmlNodePtr node = xmlTextReaderCurrentNode(rd);
	int a, xml_id = 0;

	if (c->nrows == c->caprows) {
		c->caprows = c->caprows ? 2 * c->caprows : 1024;
		c->rows = xreallocarray(c->rows, c->caprows, sizeof *c->rows);
	}
	r = &c->rows[c->nrows++];
	r->present = 0;
	r->line = (node ? xmlGetLineNo(node) : 0) + c->delta;
	while (xmlTextReaderMoveToNextAttribute(rd) == 1) {
		const char *name = (const char *)xmlTextReaderConstLocalName(rd);
		const char *pf = (const char *)xmlTextReaderConstPrefix(rd);
		const char *v;

		if (pf && strcmp(pf, "xml") == 0 && strcmp(name, "id") == 0)
			xml_id = 1;
		for (a = 0; x->names[a]; a++)
			if (strcmp(name, x->names[a]) == 0)
				break;
		if (x->names[a] == NULL)
			continue;
		v = (const char *)xmlTextReaderConstValue(rd);
		if (v == NULL)
			continue;
		r->off[a] = c->data.len;
		r->len[a] = strlen(v);
		buf_put(&c->data, v, r->len[a]);
		buf_putc(&c->data, '\0');
		r->present |= 1u << a;
	}
	return xml_id ? -1 : 0;
}

/* Whether the reader's element has an xml:id attribute (the reader is
 * moved back to the element). */
static int
has_xml_id(xmlTextReaderPtr rd)
{
	int found = 0;

	if (!xmlTextReaderHasAttributes(rd))
		return 0;
	while (!found && xmlTextReaderMoveToNextAttribute(rd) == 1) {
		const char *pf = (const char *)xmlTextReaderConstPrefix(rd);

		found = pf && strcmp(pf, "xml") == 0 && strcmp((const char *)
		    xmlTextReaderConstLocalName(rd), "id") == 0;
	}
	xmlTextReaderMoveToElement(rd);
	return found;
}

static void
parse_piece(struct xr *x, struct chunk *c)
{
	xmlTextReaderPtr rd;
	int ret;

	buf_reset(&c->data);
	c->nrows = 0;
	if (c->err)
		return;
	if (c->in.len > INT_MAX) {
		c->err = 1;
		c->eline = 1;
		snprintf(c->msg, sizeof c->msg, "a row of more than 2 GB");
		return;
	}
	rd = xmlReaderForMemory(c->in.data, (int)c->in.len, x->m->display,
	    "UTF-8", XML_PARSE_NONET | XML_PARSE_COMPACT |
	    XML_PARSE_NOBLANKS | XML_PARSE_BIG_LINES);
	if (rd == NULL) {
		c->err = 1;
		snprintf(c->msg, sizeof c->msg, "cannot create XML reader");
		return;
	}
	xmlTextReaderSetStructuredErrorHandler(rd, on_error, c);
	while ((ret = xmlTextReaderRead(rd)) == 1 && !c->err) {
		if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT)
			continue;
		/* xml:id values are unique in a whole document: a piece that
		 * has one is left to the rest's parse, which checks them. */
		if (xmlTextReaderDepth(rd) != 1 ||
		    strcmp((const char *)xmlTextReaderConstLocalName(rd),
		    "row") != 0) {
			if (has_xml_id(rd))
				c->err = 1;
			continue;
		}
		if (collect(x, c, rd) < 0)
			c->err = 1;
	}
	if (ret != 0 && !c->err) {
		c->err = 1;
		snprintf(c->msg, sizeof c->msg, "unreadable XML");
	}
	if (c->err)
		c->eline += c->delta;
	xmlFreeTextReader(rd);
}

static void *
parser(void *arg)
{
	struct xr *x = arg;
	struct chunk *c;

	pthread_mutex_lock(&x->mu);
	for (;;) {
		while (!x->closing && x->parsed == x->filled)
			pthread_cond_wait(&x->cv, &x->mu);
		if (x->closing)
			break;
		c = &x->chunks[x->parsed++ % (uint64_t)x->nchunks];
		c->state = C_PARSING;
		pthread_mutex_unlock(&x->mu);
		parse_piece(x, c);
		pthread_mutex_lock(&x->mu);
		c->state = C_DONE;
		pthread_cond_broadcast(&x->cv);
	}
	pthread_mutex_unlock(&x->mu);
	return NULL;
}

/* ---- Cutting pieces (on the caller's thread) ---- */

/* Where to cut carry: before the last newline followed by blanks and
 * "<row", past `from`; 0 if none. */
static size_t
cut_point(const struct buf *b, size_t from)
{
	size_t i = b->len;

	while (i > from) {
		size_t j;

		while (i > from && b->data[i - 1] != '\n')
			i--;
		if (i == from)
			return 0;
		i--;   /* the newline */
		j = i + 1;
		while (j < b->len && (b->data[j] == ' ' || b->data[j] == '\t'))
			j++;
		if (b->len - j >= 5 && memcmp(b->data + j, "<row", 4) == 0 &&
		    (blank(b->data[j + 4]) || b->data[j + 4] == '/' ||
		    b->data[j + 4] == '>') && i > 0)
			return i;
	}
	return 0;
}

static long
count_lines(const char *p, size_t n)
{
	long k = 0;
	const char *e = p + n;

	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* Reads until carry holds a cut or the input ends.  Returns the cut (0
 * at the end: all of carry is the last piece).  Sets x->failed on a read
 * error (x->stop: what was read is parsed whole, and the error comes
 * where that parse reaches it), and x->stop when MAX_CARRY pieces' worth
 * came without a cut (rows not one a line: the rest is parsed whole, so
 * memory stays bounded). */
static size_t
fill_carry(struct xr *x)
{
	size_t cut, scanned = 0;

	for (;;) {
		size_t want = x->piece < READ_SIZE ? x->piece : READ_SIZE;
		ssize_t r;

		if (x->carry.len >= x->piece &&
		    (cut = cut_point(&x->carry, scanned)) > 0)
			return cut;
		if (x->carry.len >= MAX_CARRY * x->piece) {
			x->stop = 1;
			return 0;
		}
		if (x->carry.len >= x->piece)
			scanned = x->carry.len > 64 ? x->carry.len - 64 : 0;
		buf_grow(&x->carry, want);
		r = x->m->read(x->m, x->carry.data + x->carry.len, want);
		if (r < 0) {
			x->failed = x->stop = 1;
			return 0;
		}
		if (r == 0) {
			x->eof = 1;
			return 0;
		}
		x->carry.len += (size_t)r;
	}
}

/* Fills chunk c with the next piece (the caller holds no lock: c is
 * empty, so no parser looks at it). */
static void
next_piece(struct xr *x, struct chunk *c)
{
	size_t cut = fill_carry(x), n = cut ? cut : x->carry.len;

	buf_reset(&c->in);
	c->pre = c->len = 0;
	c->err = 0;
	c->msg[0] = '\0';
	if (x->stop) {
		/* Not parsed: the rest of the file starts here. */
		c->err = 1;
		c->delta = x->carry_line - 1;
		buf_printf(&c->in, "<%s>", x->root);
		c->pre = c->len = c->in.len;
		c->len = 0;
		return;
	}
	buf_printf(&c->in, "<%s>", x->root);
	c->pre = c->in.len;
	c->len = n;
	buf_put(&c->in, x->carry.data, n);
	/* The piece's first line is the wrapper's: libxml2's line 1. */
	c->delta = x->carry_line - 1;
	x->carry_line += count_lines(x->carry.data, n);
	if (cut)
		buf_printf(&c->in, "</%s>", x->root);
	memmove(x->carry.data, x->carry.data + n, x->carry.len - n);
	x->carry.len -= n;
}

/* Hands out pieces until the ring is full or the input is done. */
static void
feed(struct xr *x)
{
	while (!x->eof && !x->stop &&
	    x->filled - x->taken < (uint64_t)x->nchunks) {
		struct chunk *c = &x->chunks[x->filled % (uint64_t)x->nchunks];

		next_piece(x, c);
		pthread_mutex_lock(&x->mu);
		x->filled++;
		c->state = C_FILLED;
		pthread_cond_broadcast(&x->cv);
		pthread_mutex_unlock(&x->mu);
	}
}

/* ---- The rest of the file after a refused piece ---- */

/* libxml2's input: "<root>", the pieces from the refused one on, then
 * what was read but not cut, then the rest of the member. */
static int
cont_read(void *arg, char *p, int n)
{
	struct xr *x = arg;
	ssize_t r;

	while (x->rest_piece < x->filled) {
		struct chunk *c = &x->chunks[x->rest_piece %
		    (uint64_t)x->nchunks];
		size_t from = x->rest_piece == x->taken ? 0 : c->pre;
		size_t end = c->pre + c->len, k;

		if (x->rest_off < from)
			x->rest_off = from;
		if (x->rest_off == end) {
			x->rest_piece++;
			x->rest_off = 0;
			continue;
		}
		k = end - x->rest_off;
		if (k > (size_t)n)
			k = (size_t)n;
		memcpy(p, c->in.data + x->rest_off, k);
		x->rest_off += k;
		return (int)k;
	}
	if (x->carry.len > 0) {
		size_t k = x->carry.len < (size_t)n ? x->carry.len : (size_t)n;

		memcpy(p, x->carry.data, k);
		memmove(x->carry.data, x->carry.data + k, x->carry.len - k);
		x->carry.len -= k;
		return (int)k;
	}
	if (x->eof)
		return 0;
	/* The read that failed while cutting is where this parse fails. */
	r = x->failed ? -1 : x->m->read(x->m, p, (size_t)n);
	if (r < 0)
		x->failed = x->rest_failed = 1;
	return r < 0 ? -1 : (int)r;
}

static int
cont_close(void *arg)
{
	(void)arg;
	return 0;
}

static void
stop_parsers(struct xr *x)
{
	int i;

	pthread_mutex_lock(&x->mu);
	x->closing = 1;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
	for (i = 0; i < x->nthreads; i++)
		pthread_join(x->tids[i], NULL);
	x->nthreads = 0;
}

/* Parses the rest of the file from piece x->taken, which libxml2
 * refused on its own. */
static void
start_rest(struct xr *x)
{
	struct chunk *c = &x->chunks[x->taken % (uint64_t)x->nchunks];

	stop_parsers(x);
	x->rest_out.delta = c->delta;
	x->rest_piece = x->taken;
	x->rest_off = 0;
	x->rest = xmlReaderForIO(cont_read, cont_close, x, x->m->display,
	    "UTF-8", XML_PARSE_NONET | XML_PARSE_COMPACT |
	    XML_PARSE_NOBLANKS | XML_PARSE_BIG_LINES);
	if (x->rest == NULL)
		xdie("cannot create XML reader");
	xmlTextReaderSetStructuredErrorHandler(x->rest, on_error, &x->rest_out);
	x->cur = NULL;
}

static int
rest_next(struct xr *x, const struct xr_row **row, const char **data)
{
	struct chunk *o = &x->rest_out;
	int ret;

	buf_reset(&o->data);
	o->nrows = 0;
	while ((ret = xmlTextReaderRead(x->rest)) == 1) {
		if (xmlTextReaderNodeType(x->rest) != XML_READER_TYPE_ELEMENT ||
		    xmlTextReaderDepth(x->rest) != 1 ||
		    strcmp((const char *)xmlTextReaderConstLocalName(x->rest),
		    "row") != 0)
			continue;
		(void)collect(x, o, x->rest); /* the whole parse checks xml:id */
		*row = &o->rows[0];
		*data = o->data.data;
		return 1;
	}
	if (ret == 0 && !o->err && !x->rest_failed)
		return 0;
	/* As a parse of the whole file says it: a read error first. */
	x->error.input = x->rest_failed;
	x->error.line = o->err ? o->eline + o->delta : 0;
	x->error.col = o->ecol;
	snprintf(x->error.msg, sizeof x->error.msg, "%s",
	    o->err ? o->msg : "unreadable XML");
	return -1;
}

/* ---- The interface ---- */

struct xr *
xr_open(struct member *m, const char *root, const char *const *names,
    int threads, struct buf *head)
{
	struct xr *x;
	size_t body;
	long lines = 0;
	const char *env;
	int i;

	buf_reset(head);
	while (head->len < HEAD_MAX) {
		ssize_t r;

		buf_grow(head, HEAD_MAX);
		r = m->read(m, head->data + head->len, HEAD_MAX - head->len);
		if (r <= 0)
			break;
		head->len += (size_t)r;
	}
	if (threads < 1 ||
	    (body = plain_head(head->data, head->len, root, &lines)) == 0 ||
	    !head_parses(head->data, body, root))
		return NULL;
	x = xcalloc(1, sizeof *x);
	x->m = m;
	/* Tests cut small files into many pieces. */
	x->piece = PIECE;
	if ((env = getenv("FAQTORY_XML_PIECE")) != NULL && atol(env) > 0)
		x->piece = (size_t)atol(env);
	x->root = root;
	x->names = names;
	x->nthreads = threads;
	x->nchunks = 2 * threads + 2;
	x->chunks = xcalloc((size_t)x->nchunks, sizeof *x->chunks);
	for (i = 0; i < x->nchunks; i++) {
		buf_init(&x->chunks[i].in);
		buf_init(&x->chunks[i].data);
	}
	buf_init(&x->carry);
	buf_init(&x->rest_out.data);
	buf_put(&x->carry, head->data + body, head->len - body);
	x->carry_line = lines + 1;
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cv, NULL);
	x->tids = xcalloc((size_t)threads, sizeof *x->tids);
	for (i = 0; i < threads; i++)
		if (pthread_create(&x->tids[i], NULL, parser, x) != 0)
			xdie("cannot start a parser thread");
	return x;
}

int
xr_next(struct xr *x, const struct xr_row **row, const char **data)
{
	for (;;) {
		struct chunk *c;

		if (x->rest)
			return rest_next(x, row, data);
		if (x->cur && x->row < x->cur->nrows) {
			*row = &x->cur->rows[x->row++];
			*data = x->cur->data.data;
			return 1;
		}
		if (x->cur) {
			pthread_mutex_lock(&x->mu);
			x->cur->state = C_EMPTY;
			pthread_mutex_unlock(&x->mu);
			x->cur = NULL;
			x->taken++;
			x->row = 0;
		}
		feed(x);
		if (x->taken == x->filled)
			return 0;
		c = &x->chunks[x->taken % (uint64_t)x->nchunks];
		pthread_mutex_lock(&x->mu);
		while (c->state != C_DONE)
			pthread_cond_wait(&x->cv, &x->mu);
		pthread_mutex_unlock(&x->mu);
		x->cur = c;
		/* Refused on its own: none of its rows is taken from it. */
		if (c->err)
			start_rest(x);
	}
}

uint64_t
xr_pieces(const struct xr *x)
{
	return x->filled;
}

const struct xr_error *
xr_error(const struct xr *x)
{
	return &x->error;
}

void
xr_close(struct xr *x)
{
	int i;

	if (x == NULL)
		return;
	stop_parsers(x);
	if (x->rest)
		xmlFreeTextReader(x->rest);
	buf_release(&x->rest_out.data);
	free(x->rest_out.rows);
	for (i = 0; i < x->nchunks; i++) {
		buf_release(&x->chunks[i].in);
		buf_release(&x->chunks[i].data);
		free(x->chunks[i].rows);
	}
	free(x->chunks);
	free(x->tids);
	buf_release(&x->carry);
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->cv);
	free(x);
}
