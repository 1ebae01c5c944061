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
 * configuration redoes everything.  The work is split in two: a worker
 * of the text pass (fts.c) fills a struct sdoc from a thread's tokens,
 * which it has for the full-text table anyway, and the caller's thread
 * numbers its terms and writes the rows (index_sdata_write), in the
 * threads' order, so the ids never depend on timing.  Runs inside
 * index_run's transaction.  docs/search.md has the design.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/sort.h"
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

/* ---- one thread, on a worker of the text pass (fts.c) ---------------- */

void
index_sdoc_init(struct sdoc *d)
{
	memset(d, 0, sizeof *d);
	strtab_init(&d->terms);
	strtab_init(&d->forms);
	buf_init(&d->snippet);
}

void
index_sdoc_release(struct sdoc *d)
{
	strtab_release(&d->terms);
	strtab_release(&d->forms);
	free(d->f);
	free(d->tt);
	buf_release(&d->snippet);
	index_sdoc_init(d);
}

void
index_sdoc_reset(struct sdoc *d)
{
	strtab_reset(&d->terms);
	strtab_reset(&d->forms);
	buf_reset(&d->snippet);
	d->len = 0;
}

void
index_sdoc_token(struct sdoc *d, int flags, const char *tok, size_t n,
    uint32_t w, int title)
{
	int added;
	long k = strtab_add(&d->terms, tok, n, &added);

	if (!(flags & TOK_COLOCATED))
		d->len++;
	if (added) {
		if (d->terms.cap > d->cap) {
			d->cap = d->terms.cap;
			d->f = xreallocarray(d->f, d->cap, sizeof *d->f);
			d->tt = xreallocarray(d->tt, d->cap, sizeof *d->tt);
		}
		d->f[k] = w;
		d->tt[k] = title != 0;
		return;
	}
	d->f[k] = d->f[k] + w > 65535 ? 65535 : d->f[k] + w;
	d->tt[k] += title && d->tt[k] < 255;
}

void
index_sdoc_form(struct sdoc *d, const char *form, size_t n)
{
	strtab_add(&d->forms, form, n, NULL);
}

/* The snippet source: the question's text, spaces collapsed, cut at a
 * code point boundary near SNIPPET_BYTES. */
void
index_sdoc_snippet(struct sdoc *d, const char *s, size_t n)
{
	struct buf *out = &d->snippet;
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

/* ---- the run, on the caller's thread ---------------------------------- */

struct sdata {
	struct store *st;
	struct buf langs;          /* the index's language list */
	struct tokenizer *tok;     /* the index's, for new forms' stems */
	struct strtab seen;        /* forms already looked at this run */
	struct strtab vocab;       /* search_vocab: index = id */
	size_t vocab_stored;       /* how many terms the stored blob has */
	struct idterm *order;      /* scratch: a thread's terms by id */
	size_t order_cap;
	struct buf blob, qa;       /* scratch: a thread's terms, a stem */
};

/* The vocabulary id of a term (added if new: vocab_save stores it). */
static long
term_id(struct sdata *d, const char *s, size_t n)
{
	return strtab_add(&d->vocab, s, n, NULL);
}

/* The query token of one folded word, stemmed. */
static int
stem_cb(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	buf_put(ctx, tok, n);
	return 1; /* one is enough */
}

/*
 * A plain word (what the browser's tokenizer produces) seen the first
 * time this run: its stem is what the stemming tokenizer makes of it as
 * a plain word (the folded form tokenizes to itself, and the browser
 * only looks plain words up); a word that stems to something else is
 * recorded.
 */
static int
add_form(struct sdata *d, const char *tok, size_t n)
{
	sqlite3_stmt *q;
	int added;
	long id;

	strtab_add(&d->seen, tok, n, &added);
	if (!added)
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
	return store_done(d->st, q);
}

int
index_sdata_write(struct sdata *d, int64_t id, int64_t hash,
    const struct sdoc *doc)
{
	sqlite3_stmt *q;
	size_t i, kn, n = doc->terms.n;

	for (i = 0; i < doc->forms.n; i++) {
		const char *key = strtab_key(&doc->forms, i, &kn);

		if (add_form(d, key, kn) < 0)
			return -1;
	}
	if (n + 1 > d->order_cap) {
		d->order_cap = 2 * n + 1;
		d->order = xreallocarray(d->order, d->order_cap,
		    sizeof *d->order);
	}
	for (i = 0; i < n; i++) {
		const char *key = strtab_key(&doc->terms, i, &kn);
		long tid = term_id(d, key, kn);

		if (tid < 0)
			return -1;
		d->order[i].id = (uint32_t)tid;
		d->order[i].k = (uint32_t)i;
	}
	fq_sort(d->order, n, sizeof *d->order, cmp_id);
	buf_reset(&d->blob);
	for (i = 0; i < n; i++) {
		uint32_t k = d->order[i].k;

		varint_put(&d->blob, d->order[i].id);
		varint_put(&d->blob, doc->f[k]);
		varint_put(&d->blob, doc->tt[k]);
	}
	q = store_stmt(d->st, SQL_DOC_SET);
	bind_int(q, 1, id);
	bind_int(q, 2, hash);
	bind_int(q, 3, doc->len);
	sqlite3_bind_blob(q, 4, d->blob.len ? d->blob.data : "",
	    (int)d->blob.len, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, doc->snippet.data ? doc->snippet.data : "",
	    (int)doc->snippet.len, SQLITE_TRANSIENT);
	return store_done(d->st, q);
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

const char *
index_sdata_langs(const struct sdata *d)
{
	return d->langs.data;
}

static void
sdata_free(struct sdata *d)
{
	tok_free(d->tok);
	strtab_release(&d->seen);
	strtab_release(&d->vocab);
	free(d->order);
	buf_release(&d->langs);
	buf_release(&d->blob);
	buf_release(&d->qa);
	free(d);
}

struct sdata *
index_sdata_open(struct store *st, int rebuild)
{
	struct sdata *d = xcalloc(1, sizeof *d);
	struct buf cfg = BUF_INIT, old = BUF_INIT;
	int same, rc = -1;

	d->st = st;
	strtab_init(&d->seen);
	strtab_init(&d->vocab);
	if (index_config_read(st, &cfg, &d->langs) < 0)
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
	if (store_exec(st, SQL_GONE) < 0 || (same = load_vocab(d)) < 0)
		goto out;
	if (same == 1 && store_exec(st, SQL_RESET) < 0)
		goto out;
	d->tok = tok_new(d->langs.data);
	if (d->tok == NULL)
		d->tok = tok_new(NULL);
	rc = 0;
out:
	buf_release(&cfg);
	buf_release(&old);
	if (rc < 0) {
		sdata_free(d);
		d = NULL;
	}
	return d;
}

int
index_sdata_close(struct sdata *d, int save)
{
	int rc = 0;

	if (d == NULL)
		return 0;
	if (save && (vocab_save(d) < 0 ||
	    index_stopterms_save(d->st, d->tok, d->langs.data) < 0))
		rc = -1;
	sdata_free(d);
	return rc;
}
