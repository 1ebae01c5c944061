#include "ingest_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "core/escape.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

/*
 * Contexts: what the nearest emitted ancestor allows inside it.  The
 * parser's own nesting rules decide where it puts an element when our
 * output is parsed again, so we only emit an element in a context where
 * it would come back in the same place; elsewhere it is dropped and its
 * content flows into the surrounding context.
 */
enum ctx {
	C_TOP,    /* outside any emitted element: blocks, inline gets <p> */
	C_FLOW,   /* blockquote li dd td th: blocks and inline */
	C_INLINE, /* p h1-h6 pre dt and inline elements: inline only */
	C_LIST,   /* ul ol: li */
	C_DL,     /* dl: dt dd */
	C_TABLE,  /* table: thead tbody tr */
	C_TSECT,  /* thead tbody: tr */
	C_TR      /* tr: th td */
};

enum kind {
	K_INLINE,  /* allowed inline element */
	K_BLOCK,   /* allowed block element */
	K_VOID,    /* allowed inline without content: br img */
	K_HR,      /* allowed block without content */
	K_TBLOCK,  /* dropped, content kept, counts as a block boundary */
	K_DROP     /* dropped with its content */
};

struct elem {
	const char *name;
	unsigned char kind;
	unsigned char model; /* context for the children once emitted */
	unsigned char where; /* bit set of contexts it may be emitted in */
};

#define IN(c) (1u << (c))
#define W_BLOCK (IN(C_TOP) | IN(C_FLOW))
#define W_INLINE (W_BLOCK | IN(C_INLINE) | IN(C_LIST) | IN(C_DL) | \
    IN(C_TABLE) | IN(C_TSECT) | IN(C_TR))

/* Sorted by name for bsearch; unknown names are dropped inline elements
 * whose text is kept (span, font, u, abbr ...). */
