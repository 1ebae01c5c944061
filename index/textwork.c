/*
 * textwork: the text pass's workers (textwork.h).
 */
#include "index/textwork.h"

#include <stdlib.h>
#include <string.h>

#include "core/htmltext.h"
#include "core/sort.h"
#include "core/xmalloc.h"
#include "index/tokenize.h"

/* Tokens of each field counted into the vectors (long code dumps in
 * a question or an answer add nothing but noise and time). */
#define TERM_TOKENS 3000

static void
tmap_add(struct tmap *m, const char *t, size_t n, uint32_t w)
{
	int added;
	long i = strtab_add(&m->terms, t, n, &added);

	if (added) {
		if (m->terms.cap > m->cap) {
			m->cap = m->terms.cap;
			m->w = xreallocarray(m->w, m->cap, sizeof *m->w);
		}
		m->w[i] = 0;
	}
	m->w[i] += w;
}

static int
term_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct worker *w = ctx;

	tmap_add(&w->map, tok, n, w->weight);
	return ++w->ntok >= TERM_TOKENS;
}

static void
count(struct worker *w, struct tokenizer *t, const struct buf *text,
    uint32_t weight)
{
	w->weight = weight;
	w->ntok = 0;
	tok_run(t, TOK_QUERY, text->data, text->len, term_cb, w);
}

/* Sort helpers over a tmap (qsort has no context argument; one per
 * worker thread). */
static _Thread_local const struct tmap *sort_map;

static int
by_weight(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct tmap *m = sort_map;

	if (m->w[x] != m->w[y])
		return m->w[x] > m->w[y] ? -1 : 1;
	return strtab_cmp(&m->terms, x, y);
}

static int
by_bytes(const void *a, const void *b)
{
	return strtab_cmp(&sort_map->terms, *(const uint32_t *)a,
	    *(const uint32_t *)b);
}

/* Encodes the map as a stored term vector (see index_int.h). */
static void
encode(struct tmap *m, struct buf *out)
{
	uint32_t *ids = xmalloc((m->terms.n ? m->terms.n : 1) * sizeof *ids);
	size_t i, n = m->terms.n, kn;
	const char *key;

	for (i = 0; i < n; i++)
		ids[i] = (uint32_t)i;
	sort_map = m;
	if (n > INDEX_TERMS_MAX) {
		fq_select(ids, n, sizeof *ids, INDEX_TERMS_MAX, by_weight);
		n = INDEX_TERMS_MAX;
	}
	fq_sort(ids, n, sizeof *ids, by_bytes);
	for (i = 0; i < n; i++) {
		uint32_t k = ids[i], wt = m->w[k] > 65535 ? 65535 : m->w[k];

		key = strtab_key(&m->terms, k, &kn);
		buf_putc(out, (int)kn);
		buf_put(out, key, kn);
		buf_putc(out, (int)(wt & 0xff));
		buf_putc(out, (int)(wt >> 8));
	}
	free(ids);
}

/* A field's text: HTML fields through their text. */
static const struct buf *
field_text(const struct item *it, int f)
{
	return index_fields[f].html ? &it->text[f] : &it->f[f];
}

/* A document-mode token: onto the field's raw list and into the
 * search data; a whole one (a query-mode token, tokenize.h) also into
 * the term vector when its language's tokenizer is this one, and its
 * unstemmed form into the search's forms. */
static int
doc_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct worker *w = ctx;
	const char *form;
	size_t fn;

	if (!(flags & TOK_COLOCATED)) {
		if (w->vec && w->ntok < TERM_TOKENS) {
			tmap_add(&w->map, tok, n, w->vec);
			w->ntok++;
		}
		if (w->it->search) {
			form = tok_unstemmed(w->doc, &fn);
			index_sdoc_form(&w->it->sd, form, fn);
		}
	}

	if (w->it->fts) {
		if (w->raw->len == 0)
			buf_putc(w->raw, TOK_RAW); /* a raw text */
		buf_putc(w->raw, flags & TOK_COLOCATED ? TOK_RAW_COLOCATED :
		    TOK_RAW);
		buf_put(w->raw, tok, n);
	}
	if (w->it->search)
		index_sdoc_token(&w->it->sd, flags, tok, n, w->bm25, w->title);
	return 0;
}

