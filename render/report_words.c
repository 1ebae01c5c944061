/*
 * report_words: "in the customers' own words": the words of a group's
 * recent question titles that none of its older titles used (a new
 * error message, a new version number).  A word is a run of letters,
 * digits and non-ASCII bytes, with '.', '_' and '-' kept inside it
 * ("1.2.3", "ERR_FOO"), lowercased in ASCII; words of one letter and
 * the locale's "stopwords" (space-separated) are left out.  Ranked by
 * the number of recent questions using the word, then alphabetically.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/strtab.h"
#include "core/xmalloc.h"
#include "render/report_int.h"

/* One word of one question: sorted by word, runs are counted. */
struct tok {
	char *w;
	int recent;
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

/* A word counted: the questions using it recently and before. */
struct word {
	const char *w;
	int recent, older;
};

static int
inner(int ch)
{
	return isalnum(ch) || ch >= 0x80;
}

/* The space-separated stops, interned: a look-up per word of every
 * title, where a scan of the list was the render's hottest loop on a
 * title of millions of words. */
static void
stops_load(struct strtab *t, const char *p)
{
	while (*p) {
		size_t l;

		p += strspn(p, " ");
		l = strcspn(p, " ");
		if (l)
			strtab_add(t, p, l, NULL);
		p += l;
	}
}

static void
push(struct toks *t, const char *w, size_t n, int recent)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	t->v[t->n].w = xstrndup(w, n);
	t->v[t->n++].recent = recent;
}

/* The end of the word starting at s[i]. */
static size_t
word_end(const unsigned char *s, size_t i)
{
	while (s[i] && (inner(s[i]) || ((s[i] == '.' || s[i] == '_' ||
	    s[i] == '-') && inner(s[i + 1]))))
		i++;
	return i;
}

static int
cmp_tok(const void *a, const void *b)
{
	return strcmp(((const struct tok *)a)->w, ((const struct tok *)b)->w);
}

/* Keeps one of each word pushed since from: a title's words, sorted and
 * made unique (a look-up per word in what the title had shown was
 * quadratic; keeping every repeat held 50 bytes a word of a 9 MB
 * title).  Returns how many are left. */
static size_t
unique_from(struct toks *t, size_t from)
{
	size_t i, k;

	if (t->n - from < 2)
		return t->n - from;
	qsort(t->v + from, t->n - from, sizeof *t->v, cmp_tok);
	for (i = k = from + 1; i < t->n; i++) {
		if (strcmp(t->v[i].w, t->v[k - 1].w) == 0)
			free(t->v[i].w);
		else
			t->v[k++] = t->v[i];
	}
	t->n = k;
	return k - from;
}

/* The distinct words of title, once each, as recent or older. */
static void
tokens(struct toks *t, const char *title, int recent,
    const struct strtab *stops)
{
	const unsigned char *s = (const unsigned char *)title;
	size_t i = 0, j, k, n, from = t->n, lim = 1024;
	char w[64];

	while (s[i]) {
		if (!inner(s[i])) {
			i++;
			continue;
		}
		j = word_end(s, i);
		n = j - i;
		if (n >= 2 && n < sizeof w) {
			for (k = 0; k < n; k++)
				w[k] = (char)tolower(s[i + k]);
			if (strtab_find(stops, w, n) < 0)
				push(t, w, n, recent);
			/* Compacted as it grows: memory stays about twice
			 * the title's distinct words, the sorts n log n. */
			if (t->n - from >= lim)
				lim = 2 * unique_from(t, from) + 1024;
		}
		i = j;
	}
	unique_from(t, from);
}

static int
cmp_word(const void *a, const void *b)
{
	const struct word *x = a, *y = b;

	if (x->recent != y->recent)
		return y->recent - x->recent;
	return strcmp(x->w, y->w);
}

/* The words of t used recently and never before, into *out (pointing
 * into t), ranked. */
static size_t
new_only(struct toks *t, struct word **out)
{
	struct word *v = xcalloc(t->n + 1, sizeof *v);
	size_t i = 0, j, n = 0;

	if (t->n > 1)
		qsort(t->v, t->n, sizeof *t->v, cmp_tok);
	while (i < t->n) {
		struct word w = { t->v[i].w, 0, 0 };

		for (j = i; j < t->n && strcmp(t->v[j].w, w.w) == 0; j++)
			*(t->v[j].recent ? &w.recent : &w.older) += 1;
		if (w.recent > 0 && w.older == 0)
			v[n++] = w;
		i = j;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_word);
	*out = v;
	return n;
}

void
report_new_words(struct rctx *c, struct tval *m, const size_t *idx, size_t n,
    int from, int recent, size_t max)
{
	struct toks t = { NULL, 0, 0 };
	struct strtab stops = STRTAB_INIT;
	struct word *w;
	size_t i, nw;

	stops_load(&stops, report_str(c, "stopwords"));
	for (i = 0; i < n; i++) {
		const struct rq *q = &c->d.q[idx[i]];

		if (q->week >= from) /* not after the week shown */
			tokens(&t, q->title, q->week < from + recent, &stops);
	}
	nw = new_only(&t, &w);
	if (nw > 0) {
		struct tval *l = tval_set_list(m, "words");

		tval_set_bool(m, "haswords", 1);

		for (i = 0; i < nw && i < max; i++)
			tval_list_push(l, tval_str(c->cx, w[i].w,
			    strlen(w[i].w)));
	}
	for (i = 0; i < t.n; i++)
		free(t.v[i].w);
	free(t.v);
	free(w);
	strtab_release(&stops);
}
