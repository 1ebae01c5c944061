/*
 * Mustache engine: an arena of values, a compiler from template text to
 * a flat op list, and a renderer that walks the op list.  See
 * template.h for the contract.
 *
 * Compilation runs in passes over a token list:
 *   1. lex: text split into line pieces (each ends at a newline) and
 *      tags, following set-delimiter tags;
 *   2. nest: match section/parent/block openers with end tags, mark
 *      blocks that are arguments of a parent;
 *   3. standalone: drop the whitespace and newline of lines holding only
 *      non-output tags, remembering the indentation;
 *   4. dedent: strip the common indentation of standalone block
 *      arguments (it is added back where the block is expanded);
 *   5. emit: ops, with all text and names copied into one pool.
 */
#include "template.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/escape.h"
#include "core/safefile.h"
#include "core/strtab.h"
#include "core/xmalloc.h"

/* ---- value arena ----------------------------------------------------- */

#define ARENA_MIN 16384
#define ALIGN 16

struct chunk {
	struct chunk *next;
	size_t cap;
	_Alignas(ALIGN) unsigned char data[];
};

struct tctx {
	struct chunk *head; /* newest and largest */
	size_t used;        /* bytes used in head */
	size_t total;       /* bytes handed out since the last reset */
};

struct tkv {
	const char *key;
	size_t klen;
	uint32_t h; /* strtab_hash(key): a probe compares one word */
	struct tval *val;
};

struct tval {
	enum tval_kind kind;
	int safe; /* TVAL_STR: already-safe HTML */
	union {
		int b;
		int64_t i;
		double d;
		struct {
			const char *p;
			size_t len;
		} s;
		struct {
			struct tctx *cx;
			struct tval **v;
			size_t n, cap;
		} list;
		struct {
			struct tctx *cx;
			struct tkv *kv;
			size_t n, cap;
			/* Built on lookup once a map has MAP_INDEX_MIN keys:
			 * open addressing, kv index + 1 by hash; covers
			 * kv[0, nix). */
			uint16_t *ix;
			size_t ixcap, nix;
		} map;
	} u;
};

struct tctx *
tctx_new(void)
{
	return xcalloc(1, sizeof(struct tctx));
}