static const struct elem elems[] = {
	{ "a", K_INLINE, C_INLINE, W_INLINE },
	{ "address", K_TBLOCK, 0, 0 },
	{ "applet", K_DROP, 0, 0 },
	{ "article", K_TBLOCK, 0, 0 },
	{ "aside", K_TBLOCK, 0, 0 },
	{ "audio", K_DROP, 0, 0 },
	{ "b", K_INLINE, C_INLINE, W_INLINE },
	{ "base", K_DROP, 0, 0 },
	{ "basefont", K_DROP, 0, 0 },
	{ "bgsound", K_DROP, 0, 0 },
	{ "blockquote", K_BLOCK, C_FLOW, W_BLOCK },
	{ "body", K_TBLOCK, 0, 0 },
	{ "br", K_VOID, 0, W_INLINE },
	{ "button", K_DROP, 0, 0 },
	{ "canvas", K_DROP, 0, 0 },
	{ "caption", K_TBLOCK, 0, 0 },
	{ "center", K_TBLOCK, 0, 0 },
	{ "code", K_INLINE, C_INLINE, W_INLINE },
	{ "col", K_DROP, 0, 0 },
	{ "colgroup", K_DROP, 0, 0 },
	{ "datalist", K_DROP, 0, 0 },
	{ "dd", K_BLOCK, C_FLOW, IN(C_DL) },
	{ "del", K_INLINE, C_INLINE, W_INLINE },
	{ "details", K_TBLOCK, 0, 0 },
	{ "dialog", K_TBLOCK, 0, 0 },
	{ "dir", K_TBLOCK, 0, 0 },
	{ "div", K_TBLOCK, 0, 0 },
	{ "dl", K_BLOCK, C_DL, W_BLOCK },
	{ "dt", K_BLOCK, C_INLINE, IN(C_DL) },
	{ "em", K_INLINE, C_INLINE, W_INLINE },
	{ "embed", K_DROP, 0, 0 },
	{ "fieldset", K_TBLOCK, 0, 0 },
	{ "figcaption", K_TBLOCK, 0, 0 },
	{ "figure", K_TBLOCK, 0, 0 },
	{ "footer", K_TBLOCK, 0, 0 },
	{ "form", K_TBLOCK, 0, 0 },
	{ "frame", K_DROP, 0, 0 },
	{ "frameset", K_DROP, 0, 0 },
	{ "h1", K_BLOCK, C_INLINE, W_BLOCK },
	{ "h2", K_BLOCK, C_INLINE, W_BLOCK },
	{ "h3", K_BLOCK, C_INLINE, W_BLOCK },
	{ "h4", K_BLOCK, C_INLINE, W_BLOCK },
	{ "h5", K_BLOCK, C_INLINE, W_BLOCK },
	{ "h6", K_BLOCK, C_INLINE, W_BLOCK },
	{ "head", K_DROP, 0, 0 },
	{ "header", K_TBLOCK, 0, 0 },
	{ "hgroup", K_TBLOCK, 0, 0 },
	{ "hr", K_HR, 0, W_BLOCK },
	{ "html", K_TBLOCK, 0, 0 },
	{ "i", K_INLINE, C_INLINE, W_INLINE },
	{ "iframe", K_DROP, 0, 0 },
	{ "img", K_VOID, 0, W_INLINE },
	{ "input", K_DROP, 0, 0 },
	{ "ins", K_INLINE, C_INLINE, W_INLINE },
	{ "isindex", K_DROP, 0, 0 },
	{ "kbd", K_INLINE, C_INLINE, W_INLINE },
	{ "keygen", K_DROP, 0, 0 },
	{ "legend", K_TBLOCK, 0, 0 },
	{ "li", K_BLOCK, C_FLOW, IN(C_LIST) },
	{ "link", K_DROP, 0, 0 },
	{ "listing", K_TBLOCK, 0, 0 },
	{ "main", K_TBLOCK, 0, 0 },
	{ "map", K_DROP, 0, 0 },
	{ "math", K_DROP, 0, 0 },
	{ "menu", K_TBLOCK, 0, 0 },
	{ "meta", K_DROP, 0, 0 },
	{ "nav", K_TBLOCK, 0, 0 },
	{ "noembed", K_DROP, 0, 0 },
	{ "noframes", K_DROP, 0, 0 },
	{ "noscript", K_DROP, 0, 0 },
	{ "object", K_DROP, 0, 0 },
	{ "ol", K_BLOCK, C_LIST, W_BLOCK },
	{ "optgroup", K_DROP, 0, 0 },
	{ "option", K_DROP, 0, 0 },
	{ "p", K_BLOCK, C_INLINE, W_BLOCK },
	{ "param", K_DROP, 0, 0 },
	{ "plaintext", K_DROP, 0, 0 },
	{ "pre", K_BLOCK, C_INLINE, W_BLOCK },
	{ "s", K_INLINE, C_INLINE, W_INLINE },
	{ "script", K_DROP, 0, 0 },
	{ "section", K_TBLOCK, 0, 0 },
	{ "select", K_DROP, 0, 0 },
	{ "source", K_DROP, 0, 0 },
	{ "strong", K_INLINE, C_INLINE, W_INLINE },
	{ "style", K_DROP, 0, 0 },
	{ "sub", K_INLINE, C_INLINE, W_INLINE },
	{ "summary", K_TBLOCK, 0, 0 },
	{ "sup", K_INLINE, C_INLINE, W_INLINE },
	{ "svg", K_DROP, 0, 0 },
	{ "table", K_BLOCK, C_TABLE, W_BLOCK },
	{ "tbody", K_BLOCK, C_TSECT, IN(C_TABLE) },
	{ "td", K_BLOCK, C_FLOW, IN(C_TR) },
	{ "template", K_DROP, 0, 0 },
	{ "textarea", K_DROP, 0, 0 },
	{ "tfoot", K_TBLOCK, 0, 0 },
	{ "th", K_BLOCK, C_FLOW, IN(C_TR) },
	{ "thead", K_BLOCK, C_TSECT, IN(C_TABLE) },
	{ "title", K_DROP, 0, 0 },
	{ "tr", K_BLOCK, C_TR, IN(C_TABLE) | IN(C_TSECT) },
	{ "track", K_DROP, 0, 0 },
	{ "ul", K_BLOCK, C_LIST, W_BLOCK },
	{ "video", K_DROP, 0, 0 },
	{ "xmp", K_DROP, 0, 0 },
};

#define REL " rel=\"nofollow ugc noopener\""

