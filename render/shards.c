/*
 * shards: the static search index of the site (see shards.h and
 * docs/search.md for the format and the measurements behind the sizes).
 *
 * Postings carry a precomputed bm25 term weight: FTS5's bm25 (k1 1.2,
 * b 0.75) over the field-weighted frequency f that the index stage
 * stored, with the document length normalised by the entries' average,
 * quantised to 1..127, with bit 7 set when the term is in the entry's
 * title (or a folded one's).  The browser multiplies it by the idf it
 * computes from the posting count and N, so a query costs no
 * per-document data.
 *
 * Everything is sorted (entries by thread id, terms by bytes): the same
 * store gives the same bytes.
 */
#include "render_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/varint.h"
#include "core/escape.h"
#include "core/htmltext.h"
#include "core/xmalloc.h"

/* Chosen by measurement (docs/search.md); environment overrides exist
 * for bench/search.sh only. */
#define SHARD_MIN_BYTES 4096    /* smallest target size of a term shard */
#define SHARD_GROUP_BITS 2      /* 4 thread ids per entry file */
#define STOP_MIN_DF 200         /* common terms: df > N/2 and > this */
#define STOP_KEEP 50            /* postings kept for a common term */
#define STOP_SW_SHARE 100       /* stopwords listed: on 1 entry in this */
#define TOP_TOPICS 8
#define ANSWER_BYTES 200        /* the answer's first sentence, at most */
#define BM25_K1 1.2
#define BM25_B 0.75

/* One blob, its terms in byte order (index/searchdata.c): they need no
 * sort here. */
static const char SQL_VOCAB[] =
    "SELECT terms FROM search_vocab";
/* One pass in thread id order, merged with the entries (also in thread
 * id order): a point query per entry costs twice as much. */
static const char SQL_DOCS[] =
    "SELECT thread_id, len, terms, snippet FROM search_docs"
    " ORDER BY thread_id";
static const char SQL_TITLE_TERMS[] =
    "SELECT terms FROM search_docs WHERE thread_id = ?1";
static const char SQL_ANSWER[] =
    "SELECT body_html FROM posts WHERE source_id = ?1 AND ext_id = ?2";
static const char SQL_FORMS[] =
    "SELECT form, term_id FROM search_forms ORDER BY form";

struct term {
	const char *s; /* into the vocabulary's bytes */
	uint8_t len;
	uint32_t df, first; /* postings[first .. first + df) */
	int stop;
	int shard;
};

struct form {
	const char *s;    /* into formtext (set once all are read) */
	size_t off;
	const char *term; /* into the vocabulary's bytes */
	size_t len;
	uint32_t t; /* index of its term */
	int shard;
};

/* The vocabulary: term id is text.data + off[id] (NUL-terminated);
 * byrank lists the ids in byte order of their terms. */
struct vocab {
	struct buf text;
	uint32_t *off, *byrank;
	uint8_t *len, *have;
	size_t n, nrank;
};

/* Loads the vocabulary: [varint count], then [varint id][u8 len][term]
 * in byte order.  An entry with an id out of range or seen before is
 * skipped, and so are the postings that name an id no entry gave. */
static int
vocab_load(struct store *st, struct vocab *v)
{
	sqlite3_stmt *q = store_stmt(st, SQL_VOCAB);
	const unsigned char *b;
	size_t n, i = 0, k, count;
	int rc = sqlite3_step(q);

	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		return rc == SQLITE_DONE ? 0 : store_fail(st);
	}
	b = sqlite3_column_blob(q, 0);
	n = (size_t)sqlite3_column_bytes(q, 0);
	count = (size_t)varint_get(b, n, &i);
	if (i > n || count > n)
		count = 0;
	v->n = count;
	v->off = xcalloc(count + 1, sizeof *v->off);
	v->len = xcalloc(count + 1, sizeof *v->len);
	v->have = xcalloc(count + 1, 1);
	v->byrank = xcalloc(count + 1, sizeof *v->byrank);
	buf_grow(&v->text, n);
	for (k = 0; k < count && i < n; k++) {
		uint64_t id = varint_get(b, n, &i);
		size_t l;

		if (i >= n)
			break;
		l = b[i++];
		if (l > n - i)
			break;
		if (id < count && !v->have[id]) {
			v->have[id] = 1;
			v->off[id] = (uint32_t)v->text.len;
			v->len[id] = (uint8_t)l;
			v->byrank[v->nrank++] = (uint32_t)id;
			buf_put(&v->text, b + i, l);
			buf_putc(&v->text, '\0');
		}
		i += l;
	}
	sqlite3_reset(q);
	return 0;
}


/* The title's bm25 weight in index_meta 'fields' (index/fields.c:
 * {"title":{"bm25":8,...},...}), 0 if absent or not ours. */
static uint32_t
title_weight(const char *fields)
{
	json_t *root = json_loads(fields, 0, NULL);
	json_t *w = json_object_get(json_object_get(root, "title"), "bm25");
	json_int_t v = json_is_integer(w) ? json_integer_value(w) : 0;

	json_decref(root);
	return v > 0 && v <= 255 ? (uint32_t)v : 0;
}