void
text_process(struct worker *w, struct item *it)
{

	int f, own = it->fts && !w->same[it->lang];

	strtab_reset(&w->map.terms);
	index_sdoc_reset(&it->sd);
	w->it = it;
	for (f = 0; f < INDEX_NFIELDS; f++) {
		const struct buf *text;
		uint32_t vw = it->fts ? (uint32_t)index_fields[f].vector : 0;

		if (index_fields[f].html)
			htmltext_append(&it->text[f], it->f[f].data,
			    it->f[f].len);
		text = field_text(it, f);
		/* The vector from the source's own tokenizer only when it
		 * is not the table's (several language lists). */
		if (own && vw)
			count(w, w->tok[it->lang], text, vw);
		w->vec = own ? 0 : vw;
		w->ntok = 0;
		w->raw = &it->raw[f];
		w->bm25 = (uint32_t)index_fields[f].bm25;
		w->title = f == INDEX_F_TITLE;
		tok_run(w->doc, TOK_DOCUMENT, text->data, text->len, doc_cb, w);
	}
	if (it->fts)
		encode(&w->map, &it->terms);
	if (it->search)
		index_sdoc_snippet(&it->sd, it->text[INDEX_F_QUESTION].data,
		    it->text[INDEX_F_QUESTION].len);
}

void *
text_worker_main(void *arg)
{
	struct worker *w = arg;
	struct queue *q = w->q;
	struct batch *b;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (q->head == NULL && !q->quit)
			pthread_cond_wait(&q->cv, &q->mu);
		b = q->quit ? NULL : q->head;
		if (b) {
			q->head = b->wnext;
			if (q->head == NULL)
				q->tail = NULL;
		}
		pthread_mutex_unlock(&q->mu);
		if (b == NULL)
			return NULL;
		for (i = 0; i < b->n; i++)
			text_process(w, &b->items[i]);
		pthread_mutex_lock(&q->mu);
		b->done = 1;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
	}
}

static void
item_release(struct item *it)
{
	int f;

	for (f = 0; f < INDEX_NFIELDS; f++) {
		buf_release(&it->f[f]);
		buf_release(&it->text[f]);
		buf_release(&it->raw[f]);
	}
	buf_release(&it->terms);
	index_sdoc_release(&it->sd);
}

void
text_batch_free(struct batch *b)
{
	size_t i;

	for (i = 0; i < TEXT_BATCH; i++)
		item_release(&b->items[i]);
	free(b);
}

struct batch *
text_batch_new(void)
{
	struct batch *b = xcalloc(1, sizeof *b);
	size_t i;

	for (i = 0; i < TEXT_BATCH; i++) {
		struct item *it = &b->items[i];
		int f;

		for (f = 0; f < INDEX_NFIELDS; f++) {
			buf_init(&it->f[f]);
			buf_init(&it->text[f]);
			buf_init(&it->raw[f]);
		}
		buf_init(&it->terms);
		index_sdoc_init(&it->sd);
	}
	return b;
}

void
text_worker_init(struct worker *w, struct queue *q, char *const *langs,
    int nlangs, const char *doc_langs)
{
	int i;

	memset(w, 0, sizeof *w);
	w->q = q;
	strtab_init(&w->map.terms);
	for (i = 0; i < nlangs; i++)
		w->tok[i] = tok_new(langs[i]);
	/* The full-text table's tokenizer, as FTS5 makes it from the
	 * table's arguments (tokenize.c fts_create). */
	w->doc = tok_new(doc_langs);
	if (w->doc == NULL)
		w->doc = tok_new(NULL);
	for (i = 0; i < nlangs; i++)
		w->same[i] = w->tok[i] != NULL && tok_same(w->tok[i], w->doc);
}

void
text_worker_release(struct worker *w, int nlangs)
{
	int i;

	for (i = 0; i < nlangs; i++)
		tok_free(w->tok[i]);
	tok_free(w->doc);
	strtab_release(&w->map.terms);
	free(w->map.w);
}

void
text_enqueue(struct queue *q, struct batch *b)
{
	pthread_mutex_lock(&q->mu);
	if (q->tail)
		q->tail->wnext = b;
	else
		q->head = b;
	q->tail = b;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

void
text_wait_done(struct queue *q, struct batch *b)
{
	pthread_mutex_lock(&q->mu);
	while (!b->done)
		pthread_cond_wait(&q->cv, &q->mu);
	pthread_mutex_unlock(&q->mu);
}