/*
 * Parsing stops at libxml2's own default depth (xmlParserMaxDepth): past
 * it, the parser's end-tag search makes deep input quadratic, and a page
 * nobody can read anyway.  Such input falls back to escaped source.
 * Output nesting is capped lower, so that parsing the output again never
 * comes near the limit; elements past the cap are dropped, text kept.
 */
#define MAX_DEPTH 256
#define MAX_NEST 128

enum { T_NONE, T_SPACE, T_LINE };

struct frame {
	const struct elem *e; /* NULL for an unknown element */
	unsigned char ctx;    /* context of the children */
	unsigned char pctx;   /* context this element sits in */
	unsigned char emit;   /* its tags are written */
	unsigned char block;  /* a block boundary, written or not */
};

struct san {
	htmlParserCtxtPtr ctxt;
	struct buf *html;   /* never NULL here */
	struct buf *text;   /* may be NULL */
	struct frame *st;   /* open elements, innermost last */
	size_t nst, cap;
	size_t skip;        /* >0: inside a K_DROP element */
	size_t pre, a;      /* open pre elements, emitted a elements */
	size_t nest;        /* open emitted elements */
	int run;            /* a <p> opened for top-level inline content */
	size_t trim;        /* >0: run's trailing whitespace starts here */
	int inl;            /* inline content written since the last block */
	int brk;            /* a dropped block wants <br> before more inline */
	int tpend;          /* T_* separator owed to the text output */
	int tstarted;       /* text output has content */
	int stopped;        /* on_start stopped the parser: too deep */
};

static int
elem_cmp(const void *key, const void *e)
{
	return strcmp(key, ((const struct elem *)e)->name);
}

static const struct elem *
elem_find(const char *name)
{
	return bsearch(name, elems, sizeof(elems) / sizeof(elems[0]),
	    sizeof(elems[0]), elem_cmp);
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
all_space(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_space((unsigned char)p[i]))
			return 0;
	return 1;
}

/* ---- plain text ---- */

static void
t_break(struct san *s, int kind)
{
	if (s->tpend < kind)
		s->tpend = kind;
}

/* Appends text with whitespace runs collapsed; a run holding a line
 * break inside pre becomes a newline. */
static void
t_text(struct san *s, const char *p, size_t n)
{
	size_t i = 0, j;

	if (s->text == NULL)
		return;
	while (i < n) {
		if (is_space((unsigned char)p[i])) {
			t_break(s, s->pre && p[i] == '\n' ? T_LINE : T_SPACE);
			i++;
			continue;
		}
		for (j = i; j < n && !is_space((unsigned char)p[j]); j++)
			;
		if (s->tstarted && s->tpend != T_NONE)
			buf_putc(s->text, s->tpend == T_LINE ? '\n' : ' ');
		buf_put(s->text, p + i, j - i);
		s->tstarted = 1;
		s->tpend = T_NONE;
		i = j;
	}
}

/* ---- HTML output ---- */

/* Escaped text or attribute value.  A CR can only come from a character
 * reference here; it is written as LF, since the prefilter would turn a
 * raw CR into LF when the output is sanitized again. */
static void
put_esc(struct buf *b, const char *p, size_t n, int attr)
{
	const char *cr;

	while ((cr = memchr(p, '\r', n)) != NULL) {
		(attr ? esc_attr : esc_html)(b, p, (size_t)(cr - p));
		buf_putc(b, '\n');
		n -= (size_t)(cr - p) + 1;
		p = cr + 1;
	}
	(attr ? esc_attr : esc_html)(b, p, n);
}

static int
cur_ctx(const struct san *s)
{
	return s->nst ? s->st[s->nst - 1].ctx : C_TOP;
}

static void
close_run(struct san *s)
{
	if (s->run) {
		if (s->trim)
			buf_truncate(s->html, s->trim);
		buf_puts(s->html, "</p>\n");
	}
	s->run = s->inl = s->brk = 0;
	s->trim = 0;
}

/* Before inline content (not mere whitespace) in context ctx. */
static void
begin_inline(struct san *s, int ctx)
{
	if (ctx == C_TOP && !s->run) {
		buf_puts(s->html, "<p>");
		s->run = 1;
	}
	if (s->brk)
		buf_puts(s->html, "<br>");
	s->brk = 0;
	s->inl = 1;
	s->trim = 0;
}

