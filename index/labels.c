/*
 * labels: a cluster's label, a short phrase people would write.
 *
 * Candidates are the cluster's shared terms (stems), heaviest first, as
 * index/cluster.c counts them.  Each is looked up in the members'
 * titles (tokenized like the vectors), which gives its written forms
 * (the most common wins; "Keg" at the start of a title counts as "keg")
 * and its position in each title.  A candidate is kept when it is in
 * the titles of at least two members (one of a pair), is no stopword of
 * the source's languages (nor holds one: "how-to"), no bare number and
 * longer than one byte; up to LABEL_WORDS are kept, then put in the
 * order they take most often in the titles.  When the words are weak
 * (none, or the first is in less than a third of the titles) the most
 * common tag pair names the cluster instead.  Every tie is broken by
 * bytes, never by ids, so a label moves only when the words do.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/sort.h"
#include "core/strtab.h"
#include "core/xmalloc.h"
#include "index/labels.h"
#include "index/tokenize.h"

#define LABEL_WORDS 3
#define LABEL_CAND 16
#define SURFACES 8 /* written forms counted per candidate */
#define MAX_TAGS 16 /* per member, for tag pairs */

struct labeler {
	struct tokenizer *stem; /* the source's: finds the vector terms */
	struct tokenizer *fold; /* "none": case and diacritics folded */
	struct strtab stop;     /* folded stopwords and their parts */
};

static int
add_stop(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	strtab_add(ctx, tok, n, NULL);
	return 0;
}

/* One stopword, folded into the labeler's set. */
static void
add_word(void *arg, const char *w, size_t n)
{
	struct labeler *lb = arg;

	tok_run(lb->fold, TOK_DOCUMENT, w, n, add_stop, &lb->stop);
}

/* Adds the list of the language named or coded name[0, len). */
static void
add_lang(struct labeler *lb, const char *name, size_t len)
{
	stopword_each(name, len, add_word, lb);
}

struct labeler *
labeler_new(const char *lang)
{
	struct labeler *lb = xcalloc(1, sizeof *lb);
	const char *p = lang ? lang : "", *e;

	lb->stem = tok_new(lang);
	if (lb->stem == NULL)
		lb->stem = tok_new(NULL);
	lb->fold = tok_new("none");
	strtab_init(&lb->stop);
	add_lang(lb, "english", 7);
	for (;;) {
		p += strspn(p, " ,\t");
		if (*p == '\0')
			break;
		e = p + strcspn(p, " ,\t");
		add_lang(lb, p, (size_t)(e - p));
		p = e;
	}
	return lb;
}

void
labeler_free(struct labeler *lb)
{
	if (lb == NULL)
		return;
	tok_free(lb->stem);
	tok_free(lb->fold);
	strtab_release(&lb->stop);
	free(lb);
}

static int
is_stop(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	return strtab_find(ctx, tok, n) >= 0;
}

int
label_is_stopword(struct labeler *lb, const char *word, size_t n)
{
	return tok_run(lb->fold, TOK_DOCUMENT, word, n, is_stop, &lb->stop);
}

/* A bare number ("2", "1.5", "2020-01") or a single byte ("s"). */
static int
is_bare(const char *s, size_t n)
{
	size_t i;

	if (n <= 1)
		return 1;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x80 || (ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z'))
			return 0;
	}
	return 1;
}

/* Whether a word may stand in a label. */
static int
fit(struct labeler *lb, const char *s, size_t n)
{
	return n > 0 && !is_bare(s, n) && !label_is_stopword(lb, s, n);
}

