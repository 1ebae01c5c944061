/*
 * searchdata: what the static search of the site needs, computed by the
 * index stage (the only one that tokenizes) for render to read.
 *
 *   search_vocab(terms)
 *       the vocabulary, one row: every index term seen, numbered from
 *       0 in the order first seen (terms are added, never renumbered),
 *       packed as [varint count] then per term in byte order
 *       [varint id][u8 len][term].  One blob rewritten when the
 *       vocabulary grows: a row per term cost the index twice its time
 *       (a UNIQUE text index), and render reads it in one step.
 *   search_docs(thread_id, hash, len, terms, snippet)
 *       per thread: len = token positions over all fields (bm25's D);
 *       terms = its index terms by increasing id (exactly the set of
 *       tokens the FTS5 table has for the thread: fts_delete.c deletes
 *       the contentless row through it), each
 *       [varint id][varint f][varint t], t = the occurrences in the
 *       title (render adds them to the entry a thread folds into) and
 *       f = the field-weighted frequency (index_fields[].bm25, the
 *       column weights of `faqtory search`, stored for render in
 *       index_meta 'fields'); snippet = the start of the question's
 *       text.
 *   search_forms(form, term, term_id)
 *       every plain word seen (folded, unstemmed: what the browser's
 *       tokenizer produces) whose query token is a different stem:
 *       the browser needs no stemmer, it looks its words up here.
 *
 * Render reads them as they are: ids, not words, so building the
 * search files hashes no string (at 20x the beer site that was 60 of
 * its 180 ms).
 *
 * The tables belong to index/ (created by store migration 10).  Only
 * threads whose content hash changed are redone; a changed tokenizer
 * configuration redoes everything.  Runs inside index_run's transaction.
 * docs/search.md has the design.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/htmltext.h"
#include "core/strtab.h"
#include "core/varint.h"
#include "core/xmalloc.h"
#include "index/index_int.h"
#include "index/tokenize.h"

#define SEARCH_VERSION "search6"
/* The snippet: about this many bytes of the question's text. */
#define SNIPPET_BYTES 320


/* The tables come from store migration 10 (core/store.c). */
static const char SQL_RESET[] =
    "DELETE FROM search_docs; DELETE FROM search_forms;"
    "DELETE FROM search_vocab;";
static const char SQL_GONE[] =
    "DELETE FROM search_docs WHERE thread_id NOT IN (SELECT id FROM threads)";
static const char SQL_PLAN[] =
    "SELECT t.id, t.source_id, t.ext_id, t.hash FROM threads t"
    " LEFT JOIN search_docs d ON d.thread_id = t.id"
    " WHERE d.hash IS NULL OR d.hash <> t.hash ORDER BY t.id";
static const char SQL_DOC_SET[] =
    "INSERT OR REPLACE INTO search_docs(thread_id, hash, len, terms, snippet)"
    " VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_FORM_ADD[] =
    "INSERT OR IGNORE INTO search_forms(form, term, term_id)"
    " VALUES(?1, ?2, ?3)";
static const char SQL_VOCAB_GET[] =
    "SELECT terms FROM search_vocab";
static const char SQL_VOCAB_SET[] =
    "INSERT INTO search_vocab(terms) VALUES(?1)";
static const char SQL_ANY_DOC[] =
    "SELECT 1 FROM search_docs LIMIT 1";

/* ---- a small string -> count map ------------------------------------- */

struct tcount {
	struct strtab t;
	uint32_t *f, *tt; /* per term: weighted count, occurrences in the title */
	size_t cap;
};

static void
tc_release(struct tcount *m)
{
	strtab_release(&m->t);
	free(m->f);
	free(m->tt);
	m->f = m->tt = NULL;
	m->cap = 0;
}

static void
tc_add(struct tcount *m, const char *s, size_t n, uint32_t w, int title)
{
	int added;
	long k = strtab_add(&m->t, s, n, &added);

	if (added) {
		if (m->t.cap > m->cap) {
			m->cap = m->t.cap;
			m->f = xreallocarray(m->f, m->cap, sizeof *m->f);
			m->tt = xreallocarray(m->tt, m->cap, sizeof *m->tt);
		}
		m->f[k] = w;
		m->tt[k] = title != 0;
		return;
	}
	m->f[k] = m->f[k] + w > 65535 ? 65535 : m->f[k] + w;
	m->tt[k] += title && m->tt[k] < 255;
}