/* Text (not all whitespace) in context ctx.  A top-level run does not
 * end in whitespace: it is cut again if nothing follows. */
static void
put_text(struct san *s, int ctx, const char *p, size_t n)
{
	size_t m = n;

	if (ctx == C_TOP && !s->run) {
		while (n > 0 && is_space((unsigned char)*p)) {
			p++;
			n--;
		}
		m = n;
	}
	begin_inline(s, ctx);
	if (ctx == C_TOP)
		while (m > 0 && is_space((unsigned char)p[m - 1]))
			m--;
	put_esc(s->html, p, m, 0);
	if (m < n) {
		s->trim = s->html->len;
		put_esc(s->html, p + m, n - m, 0);
	}
	t_text(s, p, n);
}

/* A block element that is not written still separates what is around
 * it: it ends a top-level paragraph, or becomes a <br> between inline
 * content elsewhere. */
static void
boundary(struct san *s, int ctx)
{
	if (ctx == C_TOP)
		close_run(s);
	else if (s->inl)
		s->brk = 1;
}

static const char *
attr_get(const xmlChar **atts, const char *name)
{
	size_t i;

	if (atts == NULL)
		return NULL;
	for (i = 0; atts[i] != NULL; i += 2)
		if (strcmp((const char *)atts[i], name) == 0)
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

static void
put_attr(struct buf *b, const char *name, const char *v)
{
	if (v == NULL)
		return;
	buf_printf(b, " %s=\"", name);
	put_esc(b, v, strlen(v), 1);
	buf_putc(b, '"');
}

/* colspan/rowspan: ASCII digits only, 1..1000, written canonically. */
static void
put_span(struct buf *b, const char *name, const char *v)
{
	long n = 0;
	size_t i;

	if (v == NULL || *v == '\0' || strlen(v) > 8)
		return;
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] < '0' || v[i] > '9')
			return;
		n = n * 10 + (v[i] - '0');
	}
	if (n >= 1 && n <= 1000)
		buf_printf(b, " %s=\"%ld\"", name, n);
}

/* Writes the start tag of an allowed element e with its attributes into
 * tag.  Returns 0 if the element must be dropped instead (a without a
 * usable href, img without a usable src). */
static int
start_tag(struct buf *tag, const struct elem *e, const xmlChar **atts)
{
	struct buf u = BUF_INIT;
	const char *v;
	int ok = 1, is_a = strcmp(e->name, "a") == 0;

	buf_printf(tag, "<%s", e->name);
	if (is_a || strcmp(e->name, "img") == 0) {
		v = attr_get(atts, is_a ? "href" : "src");
		ok = v != NULL && sanitize_url(&u, v, strlen(v), !is_a);
		if (!ok)
			goto out;
		buf_puts(tag, is_a ? " href=\"" : " src=\"");
		esc_attr(tag, u.data, u.len);
		buf_putc(tag, '"');
		if (!is_a)
			put_attr(tag, "alt", attr_get(atts, "alt"));
		put_attr(tag, "title", attr_get(atts, "title"));
		if (is_a)
			buf_puts(tag, REL);
	} else if (strcmp(e->name, "td") == 0 || strcmp(e->name, "th") == 0) {
		put_span(tag, "colspan", attr_get(atts, "colspan"));
		put_span(tag, "rowspan", attr_get(atts, "rowspan"));
	}
	buf_putc(tag, '>');
out:
	buf_release(&u);
	return ok;
}