void
tctx_reset(struct tctx *cx)
{
	struct chunk *c, *next;

	if (cx->head == NULL)
		return;
	for (c = cx->head->next; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	cx->head->next = NULL;
	cx->used = 0;
	cx->total = 0;
}

void
tctx_free(struct tctx *cx)
{
	if (cx == NULL)
		return;
	tctx_reset(cx);
	free(cx->head);
	free(cx);
}

/* Returns n bytes aligned to ALIGN, owned by cx. */
static void *
arena_alloc(struct tctx *cx, size_t n)
{
	struct chunk *c;
	size_t cap;

	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (cx->head == NULL || cx->head->cap - cx->used < n) {
		cap = cx->head ? cx->head->cap * 2 : ARENA_MIN;
		while (cap < n)
			cap *= 2;
		c = xmalloc(sizeof(*c) + cap);
		c->cap = cap;
		c->next = cx->head;
		cx->head = c;
		cx->used = 0;
	}
	c = cx->head;
	cx->used += n;
	cx->total += n;
	return c->data + cx->used - n;
}

static char *
arena_strdup(struct tctx *cx, const char *s, size_t len)
{
	char *p = arena_alloc(cx, len + 1);

	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static struct tval *
newval(struct tctx *cx, enum tval_kind kind)
{
	struct tval *v = arena_alloc(cx, sizeof(*v));

	memset(v, 0, sizeof(*v));
	v->kind = kind;
	return v;
}

struct tval *
tval_null(struct tctx *cx)
{
	return newval(cx, TVAL_NULL);
}

struct tval *
tval_bool(struct tctx *cx, int b)
{
	struct tval *v = newval(cx, TVAL_BOOL);

	v->u.b = b != 0;
	return v;
}

struct tval *
tval_int(struct tctx *cx, int64_t i)
{
	struct tval *v = newval(cx, TVAL_INT);

	v->u.i = i;
	return v;
}

struct tval *
tval_real(struct tctx *cx, double d)
{
	struct tval *v = newval(cx, TVAL_REAL);

	v->u.d = d;
	return v;
}

struct tval *
tval_str(struct tctx *cx, const char *s, size_t len)
{
	struct tval *v = newval(cx, TVAL_STR);

	v->u.s.p = arena_strdup(cx, s, len);
	v->u.s.len = len;
	return v;
}

struct tval *
tval_html(struct tctx *cx, const char *s, size_t len)
{
	struct tval *v = tval_str(cx, s, len);

	v->safe = 1;
	return v;
}

struct tval *
tval_list(struct tctx *cx)
{
	struct tval *v = newval(cx, TVAL_LIST);

	v->u.list.cx = cx;
	return v;
}

struct tval *
tval_map(struct tctx *cx)
{
	struct tval *v = newval(cx, TVAL_MAP);

	v->u.map.cx = cx;
	return v;
}

enum tval_kind
tval_kind(const struct tval *v)
{
	return v ? v->kind : TVAL_NULL;
}

/* Grows an arena array of n items of `size` to hold one more; the old
 * copy is abandoned in the arena (geometric growth bounds the waste). */
static void *
arena_grow(struct tctx *cx, void *old, size_t n, size_t *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return old;
	*cap = *cap ? *cap * 2 : 8;
	p = arena_alloc(cx, *cap * size);
	if (n)
		memcpy(p, old, n * size);
	return p;
}

void
tval_list_push(struct tval *list, struct tval *v)
{
	if (list == NULL || list->kind != TVAL_LIST || v == NULL)
		return;
	list->u.list.v = arena_grow(list->u.list.cx, list->u.list.v,
	    list->u.list.n, &list->u.list.cap, sizeof(struct tval *));
	list->u.list.v[list->u.list.n++] = v;
}

#define MAP_INDEX_MIN 8

static int
kv_is(const struct tkv *kv, const char *key, size_t klen, uint32_t h)
{
	return kv->h == h && kv->klen == klen &&
	    memcmp(kv->key, key, klen) == 0;
}

/* Brings the index of map up to its keys (see struct tval). */
static void
map_index(struct tval *map)
{
	size_t n = map->u.map.n, i, j, mask;

	if (n > 30000)
		return; /* uint16_t slots; such maps are scanned */
	if (map->u.map.ix == NULL || map->u.map.ixcap < 2 * n) {
		size_t cap = 32;

		while (cap < 2 * n)
			cap *= 2;
		map->u.map.ix = arena_alloc(map->u.map.cx, cap *
		    sizeof *map->u.map.ix);
		memset(map->u.map.ix, 0, cap * sizeof *map->u.map.ix);
		map->u.map.ixcap = cap;
		map->u.map.nix = 0;
	}
	mask = map->u.map.ixcap - 1;
	for (i = map->u.map.nix; i < n; i++) {
		for (j = map->u.map.kv[i].h & mask; map->u.map.ix[j];
		    j = (j + 1) & mask)
			continue;
		map->u.map.ix[j] = (uint16_t)(i + 1);
	}
	map->u.map.nix = n;
}

/*
 * The entry of key in map, or NULL.  A big map (the root of a page, the
 * locale strings) is set and looked up dozens of times per page: it
 * gets an index; a small one is scanned, hashes first.  Keys are unique
 * (tval_set replaces), so the first match is the one.
 */
static struct tkv *
map_kv(const struct tval *cmap, const char *key, size_t klen, uint32_t h)
{
	/* The index is a cache: building it does not change the map. */
	struct tval *map = (struct tval *)cmap;
	size_t i;

	if (map->u.map.n >= MAP_INDEX_MIN && map->u.map.n <= 30000) {
		size_t mask;

		if (map->u.map.nix != map->u.map.n)
			map_index(map);
		mask = map->u.map.ixcap - 1;
		for (i = h & mask; map->u.map.ix[i]; i = (i + 1) & mask) {
			struct tkv *kv = &map->u.map.kv[map->u.map.ix[i] - 1];

			if (kv_is(kv, key, klen, h))
				return kv;
		}
		return NULL;
	}
	for (i = 0; i < map->u.map.n; i++) {
		struct tkv *kv = &map->u.map.kv[i];

		if (kv_is(kv, key, klen, h))
			return kv;
	}
	return NULL;
}

static struct tval *
map_find(const struct tval *map, const char *key, size_t klen, uint32_t h)
{
	const struct tkv *kv = map_kv(map, key, klen, h);

	return kv ? kv->val : NULL;
}

void
tval_set(struct tval *map, const char *key, struct tval *v)
{
	size_t klen;
	struct tkv *kv;
	uint32_t h;

	if (map == NULL || map->kind != TVAL_MAP || v == NULL)
		return;
	klen = strlen(key);
	h = strtab_hash(key, klen);
	if ((kv = map_kv(map, key, klen, h)) != NULL) {
		kv->val = v;
		return;
	}
	map->u.map.kv = arena_grow(map->u.map.cx, map->u.map.kv,
	    map->u.map.n, &map->u.map.cap, sizeof(struct tkv));
	kv = &map->u.map.kv[map->u.map.n++];
	kv->key = arena_strdup(map->u.map.cx, key, klen);
	kv->klen = klen;
	kv->h = h;
	kv->val = v;
}

static struct tctx *
map_cx(const struct tval *map)
{
	return map != NULL && map->kind == TVAL_MAP ? map->u.map.cx : NULL;
}

void
tval_set_str(struct tval *map, const char *key, const char *s, size_t len)
{
	if (map_cx(map))
		tval_set(map, key, tval_str(map_cx(map), s, len));
}

void
tval_set_cstr(struct tval *map, const char *key, const char *s)
{
	tval_set_str(map, key, s, s ? strlen(s) : 0);
}

void
tval_set_html(struct tval *map, const char *key, const char *s, size_t len)
{
	if (map_cx(map))
		tval_set(map, key, tval_html(map_cx(map), s, len));
}

void
tval_set_int(struct tval *map, const char *key, int64_t i)
{
	if (map_cx(map))
		tval_set(map, key, tval_int(map_cx(map), i));
}

void
tval_set_bool(struct tval *map, const char *key, int b)
{
	if (map_cx(map))
		tval_set(map, key, tval_bool(map_cx(map), b));
}

/* Sets key of map to a new empty list or map (make) in map's arena. */
static struct tval *
set_new(struct tval *map, const char *key,
    struct tval *(*make)(struct tctx *))
{
	struct tval *v;

	if (map_cx(map) == NULL)
		return NULL;
	v = make(map_cx(map));
	tval_set(map, key, v);
	return v;
}

struct tval *
tval_set_list(struct tval *map, const char *key)
{
	return set_new(map, key, tval_list);
}

struct tval *
tval_set_map(struct tval *map, const char *key)
{
	return set_new(map, key, tval_map);
}

const struct tval *
tval_get(const struct tval *map, const char *key)
{
	size_t n;

	if (map == NULL || map->kind != TVAL_MAP)
		return NULL;
	n = strlen(key);
	return map_find(map, key, n, strtab_hash(key, n));
}

/* ---- compiled templates ---------------------------------------------- */

enum op_kind {
	OP_TEXT,     /* s */
	OP_VAR,      /* name parts, escaped */
	OP_RAW,      /* name parts, not escaped */
	OP_SECTION,  /* name parts, body up to end */
	OP_INVERTED, /* name parts, body up to end */
	OP_PARTIAL,  /* s = name, ind */
	OP_PARENT,   /* s = name, ind, body = OP_ARG ops up to end */
	OP_BLOCK,    /* s = name, ind, body = default content */
	OP_ARG,      /* s = name, body = content passed to a parent */
};

/* Strings are offsets into the template's pool. */
struct op {
	enum op_kind kind;
	uint32_t end;            /* containers: first op after the body */
	uint32_t part, nparts;   /* name parts; nparts 0 is "." */
	uint32_t off, len;       /* text, or partial/parent/block name */
	uint32_t ioff, ilen;     /* indentation */
};

struct part {
	uint32_t off, len;
	uint32_t h; /* strtab_hash of the name */
};

struct tmpl {
	char *name;
	size_t namelen;
	struct op *ops;
	size_t nops;
	struct part *parts;
	char *pool;
};

struct tset {
	struct tmpl **v;
	size_t n, cap;
	struct buf err;
};

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->ops);
	free(t->parts);
	free(t->pool);
	free(t);
}