/* Terms of a thread by vocabulary id. */
struct idterm {
	uint32_t id, k; /* vocabulary id, index in the thread's map */
};

static int
cmp_id(const void *pa, const void *pb)
{
	const struct idterm *a = pa, *b = pb;

	return (a->id > b->id) - (a->id < b->id);
}

/* ---- one thread -------------------------------------------------------- */

struct sdata {
	struct store *st;
	struct tokenizer *tok, *plain;
	struct tcount terms, seen; /* seen: forms already added this run */
	struct strtab vocab;       /* search_vocab: index = id */
	size_t vocab_stored;       /* how many terms the stored blob has */
	struct buf field[INDEX_NFIELDS]; /* index_read_thread */
	struct buf text[INDEX_NFIELDS];  /* the text of HTML fields */
	struct buf blob;
	int64_t len;               /* positions of the current thread */
	uint32_t w;                /* weight of the field being counted */
	int title;                 /* counting the title */
	struct buf qa; /* a stem */
};

struct todo {
	int64_t id, source, ext, hash;
};

static int
count_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct sdata *d = ctx;

	if (!(flags & TOK_COLOCATED))
		d->len++;
	tc_add(&d->terms, tok, n, d->w, d->title);
	return 0;
}

/* The query token of one folded word, stemmed. */
static int
stem_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct buf *b = ctx;

	buf_put(b, tok, n);
	return 1; /* one is enough */
}

/*
 * Receives the unstemmed query tokens of a text: the words the
 * browser's tokenizer produces.  The first time a word is seen, its
 * stem is what the stemming tokenizer makes of it as a plain word (the
 * folded form tokenizes to itself, and the browser only looks plain
 * words up); a word that stems to something else is recorded.
 */
static long term_id(struct sdata *d, const char *s, size_t n);

static int
form_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	struct sdata *d = ctx;
	size_t before = d->seen.t.n;
	sqlite3_stmt *q;
	long id;

	tc_add(&d->seen, tok, n, 1, 0);
	if (d->seen.t.n == before)
		return 0;
	buf_reset(&d->qa);
	tok_run(d->tok, TOK_QUERY, tok, n, stem_cb, &d->qa);
	if (d->qa.len == 0 || (d->qa.len == n && memcmp(d->qa.data, tok,
	    n) == 0))
		return 0;
	if ((id = term_id(d, d->qa.data, d->qa.len)) < 0)
		return -1;
	q = store_stmt(d->st, SQL_FORM_ADD);
	bind_text(q, 1, tok, n);
	bind_text(q, 2, d->qa.data, d->qa.len);
	bind_int(q, 3, id);
	return store_done(d->st, q) < 0 ? -1 : 0;
}


/* The snippet source: the question's text, spaces collapsed, cut at a
 * code point boundary near SNIPPET_BYTES. */
static void
snippet(struct buf *out, const char *s, size_t n)
{
	size_t i;
	int space = 0;

	for (i = 0; i < n && out->len < SNIPPET_BYTES; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			space = out->len > 0;
			continue;
		}
		if (space)
			buf_putc(out, ' ');
		space = 0;
		buf_putc(out, c);
	}
	while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
		buf_putc(out, s[i++]);
	if (i < n)
		buf_puts(out, "…");
}

/* The vocabulary id of a term (added if new: vocab_save stores it). */
static long
term_id(struct sdata *d, const char *s, size_t n)
{
	return strtab_add(&d->vocab, s, n, NULL);
}


/*
 * Loads search_vocab into d->vocab (strtab index = id).  0, 1 if the
 * blob is not one term_id/vocab_save wrote (the caller starts over:
 * the documents' ids would be meaningless), or -1.
 */