static int
term_cmp(const void *a, const void *b)
{
	const struct label_term *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if ((x->members >= 2) != (y->members >= 2))
		return x->members >= 2 ? -1 : 1;
	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	if ((c = memcmp(x->term, y->term, n)) != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

struct surf {
	char s[TOK_MAX_BYTES];
	size_t len;
	uint32_t n;
};

struct cand {
	const struct label_term *t;
	struct surf surf[SURFACES];
	int nsurf;
	int pos;          /* token index in the current title, or -1 */
	uint32_t titles;  /* titles holding it */
	double possum;    /* of its first positions in them */
};

struct scan {
	struct cand *c;
	size_t nc;
	const char *text;
	int index; /* tokens seen in the current title */
	uint32_t before[LABEL_CAND][LABEL_CAND]; /* titles: i before j */
};

/* Counts one written form of c; a title's first word written "Keg"
 * counts as "keg" (capitalized by position, not by spelling). */
static void
add_surface(struct cand *c, const char *s, size_t n, int initial)
{
	char w[TOK_MAX_BYTES];
	size_t i;
	int k;

	if (n == 0 || n > sizeof w)
		return;
	memcpy(w, s, n);
	if (initial && w[0] >= 'A' && w[0] <= 'Z') {
		for (i = 1; i < n && !(w[i] >= 'A' && w[i] <= 'Z'); i++)
			;
		if (i == n)
			w[0] = (char)(w[0] + 32);
	}
	for (k = 0; k < c->nsurf; k++) {
		if (c->surf[k].len == n && memcmp(c->surf[k].s, w, n) == 0) {
			c->surf[k].n++;
			return;
		}
	}
	if (c->nsurf == SURFACES)
		return;
	memcpy(c->surf[c->nsurf].s, w, n);
	c->surf[c->nsurf].len = n;
	c->surf[c->nsurf++].n = 1;
}

static int
scan_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct scan *sc = ctx;
	size_t i;

	for (i = 0; i < sc->nc; i++) {
		struct cand *c = &sc->c[i];

		if (c->pos >= 0 || c->t->len != n || memcmp(c->t->term, tok, n))
			continue;
		c->pos = sc->index;
		add_surface(c, sc->text + start, end - start, sc->index == 0);
	}
	sc->index++;
	return 0;
}

/* Tokenizes one title and counts its candidates' forms and order. */
static void
scan_title(struct labeler *lb, struct scan *sc, const char *title)
{
	size_t i, j;

	sc->text = title;
	sc->index = 0;
	tok_run(lb->stem, TOK_QUERY, title, strlen(title), scan_cb, sc);
	for (i = 0; i < sc->nc; i++) {
		struct cand *c = &sc->c[i];

		if (c->pos < 0)
			continue;
		c->titles++;
		c->possum += c->pos;
		for (j = 0; j < sc->nc; j++) {
			if (sc->c[j].pos > c->pos)
				sc->before[i][j]++;
		}
	}
	for (i = 0; i < sc->nc; i++)
		sc->c[i].pos = -1;
}

/* The most common written form of c (ties: the smaller bytes). */
static const struct surf *
best_surface(const struct cand *c)
{
	const struct surf *b = NULL;
	int k;

	for (k = 0; k < c->nsurf; k++) {
		const struct surf *s = &c->surf[k];
		size_t m;
		int cmp;

		if (b == NULL || s->n > b->n) {
			b = s;
			continue;
		}
		if (s->n < b->n)
			continue;
		m = s->len < b->len ? s->len : b->len;
		cmp = memcmp(s->s, b->s, m);
		if (cmp < 0 || (cmp == 0 && s->len < b->len))
			b = s;
	}
	return b;
}

/* Whether chosen candidate a reads before b: the order most titles
 * give them, else the earlier mean position, else the rank. */
static int
reads_before(const struct scan *sc, size_t a, size_t b)
{
	const struct cand *x = &sc->c[a], *y = &sc->c[b];
	double mx = x->possum / x->titles, my = y->possum / y->titles;

	if (sc->before[a][b] != sc->before[b][a])
		return sc->before[a][b] > sc->before[b][a];
	if (mx != my)
		return mx < my;
	return a < b;
}

/* Picks up to LABEL_WORDS candidates into pick[] (by rank), then puts
 * them in reading order.  Returns how many. */
static size_t
pick_words(struct labeler *lb, struct scan *sc, size_t n, size_t *pick)
{
	uint32_t need = n >= 3 ? 2 : 1, most = 0;
	size_t i, k, np = 0;

	/* A word in few titles next to one in many is noise ("Sake"
	 * beside "bottle"): at least a third of the most common's titles. */
	for (i = 0; i < sc->nc; i++)
		most = sc->c[i].titles > most ? sc->c[i].titles : most;
	need = need > (most + 2) / 3 ? need : (most + 2) / 3;
	for (i = 0; i < sc->nc && np < LABEL_WORDS; i++) {
		const struct surf *s = best_surface(&sc->c[i]);
		int dup = 0;

		if (sc->c[i].titles < need || s == NULL || !fit(lb, s->s, s->len))
			continue;
		for (k = 0; k < np; k++) {
			const struct surf *o = best_surface(&sc->c[pick[k]]);

			dup |= o->len == s->len && memcmp(o->s, s->s, s->len) == 0;
		}
		if (!dup)
			pick[np++] = i;
	}
	for (i = 1; i < np; i++) {
		size_t v = pick[i];

		for (k = i; k > 0 && reads_before(sc, v, pick[k - 1]); k--)
			pick[k] = pick[k - 1];
		pick[k] = v;
	}
	return np;
}

/* Counts one more of key i of t in (*count)[i], growing it to t->cap. */
static void
bump(const struct strtab *t, long i, uint32_t **count, size_t *cap)
{
	if (t->cap > *cap) {
		*count = xreallocarray(*count, t->cap, sizeof **count);
		memset(*count + *cap, 0, (t->cap - *cap) * sizeof **count);
		*cap = t->cap;
	}
	(*count)[i]++;
}

/* Counts the tags of one member (at most MAX_TAGS that fit) and their
 * pairs, keyed "a\nb" with a before b in bytes. */
static void
count_tags(struct labeler *lb, const char *p, struct strtab *tags,
    uint32_t **tn, size_t *tcap, struct strtab *pairs, uint32_t **pn,
    size_t *pcap)
{
	long id[MAX_TAGS];
	size_t nid = 0, a, b, an, bn;
	struct buf key = BUF_INIT;
	const char *e;

	for (; p && *p && nid < MAX_TAGS; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if (!fit(lb, p, (size_t)(e - p)))
			continue;
		id[nid] = strtab_add(tags, p, (size_t)(e - p), NULL);
		bump(tags, id[nid++], tn, tcap);
	}
	for (a = 0; a < nid; a++) {
		for (b = 0; b < nid; b++) {
			const char *as, *bs;

			if (strtab_cmp(tags, (size_t)id[a], (size_t)id[b]) >= 0)
				continue;
			as = strtab_key(tags, (size_t)id[a], &an);
			bs = strtab_key(tags, (size_t)id[b], &bn);
			buf_reset(&key);
			buf_put(&key, as, an);
			buf_putc(&key, '\n');
			buf_put(&key, bs, bn);
			bump(pairs, strtab_add(pairs, key.data, key.len, NULL), pn,
			    pcap);
		}
	}
	buf_release(&key);
}

/* Appends the tag pair held by most members (at least two; ties: the
 * smaller bytes) as "a, b", the more common tag first.  Returns 1 if it
 * did. */
static int
tag_pair(struct labeler *lb, const struct label_member *m, size_t n,
    struct buf *out)
{
	struct strtab tags = STRTAB_INIT, pairs = STRTAB_INIT;
	uint32_t *tn = NULL, *pn = NULL;
	size_t i, tcap = 0, pcap = 0, kn, split;
	long best = -1, ia, ib;
	const char *k;

	for (i = 0; i < n; i++)
		count_tags(lb, m[i].tags, &tags, &tn, &tcap, &pairs, &pn, &pcap);
	for (i = 0; i < pairs.n; i++) {
		if (pn[i] < 2 || (best >= 0 && (pn[i] < pn[best] ||
		    (pn[i] == pn[best] && strtab_cmp(&pairs, i,
		    (size_t)best) >= 0))))
			continue;
		best = (long)i;
	}
	if (best >= 0) {
		k = strtab_key(&pairs, (size_t)best, &kn);
		split = (size_t)((const char *)memchr(k, '\n', kn) - k);
		ia = strtab_find(&tags, k, split);
		ib = strtab_find(&tags, k + split + 1, kn - split - 1);
		if (tn[ib] > tn[ia]) {
			buf_put(out, k + split + 1, kn - split - 1);
			buf_puts(out, ", ");
			buf_put(out, k, split);
		} else {
			buf_put(out, k, split);
			buf_puts(out, ", ");
			buf_put(out, k + split + 1, kn - split - 1);
		}
	}
	strtab_release(&tags);
	strtab_release(&pairs);
	free(tn);
	free(pn);
	return best >= 0;
}

struct title_words {
	struct labeler *lb;
	const char *text;
	struct buf *out;
	int got;
};

static int
title_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct title_words *tw = ctx;
	const char *s = tw->text + start;

	if (!fit(tw->lb, s, end - start))
		return 0;
	if (tw->got++)
		buf_putc(tw->out, ' ');
	buf_put(tw->out, s, end - start);
	return tw->got == LABEL_WORDS;
}