/* ---- compiler -------------------------------------------------------- */

enum tok_kind {
	T_TEXT,
	T_VAR,
	T_RAW,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_PARTIAL,
	T_PARENT,
	T_BLOCK, /* a block where it is expanded */
	T_ARG,   /* a block directly inside a parent: an argument */
	T_COMMENT,
	T_DELIM,
};

struct tok {
	enum tok_kind kind;
	const char *s; /* text piece, or trimmed tag name */
	size_t len;
	size_t pos;        /* source offset, for messages */
	size_t match;      /* opener <-> end tag */
	const char *ind;   /* standalone: indentation of the line */
	size_t indlen;
	unsigned bol : 1;  /* first token of its line */
	unsigned eol : 1;  /* text ending in a newline */
	unsigned standalone : 1;
	unsigned drop : 1; /* text removed with a standalone line */
};

struct comp {
	const char *label; /* for messages */
	const char *src;
	size_t srclen;
	struct tok *toks;
	size_t ntoks, tokcap;
	struct op *ops;
	size_t nops, opcap;
	struct part *parts;
	size_t nparts, partcap;
	struct buf pool;
	struct buf *err;
};

/* Writes "label:line:col: message" for source offset pos; returns -1. */
static int
cerr(struct comp *c, size_t pos, const char *fmt, ...)
{
	va_list ap;
	size_t i, line = 1, col = 1;

	for (i = 0; i < pos && i < c->srclen; i++) {
		if (c->src[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	buf_reset(c->err);
	buf_printf(c->err, "%s:%zu:%zu: ", c->label, line, col);
	va_start(ap, fmt);
	buf_vprintf(c->err, fmt, ap);
	va_end(ap);
	return -1;
}

static int
is_blank(int ch)
{
	return ch == ' ' || ch == '\t';
}

static int
is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\f' || ch == '\v';
}

static struct tok *
newtok(struct comp *c, enum tok_kind kind, const char *s, size_t len,
    size_t pos)
{
	struct tok *t;

	if (c->ntoks == c->tokcap) {
		c->tokcap = c->tokcap ? c->tokcap * 2 : 64;
		c->toks = xreallocarray(c->toks, c->tokcap, sizeof(*t));
	}
	t = &c->toks[c->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->s = s;
	t->len = len;
	t->pos = pos;
	return t;
}

/* Adds text as pieces that each end after a newline (the last may not). */
static void
lex_text(struct comp *c, size_t from, size_t to)
{
	const char *p;
	size_t n;

	while (from < to) {
		p = memchr(c->src + from, '\n', to - from);
		n = p ? (size_t)(p - (c->src + from)) + 1 : to - from;
		newtok(c, T_TEXT, c->src + from, n, from)->eol = p != NULL;
		from += n;
	}
}

static void
trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int
has_space(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_space((unsigned char)s[i]))
			return 1;
	return 0;
}

/* Parses "{{=<% %>=}}" content (between the '=' signs) into new
 * delimiters.  Returns 0 or -1. */
static int
lex_delims(struct comp *c, size_t pos, const char *s, size_t n,
    const char **otag, size_t *olen, const char **ctag, size_t *clen)
{
	size_t i;

	trim(&s, &n);
	for (i = 0; i < n && !is_space((unsigned char)s[i]); i++)
		continue;
	*otag = s;
	*olen = i;
	while (i < n && is_space((unsigned char)s[i]))
		i++;
	*ctag = s + i;
	*clen = n - i;
	if (*olen == 0 || *clen == 0 || has_space(*ctag, *clen) ||
	    memchr(*otag, '=', *olen) || memchr(*ctag, '=', *clen))
		return cerr(c, pos, "bad delimiter '%.*s'", (int)n, s);
	return 0;
}

/* The first occurrence of needle (n >= 1 bytes) in hay, or NULL;
 * memmem() is a GNU extension. */
static const char *
find_str(const char *hay, size_t hlen, const char *needle, size_t n)
{
	const char *p = hay, *end = hay + hlen;

	while ((size_t)(end - p) >= n &&
	    (p = memchr(p, needle[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (memcmp(p, needle, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* Pass 1: the token list. */
static int
lex(struct comp *c)
{
	const char *otag = "{{", *ctag = "}}", *p, *end, *name;
	size_t olen = 2, clen = 2, pos = 0, tagpos, inner, n;
	enum tok_kind kind;

	while (pos < c->srclen) {
		p = find_str(c->src + pos, c->srclen - pos, otag, olen);
		if (p == NULL) {
			lex_text(c, pos, c->srclen);
			break;
		}
		tagpos = (size_t)(p - c->src);
		lex_text(c, pos, tagpos);
		inner = tagpos + olen;
		if (inner < c->srclen && c->src[inner] == '{') {
			/* {{{name}}}: the closer is "}" + ctag. */
			inner++;
			end = NULL;
			for (p = c->src + inner; (p = memchr(p, '}',
			    c->srclen - (size_t)(p - c->src))) != NULL; p++) {
				if ((size_t)(c->src + c->srclen - (p + 1)) >=
				    clen && memcmp(p + 1, ctag, clen) == 0) {
					end = p;
					break;
				}
			}
			if (end == NULL)
				return cerr(c, tagpos, "unclosed tag");
			name = c->src + inner;
			n = (size_t)(end - name);
			pos = (size_t)(end - c->src) + 1 + clen;
			kind = T_RAW;
		} else {
			end = find_str(c->src + inner, c->srclen - inner, ctag,
			    clen);
			if (end == NULL)
				return cerr(c, tagpos, "unclosed tag");
			name = c->src + inner;
			n = (size_t)(end - name);
			pos = (size_t)(end - c->src) + clen;
			kind = T_VAR;
			if (n > 0) {
				switch (*name) {
				case '#': kind = T_SECTION; break;
				case '^': kind = T_INVERTED; break;
				case '/': kind = T_CLOSE; break;
				case '>': kind = T_PARTIAL; break;
				case '<': kind = T_PARENT; break;
				case '$': kind = T_BLOCK; break;
				case '&': kind = T_RAW; break;
				case '!': kind = T_COMMENT; break;
				case '=': kind = T_DELIM; break;
				default: break;
				}
				if (kind != T_VAR) {
					name++;
					n--;
				}
			}
		}
		if (kind == T_COMMENT) {
			newtok(c, kind, NULL, 0, tagpos);
			continue;
		}
		if (kind == T_DELIM) {
			if (n == 0 || name[n - 1] != '=')
				return cerr(c, tagpos, "bad delimiter tag");
			if (lex_delims(c, tagpos, name, n - 1, &otag, &olen,
			    &ctag, &clen) == -1)
				return -1;
			newtok(c, kind, NULL, 0, tagpos);
			continue;
		}
		trim(&name, &n);
		if (n == 0)
			return cerr(c, tagpos, "empty tag");
		if (has_space(name, n))
			return cerr(c, tagpos, "bad tag name '%.*s'", (int)n,
			    name);
		newtok(c, kind, name, n, tagpos);
	}
	return 0;
}

static const char *
kind_word(enum tok_kind k)
{
	switch (k) {
	case T_PARENT: return "parent";
	case T_BLOCK:
	case T_ARG: return "block";
	default: return "section";
	}
}

/* Pass 2: match openers with end tags. */
static int
nest(struct comp *c)
{
	size_t *stack = NULL, sp = 0, i, o;
	int rc = -1;
	struct tok *t;

	stack = xreallocarray(NULL, c->ntoks + 1, sizeof(*stack));
	for (i = 0; i < c->ntoks; i++) {
		t = &c->toks[i];
		switch (t->kind) {
		case T_BLOCK:
			if (sp > 0 && c->toks[stack[sp - 1]].kind == T_PARENT)
				t->kind = T_ARG;
			/* FALLTHROUGH */
		case T_SECTION:
		case T_INVERTED:
		case T_PARENT:
			stack[sp++] = i;
			break;
		case T_CLOSE:
			if (sp == 0) {
				cerr(c, t->pos, "unexpected end tag '%.*s'",
				    (int)t->len, t->s);
				goto out;
			}
			o = stack[--sp];
			if (c->toks[o].len != t->len ||
			    memcmp(c->toks[o].s, t->s, t->len) != 0) {
				cerr(c, t->pos, "end tag '%.*s' does not "
				    "match %s '%.*s'", (int)t->len, t->s,
				    kind_word(c->toks[o].kind),
				    (int)c->toks[o].len, c->toks[o].s);
				goto out;
			}
			c->toks[o].match = i;
			t->match = o;
			break;
		default:
			break;
		}
	}
	if (sp > 0) {
		t = &c->toks[stack[sp - 1]];
		cerr(c, t->pos, "unclosed %s '%.*s'", kind_word(t->kind),
		    (int)t->len, t->s);
		goto out;
	}
	rc = 0;
out:
	free(stack);
	return rc;
}

/* Whether text is blanks, optionally ended by "\n" or "\r\n". */
static int
blank_line(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_blank((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == '\r')
		i++;
	if (i < n && s[i] == '\n')
		i++;
	return i == n;
}

/* Parent openers and closers and the blocks passed to a parent may share
 * a standalone line ("{{<layout}}{{$body}}"), as the spec requires. */
static int
parentish(const struct comp *c, const struct tok *t)
{
	if (t->kind == T_CLOSE)
		t = &c->toks[t->match];
	return t->kind == T_PARENT || t->kind == T_ARG;
}

/* Pass 3: standalone lines. */
static void
standalone(struct comp *c)
{
	size_t a = 0, b, i, ntags;
	int ok, allparent;
	const char *ind;
	size_t indlen;

	while (a < c->ntoks) {
		for (b = a; b < c->ntoks; b++)
			if (c->toks[b].kind == T_TEXT && c->toks[b].eol)
				break;
		if (b < c->ntoks)
			b++; /* the line's last token, exclusive end */
		c->toks[a].bol = 1;
		ok = 1;
		allparent = 1;
		ntags = 0;
		for (i = a; i < b && ok; i++) {
			struct tok *t = &c->toks[i];

			if (t->kind == T_TEXT) {
				ok = blank_line(t->s, t->len);
			} else {
				ntags++;
				ok = t->kind != T_VAR && t->kind != T_RAW;
				allparent = allparent && parentish(c, t);
			}
		}
		if (ok && ntags > 0 && (ntags == 1 || allparent)) {
			ind = "";
			indlen = 0;
			if (c->toks[a].kind == T_TEXT && !c->toks[a].eol) {
				ind = c->toks[a].s;
				indlen = c->toks[a].len;
			}
			for (i = a; i < b; i++) {
				struct tok *t = &c->toks[i];

				if (t->kind == T_TEXT) {
					t->drop = 1;
					continue;
				}
				t->standalone = 1;
				t->ind = ind;
				t->indlen = indlen;
			}
		}
		a = b;
	}
}

/* Folds the indentation of one line into the common prefix. */
static void
common_fold(const char *s, size_t n, const char **ind, size_t *len,
    int *have)
{
	size_t i;

	if (!*have) {
		*ind = s;
		*len = n;
		*have = 1;
		return;
	}
	for (i = 0; i < *len && i < n && s[i] == (*ind)[i]; i++)
		continue;
	*len = i;
}

/* The indentation shared by all non-blank lines of tokens [a, b). */
static void
common_indent(const struct comp *c, size_t a, size_t b, const char **ind,
    size_t *len)
{
	size_t i, w;
	int have = 0;

	*ind = "";
	*len = 0;
	for (i = a; i < b; i++) {
		const struct tok *t = &c->toks[i];

		if (t->kind == T_TEXT) {
			if (t->drop || !t->bol)
				continue;
			for (w = 0; w < t->len && is_blank((unsigned char)
			    t->s[w]); w++)
				continue;
			if (t->eol && blank_line(t->s, t->len))
				continue;
			common_fold(t->s, w, ind, len, &have);
		} else if (t->standalone) {
			common_fold(t->ind, t->indlen, ind, len, &have);
		} else if (t->bol) {
			common_fold("", 0, ind, len, &have);
		}
		if (have && *len == 0)
			return;
	}
}

/* Pass 4: a block passed to a parent on its own line loses its common
 * indentation; the expansion site supplies its own. */
static void
dedent(struct comp *c)
{
	size_t i, k, n;
	const char *ind;

	for (i = 0; i < c->ntoks; i++) {
		if (c->toks[i].kind != T_ARG || !c->toks[i].standalone)
			continue;
		common_indent(c, i + 1, c->toks[i].match, &ind, &n);
		if (n == 0)
			continue;
		for (k = i + 1; k < c->toks[i].match; k++) {
			struct tok *t = &c->toks[k];

			if (t->kind == T_TEXT && t->bol && !t->drop &&
			    t->len >= n && memcmp(t->s, ind, n) == 0) {
				t->s += n;
				t->len -= n;
			} else if (t->kind != T_TEXT && t->standalone &&
			    t->indlen >= n && memcmp(t->ind, ind, n) == 0) {
				t->ind += n;
				t->indlen -= n;
			}
		}
	}
}

static uint32_t
pool_add(struct comp *c, const char *s, size_t n)
{
	uint32_t off = (uint32_t)c->pool.len;

	buf_put(&c->pool, s, n);
	buf_putc(&c->pool, '\0');
	return off;
}

static struct op *
newop(struct comp *c, enum op_kind kind)
{
	struct op *op;

	if (c->nops == c->opcap) {
		c->opcap = c->opcap ? c->opcap * 2 : 32;
		c->ops = xreallocarray(c->ops, c->opcap, sizeof(*op));
	}
	op = &c->ops[c->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	return op;
}

/* Splits a dotted name into parts; "." has none.  Returns 0 or -1. */
static int
add_parts(struct comp *c, struct op *op, const struct tok *t)
{
	size_t i = 0, j;

	op->part = (uint32_t)c->nparts;
	op->nparts = 0;
	if (t->len == 1 && t->s[0] == '.')
		return 0;
	for (;;) {
		for (j = i; j < t->len && t->s[j] != '.'; j++)
			continue;
		if (j == i)
			return cerr(c, t->pos, "bad name '%.*s'",
			    (int)t->len, t->s);
		if (c->nparts == c->partcap) {
			c->partcap = c->partcap ? c->partcap * 2 : 16;
			c->parts = xreallocarray(c->parts, c->partcap,
			    sizeof(*c->parts));
		}
		c->parts[c->nparts].off = pool_add(c, t->s + i, j - i);
		c->parts[c->nparts].len = (uint32_t)(j - i);
		c->parts[c->nparts].h = strtab_hash(t->s + i, j - i);
		c->nparts++;
		op->nparts++;
		if (j == t->len)
			return 0;
		i = j + 1;
	}
}

/* The indentation a block adds to content passed from a parent call. */
static void
block_indent(const struct comp *c, size_t i, const char **ind, size_t *n)
{
	const struct tok *t = &c->toks[i], *prev;

	*ind = "";
	*n = 0;
	if (t->standalone) {
		*ind = t->ind;
		*n = t->indlen;
		if (*n == 0)
			common_indent(c, i + 1, t->match, ind, n);
		return;
	}
	/* Inline, but only blanks before it on the line. */
	prev = i > 0 ? &c->toks[i - 1] : NULL;
	if (prev && prev->kind == T_TEXT && prev->bol && !prev->drop &&
	    !prev->eol && blank_line(prev->s, prev->len)) {
		*ind = prev->s;
		*n = prev->len;
	}
}

/* Pass 5: the op list. */
static int
emit(struct comp *c)
{
	size_t *stack, sp = 0, i, n;
	size_t lasttext = SIZE_MAX; /* op that text may extend */
	const char *ind;
	struct op *op;
	int rc = -1;

	stack = xreallocarray(NULL, c->ntoks + 1, sizeof(*stack));
	for (i = 0; i < c->ntoks; i++) {
		struct tok *t = &c->toks[i];
		int inparent = sp > 0 && c->ops[stack[sp - 1]].kind == OP_PARENT;

		if (t->kind == T_COMMENT || t->kind == T_DELIM || t->drop)
			continue;
		if (inparent && t->kind != T_ARG && t->kind != T_CLOSE) {
			/* Only block arguments matter inside a parent. */
			if (t->kind == T_SECTION || t->kind == T_INVERTED ||
			    t->kind == T_PARENT || t->kind == T_BLOCK)
				i = t->match;
			continue;
		}
		if (t->kind == T_TEXT) {
			if (lasttext != SIZE_MAX &&
			    c->ops[lasttext].off + c->ops[lasttext].len + 1 ==
			    c->pool.len) {
				/* Extend the previous text in place. */
				buf_truncate(&c->pool, c->pool.len - 1);
				pool_add(c, t->s, t->len);
				c->ops[lasttext].len += (uint32_t)t->len;
				continue;
			}
			op = newop(c, OP_TEXT);
			op->off = pool_add(c, t->s, t->len);
			op->len = (uint32_t)t->len;
			lasttext = c->nops - 1;
			continue;
		}
		lasttext = SIZE_MAX;
		switch (t->kind) {
		case T_VAR:
		case T_RAW:
		case T_SECTION:
		case T_INVERTED:
			op = newop(c, t->kind == T_VAR ? OP_VAR :
			    t->kind == T_RAW ? OP_RAW :
			    t->kind == T_SECTION ? OP_SECTION : OP_INVERTED);
			if (add_parts(c, op, t) == -1)
				goto out;
			if (t->kind == T_SECTION || t->kind == T_INVERTED)
				stack[sp++] = c->nops - 1;
			break;
		case T_PARTIAL:
		case T_PARENT:
		case T_BLOCK:
		case T_ARG:
			op = newop(c, t->kind == T_PARTIAL ? OP_PARTIAL :
			    t->kind == T_PARENT ? OP_PARENT :
			    t->kind == T_BLOCK ? OP_BLOCK : OP_ARG);
			op->len = (uint32_t)t->len;
			op->off = pool_add(c, t->s, t->len);
			if (t->kind == T_BLOCK)
				block_indent(c, i, &ind, &n);
			else if (t->standalone && t->kind != T_ARG) {
				ind = t->ind;
				n = t->indlen;
			} else {
				ind = "";
				n = 0;
			}
			op->ilen = (uint32_t)n;
			op->ioff = pool_add(c, ind, n);
			if (t->kind != T_PARTIAL)
				stack[sp++] = c->nops - 1;
			break;
		case T_CLOSE:
			c->ops[stack[--sp]].end = (uint32_t)c->nops;
			break;
		default:
			break;
		}
	}
	rc = 0;
out:
	free(stack);
	return rc;
}

/* Compiles src into a new template; NULL with err set on failure. */
static struct tmpl *
compile(const char *name, const char *label, const char *src, size_t len,
    struct buf *err)
{
	struct comp c;
	struct tmpl *t = NULL;

	memset(&c, 0, sizeof(c));
	c.label = label;
	c.src = src ? src : "";
	c.srclen = len;
	c.err = err;
	buf_init(&c.pool);
	if (len >= UINT32_MAX / 4) {
		cerr(&c, 0, "template too large");
		goto out;
	}
	if (lex(&c) == -1 || nest(&c) == -1)
		goto out;
	standalone(&c);
	dedent(&c);
	if (emit(&c) == -1)
		goto out;
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->namelen = strlen(name);
	t->ops = c.ops;
	t->nops = c.nops;
	t->parts = c.parts;
	t->pool = buf_detach(&c.pool);
	c.ops = NULL;
	c.parts = NULL;
out:
	free(c.toks);
	free(c.ops);
	free(c.parts);
	buf_release(&c.pool);
	return t;
}

/* ---- template set ---------------------------------------------------- */

struct tset *
tset_new(void)
{
	struct tset *set = xcalloc(1, sizeof(*set));

	buf_init(&set->err);
	return set;
}

void
tset_free(struct tset *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		tmpl_free(set->v[i]);
	free(set->v);
	buf_release(&set->err);
	free(set);
}

const char *
tset_errmsg(const struct tset *set)
{
	return set->err.data;
}

static struct tmpl *
find(const struct tset *set, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i]->namelen == len &&
		    memcmp(set->v[i]->name, name, len) == 0)
			return set->v[i];
	return NULL;
}

/* Adds or replaces; the set takes t. */
static void
put(struct tset *set, struct tmpl *t)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (strcmp(set->v[i]->name, t->name) == 0) {
			tmpl_free(set->v[i]);
			set->v[i] = t;
			return;
		}
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xreallocarray(set->v, set->cap, sizeof(*set->v));
	}
	set->v[set->n++] = t;
}

int
tset_add(struct tset *set, const char *name, const char *text, size_t len)
{
	struct tmpl *t = compile(name, name, text, len, &set->err);

	if (t == NULL)
		return -1;
	put(set, t);
	return 0;
}

int
tset_has(const struct tset *set, const char *name)
{
	return find(set, name, strlen(name)) != NULL;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
tset_load_dir(struct tset *set, const char *dir)
{
	static const char ext[] = ".mustache";
	const size_t extlen = sizeof(ext) - 1;
	DIR *d;
	struct dirent *de;
	char **names = NULL, *text = NULL, *name = NULL;
	size_t n = 0, cap = 0, i, len, textlen;
	struct tmpl *t;
	struct buf pb = BUF_INIT;
	struct stat sb;
	char why[SAFEFILE_WHY];
	int rc = -1, added = 0;

	if ((d = opendir(dir)) == NULL) {
		buf_reset(&set->err);
		buf_printf(&set->err, "unable to open directory '%s': %s",
		    dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= extlen || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - extlen, ext) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), namecmp);
	for (i = 0; i < n; i++) {
		buf_reset(&pb);
		buf_printf(&pb, "%s/%s", dir, names[i]);
		if (stat(pb.data, &sb) == 0 && !S_ISREG(sb.st_mode))
			continue;
		free(text);
		if ((text = safefile_slurp(pb.data, dir,
		    SAFEFILE_THEME_MAX, &textlen, why)) == NULL) {
			buf_reset(&set->err);
			buf_printf(&set->err, "unable to read '%s': %s",
			    pb.data, why);
			goto out;
		}
		free(name);
		name = xstrndup(names[i], strlen(names[i]) - extlen);
		if ((t = compile(name, pb.data, text, textlen,
		    &set->err)) == NULL)
			goto out;
		put(set, t);
		added++;
	}
	rc = added;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(text);
	free(name);
	buf_release(&pb);
	return rc;
}

/* ---- renderer -------------------------------------------------------- */

/* The blocks one parent call passes, and the calls around it. */
struct frame {
	const struct tmpl *t;
	size_t op; /* the OP_PARENT */
	const struct frame *outer;
};

struct rstate {
	struct tset *set;
	struct buf *out;
	const struct tval *stack[TMPL_MAX_DEPTH + 2];
	size_t sp;
	struct buf indent; /* current indentation */
	int pending;       /* at a template line start, indent not written */
	int depth;
	const char *top;   /* the template tset_render() was asked for */
	size_t start;      /* out->len when it was called */
	size_t spent;      /* TMPL_EXPANSION_COST per expansion so far */
	size_t budget;     /* for output plus spent; see template.h */
};

static int render_ops(struct rstate *, const struct tmpl *, size_t, size_t,
    const struct frame *);

static const char *
str(const struct tmpl *t, uint32_t off)
{
	return t->pool + off;
}

/* Resolves a name against the context stack; NULL if missing. */
static const struct tval *
lookup(const struct rstate *st, const struct tmpl *t, const struct op *op)
{
	const struct part *p = &t->parts[op->part];
	const struct tval *v = NULL;
	size_t i, k;

	if (op->nparts == 0)
		return st->stack[st->sp - 1];
	for (i = st->sp; i-- > 0;) {
		const struct tval *c = st->stack[i];

		if (c != NULL && c->kind == TVAL_MAP &&
		    (v = map_find(c, str(t, p->off), p->len, p->h)) != NULL)
			break;
	}
	for (k = 1; v != NULL && k < op->nparts; k++) {
		if (v->kind != TVAL_MAP)
			return NULL;
		v = map_find(v, str(t, p[k].off), p[k].len, p[k].h);
	}
	return v;
}

static int
truthy(const struct tval *v)
{
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case TVAL_NULL: return 0;
	case TVAL_BOOL: return v->u.b;
	case TVAL_LIST: return v->u.list.n > 0;
	default: return 1;
	}
}

static void
put_indent(struct rstate *st)
{
	if (st->pending) {
		buf_put(st->out, st->indent.data, st->indent.len);
		st->pending = 0;
	}
}

/* Template text: indentation goes before each non-empty line. */
static void
put_text(struct rstate *st, const char *s, size_t n)
{
	const char *nl;
	size_t k;

	if (n == 0)
		return;
	if (st->indent.len == 0) {
		buf_put(st->out, s, n);
		st->pending = s[n - 1] == '\n';
		return;
	}
	while (n > 0) {
		if (st->pending && s[0] != '\n' && s[0] != '\r')
			put_indent(st);
		nl = memchr(s, '\n', n);
		k = nl ? (size_t)(nl - s) + 1 : n;
		buf_put(st->out, s, k);
		st->pending = nl != NULL;
		s += k;
		n -= k;
	}
}

static void
put_value(struct rstate *st, const struct tval *v, int escape)
{
	char num[64];
	int len = 0;

	if (st->indent.len > 0)
		put_indent(st);
	st->pending = 0;
	if (v == NULL)
		return;
	switch (v->kind) {
	case TVAL_STR:
		if (escape && !v->safe)
			esc_attr(st->out, v->u.s.p, v->u.s.len);
		else
			buf_put(st->out, v->u.s.p, v->u.s.len);
		return;
	case TVAL_BOOL:
		buf_puts(st->out, v->u.b ? "true" : "false");
		return;
	case TVAL_INT:
		len = snprintf(num, sizeof(num), "%" PRId64, v->u.i);
		break;
	case TVAL_REAL:
		/* Shortest of %.15g/%.17g that reads back exactly. */
		len = snprintf(num, sizeof(num), "%.15g", v->u.d);
		if (isfinite(v->u.d) && strtod(num, NULL) != v->u.d)
			len = snprintf(num, sizeof(num), "%.17g", v->u.d);
		break;
	default:
		return;
	}
	buf_put(st->out, num, (size_t)len);
}

/* Renders another template in place of a partial or parent tag. */
static int
render_call(struct rstate *st, const struct tmpl *t, const struct op *op,
    const struct frame *frames)
{
	const struct tmpl *callee = find(st->set, str(t, op->off), op->len);
	size_t oldlen = st->indent.len;
	int rc;

	if (callee == NULL)
		return 0;
	buf_put(&st->indent, str(t, op->ioff), op->ilen);
	rc = render_ops(st, callee, 0, callee->nops, frames);
	buf_truncate(&st->indent, oldlen);
	return rc;
}

/* Finds the argument for block op passed by the outermost parent call
 * that passes one ("top-level substitutions take precedence"); returns
 * that call's frame and sets *argop to the OP_ARG in its template, or
 * returns NULL. */
static const struct frame *
find_arg(const struct frame *frames, const struct tmpl *t,
    const struct op *op, size_t *argop)
{
	const struct frame *f, *found = NULL;
	const char *name = str(t, op->off);
	size_t j;

	for (f = frames; f != NULL; f = f->outer) {
		const struct op *p = &f->t->ops[f->op];

		for (j = f->op + 1; j < p->end; j = f->t->ops[j].end) {
			const struct op *a = &f->t->ops[j];

			if (a->len == op->len &&
			    memcmp(str(f->t, a->off), name, op->len) == 0) {
				found = f;
				*argop = j;
			}
		}
	}
	return found;
}

static int
render_block(struct rstate *st, const struct tmpl *t, size_t i,
    const struct frame *frames)
{
	const struct op *op = &t->ops[i];
	const struct frame *f;
	const struct op *a;
	size_t argop = 0, oldlen;
	int rc;

	if ((f = find_arg(frames, t, op, &argop)) == NULL)
		return render_ops(st, t, i + 1, op->end, frames);
	a = &f->t->ops[argop];
	oldlen = st->indent.len;
	buf_put(&st->indent, str(t, op->ioff), op->ilen);
	rc = render_ops(st, f->t, argop + 1, a->end, f->outer);
	buf_truncate(&st->indent, oldlen);
	return rc;
}

static int
render_section(struct rstate *st, const struct tmpl *t, size_t i,
    const struct frame *frames)
{
	const struct op *op = &t->ops[i];
	const struct tval *v = lookup(st, t, op);
	size_t k;
	int rc = 0;

	if (!truthy(v))
		return 0;
	if (v->kind == TVAL_LIST) {
		for (k = 0; k < v->u.list.n && rc == 0; k++) {
			st->stack[st->sp++] = v->u.list.v[k];
			rc = render_ops(st, t, i + 1, op->end, frames);
			st->sp--;
		}
	} else {
		st->stack[st->sp++] = v;
		rc = render_ops(st, t, i + 1, op->end, frames);
		st->sp--;
	}
	return rc;
}

/* Whether the render went over its budget; then the error is set,
 * naming the template asked for and the one it stopped in. */
static int
over_budget(struct rstate *st, const struct tmpl *t)
{
	if (st->out->len - st->start + st->spent <= st->budget)
		return 0;
	buf_reset(&st->set->err);
	buf_printf(&st->set->err, "%s: output over its limit of %zu bytes "
	    "(stopped in '%s'): partials or sections expand too often",
	    st->top, st->budget, t->name);
	return 1;
}

/*
 * Renders ops [from, to) of t; frames are the enclosing parent calls.
 * Every nested body (section, partial, parent, block) comes through
 * here, so this is where the depth and the expansions are bounded; it
 * also bounds the context stack, which only sections push.
 */
static int
render_ops(struct rstate *st, const struct tmpl *t, size_t from, size_t to,
    const struct frame *frames)
{
	struct frame fr;
	size_t i = from;
	const struct op *op;
	int rc = -1;

	if (st->depth >= TMPL_MAX_DEPTH) {
		buf_reset(&st->set->err);
		buf_printf(&st->set->err, "%s: nesting deeper than %d "
		    "(recursive partial?)", t->name, TMPL_MAX_DEPTH);
		return -1;
	}
	st->spent += TMPL_EXPANSION_COST;
	if (over_budget(st, t))
		return -1;
	st->depth++;
	while (i < to) {
		op = &t->ops[i];
		switch (op->kind) {
		case OP_TEXT:
			put_text(st, str(t, op->off), op->len);
			if (over_budget(st, t))
				goto out;
			break;
		case OP_VAR:
		case OP_RAW:
			put_value(st, lookup(st, t, op), op->kind == OP_VAR);
			if (over_budget(st, t))
				goto out;
			break;
		case OP_SECTION:
			if (render_section(st, t, i, frames) == -1)
				goto out;
			i = op->end;
			continue;
		case OP_INVERTED:
			if (!truthy(lookup(st, t, op)) &&
			    render_ops(st, t, i + 1, op->end, frames) == -1)
				goto out;
			i = op->end;
			continue;
		case OP_PARTIAL:
			if (render_call(st, t, op, frames) == -1)
				goto out;
			break;
		case OP_PARENT:
			fr.t = t;
			fr.op = i;
			fr.outer = frames;
			if (render_call(st, t, op, &fr) == -1)
				goto out;
			i = op->end;
			continue;
		case OP_BLOCK:
			if (render_block(st, t, i, frames) == -1)
				goto out;
			i = op->end;
			continue;
		case OP_ARG: /* only reached through a parent */
			i = op->end;
			continue;
		}
		i++;
	}
	rc = 0;
out:
	st->depth--;
	return rc;
}

/* The bytes of the values in data's arena (data, everything made next
 * to it for the page, and nothing in other arenas). */
static size_t
data_bytes(const struct tval *data)
{
	const struct tctx *cx = NULL;

	if (data != NULL && data->kind == TVAL_MAP)
		cx = data->u.map.cx;
	else if (data != NULL && data->kind == TVAL_LIST)
		cx = data->u.list.cx;
	return cx ? cx->total : 0;
}

int
tset_render(struct tset *set, const char *name, const struct tval *data,
    struct buf *out)
{
	struct rstate st;
	const struct tmpl *t;
	size_t oldlen = out->len;
	int rc;

	if ((t = find(set, name, strlen(name))) == NULL) {
		buf_reset(&set->err);
		buf_printf(&set->err, "no template '%s'", name);
		return -1;
	}
	st.set = set;
	st.out = out;
	st.sp = 0;
	st.stack[st.sp++] = data;
	buf_init(&st.indent);
	st.pending = 1;
	st.depth = 0;
	st.top = t->name;
	st.start = oldlen;
	st.spent = 0;
	st.budget = TMPL_MAX_OUTPUT + 2 * data_bytes(data);
	rc = render_ops(&st, t, 0, t->nops, NULL);
	buf_release(&st.indent);
	if (rc == -1)
		buf_truncate(out, oldlen);
	else
		buf_reset(&set->err);
	return rc;
}
