/*
 * The faqtory tokenizer.  The rules are specified in tests/vectors/README.md
 * (the JavaScript client implements the same document); this file is one
 * implementation of them.
 *
 * Text is read as a stream of "units": one code point each, decoded,
 * classified and folded through the generated tables (unicode_tables.c),
 * with ignorable code points (ZWJ, soft hyphen...) skipped and invalid
 * UTF-8 turned into a separator.  A letter, mark or digit starts a word
 * compound (scan_word); a CJK letter starts a bigram run (scan_cjk).
 * Nothing is allocated per token: units and token text live on the stack,
 * the dedup list of a compound lives in the tokenizer.
 */
#include "tokenize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "unicode_tables.h"

#define MAX_CP 64 /* code points in one word compound */
#define MAX_RUNS 8 /* more segments or humps: no multi-part runs */
#define MAX_STEMMERS 4
/* Tokens of one compound: 1 whole + at most 36 segment runs + hump runs
 * (at most 35 per segment of <= 8 humps, each hump >= 1 code point). */
#define MAX_GROUP 400
/* Stem cache: words repeat (Zipf), Snowball is the slowest step. */
#define CACHE_SLOTS 4096 /* power of two */
#define CACHE_WORD 24 /* longer words are not cached */

/* unit flags */
#define U_SEG 1 /* first unit of a segment */
#define U_HUMP 2 /* a camelCase/digit boundary precedes this unit */
#define U_JOINER 4 /* one of . - _ :: between segments */
#define U_SUFFIX 8 /* + or # ending the compound (c++, c#) */
#define U_DROP 16 /* Latin diacritic mark, not emitted */

struct unit {
	uint32_t cp; /* folded */
	uint16_t cls;
	uint8_t flags;
	size_t start, end; /* byte span in the text */
};

struct stemmer {
	struct sb_stemmer *sb;
	unsigned scripts; /* mask of 1 << UC_SCRIPT_* it may stem */
	int lang;         /* index in langs[] */
};

struct cached_stem {
	unsigned char stemmer; /* index + 1; 0 = empty slot */
	unsigned char wlen, slen;
	char word[CACHE_WORD], stem[CACHE_WORD];
};

struct tokenizer {
	struct stemmer stem[MAX_STEMMERS];
	int nstem;
	struct cached_stem *cache; /* CACHE_SLOTS entries */
	/* Tokens already emitted for the current compound. */
	char seen[MAX_GROUP][TOK_MAX_BYTES];
	unsigned char seen_len[MAX_GROUP];
	int nseen;
	/* The token being emitted, before stemming (tok_unstemmed). */
	const char *form;
	size_t form_len;
};

/* One tok_run() call. */
struct run {
	struct tokenizer *t;
	int mode;
	const char *s;
	size_t n;
	tok_cb cb;
	void *ctx;
};

#define LATIN (1u << UC_SCRIPT_LATIN)
#define CYRILLIC (1u << UC_SCRIPT_CYRILLIC)

static const struct {
	const char *name, *code;
	unsigned scripts;
} langs[] = {
	{ "arabic", "ar", 1u << UC_SCRIPT_ARABIC },
	{ "armenian", "hy", 1u << UC_SCRIPT_ARMENIAN },
	{ "basque", "eu", LATIN },
	{ "catalan", "ca", LATIN },
	{ "danish", "da", LATIN },
	{ "dutch", "nl", LATIN },
	{ "english", "en", LATIN },
	{ "finnish", "fi", LATIN },
	{ "french", "fr", LATIN },
	{ "german", "de", LATIN },
	{ "greek", "el", 1u << UC_SCRIPT_GREEK },
	{ "hindi", "hi", 1u << UC_SCRIPT_DEVANAGARI },
	{ "hungarian", "hu", LATIN },
	{ "indonesian", "id", LATIN },
	{ "irish", "ga", LATIN },
	{ "italian", "it", LATIN },
	{ "lithuanian", "lt", LATIN },
	{ "nepali", "ne", 1u << UC_SCRIPT_DEVANAGARI },
	{ "norwegian", "no", LATIN },
	{ "portuguese", "pt", LATIN },
	{ "romanian", "ro", LATIN },
	{ "russian", "ru", CYRILLIC },
	{ "serbian", "sr", LATIN | CYRILLIC },
	{ "spanish", "es", LATIN },
	{ "swedish", "sv", LATIN },
	{ "tamil", "ta", 1u << UC_SCRIPT_TAMIL },
	{ "turkish", "tr", LATIN },
	{ "yiddish", "yi", 1u << UC_SCRIPT_HEBREW },
};