/* The last resort: the first words of the canonical title that fit,
 * else the title itself. */
static void
title_label(struct labeler *lb, const char *title, struct buf *out)
{
	struct title_words tw = { lb, title, out, 0 };

	tok_run(lb->fold, TOK_QUERY, title, strlen(title), title_cb, &tw);
	if (tw.got == 0)
		buf_puts(out, title);
}

void
label_make(struct labeler *lb, const struct label_member *m, size_t n,
    struct label_term *terms, size_t nterms, struct buf *out)
{
	struct scan *sc = xcalloc(1, sizeof *sc);
	struct cand c[LABEL_CAND];
	size_t pick[LABEL_WORDS], np, i;
	uint32_t most = 0;

	fq_sort(terms, nterms, sizeof *terms, term_cmp);
	sc->nc = nterms < LABEL_CAND ? nterms : LABEL_CAND;
	memset(c, 0, sizeof c);
	for (i = 0; i < sc->nc; i++) {
		c[i].t = &terms[i];
		c[i].pos = -1;
	}
	sc->c = c;
	for (i = 0; i < n; i++)
		scan_title(lb, sc, m[i].title);
	np = pick_words(lb, sc, n, pick);
	for (i = 0; i < np; i++)
		most = c[pick[i]].titles > most ? c[pick[i]].titles : most;
	/* Weak words: none, or none in a third of the titles. */
	if (most * 3 < n && tag_pair(lb, m, n, out))
		goto out;
	for (i = 0; i < np; i++) {
		const struct surf *s = best_surface(&c[pick[i]]);

		if (i)
			buf_putc(out, ' ');
		buf_put(out, s->s, s->len);
	}
	if (np == 0)
		title_label(lb, m[0].title, out);
out:
	free(sc);
}