static int
load_vocab(struct sdata *d)
{
	sqlite3_stmt *q = store_stmt(d->st, SQL_VOCAB_GET);
	const unsigned char *b;
	const unsigned char **term = NULL;
	unsigned char *len = NULL;
	size_t n, i = 0, k, count;
	int rc, bad = 0;

	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return store_fail(d->st);
		/* No vocabulary: fine only if no document uses one. */
		q = store_stmt(d->st, SQL_ANY_DOC);
		rc = sqlite3_step(q);
		sqlite3_reset(q);
		return rc == SQLITE_ROW ? 1 : 0;
	}
	b = sqlite3_column_blob(q, 0);
	n = (size_t)sqlite3_column_bytes(q, 0);
	count = (size_t)varint_get(b, n, &i);
	if (i > n || count > n) {
		bad = 1;
		count = 0;
	}
	term = xcalloc(count + 1, sizeof *term);
	len = xcalloc(count + 1, 1);
	for (k = 0; k < count && !bad; k++) {
		uint64_t id = varint_get(b, n, &i);
		size_t l;

		if (i >= n || id >= count || term[id] != NULL) {
			bad = 1;
			break;
		}
		l = b[i++];
		if (l > n - i) {
			bad = 1;
			break;
		}
		term[id] = b + i;
		len[id] = (unsigned char)l;
		i += l;
	}
	for (k = 0; k < count && !bad; k++)
		if (strtab_add(&d->vocab, (const char *)term[k], len[k], NULL) !=
		    (long)k)
			bad = 1; /* a term twice */
	sqlite3_reset(q);
	free(term);
	free(len);
	if (bad || i != n) {
		strtab_reset(&d->vocab);
		return 1;
	}
	d->vocab_stored = d->vocab.n;
	return 0;
}

static const struct strtab *sort_vocab; /* for qsort; one thread */

static int
cmp_vocab(const void *pa, const void *pb)
{
	return strtab_cmp(sort_vocab, *(const uint32_t *)pa,
	    *(const uint32_t *)pb);
}

/* Stores the vocabulary if it grew.  0 or -1. */
static int
vocab_save(struct sdata *d)
{
	struct buf b = BUF_INIT;
	uint32_t *order;
	sqlite3_stmt *q;
	size_t k;
	int rc;

	if (d->vocab.n == d->vocab_stored)
		return 0;
	order = xreallocarray(NULL, d->vocab.n + 1, sizeof *order);
	for (k = 0; k < d->vocab.n; k++)
		order[k] = (uint32_t)k;
	sort_vocab = &d->vocab;
	qsort(order, d->vocab.n, sizeof *order, cmp_vocab);
	varint_put(&b, (uint32_t)d->vocab.n);
	for (k = 0; k < d->vocab.n; k++) {
		size_t l;
		const char *t = strtab_key(&d->vocab, order[k], &l);

		varint_put(&b, order[k]);
		buf_putc(&b, (int)l);
		buf_put(&b, t, l);
	}
	free(order);
	if (store_exec(d->st, "DELETE FROM search_vocab") < 0) {
		buf_release(&b);
		return -1;
	}
	q = store_stmt(d->st, SQL_VOCAB_SET);
	sqlite3_bind_blob(q, 1, b.data, (int)b.len, SQLITE_TRANSIENT);
	rc = store_done(d->st, q);
	buf_release(&b);
	if (rc == 0)
		d->vocab_stored = d->vocab.n;
	return rc;
}