static inline unsigned
kind(uint16_t cls)
{
	return cls & UC_KIND_MASK;
}

static inline unsigned
script(uint16_t cls)
{
	return (cls & UC_SCRIPT_MASK) >> UC_SCRIPT_SHIFT;
}

static inline int
is_word(uint16_t cls)
{
	unsigned k = kind(cls);

	return k == UC_LETTER || k == UC_MARK || k == UC_DIGIT;
}

static inline uint16_t
uclass(uint32_t cp)
{
	return uc_class_values[uc_stage2[(size_t)uc_stage1[cp >> 7] * 128 +
	    (cp & 127)]];
}

/* Returns the folded form of a code point that has UC_F_MAPPED. */
static uint32_t
ufold(uint32_t cp)
{
	size_t lo = 0, hi = uc_fold_len, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (uc_fold[mid][0] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < uc_fold_len && uc_fold[lo][0] == cp ? uc_fold[lo][1] : cp;
}

/*
 * Reads the unit at or after byte pos, skipping ignorable code points.
 * Returns 0 at the end of the text.  An invalid sequence is a unit of
 * kind UC_OTHER (a separator).
 */
static int
read_unit(const char *s, size_t n, size_t pos, struct unit *u)
{
	unsigned char c;
	size_t adv;
	long cp;
	uint16_t cls;

	while (pos < n) {
		c = (unsigned char)s[pos];
		if (c < 0x80) {
			u->cp = c >= 'A' && c <= 'Z' ? c + 32u : c;
			u->cls = uclass(c);
			u->flags = 0;
			u->start = pos;
			u->end = pos + 1;
			return 1;
		}
		cp = utf8_decode(s + pos, n - pos, &adv);
		if (cp < 0) {
			u->cp = 0xfffd;
			u->cls = UC_OTHER;
		} else {
			cls = uclass((uint32_t)cp);
			if (kind(cls) == UC_IGNORE) {
				pos += adv;
				continue;
			}
			u->cls = cls;
			u->cp = cls & UC_F_MAPPED ? ufold((uint32_t)cp) :
			    (uint32_t)cp;
		}
		u->flags = 0;
		u->start = pos;
		u->end = pos + adv;
		return 1;
	}
	return 0;
}

/* Appends cp to out[*len] unless that would pass TOK_MAX_BYTES; returns
 * 0 once the token is full. */
static int
put_cp(char *out, size_t *len, uint32_t cp)
{
	size_t k = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	char *p = out + *len;

	if (*len + k > TOK_MAX_BYTES)
		return 0;
	switch (k) {
	case 1:
		p[0] = (char)cp;
		break;
	case 2:
		p[0] = (char)(0xc0 | (cp >> 6));
		p[1] = (char)(0x80 | (cp & 0x3f));
		break;
	case 3:
		p[0] = (char)(0xe0 | (cp >> 12));
		p[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		p[2] = (char)(0x80 | (cp & 0x3f));
		break;
	default:
		p[0] = (char)(0xf0 | (cp >> 18));
		p[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		p[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		p[3] = (char)(0x80 | (cp & 0x3f));
		break;
	}
	*len += k;
	return 1;
}

/* Appends a folded code point; sharp s folds to "ss". */
static int
put_folded(char *out, size_t *len, uint32_t cp)
{
	if (cp == 0xdf)
		return put_cp(out, len, 's') && put_cp(out, len, 's');
	return put_cp(out, len, cp);
}

/* Returns the length of the longest prefix of s[0, n) that ends on a
 * code point boundary and fits in TOK_MAX_BYTES. */
static size_t
cut(const char *s, size_t n)
{
	if (n <= TOK_MAX_BYTES)
		return n;
	n = TOK_MAX_BYTES;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/*
 * Returns the index of the stemmer for units u[a, b), or -1: only a plain word is
 * stemmed, one with no joiner, suffix, digit or inner hump boundary whose
 * letters are all in scripts the stemmer handles.
 */
static int
stemmer_for(const struct tokenizer *t, const struct unit *u, int a, int b)
{
	unsigned scripts = 0;
	int i;

	for (i = a; i < b; i++) {
		if (u[i].flags & (U_JOINER | U_SUFFIX))
			return -1;
		if (i > a && (u[i].flags & U_HUMP))
			return -1;
		if (kind(u[i].cls) == UC_DIGIT)
			return -1;
		if (kind(u[i].cls) == UC_LETTER)
			scripts |= 1u << script(u[i].cls);
	}
	for (i = 0; i < t->nstem && scripts; i++)
		if ((scripts & ~t->stem[i].scripts) == 0)
			return i;
	return -1;
}

/*
 * Stems word[0, len) with stemmer si; sets *out to the stem (owned by the
 * tokenizer, valid until the next call) and returns its length, 0 if the
 * stemmer gave nothing.
 */
static size_t
stem(struct tokenizer *t, int si, const char *word, size_t len,
    const char **out)
{
	struct cached_stem *c = NULL;
	const sb_symbol *st;
	uint32_t h = 2166136261u;
	size_t i, sl;

	if (len < CACHE_WORD) {
		for (i = 0; i < len; i++)
			h = (h ^ (unsigned char)word[i]) * 16777619u;
		c = &t->cache[(h ^ (uint32_t)si) & (CACHE_SLOTS - 1)];
		if (c->stemmer == si + 1 && c->wlen == len &&
		    memcmp(c->word, word, len) == 0) {
			*out = c->stem;
			return c->slen;
		}
	}
	st = sb_stemmer_stem(t->stem[si].sb, (const sb_symbol *)word,
	    (int)len);
	if (st == NULL)
		xdie("out of memory");
	sl = cut((const char *)st, (size_t)sb_stemmer_length(t->stem[si].sb));
	*out = (const char *)st;
	if (c != NULL && sl < CACHE_WORD) {
		c->stemmer = (unsigned char)(si + 1);
		c->wlen = (unsigned char)len;
		c->slen = (unsigned char)sl;
		memcpy(c->word, word, len);
		memcpy(c->stem, st, sl);
	}
	return sl;
}

/* Emits one token; in document mode skips one already emitted for the
 * same compound when `dedup`.  Returns the callback's value. */
static int
emit(struct run *r, int colocated, int dedup, const char *tok, size_t len,
    size_t start, size_t end)
{
	struct tokenizer *t = r->t;
	int i;

	if (dedup) {
		for (i = 0; i < t->nseen; i++)
			if (t->seen_len[i] == len &&
			    memcmp(t->seen[i], tok, len) == 0)
				return 0;
		if (t->nseen < MAX_GROUP) {
			memcpy(t->seen[t->nseen], tok, len);
			t->seen_len[t->nseen++] = (unsigned char)len;
		}
	}
	return r->cb(r->ctx, colocated ? TOK_COLOCATED : 0, tok, len, start,
	    end);
}

/* Folds, stems and emits the units u[a, b). */
static int
emit_units(struct run *r, const struct unit *u, int a, int b, int colocated,
    int dedup)
{
	char tok[TOK_MAX_BYTES];
	const char *st;
	size_t len = 0, sl;
	int i, si = -1;

	for (i = a; i < b; i++)
		if (!(u[i].flags & U_DROP) && !put_folded(tok, &len, u[i].cp))
			break;
	if (!(r->mode & TOK_PREFIX))
		si = stemmer_for(r->t, u, a, b);
	r->t->form = tok;
	r->t->form_len = len;
	if (si >= 0 && (sl = stem(r->t, si, tok, len, &st)) > 0)
		return emit(r, colocated, dedup, st, sl, u[a].start,
		    u[b - 1].end);
	return emit(r, colocated, dedup, tok, len, u[a].start, u[b - 1].end);
}

/*
 * Marks hump boundaries (U_HUMP) in the segment u[a, b) and returns the
 * number of humps.  Marks are skipped; a boundary precedes a unit when
 * lower->Upper (doSomething), Upper->Upper+lower+lower (XMLReader, but not
 * URLs), or at a letter<->digit change (utf8).
 */
static int
humps(struct unit *u, int a, int b)
{
	int idx[MAX_CP], m = 0, k, nh = 1;
	unsigned ty[MAX_CP];

	for (k = a; k < b; k++) {
		if (kind(u[k].cls) == UC_MARK)
			continue;
		idx[m] = k;
		ty[m++] = kind(u[k].cls) == UC_DIGIT ? 'd' :
		    (u[k].cls & UC_CASE_MASK) == UC_CASE_UPPER ? 'U' :
		    (u[k].cls & UC_CASE_MASK) == UC_CASE_LOWER ? 'l' : 'o';
	}
	for (k = 1; k < m; k++) {
		if ((ty[k - 1] == 'l' && ty[k] == 'U') ||
		    ((ty[k - 1] == 'd') != (ty[k] == 'd')) ||
		    (ty[k - 1] == 'U' && ty[k] == 'U' && k + 2 < m &&
			ty[k + 1] == 'l' && ty[k + 2] == 'l')) {
			u[idx[k]].flags |= U_HUMP;
			nh++;
		}
	}
	return nh;
}

/* Emits every run of consecutive parts (cuts[i] .. cuts[i+1]-1 are the
 * units of part i; ends[i] excludes trailing joiners) except the whole,
 * or only single parts when there are more than MAX_RUNS. */
static int
emit_runs(struct run *r, const struct unit *u, const int *cuts,
    const int *ends, int np)
{
	int i, j, rc = 0;

	for (i = 0; i < np && rc == 0; i++)
		for (j = i; j < np && rc == 0; j++) {
			if (i == 0 && j == np - 1)
				continue;
			if (np > MAX_RUNS && j != i)
				break;
			rc = emit_units(r, u, cuts[i], ends[j], 1, 1);
		}
	return rc;
}

/* Emits the tokens of the compound u[0, nu). */
static int
emit_word(struct run *r, struct unit *u, int nu)
{
	int seg[MAX_CP + 1], segend[MAX_CP], hc[MAX_CP], he[MAX_CP];
	int nseg = 0, i, s, b, nh, rc, multi = 0;

	for (i = 0; i < nu; i++)
		if (u[i].flags & U_SEG) {
			if (nseg > 0)
				segend[nseg - 1] = i;
			seg[nseg++] = i;
		}
	segend[nseg - 1] = nu;
	for (s = 0; s < nseg; s++) {
		/* segment s is seg[s] .. end; joiners trail all but the last */
		for (b = seg[s]; b < segend[s] && !(u[b].flags &
		    (U_JOINER | U_SUFFIX)); b++)
			;
		if (s < nseg - 1)
			segend[s] = b;
		if (humps(u, seg[s], b) > 1)
			multi = 1;
	}
	r->t->nseen = 0;
	if (r->mode & TOK_QUERY || (nseg == 1 && !multi))
		return emit_units(r, u, 0, nu, 0, 0);
	rc = emit_units(r, u, 0, nu, 0, 1);
	if (rc == 0 && nseg > 1)
		rc = emit_runs(r, u, seg, segend, nseg);
	for (s = 0; s < nseg && rc == 0; s++) {
		b = seg[s];
		nh = 0;
		for (i = seg[s]; i < segend[s]; i++) {
			if (u[i].flags & U_SUFFIX)
				break;
			if (i > seg[s] && (u[i].flags & U_HUMP)) {
				he[nh] = i;
				hc[nh++] = b;
				b = i;
			}
		}
		if (nh == 0)
			continue;
		he[nh] = i;
		hc[nh++] = b;
		rc = emit_runs(r, u, hc, he, nh);
	}
	return rc;
}

/* Returns whether unit u (a mark) is a diacritic to drop after prev. */
static int
drops(const struct unit *prev, const struct unit *u)
{
	if (!(u->cls & UC_F_DIACRITIC))
		return 0;
	if (prev->flags & U_DROP)
		return 1;
	return kind(prev->cls) == UC_LETTER &&
	    script(prev->cls) == UC_SCRIPT_LATIN;
}

/*
 * Scans the compound starting at *cur (a letter, mark or digit), emits
 * its tokens and leaves *cur at the unit after it (*have = 0 at the end):
 *
 *   compound = segment (joiner segment)* [suffix]
 *   segment  = (letter | mark | digit)+
 *   joiner   = "." | "-" | "_"+ | "::"     (only if a segment follows)
 *   suffix   = "+" | "++" | "#"             (after a letter or mark, not
 *                                            followed by a letter/mark/CJK)
 *
 * at most MAX_CP code points: the compound ends where the next unit would
 * not fit.
 */
static int
scan_word(struct run *r, struct unit *cur, int *have)
{
	struct unit u[MAX_CP], nx;
	int nu = 0, j, more;
	uint32_t c;
	unsigned k;

	u[nu] = *cur;
	u[nu++].flags = U_SEG;
	*have = read_unit(r->s, r->n, cur->end, cur);
	for (;;) {
		while (*have && is_word(cur->cls) && nu < MAX_CP) {
			u[nu] = *cur;
			if (drops(&u[nu - 1], cur))
				u[nu].flags |= U_DROP;
			nu++;
			*have = read_unit(r->s, r->n, cur->end, cur);
		}
		if (!*have || nu >= MAX_CP)
			break;
		/* a joiner, read tentatively into u[nu..] */
		c = cur->cp;
		j = 0;
		more = 0;
		if (c == '.' || c == '-' || c == '_') {
			u[nu] = *cur;
			j = 1;
			more = read_unit(r->s, r->n, cur->end, &nx);
			while (c == '_' && more && nx.cp == '_' &&
			    nu + j < MAX_CP) {
				u[nu + j++] = nx;
				more = read_unit(r->s, r->n, nx.end, &nx);
			}
		} else if (c == ':') {
			more = read_unit(r->s, r->n, cur->end, &nx);
			if (more && nx.cp == ':' && nu + 1 < MAX_CP) {
				u[nu] = *cur;
				u[nu + 1] = nx;
				j = 2;
				more = read_unit(r->s, r->n, nx.end, &nx);
			}
		}
		if (j > 0 && more && is_word(nx.cls) && nu + j + 1 <= MAX_CP) {
			for (; j > 0; j--)
				u[nu++].flags = U_JOINER;
			u[nu] = nx;
			u[nu++].flags = U_SEG;
			*have = read_unit(r->s, r->n, nx.end, cur);
			continue;
		}
		/* a suffix: c++, c# */
		k = kind(u[nu - 1].cls);
		if ((c == '+' || c == '#') && (k == UC_LETTER || k == UC_MARK)) {
			u[nu] = *cur;
			j = 1;
			more = read_unit(r->s, r->n, cur->end, &nx);
			if (c == '+' && more && nx.cp == '+' && nu + 1 < MAX_CP) {
				u[nu + 1] = nx;
				j = 2;
				more = read_unit(r->s, r->n, nx.end, &nx);
			}
			k = more ? kind(nx.cls) : UC_OTHER;
			if (k != UC_LETTER && k != UC_MARK && k != UC_CJK) {
				for (; j > 0; j--)
					u[nu++].flags = U_SUFFIX;
				*have = more;
				*cur = nx;
			}
		}
		break;
	}
	return emit_word(r, u, nu);
}

/* A CJK character with the marks that follow it, folded. */
struct cjk {
	char text[TOK_MAX_BYTES];
	size_t len, start, end;
};

/* Reads the CJK unit starting at *cur into out, leaving *cur after it. */
static void
read_cjk(struct run *r, struct unit *cur, int *have, struct cjk *out)
{
	out->len = 0;
	out->start = cur->start;
	put_cp(out->text, &out->len, cur->cp);
	do {
		out->end = cur->end;
		*have = read_unit(r->s, r->n, cur->end, cur);
		if (*have && kind(cur->cls) == UC_MARK)
			put_cp(out->text, &out->len, cur->cp);
	} while (*have && kind(cur->cls) == UC_MARK);
}

/*
 * Emits the CJK run starting at *cur: at the position of each character,
 * the bigram with the next character (if any), then (document mode) the
 * character itself colocated; the last character alone at its own
 * position.  Query mode emits only the first token of each position.
 */
static int
scan_cjk(struct run *r, struct unit *cur, int *have)
{
	struct cjk a, b;
	char bi[2 * TOK_MAX_BYTES];
	int rc = 0;

	read_cjk(r, cur, have, &a);
	while (*have && kind(cur->cls) == UC_CJK && rc == 0) {
		read_cjk(r, cur, have, &b);
		memcpy(bi, a.text, a.len);
		memcpy(bi + a.len, b.text, b.len);
		r->t->form = bi;
		r->t->form_len = cut(bi, a.len + b.len);
		rc = r->cb(r->ctx, 0, bi, r->t->form_len, a.start, b.end);
		r->t->form = a.text;
		r->t->form_len = a.len;
		if (rc == 0 && !(r->mode & TOK_QUERY))
			rc = r->cb(r->ctx, TOK_COLOCATED, a.text, a.len,
			    a.start, a.end);
		a = b;
	}
	r->t->form = a.text;
	r->t->form_len = a.len;
	if (rc == 0)
		rc = r->cb(r->ctx, 0, a.text, a.len, a.start, a.end);
	return rc;
}

int
tok_run(struct tokenizer *t, int mode, const char *text, size_t n, tok_cb cb,
    void *ctx)
{
	struct run r = { t, mode, text, n, cb, ctx };
	struct unit cur;
	int have, rc = 0;

	have = read_unit(text, n, 0, &cur);
	while (have && rc == 0) {
		if (is_word(cur.cls))
			rc = scan_word(&r, &cur, &have);
		else if (kind(cur.cls) == UC_CJK)
			rc = scan_cjk(&r, &cur, &have);
		else
			have = read_unit(text, n, cur.end, &cur);
	}
	return rc;
}

/* Adds the stemmer for `name`; returns 0 if unknown or too many. */
static int
add_lang(struct tokenizer *t, const char *name, size_t len)
{
	size_t i;
	char buf[32];

	if (len >= sizeof buf)
		return 0;
	memcpy(buf, name, len);
	buf[len] = '\0';
	for (i = 0; i < sizeof langs / sizeof langs[0]; i++) {
		if (strcmp(buf, langs[i].name) != 0 &&
		    strcmp(buf, langs[i].code) != 0)
			continue;
		if (t->nstem == MAX_STEMMERS)
			return 0;
		t->stem[t->nstem].sb = sb_stemmer_new(langs[i].name, "UTF_8");
		if (t->stem[t->nstem].sb == NULL)
			xdie("out of memory");
		t->stem[t->nstem].lang = (int)i;
		t->stem[t->nstem++].scripts = langs[i].scripts;
		return 1;
	}
	return 0;
}

struct tokenizer *
tok_new(const char *lang)
{
	struct tokenizer *t = xcalloc(1, sizeof *t);
	const char *p = lang ? lang : "", *e;
	unsigned covered = 0;
	int i, none = 0, words = 0;

	for (;;) {
		p += strspn(p, " ,\t");
		if (*p == '\0')
			break;
		e = p + strcspn(p, " ,\t");
		words++;
		if (e - p == 4 && memcmp(p, "none", 4) == 0)
			none = 1;
		else if (!add_lang(t, p, (size_t)(e - p)))
			goto fail;
		p = e;
	}
	if (none && words > 1)
		goto fail;
	t->cache = xcalloc(CACHE_SLOTS, sizeof *t->cache);
	for (i = 0; i < t->nstem; i++)
		covered |= t->stem[i].scripts;
	if (!none && !(covered & LATIN) && !add_lang(t, "english", 7))
		goto fail;
	return t;
fail:
	tok_free(t);
	return NULL;
}

int
tok_same(const struct tokenizer *a, const struct tokenizer *b)
{
	int i;

	if (a->nstem != b->nstem)
		return 0;
	for (i = 0; i < a->nstem; i++)
		if (a->stem[i].lang != b->stem[i].lang)
			return 0;
	return 1;
}

const char *
tok_unstemmed(const struct tokenizer *t, size_t *n)
{
	*n = t->form_len;
	return t->form;
}

void
tok_free(struct tokenizer *t)
{
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nstem; i++)
		sb_stemmer_delete(t->stem[i].sb);
	free(t->cache);
	free(t);
}

/* FTS5 glue. */

struct fts_ctx {
	void *ctx;
	int (*xToken)(void *, int, const char *, int, int, int);
};

static int
fts_token(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct fts_ctx *f = ctx;

	return f->xToken(f->ctx, flags & TOK_COLOCATED ? FTS5_TOKEN_COLOCATED :
	    0, tok, (int)n, (int)start, (int)end);
}

static int
fts_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
	struct buf lang = BUF_INIT;
	struct tokenizer *t;
	int i;

	for (i = 0; i < argc; i++) {
		buf_puts(&lang, argv[i]);
		buf_putc(&lang, ' ');
	}
	t = tok_new(lang.data);
	buf_release(&lang);
	*out = (Fts5Tokenizer *)t;
	return t != NULL ? SQLITE_OK : SQLITE_ERROR;
}

static void
fts_delete(Fts5Tokenizer *t)
{
	tok_free((struct tokenizer *)t);
}

/* A raw text's tokens (tokenize.h), in document mode only: a query
 * is always words. */
static int
fts_raw(const char *text, int n,
    int (*xToken)(void *, int, const char *, int, int, int), void *ctx)
{
	int i = 1, rc = SQLITE_OK;

	while (i < n && rc == SQLITE_OK) {
		int flag = text[i] == TOK_RAW_COLOCATED ? FTS5_TOKEN_COLOCATED :
		    0, s = ++i;

		while (i < n && text[i] != TOK_RAW &&
		    text[i] != TOK_RAW_COLOCATED)
			i++;
		if (i > s && i - s <= TOK_MAX_BYTES)
			rc = xToken(ctx, flag, text + s, i - s, s, i);
	}
	return rc;
}

static int
fts_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
    int (*xToken)(void *, int, const char *, int, int, int))
{
	struct fts_ctx f = { ctx, xToken };
	int mode = TOK_DOCUMENT;

	if (flags & FTS5_TOKENIZE_QUERY)
		mode = TOK_QUERY | (flags & FTS5_TOKENIZE_PREFIX ? TOK_PREFIX :
		    0);
	if (n <= 0)
		return SQLITE_OK;
	if (mode == TOK_DOCUMENT && text[0] == TOK_RAW)
		return fts_raw(text, n, xToken, ctx);
	return tok_run((struct tokenizer *)t, mode, text, (size_t)n,
	    fts_token, &f);
}

int
tok_register_fts5(sqlite3 *db)
{
	static fts5_tokenizer methods = { fts_create, fts_delete,
		fts_tokenize };
	sqlite3_stmt *st = NULL;
	fts5_api *api = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr",
		    NULL);
	if (rc == SQLITE_OK)
		sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_OK && (api == NULL || api->iVersion < 2))
		rc = SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = api->xCreateTokenizer(api, "faqtory", NULL, &methods,
		    NULL);
	return rc;
}