static void
on_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct san *s = ctx;
	const char *name = (const char *)xname;
	const struct elem *e;
	struct frame *f;
	int pctx, kind;

	if (s->nst + s->skip >= MAX_DEPTH) {
		s->stopped = 1;
		xmlStopParser(s->ctxt);
		return;
	}
	if (s->skip) {
		s->skip++;
		return;
	}
	e = elem_find(name);
	kind = e ? e->kind : K_INLINE;
	if (kind == K_DROP) {
		s->skip = 1;
		return;
	}
	pctx = cur_ctx(s);
	if (s->nst == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->st = xreallocarray(s->st, s->cap, sizeof(*s->st));
	}
	f = &s->st[s->nst++];
	f->e = e;
	f->pctx = f->ctx = (unsigned char)pctx;
	f->emit = 0;
	f->block = kind == K_BLOCK || kind == K_HR || kind == K_TBLOCK;
	if (e && strcmp(e->name, "pre") == 0)
		s->pre++;
	if (e && (strcmp(e->name, "td") == 0 || strcmp(e->name, "th") == 0))
		t_break(s, T_SPACE);
	else if (f->block || (e && strcmp(e->name, "br") == 0))
		t_break(s, T_LINE);

	/* the <p> of a top-level run counts as one level */
	if (e && (e->where & IN(pctx)) && s->nest + 1 + (s->run ||
	    (pctx == C_TOP && !f->block)) <= MAX_NEST &&
	    !(strcmp(e->name, "a") == 0 && s->a)) {
		struct buf tag = BUF_INIT;

		if (start_tag(&tag, e, atts)) {
			if (f->block) {
				if (pctx == C_TOP)
					close_run(s);
				s->inl = s->brk = 0;
			} else {
				begin_inline(s, pctx);
			}
			buf_put(s->html, tag.data, tag.len);
			f->emit = 1;
			f->ctx = e->model;
			s->nest++;
			if (strcmp(e->name, "a") == 0)
				s->a++;
		}
		buf_release(&tag);
	}
	if (!f->emit && f->block)
		boundary(s, pctx);
}

static void
on_end(void *ctx, const xmlChar *name)
{
	struct san *s = ctx;
	struct frame *f;

	(void)name;
	if (s->skip) {
		s->skip--;
		return;
	}
	if (s->nst == 0)
		return;
	f = &s->st[--s->nst];
	if (f->e && strcmp(f->e->name, "pre") == 0)
		s->pre--;
	if (f->emit) {
		s->nest--;
		if (f->e->kind == K_INLINE || f->e->kind == K_BLOCK)
			buf_printf(s->html, "</%s>", f->e->name);
		if (strcmp(f->e->name, "a") == 0)
			s->a--;
		if (f->block) {
			s->inl = s->brk = 0;
			if (f->pctx == C_TOP)
				buf_putc(s->html, '\n');
		}
	} else if (f->block) {
		boundary(s, f->pctx);
	}
	if (f->block)
		t_break(s, T_LINE);
}

static void
on_text(void *ctx, const xmlChar *xs, int len)
{
	struct san *s = ctx;
	const char *p = (const char *)xs;
	size_t n = len > 0 ? (size_t)len : 0;
	int c;

	if (s->skip || n == 0)
		return;
	c = cur_ctx(s);
	if (!all_space(p, n)) {
		put_text(s, c, p, n);
		return;
	}
	if (c == C_TOP && s->run && !s->trim)
		s->trim = s->html->len;
	if (c != C_TOP || s->run)
		put_esc(s->html, p, n, 0);
	t_text(s, p, n);
}

static void
on_ignore(void *ctx, const xmlChar *s, int len)
{
	(void)ctx;
	(void)s;
	(void)len;
}

/*
 * Makes the input acceptable to the parser and the output valid: invalid
 * UTF-8 and NUL become U+FFFD, CR LF and CR become LF, form feed a space,
 * other C0 controls go, and so do U+FFFE/U+FFFF (not XML characters).
 */
static void
prefilter(struct buf *out, const char *in, size_t n)
{
	struct buf tmp = BUF_INIT;
	size_t i, start = 0;
	const char *p;

	utf8_repair(&tmp, in, n);
	p = tmp.data;
	buf_grow(out, tmp.len);
	for (i = 0; i < tmp.len; i++) {
		unsigned char c = (unsigned char)p[i];
		const char *rep;
		size_t skip = 1;

		if (c >= 0x20 && c != 0xef)
			continue;
		if (c == 0xef) {
			/* valid UTF-8 here, so 2 more bytes follow */
			if ((unsigned char)p[i + 1] != 0xbf ||
			    ((unsigned char)p[i + 2] & 0xfe) != 0xbe)
				continue;
			rep = "\xef\xbf\xbd";
			skip = 3;
		} else if (c == '\t' || c == '\n') {
			continue;
		} else if (c == '\r') {
			rep = p[i + 1] == '\n' ? "" : "\n";
		} else if (c == 0) {
			rep = "\xef\xbf\xbd";
		} else if (c == '\f') {
			rep = " ";
		} else {
			rep = "";
		}
		buf_put(out, p + start, i - start);
		buf_puts(out, rep);
		i += skip - 1;
		start = i + 1;
	}
	buf_put(out, p + start, tmp.len - start);
	buf_release(&tmp);
}