/*
 * Whether `faqtory index` stored search data (index_meta 'search',
 * written with it) and the weights it was built with: 1 (*title_w set),
 * 0 or -1 (error printed).  An index without them was built by an
 * older faqtory, whose search data the store's migration dropped: said
 * once, the site's search stays empty until the next index.
 */
static int
search_data(struct store *st, uint32_t *title_w)
{
	struct buf v = BUF_INIT;
	int rc = store_meta_get(st, "search", &v);

	if (rc == 1) {
		buf_reset(&v);
		if ((rc = store_meta_get(st, "fields", &v)) == 1 &&
		    (*title_w = title_weight(v.data)) == 0)
			rc = 0;
	}
	if (rc == 0 && store_meta_get(st, "config", &v) == 1)
		fq_note("%s: search data of an older faqtory: the site's "
		    "search is empty until 'faqtory index' runs",
		    store_path(st));
	buf_release(&v);
	return rc;
}

static int
bytecmp(const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

static const struct shard_doc *sort_docs; /* for qsort; one thread */

static int
cmp_doc_idx(const void *pa, const void *pb)
{
	int64_t a = sort_docs[*(const uint32_t *)pa].thread_id;
	int64_t b = sort_docs[*(const uint32_t *)pb].thread_id;

	return (a > b) - (a < b);
}

static int
cmp_topic(const void *pa, const void *pb)
{
	const struct shard_topic *a = *(const struct shard_topic *const *)pa;
	const struct shard_topic *b = *(const struct shard_topic *const *)pb;

	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/*
 * The `keep` heaviest of the postings [first, first + m) (ties: the
 * earlier document), into tmp in document order; returns how many.
 * Weights are bytes, so a histogram finds the cut in one pass where
 * sorting a common term's postings cost a tenth of the whole build.
 */
static size_t
heaviest(const uint8_t *q, uint32_t first, size_t m, size_t keep,
    uint32_t *tmp)
{
	size_t hist[256] = { 0 }, above = 0, ties, j, k = 0;
	int cut = 255;

	for (j = 0; j < m; j++)
		hist[q[first + j]]++;
	while (cut > 0 && above + hist[cut] < keep)
		above += hist[cut--];
	ties = keep - above; /* postings of weight `cut` to take */
	for (j = 0; j < m && k < keep; j++) {
		int w = q[first + j];

		if (w > cut || (w == cut && ties > 0 && ties--))
			tmp[k++] = first + (uint32_t)j;
	}
	return k;
}


/* Size of a term or form in its shard (about). */
static size_t
key_size(const struct term *t, const struct form *f)
{
	if (t) {
		size_t m = t->stop && t->df > STOP_KEEP ? STOP_KEEP : t->df;

		return t->len + 1u + 3 * m + 2;
	}
	return f->len + 2 + strlen(f->term);
}

/* Hands the file being built (if any) to the sink, its bytes chained
 * into the tag in the order the files come. */
static void
end_file(struct shard_sink *out)
{
	if (!out->open)
		return;
	out->open = 0;
	out->tag = fq_hash64(out->cur.data, out->cur.len, out->tag);
	if (!out->failed && out->emit(out->arg, out->path.data, &out->cur))
		out->failed = 1;
}

/* Ends the previous file and starts the one at path: every writer
 * finishes a file before it starts the next. */
static struct buf *
add_file(struct shard_sink *out, const char *path)
{
	end_file(out);
	buf_reset(&out->path);
	buf_puts(&out->path, path);
	buf_reset(&out->cur);
	out->open = 1;
	return &out->cur;
}

static void
json_str(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	esc_json(b, s, n);
	buf_putc(b, '"');
}


/*
 * The postings, built in two passes over the entries so that they are
 * never held twice (at a million questions they are the render's
 * largest allocation).  Counting (doc NULL): cnt[t] counts the
 * documents of vocabulary id t.  Filling: each id's postings go to
 * [fill[t]...), in document order, one per term and document, f
 * summed and title or'ed when a document names a term twice (its
 * folded titles).
 */
struct acc {
	uint32_t *cnt, *fill;  /* per vocabulary id */
	uint32_t *end;         /* per vocabulary id: where its postings end */
	uint32_t *last;        /* per vocabulary id: last doc + 1 seen */
	uint32_t *doc;         /* per posting: its document, */
	uint16_t *f;           /* the summed weighted frequency, */
	uint8_t *title;        /* whether the term is in its title */
};

static void
acc_add(struct acc *a, uint32_t t, uint32_t doc, uint32_t f, int title)
{
	uint32_t at;

	if (a->last[t] == doc + 1) {
		if (a->doc == NULL)
			return;
		at = a->fill[t] - 1;
		a->f[at] = (uint16_t)(a->f[at] + f > 65535 ? 65535 :
		    a->f[at] + f);
		a->title[at] |= title != 0;
		return;
	}
	a->last[t] = doc + 1;
	if (a->doc == NULL) {
		a->cnt[t]++;
		return;
	}
	if (a->fill[t] == a->end[t])
		return; /* not counted: read_entries refuses the run */
	at = a->fill[t]++;
	a->doc[at] = doc;
	a->title[at] = title != 0;
	a->f[at] = (uint16_t)(f > 65535 ? 65535 : f);
}

/* Adds the terms of blob (see index/searchdata.c) to document doc:
 * all of them with their weight (title_w 0), or their title
 * occurrences times title_w.  Returns the title occurrences. */
static uint32_t
add_blob(const struct vocab *v, struct acc *a, uint32_t doc,
    const unsigned char *blob, size_t bn, uint32_t title_w)
{
	size_t p = 0;
	uint32_t titled = 0;

	while (blob && p < bn) {
		uint64_t id = varint_get(blob, bn, &p);
		uint64_t f = varint_get(blob, bn, &p);
		uint64_t tt = varint_get(blob, bn, &p);

		if (p > bn)
			break; /* a truncated blob: not ours */
		if (id >= v->n || !v->have[id] || f > UINT32_MAX ||
		    tt > UINT32_MAX)
			continue; /* not in the vocabulary: not ours */
		titled += (uint32_t)tt;
		if (title_w) {
			if (tt == 0)
				continue;
			f = title_w * tt;
		}
		acc_add(a, (uint32_t)id, doc, (uint32_t)f, tt > 0);
	}
	return titled;
}

/* Everything one shards_build() computes, in the order it does. */
struct build {
	struct store *st;
	const struct shard_doc *docs;
	size_t n;
	unsigned gbits;     /* an entry file per thread id >> gbits */
	uint32_t title_w;   /* index_meta 'fields': the title's bm25 weight */
	struct vocab voc;
	uint32_t *order;    /* entries in thread id order: document numbers */
	uint32_t *doclen;   /* per document: bm25's length */
	double avgdl;
	size_t npost;
	uint32_t *pdoc;     /* per posting, grouped by vocabulary id, each */
	uint16_t *pf;       /* id's in document order: the document, f */
	uint8_t *q;         /* (until weighed), then weight 1..127 | title
			     * 128 (before: the title flag) */
	uint32_t *vfirst, *vcnt; /* per vocabulary id: its postings */
	uint32_t *remap;    /* vocabulary id -> term number + 1 (0: unused) */
	struct term *terms; /* the entries' terms, in byte order */
	size_t nterms;
	struct form *forms; /* in byte order (read ORDER BY form) */
	size_t nforms;
	struct buf formtext;
	size_t nshards;
	struct buf meta;    /* search/meta.json */
	struct shard_sink *out;
};

static void
build_free(struct build *b)
{
	buf_release(&b->voc.text);
	free(b->voc.off);
	free(b->voc.len);
	free(b->voc.have);
	free(b->voc.byrank);
	free(b->order);
	free(b->doclen);
	free(b->pdoc);
	free(b->pf);
	free(b->q);
	free(b->vfirst);
	free(b->vcnt);
	free(b->remap);
	free(b->terms);
	free(b->forms);
	buf_release(&b->formtext);
	buf_release(&b->meta);
}

/* Appends entry k's line to the entry file of its group (a new file
 * when the group changes).  The snippet is left to the caller. */
static struct buf *
entry_line(struct build *b, size_t k, struct buf *f, struct buf *text)
{
	const struct shard_doc *d = &b->docs[b->order[k]];
	int64_t g = d->thread_id >> b->gbits;

	if (k == 0 || g != (b->docs[b->order[k - 1]].thread_id >> b->gbits)) {
		if (f)
			buf_puts(f, "]\n");
		buf_reset(text);
		buf_printf(text, "search/d/%lld.json", (long long)g);
		f = add_file(b->out, text->data);
		buf_putc(f, '[');
	} else {
		buf_puts(f, ",\n");
	}
	buf_printf(f, "[%lld,", (long long)d->thread_id);
	buf_reset(text);
	buf_printf(text, "%s:%lld", d->source, (long long)d->ext);
	json_str(f, text->data, text->len);
	buf_putc(f, ',');
	json_str(f, d->path, strlen(d->path));
	buf_putc(f, ',');
	json_str(f, d->title, strlen(d->title));
	buf_putc(f, ',');
	return f;
}

/* Appends ,"<first sentence>" of the published answer of entry d to f
 * (nothing when it has none): the result line the client shows under
 * the title when a query word is in it. */
static void
answer_sentence(struct build *b, const struct shard_doc *d, struct buf *f)
{
	sqlite3_stmt *s;
	struct buf t = BUF_INIT;
	size_t i = 0, e;

	if (d->answer == 0)
		return;
	s = store_stmt(b->st, SQL_ANSWER);
	bind_int(s, 1, d->source_id);
	bind_int(s, 2, d->answer);
	if (sqlite3_step(s) == SQLITE_ROW)
		htmltext_append(&t, (const char *)sqlite3_column_text(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0));
	sqlite3_reset(s);
	while (i < t.len && (t.data[i] == ' ' || t.data[i] == '\n' ||
	    t.data[i] == '\t'))
		i++;
	for (e = i; e < t.len && t.data[e] != '\n' && e - i < ANSWER_BYTES; e++)
		if ((t.data[e] == '.' || t.data[e] == '!' || t.data[e] == '?') &&
		    (e + 1 == t.len || t.data[e + 1] == ' ' ||
		    t.data[e + 1] == '\n')) {
			e++;
			break;
		}
	while (e > i && e < t.len && ((unsigned char)t.data[e] & 0xC0) == 0x80)
		e--; /* a whole code point */
	if (e > i) {
		buf_putc(f, ',');
		json_str(f, t.data + i, e - i);
	}
	buf_release(&t);
}

/* Adds the title terms of the questions folded into document k: they
 * are asked there too. */
static void
add_folded(struct build *b, struct acc *acc, size_t k, int json)
{
	const struct shard_doc *d = &b->docs[b->order[k]];
	sqlite3_stmt *s;
	size_t j;

	for (j = 0; j < d->nfolded; j++) {
		s = store_stmt(b->st, SQL_TITLE_TERMS);
		bind_int(s, 1, d->folded[j]);
		if (sqlite3_step(s) == SQLITE_ROW) {
			uint32_t tt = add_blob(&b->voc, acc, (uint32_t)k,
			    sqlite3_column_blob(s, 0),
			    (size_t)sqlite3_column_bytes(s, 0), b->title_w);

			if (json)
				b->doclen[k] += tt;
		}
		sqlite3_reset(s);
	}
}

/*
 * One pass over search_docs merged with the entries (both in thread id
 * order): the postings of every entry into acc (counted or filled);
 * with json, also the entry files and each entry's bm25 length.  0 or
 * -1 (error printed).
 */
static int
scan_entries(struct build *b, struct acc *acc, int json)
{
	struct buf text = BUF_INIT, *f = NULL;
	sqlite3_stmt *scan = store_stmt(b->st, SQL_DOCS);
	int row = sqlite3_step(scan);
	size_t k;

	memset(acc->last, 0, (b->voc.n + 1) * sizeof *acc->last);
	for (k = 0; k < b->n; k++) {
		int64_t id = b->docs[b->order[k]].thread_id;

		if (json)
			f = entry_line(b, k, f, &text);
		while (row == SQLITE_ROW &&
		    sqlite3_column_int64(scan, 0) < id)
			row = sqlite3_step(scan);
		if (row != SQLITE_ROW || sqlite3_column_int64(scan, 0) != id) {
			if (json)
				buf_puts(f, "\"\"]");
			continue;
		}
		if (json) {
			b->doclen[k] = (uint32_t)sqlite3_column_int64(scan, 1);
			json_str(f, (const char *)sqlite3_column_text(scan, 3),
			    (size_t)sqlite3_column_bytes(scan, 3));
			answer_sentence(b, &b->docs[b->order[k]], f);
			buf_putc(f, ']');
		}
		add_blob(&b->voc, acc, (uint32_t)k,
		    sqlite3_column_blob(scan, 2),
		    (size_t)sqlite3_column_bytes(scan, 2), 0);
		add_folded(b, acc, k, json);
	}
	sqlite3_reset(scan);
	if (f)
		buf_puts(f, "]\n");
	buf_release(&text);
	if (row != SQLITE_ROW && row != SQLITE_DONE)
		return store_fail(b->st);
	return 0;
}

/*
 * Writes the entry files and collects the postings of every entry:
 * counted first, then filled in place, grouped by vocabulary id and in
 * document order within each (b->pdoc, b->pf, b->q as the title flag,
 * b->vfirst, b->vcnt).  0 or -1 (error printed).
 */
static int
read_entries(struct build *b, int have)
{
	struct acc acc;
	size_t nv = b->voc.n + 1, i, k;
	uint64_t total = 0;
	int rc = -1;

	memset(&acc, 0, sizeof acc);
	if (have) {
		acc.cnt = xcalloc(nv, sizeof *acc.cnt);
		acc.last = xcalloc(nv, sizeof *acc.last);
		if (scan_entries(b, &acc, 0) < 0)
			goto out;
		acc.fill = xcalloc(nv, sizeof *acc.fill);
		for (i = 0; i < nv; i++) {
			acc.fill[i] = (uint32_t)total;
			total += acc.cnt[i];
		}
		if (total >= UINT32_MAX) {
			fq_err("%s", "search data: more than 4 billion postings");
			goto out;
		}
		b->vfirst = xmalloc(nv * sizeof *b->vfirst);
		memcpy(b->vfirst, acc.fill, nv * sizeof *b->vfirst);
		acc.end = xmalloc(nv * sizeof *acc.end);
		for (i = 0; i < nv; i++)
			acc.end[i] = acc.fill[i] + acc.cnt[i];
		acc.doc = xmalloc((total + 1) * sizeof *acc.doc);
		acc.f = xmalloc((total + 1) * sizeof *acc.f);
		acc.title = xmalloc(total + 1);
		b->pdoc = acc.doc;
		b->pf = acc.f;
		b->q = acc.title;
		b->vcnt = acc.cnt;
		acc.cnt = NULL;
		b->npost = (size_t)total;
		if (scan_entries(b, &acc, 1) < 0)
			goto out;
		/* The store cannot change under the render's snapshot; were
		 * it to, a posting counted and not filled is refused. */
		for (i = 0; i < nv; i++)
			if (acc.fill[i] != acc.end[i]) {
				fq_err("%s", "search data changed during the "
				    "render; run it again");
				goto out;
			}
	}
	for (k = 0; k < b->n; k++)
		b->avgdl += b->doclen[k];
	b->avgdl = b->n ? b->avgdl / (double)b->n : 1;
	if (b->avgdl < 1)
		b->avgdl = 1;
	rc = 0;
out:
	free(acc.cnt);
	free(acc.fill);
	free(acc.end);
	free(acc.last);
	return rc;
}

/*
 * The terms of the entries (the vocabulary also has the words of
 * threads without a page), numbered in byte order so that terms[]
 * needs no sort; each term's postings are its vocabulary id's.
 */
static void
number_terms(struct build *b)
{
	const struct vocab *v = &b->voc;
	size_t i;

	b->remap = xcalloc(v->n + 1, sizeof *b->remap);
	for (i = 0; i < v->nrank && b->vcnt; i++)
		if (b->vcnt[v->byrank[i]])
			b->remap[v->byrank[i]] = (uint32_t)++b->nterms;
	b->terms = xcalloc(b->nterms + 1, sizeof *b->terms);
	for (i = 0; i < v->n; i++) {
		struct term *t;

		if (b->remap[i] == 0)
			continue;
		t = &b->terms[b->remap[i] - 1];
		t->s = v->text.data + v->off[i];
		t->len = v->len[i];
		t->df = b->vcnt[i];
		t->first = b->vfirst[i];
	}
}

/* Turns each posting's title flag into its byte in its shard: bm25
 * weight 1..127 | 128 in title (b->q), and marks the common terms. */
static void
weigh_postings(struct build *b)
{
	size_t i;

	for (i = 0; i < b->npost; i++) {
		double fr = b->pf[i], K = BM25_K1 * (1 - BM25_B + BM25_B *
		    b->doclen[b->pdoc[i]] / b->avgdl);
		double w = fr * (BM25_K1 + 1) / (fr + K) / (BM25_K1 + 1);
		long v = lround(w * 127);

		b->q[i] = (uint8_t)((v < 1 ? 1 : v > 127 ? 127 : v) |
		    (b->q[i] ? 128 : 0));
	}
	free(b->pf);
	b->pf = NULL;
	for (i = 0; i < b->nterms; i++)
		b->terms[i].stop = b->terms[i].df > b->n / 2 &&
		    b->terms[i].df > STOP_MIN_DF;
}

/* Reads the word forms whose stem is a term of the site. */
static void
read_forms(struct build *b, int have)
{
	sqlite3_stmt *s = have ? store_stmt(b->st, SQL_FORMS) : NULL;
	size_t cap = 0, i;

	while (s && sqlite3_step(s) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(s, 0);
		size_t la = (size_t)sqlite3_column_bytes(s, 0);
		int64_t id = sqlite3_column_int64(s, 1);
		long t;

		if (id < 0 || (uint64_t)id >= b->voc.n || b->remap[id] == 0 ||
		    la == 0 || la > 255)
			continue;
		t = (long)b->remap[id] - 1;
		if (b->nforms == cap) {
			cap = cap ? 2 * cap : 4096;
			b->forms = xreallocarray(b->forms, cap,
			    sizeof *b->forms);
		}
		b->forms[b->nforms].off = b->formtext.len;
		buf_put(&b->formtext, a, la);
		buf_putc(&b->formtext, '\0');
		b->forms[b->nforms].len = la;
		b->forms[b->nforms].term = b->terms[t].s;
		b->forms[b->nforms++].t = (uint32_t)t;
	}
	if (s)
		sqlite3_reset(s);
	for (i = 0; i < b->nforms; i++)
		b->forms[i].s = b->formtext.data + b->forms[i].off;
}

/*
 * The target size of a shard.  A query fetches the meta file once
 * (about 13 bytes per shard) and one shard per word (6 rare words in a
 * typical title): with T bytes in all, sqrt(2T) would balance them;
 * meta is cached across the queries of a visit, so shards get a larger
 * share (docs/search.md has the measurements).
 */
static size_t
shard_target(const struct build *b)
{
	double total = 0;
	size_t i, target;

	for (i = 0; i < b->nterms; i++)
		total += (double)key_size(&b->terms[i], NULL);
	for (i = 0; i < b->nforms; i++)
		total += (double)key_size(NULL, &b->forms[i]);
	target = (size_t)sqrt(8 * total);
	if (target < SHARD_MIN_BYTES)
		target = SHARD_MIN_BYTES;
	return render_env_size("FAQTORY_SHARD_BYTES", target);
}

/*
 * The length of the shortest prefix of key (whole code points) that
 * sorts after prev, given key > prev: what meta needs of a shard's first
 * key, since the client only asks which range a word falls in.
 */
static size_t
sep_len(const char *prev, size_t pl, const char *key, size_t kl)
{
	size_t i = 0;

	while (i < pl && i < kl && prev[i] == key[i])
		i++;
	if (i < kl)
		i++;
	while (i < kl && ((unsigned char)key[i] & 0xC0) == 0x80)
		i++;
	return i;
}

/*
 * Cuts the terms (in byte order already: the vocabulary is) and forms
 * merged in byte order into shards of about shard_target() bytes; a
 * form goes where its own key sorts.  Sets each one's shard and lists
 * the first key of every shard but the first in meta.
 */
static void
cut_shards(struct build *b)
{
	size_t target = shard_target(b), ti = 0, fi = 0, size = 0, pl = 0;
	const char *prev = "";
	const struct term *terms = b->terms;
	const struct form *forms = b->forms;

	/* search_forms is read ORDER BY form: SQLite's BINARY collation
	 * is memcmp, i.e. byte order. */
	while (ti < b->nterms || fi < b->nforms) {
		int take_term;
		const char *key;
		size_t klen, ksize;

		if (ti < b->nterms && fi < b->nforms)
			take_term = bytecmp(terms[ti].s, terms[ti].len,
			    forms[fi].s, forms[fi].len) <= 0;
		else
			take_term = ti < b->nterms;
		if (take_term) {
			key = terms[ti].s;
			klen = terms[ti].len;
			ksize = key_size(&terms[ti], NULL);
		} else {
			key = forms[fi].s;
			klen = forms[fi].len;
			ksize = key_size(NULL, &forms[fi]);
		}
		/* equal keys (a term and a form) stay together */
		if (size == 0 || (size + ksize / 2 > target &&
		    !(!take_term && ti > 0 && bytecmp(terms[ti - 1].s,
		    terms[ti - 1].len, key, klen) == 0))) {
			if (b->nshards)
				buf_putc(&b->meta, ',');
			json_str(&b->meta, key, b->nshards ? sep_len(prev, pl,
			    key, klen) : 0);
			b->nshards++;
			size = 0;
		}
		size += ksize;
		prev = key;
		pl = klen;
		if (take_term)
			b->terms[ti++].shard = (int)b->nshards - 1;
		else
			b->forms[fi++].shard = (int)b->nshards - 1;
	}
}

/* Appends the postings of terms [t0, t1) to bin: per term [varint df]
 * [varint kept], then per posting [varint thread id delta][u8 weight
 * 1..127 | 128 if in the title].
 * A common term keeps only its STOP_KEEP heaviest.  tmp: room for n. */
static void
put_postings(const struct build *b, size_t t0, size_t t1, uint32_t *tmp,
    struct buf *bin)
{
	size_t k, j;

	for (k = t0; k < t1; k++) {
		const struct term *t = &b->terms[k];
		size_t m = t->df, prev = 0;

		if (t->stop && m > STOP_KEEP) {
			m = heaviest(b->q, t->first, m, STOP_KEEP, tmp);
		} else {
			for (j = 0; j < m; j++)
				tmp[j] = t->first + (uint32_t)j;
		}
		varint_put(bin, t->df);
		varint_put(bin, m);
		for (j = 0; j < m; j++) {
			int64_t id = b->docs[b->order[b->pdoc[tmp[j]]]].thread_id;

			varint_put(bin, (uint64_t)(id - (int64_t)prev));
			prev = (size_t)id;
			buf_putc(bin, b->q[tmp[j]]);
		}
	}
}

/* Writes each shard: [varint nterms][varint textlen][text][postings],
 * text = terms then "form\tterm" lines. */
static void
write_shards(struct build *b)
{
	struct buf text = BUF_INIT, bin = BUF_INIT, path = BUF_INIT, *f;
	uint32_t *tmp = xreallocarray(NULL, b->n + 1, sizeof *tmp);
	size_t ti = 0, fi = 0;
	int sh;

	for (sh = 0; sh < (int)b->nshards; sh++) {
		size_t t0 = ti;

		buf_reset(&text);
		buf_reset(&bin);
		for (; ti < b->nterms && b->terms[ti].shard == sh; ti++) {
			buf_put(&text, b->terms[ti].s, b->terms[ti].len);
			buf_putc(&text, '\n');
		}
		for (; fi < b->nforms && b->forms[fi].shard == sh; fi++) {
			buf_put(&text, b->forms[fi].s, b->forms[fi].len);
			buf_putc(&text, '\t');
			buf_puts(&text, b->forms[fi].term);
			buf_putc(&text, '\n');
		}
		put_postings(b, t0, ti, tmp, &bin);
		buf_reset(&path);
		buf_printf(&path, "search/t/%d.bin", sh);
		f = add_file(b->out, path.data);
		varint_put(f, ti - t0);
		varint_put(f, text.len);
		buf_put(f, text.data, text.len);
		buf_put(f, bin.data, bin.len);
	}
	free(tmp);
	buf_release(&text);
	buf_release(&bin);
	buf_release(&path);
}

/* The postings are in the term shards now: freed before the typo
 * files are built, which at a million questions would otherwise stack
 * their own arena on the postings' 600 MB (the render's peak). */
static void
free_postings(struct build *b)
{
	free(b->pdoc);
	free(b->pf);
	free(b->q);
	b->pdoc = NULL;
	b->pf = NULL;
	b->q = NULL;
}

/* Lists the common terms and their forms in meta: their shard is not
 * needed when other words are. */
static void
meta_stops(struct build *b)
{
	size_t i, k = 0;

	for (i = 0; i < b->nterms; i++) {
		const struct term *t = &b->terms[i];

		if (!t->stop)
			continue;
		if (k++)
			buf_putc(&b->meta, ',');
		json_str(&b->meta, t->s, t->len);
	}
	for (i = 0; i < b->nforms; i++) {
		if (!b->terms[b->forms[i].t].stop)
			continue;
		if (k++)
			buf_putc(&b->meta, ',');
		json_str(&b->meta, b->forms[i].s, b->forms[i].len);
	}
}

/* The term that the word s[0, n) searches (itself, or its stem if it
 * is a form), or -1 if it is neither a term nor a form of the entries. */
static long
word_term(const struct build *b, const char *s, size_t n)
{
	size_t lo = 0, hi = b->nterms;

	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		int c = bytecmp(b->terms[m].s, b->terms[m].len, s, n);

		if (c == 0)
			return (long)m;
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	for (lo = 0, hi = b->nforms; lo < hi;) {
		size_t m = (lo + hi) / 2;
		int c = bytecmp(b->forms[m].s, b->forms[m].len, s, n);

		if (c == 0)
			return (long)b->forms[m].t;
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return -1;
}

/* Lists the stopwords (index_meta 'stopterms', one a line, as the
 * client tokenizes them) that the client should not fetch unless a
 * query has nothing else (docs/search.md): those whose term is on at
 * least one entry in STOP_SW_SHARE and not common already (listed in
 * "stop").  A rarer one costs a fetch only when typed. */
static void
meta_stopwords(struct build *b)
{
	struct buf v = BUF_INIT;
	const char *p, *e;
	size_t k = 0;

	if (store_meta_get(b->st, "stopterms", &v) != 1)
		v.len = 0;
	for (p = v.data; p && p < v.data + v.len; p = e + 1) {
		long t;

		e = memchr(p, '\n', (size_t)(v.data + v.len - p));
		if (e == NULL)
			e = v.data + v.len;
		t = word_term(b, p, (size_t)(e - p));
		if (t < 0 || b->terms[t].stop ||
		    (size_t)b->terms[t].df * STOP_SW_SHARE < b->n)
			continue;
		buf_puts(&b->meta, k++ ? "," : "");
		json_str(&b->meta, p, (size_t)(e - p));
	}
	buf_release(&v);
}

/* A word of the typo index: its code points reversed (the sort key,
 * in the caller's arena: a vocabulary of millions of words would not
 * fit 256 bytes each), the word, the term it searches and its df. */
struct rword {
	const char *rev;
	size_t roff; /* rev's offset in the arena, until it stops growing */
	const char *w, *term;
	size_t wlen, rlen;
	uint32_t df;
};

/* Appends r->w with its code points reversed to the arena a. */
static void
reverse_cps(struct rword *r, struct buf *a)
{
	size_t i = r->wlen;

	r->roff = a->len;
	while (i > 0) {
		size_t e = i;

		while (i > 1 && ((unsigned char)r->w[i - 1] & 0xC0) == 0x80)
			i--;
		i--;
		buf_put(a, r->w + i, e - i);
	}
	r->rlen = a->len - r->roff;
}

static int
cmp_rword(const void *pa, const void *pb)
{
	const struct rword *a = pa, *b = pb;

	return bytecmp(a->rev, a->rlen, b->rev, b->rlen);
}

/* Every term and form once (a form wins over an equal term: the client
 * resolves forms first), sorted by reversed code points, which are in
 * the arena a.  Returns how many; *out is the caller's to free. */
static size_t
rwords(const struct build *b, struct rword **out, struct buf *a)
{
	struct rword *v = xcalloc(b->nterms + b->nforms + 1, sizeof *v);
	size_t ti = 0, fi = 0, n = 0, i;

	while (ti < b->nterms || fi < b->nforms) {
		const struct term *t = ti < b->nterms ? &b->terms[ti] : NULL;
		const struct form *f = fi < b->nforms ? &b->forms[fi] : NULL;
		int c = !t ? 1 : !f ? -1 : bytecmp(t->s, t->len, f->s, f->len);

		if (c < 0) {
			v[n].w = v[n].term = t->s;
			v[n].wlen = t->len;
			v[n].df = t->df;
			ti++;
		} else {
			v[n].w = f->s;
			v[n].wlen = f->len;
			v[n].term = f->term;
			v[n].df = b->terms[f->t].df;
			fi++;
			ti += c == 0;
		}
		reverse_cps(&v[n++], a);
	}
	for (i = 0; i < n; i++)
		v[i].rev = a->data + v[i].roff;
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_rword);
	*out = v;
	return n;
}

/* The typo index: every word by its reversed code points, so a typo in
 * a word's first letters still finds it in one file (the term shards
 * cover typos after them).  search/r/<n>.txt, lines "word\tdf" or
 * "word\tdf\tterm" (a form); the first reversed key of each file in
 * meta "rshards". */
static void
write_rshards(struct build *b)
{
	struct rword *v;
	struct buf rev = BUF_INIT, path = BUF_INIT, *f = NULL;
	size_t n = rwords(b, &v, &rev), i, target = shard_target(b), nsh = 0;

	buf_puts(&b->meta, "],\"rshards\":[");
	for (i = 0; i < n; i++) {
		if (f == NULL || f->len + v[i].wlen / 2 > target) {
			buf_puts(&b->meta, nsh ? "," : "");
			json_str(&b->meta, v[i].rev, nsh ? sep_len(v[i - 1].rev,
			    v[i - 1].rlen, v[i].rev, v[i].rlen) : 0);
			buf_reset(&path);
			buf_printf(&path, "search/r/%zu.txt", nsh++);
			f = add_file(b->out, path.data);
		}
		buf_put(f, v[i].w, v[i].wlen);
		buf_printf(f, "\t%u", (unsigned)v[i].df);
		if (v[i].term != v[i].w) {
			buf_putc(f, '\t');
			buf_puts(f, v[i].term);
		}
		buf_putc(f, '\n');
	}
	free(v);
	buf_release(&rev);
	buf_release(&path);
}

/* Lists the TOP_TOPICS largest topics in meta (the empty state). */
static void
meta_topics(struct build *b, const struct shard_topic *topics,
    size_t ntopics)
{
	const struct shard_topic **tv = xcalloc(ntopics + 1, sizeof *tv);
	size_t i;

	for (i = 0; i < ntopics; i++)
		tv[i] = &topics[i];
	if (ntopics > 1)
		qsort(tv, ntopics, sizeof *tv, cmp_topic);
	for (i = 0; i < ntopics && i < TOP_TOPICS; i++) {
		buf_puts(&b->meta, i ? ",[" : "[");
		json_str(&b->meta, tv[i]->label, strlen(tv[i]->label));
		buf_printf(&b->meta, ",\"topic/%lld/\",%zu]",
		    (long long)tv[i]->id, tv[i]->size);
	}
	free(tv);
}

/* Ends meta with a tag of the whole index: the client adds it to every
 * data URL so a cached shard of an older build is never mixed in. */
static void
meta_tag(struct build *b)
{
	end_file(b->out);
	buf_printf(&b->meta, ",\"tag\":\"%016llx\"}\n",
	    (unsigned long long)b->out->tag);
}

/* Sorts the entries by thread id: their document numbers. */
static void
number_entries(struct build *b)
{
	size_t i;

	b->order = xreallocarray(NULL, b->n + 1, sizeof *b->order);
	b->doclen = xcalloc(b->n + 1, sizeof *b->doclen);
	for (i = 0; i < b->n; i++)
		b->order[i] = (uint32_t)i;
	sort_docs = b->docs;
	if (b->n > 1)
		qsort(b->order, b->n, sizeof *b->order, cmp_doc_idx);
}

int
shards_build(struct store *st, const struct shard_doc *docs, size_t n,
    const struct shard_topic *topics, size_t ntopics,
    struct shard_sink *out)
{
	const char *gb = getenv("FAQTORY_SHARD_GROUP_BITS");
	struct build b;
	int have, rc = -1;
	int64_t started = fq_now_ms();

	memset(&b, 0, sizeof b);
	buf_init(&out->path);
	buf_init(&out->cur);
	out->open = out->failed = 0;
	out->tag = 0;
	buf_init(&b.voc.text);
	buf_init(&b.formtext);
	buf_init(&b.meta);
	b.st = st;
	b.docs = docs;
	b.n = n;
	b.out = out;
	b.gbits = gb && *gb >= '0' && *gb <= '9' && gb[1] == '\0' ?
	    (unsigned)(*gb - '0') : SHARD_GROUP_BITS;
	if ((have = search_data(st, &b.title_w)) < 0 ||
	    (have && vocab_load(st, &b.voc) < 0))
		goto out;
	number_entries(&b);
	/* A file the sink refused fails the run: stop at the next step. */
	if (read_entries(&b, have) < 0 || out->failed)
		goto out;
	if (getenv("FAQTORY_TIMING"))
		fprintf(stderr, "render: search entries read %lld ms\n",
		    (long long)(fq_now_ms() - started));
	number_terms(&b);
	weigh_postings(&b);
	read_forms(&b, have);
	buf_printf(&b.meta, "{\"v\":1,\"n\":%zu,\"g\":%u,\"shards\":[", n,
	    b.gbits);
	cut_shards(&b);
	buf_puts(&b.meta, "],\"stop\":[");
	write_shards(&b);
	free_postings(&b);
	if (out->failed)
		goto out;
	meta_stops(&b);
	buf_puts(&b.meta, "],\"sw\":[");
	meta_stopwords(&b);
	write_rshards(&b);
	buf_puts(&b.meta, "],\"topics\":[");
	meta_topics(&b, topics, ntopics);
	buf_puts(&b.meta, "]");
	meta_tag(&b);
	buf_put(add_file(out, "search/meta.json"), b.meta.data, b.meta.len);
	end_file(out);
	rc = out->failed ? -1 : 0;
	if (getenv("FAQTORY_TIMING"))
		fprintf(stderr, "render: shards %lld ms (%zu shards, %zu terms, "
		    "%zu forms)\n", (long long)(fq_now_ms() - started),
		    b.nshards, b.nterms, b.nforms);
out:
	build_free(&b);
	buf_release(&out->path);
	buf_release(&out->cur);
	return rc;
}