/* Computes and stores the search data of one thread.  0 or -1. */
static int
do_thread(struct sdata *d, const struct todo *t)
{
	struct buf snip = BUF_INIT;
	struct idterm *order = NULL;
	sqlite3_stmt *q;
	size_t i;
	int rc, f;

	for (f = 0; f < INDEX_NFIELDS; f++) {
		buf_reset(&d->field[f]);
		buf_reset(&d->text[f]);
	}
	if (index_read_thread(d->st, t->id, t->source, t->ext, d->field) < 0)
		return -1;
	strtab_reset(&d->terms.t);
	d->len = 0;
	for (f = 0; f < INDEX_NFIELDS; f++) {
		const struct buf *text = &d->field[f];

		if (index_fields[f].html) {
			htmltext_append(&d->text[f], text->data, text->len);
			text = &d->text[f];
		}
		d->w = (uint32_t)index_fields[f].bm25;
		d->title = f == INDEX_F_TITLE;
		tok_run(d->tok, TOK_DOCUMENT, text->data, text->len, count_cb,
		    d);
		if (tok_run(d->plain, TOK_QUERY, text->data, text->len,
		    form_cb, d) != 0)
			return -1;
	}
	order = xreallocarray(NULL, d->terms.t.n ? d->terms.t.n : 1,
	    sizeof *order);
	for (i = 0; i < d->terms.t.n; i++) {
		size_t kn;
		const char *key = strtab_key(&d->terms.t, i, &kn);
		long id = term_id(d, key, kn);

		if (id < 0) {
			free(order);
			return -1;
		}
		order[i].id = (uint32_t)id;
		order[i].k = (uint32_t)i;
	}
	if (d->terms.t.n > 1)
		qsort(order, d->terms.t.n, sizeof *order, cmp_id);
	buf_reset(&d->blob);
	for (i = 0; i < d->terms.t.n; i++) {
		uint32_t k = order[i].k;

		varint_put(&d->blob, order[i].id);
		varint_put(&d->blob, d->terms.f[k]);
		varint_put(&d->blob, d->terms.tt[k]);
	}
	free(order);
	snippet(&snip, d->text[INDEX_F_QUESTION].data,
	    d->text[INDEX_F_QUESTION].len);
	q = store_stmt(d->st, SQL_DOC_SET);
	bind_int(q, 1, t->id);
	bind_int(q, 2, t->hash);
	bind_int(q, 3, d->len);
	sqlite3_bind_blob(q, 4, d->blob.len ? d->blob.data : "",
	    (int)d->blob.len, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, snip.data, (int)snip.len, SQLITE_TRANSIENT);
	rc = store_done(d->st, q);
	buf_release(&snip);
	return rc;
}

int
index_searchdata_run(struct store *st, int rebuild)
{
	struct sdata d;
	struct buf cfg = BUF_INIT, old = BUF_INIT, langs = BUF_INIT;
	struct todo *todo = NULL;
	size_t n = 0, cap = 0, i;
	sqlite3_stmt *q;
	int same, rc = -1, f;

	memset(&d, 0, sizeof d);
	strtab_init(&d.terms.t);
	strtab_init(&d.seen.t);
	strtab_init(&d.vocab);
	d.st = st;
	for (f = 0; f < INDEX_NFIELDS; f++) {
		buf_init(&d.field[f]);
		buf_init(&d.text[f]);
	}
	if (index_config_read(st, &cfg, &langs) < 0)
		goto out;
	buf_printf(&cfg, "|%s", SEARCH_VERSION);
	if ((same = store_meta_get(st, "search", &old)) < 0)
		goto out;
	if (!same || rebuild || strcmp(old.data, cfg.data) != 0) {
		if (store_exec(st, SQL_RESET) < 0)
			goto out;
		if (store_meta_set(st, "search", cfg.data, cfg.len) < 0)
			goto out;
	}
	if (store_exec(st, SQL_GONE) < 0 || (f = load_vocab(&d)) < 0)
		goto out;
	if (f == 1 && store_exec(st, SQL_RESET) < 0)
		goto out;
	d.tok = tok_new(langs.data);
	if (d.tok == NULL)
		d.tok = tok_new(NULL);
	d.plain = tok_new("none");
	/* The plan first: the loop writes the table the plan reads. */
	q = store_stmt(st, SQL_PLAN);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			todo = xreallocarray(todo, cap, sizeof *todo);
		}
		todo[n].id = sqlite3_column_int64(q, 0);
		todo[n].source = sqlite3_column_int64(q, 1);
		todo[n].ext = sqlite3_column_int64(q, 2);
		todo[n++].hash = sqlite3_column_int64(q, 3);
	}
	if (rc != SQLITE_DONE) {
		rc = store_fail(st);
		goto out;
	}
	rc = -1;
	for (i = 0; i < n; i++)
		if (do_thread(&d, &todo[i]) < 0)
			goto out;
	if (vocab_save(&d) < 0 ||
	    index_stopterms_save(st, d.tok, langs.data) < 0)
		goto out;
	rc = 0;
out:
	free(todo);
	tok_free(d.tok);
	tok_free(d.plain);
	tc_release(&d.terms);
	tc_release(&d.seen);
	strtab_release(&d.vocab);
	for (f = 0; f < INDEX_NFIELDS; f++) {
		buf_release(&d.field[f]);
		buf_release(&d.text[f]);
	}
	buf_release(&d.blob);
	buf_release(&d.qa);
	buf_release(&cfg);
	buf_release(&old);
	buf_release(&langs);
	return rc;
}