/* Shows the filtered input as escaped text when it could not be parsed
 * to the end.  This is the canonical form of such a <pre>, so the
 * result is still a fixed point. */
static void
fallback(struct san *s, const char *p, size_t n)
{
	s->pre = 1;
	s->tpend = T_NONE;
	s->tstarted = 0;
	if (all_space(p, n))
		return;
	buf_puts(s->html, "<pre>");
	esc_html(s->html, p, n);
	buf_puts(s->html, "</pre>\n");
	t_text(s, p, n);
}

int
sanitize_html(const char *in, size_t n, struct buf *html, struct buf *text)
{
	struct buf src = BUF_INIT, scratch = BUF_INIT;
	struct san s;
	htmlSAXHandler sax;
	htmlParserCtxtPtr ctxt = NULL;
	size_t hstart, tstart;
	int rc = SANITIZE_OK, halted = 1;

	memset(&s, 0, sizeof(s));
	s.html = html ? html : &scratch;
	s.text = text;
	hstart = s.html->len;
	tstart = text ? text->len : 0;
	prefilter(&src, in, n);
	if (src.len == 0)
		goto out;

	if (src.len <= INT_MAX)
		ctxt = htmlCreateMemoryParserCtxt(src.data, (int)src.len);
	if (ctxt != NULL) {
		memset(&sax, 0, sizeof(sax));
		sax.startElement = on_start;
		sax.endElement = on_end;
		sax.characters = on_text;
		sax.ignorableWhitespace = on_text;
		sax.cdataBlock = on_ignore; /* script and style bodies */
		/* The parser owns ctxt->sax: swap ours in for the parse
		 * only, as htmlSAXParseDoc does. */
		xmlFree(ctxt->sax);
		ctxt->sax = &sax;
		ctxt->userData = &s;
		s.ctxt = ctxt;
		xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
		htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR |
		    HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC);
		htmlParseDocument(ctxt);
		/* Halted: our stop (too deep) or libxml2's (disableSAX).
		 * Not instate at EOF: libxml2 leaves it there after some
		 * bodies it parsed to the end (an unclosed <pre> of 1,000
		 * lines), and reading that as halted dropped harmless posts. */
		halted = s.stopped || ctxt->disableSAX;
		ctxt->sax = NULL;
		ctxt->userData = NULL;
		htmlFreeParserCtxt(ctxt);
	}
	if (!halted) {
		/* the parser closed everything still open at the end */
		while (s.nst)
			on_end(&s, NULL);
		close_run(&s);
	} else {
		buf_truncate(s.html, hstart);
		if (text)
			buf_truncate(text, tstart);
		fallback(&s, src.data, src.len);
		rc = SANITIZE_FALLBACK;
	}
out:
	free(s.st);
	buf_release(&src);
	buf_release(&scratch);
	return rc;
}

/* ---- URLs ---- */

/* The policy is core/url.h's; ingest_int.h (sanitize) states it for bodies. */
int
sanitize_url(struct buf *out, const char *url, size_t n, int for_img)
{
	return url_clean(out, url, n, for_img ? URL_ABSOLUTE :
	    URL_RELATIVE | URL_MAILTO);
}

int
sanitize_url_ok(const char *url, size_t n, int for_img)
{
	return sanitize_url(NULL, url, n, for_img);
}

/* ---- comments ---- */

/* Writes link text and a link, or only the text if url is refused. */
static void
put_link(struct san *s, const char *t, size_t tn, const char *u, size_t un)
{
	struct buf url = BUF_INIT;

	begin_inline(s, C_TOP);
	if (sanitize_url(&url, u, un, 0)) {
		buf_puts(s->html, "<a href=\"");
		esc_attr(s->html, url.data, url.len);
		buf_puts(s->html, "\"" REL ">");
		esc_html(s->html, t, tn);
		buf_puts(s->html, "</a>");
	} else {
		esc_html(s->html, t, tn);
	}
	t_text(s, t, tn);
	buf_release(&url);
}

/* Length of a [text](url) link at p, or 0; sets text and url spans.
 * The url may hold balanced parentheses but no whitespace.  When the
 * url never closes, *skip is where its scan stopped: the caller tries
 * no '[' before it, so that no byte is scanned again by a later '['
 * ("[x](" a million times took minutes).  A [..](..) link that starts
 * inside such an unclosed url stays text; a bare URL there is still
 * linked. */
static size_t
md_link(const char *p, size_t n, size_t *te, size_t *us, size_t *ue,
    size_t *skip)
{
	size_t i, depth = 0;

	*skip = 0;
	for (i = 1; i < n && p[i] != ']'; i++)
		if (p[i] == '[' || p[i] == '\n')
			return 0;
	if (i == 1 || i + 1 >= n || p[i + 1] != '(')
		return 0;
	*te = i;
	*us = i + 2;
	for (i += 2; i < n; i++) {
		if (is_space((unsigned char)p[i]))
			break;
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && depth-- == 0)
			break;
	}
	if (i >= n || p[i] != ')') {
		*skip = i;
		return 0;
	}
	if (i == *us)
		return 0;
	*ue = i;
	return i + 1;
}

/* Length of a bare http(s) URL at p, or 0.  Trailing punctuation and an
 * unbalanced ')' are left out, as people write "(see http://x)." */
static size_t
bare_url(const char *p, size_t n)
{
	size_t i, j, open = 0, close = 0;

	if (!(n > 7 && strncasecmp(p, "http://", 7) == 0) &&
	    !(n > 8 && strncasecmp(p, "https://", 8) == 0))
		return 0;
	for (i = 0; i < n && !is_space((unsigned char)p[i]) && p[i] != '<' &&
	    p[i] != '>' && p[i] != '"'; i++)
		;
	/* Counted once: trimming a ')' takes one off the count (a recount
	 * per trailing ')' made "http://a)))..." quadratic). */
	for (j = 0; j < i; j++) {
		open += p[j] == '(';
		close += p[j] == ')';
	}
	while (i > 0) {
		char c = p[i - 1];

		if (strchr(".,;:!?'*_", c) != NULL) {
			i--;
			continue;
		}
		if (c == ')' && close > open) {
			i--;
			close--;
			continue;
		}
		break;
	}
	return i > 8 ? i : 0;
}

void
sanitize_comment(const char *in, size_t n, struct buf *html,
    struct buf *text)
{
	struct buf src = BUF_INIT, scratch = BUF_INIT;
	struct san s;
	const char *p;
	size_t i = 0, start, te = 0, us = 0, ue = 0, len, skip, nolink = 0;

	memset(&s, 0, sizeof(s));
	s.html = html ? html : &scratch;
	s.text = text;
	prefilter(&src, in, n);
	p = src.data;
	n = src.len;
	while (i < n && is_space((unsigned char)p[i]))
		i++;
	start = i;
	while (i < n) {
		len = 0;
		if (p[i] == '[' && i >= nolink) {
			len = md_link(p + i, n - i, &te, &us, &ue, &skip);
			if (len == 0 && skip > 0)
				nolink = i + skip;
		} else if ((p[i] == 'h' || p[i] == 'H') && (i == 0 ||
		    !((p[i - 1] >= 'a' && p[i - 1] <= 'z') ||
		    (p[i - 1] >= 'A' && p[i - 1] <= 'Z') ||
		    (p[i - 1] >= '0' && p[i - 1] <= '9'))))
			len = bare_url(p + i, n - i);
		if (len == 0) {
			i++;
			continue;
		}
		if (i > start)
			put_text(&s, C_TOP, p + start, i - start);
		if (p[i] == '[')
			put_link(&s, p + i + 1, te - 1, p + i + us, ue - us);
		else
			put_link(&s, p + i, len, p + i, len);
		i += len;
		start = i;
	}
	if (i > start && !all_space(p + start, i - start))
		put_text(&s, C_TOP, p + start, i - start);
	close_run(&s);
	buf_release(&src);
	buf_release(&scratch);
}
