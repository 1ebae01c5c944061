/*
 * fts: the full-text index and the term vectors.
 *
 * One FTS5 table `fts` (rowid = threads.id) with the columns title,
 * question, accepted, answers, tags and our tokenizer, configured with
 * the union of the sources' languages (FTS5 in SQLite 3.40 has one
 * tokenizer per table: words of a script are stemmed by the first
 * listed language of that script).  index_threads remembers the hash
 * each thread was indexed at, so a run only re-tokenizes what changed.
 *
 * The text pass: the caller's thread reads posts and writes the rows;
 * `jobs` workers (textwork.c; none for one job: then the caller does
 * it) turn stored HTML into text, tokenize it once for both the
 * full-text table and the search data (searchdata.c), and count the
 * terms of the clustering vectors.  FTS5 is given each field as a raw
 * token list (tokenize.h), so it tokenizes nothing on the caller's
 * thread.  Batches are written in the order they were read, whichever
 * worker did them, so the output does not depend on timing or on
 * `jobs`.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xmalloc.h"
#include "index/index_int.h"
#include "index/textwork.h"
#include "index/tokenize.h"

#define MAX_WORKERS 64
#define FTS_HASH_BYTES (64 << 20)



struct plan {
	int64_t id, source_id, ext, hash;
	int had, fts, search;
};

struct langs {
	int64_t *source; /* source id of each entry of lang */
	int *lang;       /* its index in name[] */
	size_t nsources;
	char *name[TEXT_MAX_LANGS];
	int n;
	struct buf fts; /* the FTS5 tokenizer's language list */
};

static void
langs_free(struct langs *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->name[i]);
	free(l->source);
	free(l->lang);
	buf_release(&l->fts);
}

static int
lang_of(const struct langs *l, int64_t source)
{
	size_t i;

	for (i = 0; i < l->nsources; i++) {
		if (l->source[i] == source)
			return l->lang[i];
	}
	return 0;
}

static const char SQL_SOURCES[] =
    "SELECT id, name, coalesce(lang, '') FROM sources ORDER BY id";

/* Reads and checks every source's language list.  name[0] is always
 * the default (english). */
static int
load_langs(struct store *st, struct langs *l)
{
	sqlite3_stmt *q = store_stmt(st, SQL_SOURCES);
	size_t cap = 0;
	int rc, i;

	l->name[l->n++] = xstrdup("");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 1);
		const char *lang = (const char *)sqlite3_column_text(q, 2);
		struct tokenizer *t;
		const char *p;

		for (p = lang; *p; p++) {
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' &&
			    *p <= '9') || *p == ' ' || *p == ','))
				break;
		}
		if (*p || (t = tok_new(lang)) == NULL) {
			fq_err("source '%s': unknown language list '%s'", name,
			    lang);
			return -1;
		}
		tok_free(t);
		for (i = 0; i < l->n && strcmp(l->name[i], lang) != 0; i++)
			;
		if (i == l->n) {
			if (l->n == TEXT_MAX_LANGS) {
				fq_err("more than %d language lists", TEXT_MAX_LANGS);
				return -1;
			}
			l->name[l->n++] = xstrdup(lang);
		}
		if (l->nsources == cap) {
			cap = cap ? 2 * cap : 16;
			l->source = xreallocarray(l->source, cap,
			    sizeof *l->source);
			l->lang = xreallocarray(l->lang, cap, sizeof *l->lang);
		}
		l->source[l->nsources] = sqlite3_column_int64(q, 0);
		l->lang[l->nsources++] = i;
		/* The FTS list: every word once, "none" left out. */
		for (p = lang + strspn(lang, " ,"); *p;) {
			size_t n = strcspn(p, " ,");
			struct buf key = BUF_INIT, pad = BUF_INIT;

			buf_putc(&key, ' ');
			buf_put(&key, p, n);
			buf_putc(&key, ' ');
			buf_printf(&pad, " %s", l->fts.data);
			if (strcmp(key.data, " none ") != 0 &&
			    strstr(pad.data, key.data) == NULL)
				buf_put(&l->fts, key.data + 1, key.len - 1);
			buf_release(&key);
			buf_release(&pad);
			p += n;
			p += strspn(p, " ,");
		}
	}
	if (rc != SQLITE_DONE)
		return store_fail(st);
	if (l->fts.len)
		buf_truncate(&l->fts, l->fts.len - 1);
	return 0;
}

static const char SQL_FTS_EXISTS[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'fts'";

int
index_fts_exists(struct store *st)
{
	sqlite3_stmt *q = store_stmt(st, SQL_FTS_EXISTS);
	int n = 0;

	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return n == 1;
}

/* Creates the FTS5 table, or rebuilds everything when the tokenizer
 * configuration or the vector format changed, or when asked to. */
static int
ensure_fts(struct store *st, const struct langs *l, int rebuild)
{
	struct buf cfg = BUF_INIT, ddl = BUF_INIT, old = BUF_INIT;
	int exists, same, rc = -1, f;

	index_config_format(&cfg, l->fts.data);
	exists = index_fts_exists(st);
	if ((same = store_meta_get(st, "config", &old)) < 0)
		goto out;
	same = same && strcmp(old.data, cfg.data) == 0;
	if (exists && same && !rebuild) {
		rc = 0;
		goto out;
	}
	/* The language list holds only [a-z0-9 ] (checked in load_langs),
	 * so it can be part of the DDL, which cannot take bound values. */
	buf_puts(&ddl, "DROP TABLE IF EXISTS fts;"
	    "DELETE FROM index_threads;"
	    "DELETE FROM index_neighbours;"
	    "DELETE FROM index_meta WHERE key = 'answer_fit';"
	    "CREATE VIRTUAL TABLE fts USING fts5(");
	for (f = 0; f < INDEX_NFIELDS; f++)
		buf_printf(&ddl, "%s, ", index_fields[f].name);
	/* Contentless: the text is the posts' (fts_delete.c). */
	buf_printf(&ddl, "content='', tokenize='faqtory %s');", l->fts.data);
	/* FTS5 writes a segment each time its pending terms pass this
	 * many bytes, then merges the segments level by level: with the
	 * default 1 MB a big first index wrote thousands of segments and
	 * merged each posting several times over. */
	buf_printf(&ddl, "INSERT INTO fts(fts, rank) VALUES('hashsize', %d);",
	    FTS_HASH_BYTES);
	if (store_exec(st, ddl.data) < 0)
		goto out;
	if (store_meta_set(st, "config", cfg.data, cfg.len) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&cfg);
	buf_release(&ddl);
	buf_release(&old);
	return rc;
}

static const char SQL_PLAN[] =
    "SELECT t.id, t.source_id, t.ext_id, t.hash, i.hash IS NOT NULL,"
    " coalesce(i.hash = t.hash, 0), coalesce(d.hash = t.hash, 0)"
    " FROM threads t LEFT JOIN index_threads i ON i.thread_id = t.id"
    " LEFT JOIN search_docs d ON d.thread_id = t.id"
    " ORDER BY t.id";
/* The rows to take out of `fts`: gone threads and changed ones. */
static const char SQL_OLD[] =
    "SELECT i.thread_id, i.hash FROM index_threads i"
    " LEFT JOIN threads t ON t.id = i.thread_id"
    " WHERE t.id IS NULL OR t.hash <> i.hash ORDER BY i.thread_id";
static const char SQL_GONE[] =
    "DELETE FROM index_threads WHERE thread_id NOT IN (SELECT id FROM threads)";
_Static_assert(INDEX_NFIELDS == 5, "one parameter per field in SQL_FTS_INS");
/* The columns in index_fields[] order. */
static const char SQL_FTS_INS[] =
    "INSERT INTO fts(rowid, title, question, accepted, answers, tags)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_IT_SET[] =
    "INSERT OR REPLACE INTO index_threads(thread_id, hash, terms)"
    " VALUES(?1, ?2, ?3)";

/* Reads what the worker needs for one thread. */
static int
fill(struct store *st, const struct plan *p, int lang, struct item *it)
{
	int f;

	it->id = p->id;
	it->source_id = p->source_id;
	it->ext = p->ext;
	it->hash = p->hash;
	it->had = p->had;
	it->fts = p->fts;
	it->search = p->search;
	it->lang = lang;
	for (f = 0; f < INDEX_NFIELDS; f++) {
		buf_reset(&it->f[f]);
		buf_reset(&it->text[f]);
		buf_reset(&it->raw[f]);
	}
	buf_reset(&it->terms);
	return index_read_thread(st, p->id, p->source_id, p->ext, it->f);
}

static int
write_item(struct store *st, struct sdata *sd, const struct item *it,
    struct index_result *r)
{
	sqlite3_stmt *q;
	int f;

	if (it->search && index_sdata_write(sd, it->id, it->hash, &it->sd) < 0)
		return -1;
	if (!it->fts)
		return 0;
	/* The old row went first (delete_old). */
	if (it->had)
		r->changed++;
	else
		r->added++;
	q = store_stmt(st, SQL_FTS_INS);
	bind_int(q, 1, it->id);
	/* The tokens as a raw text (tokenize.h): a field with none is an
	 * empty text, which has none either. */
	for (f = 0; f < INDEX_NFIELDS; f++)
		bind_text(q, 2 + f, it->raw[f].len ? it->raw[f].data : "",
		    it->raw[f].len);
	if (store_done(st, q) < 0)
		return -1;
	q = store_stmt(st, SQL_IT_SET);
	bind_int(q, 1, it->id);
	bind_int(q, 2, it->hash);
	sqlite3_bind_blob(q, 3, it->terms.data, (int)it->terms.len,
	    SQLITE_TRANSIENT);
	return store_done(st, q);
}

/* Reads the plan: the threads to (re)index. */
static int
read_plan(struct store *st, struct plan **out, size_t *nout,
    struct index_result *r)
{
	sqlite3_stmt *q = store_stmt(st, SQL_PLAN);
	struct plan *p = NULL;
	size_t n = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int fts = !sqlite3_column_int(q, 5);
		int search = !sqlite3_column_int(q, 6);

		r->threads++;
		r->unchanged += !fts;
		if (!fts && !search)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			p = xreallocarray(p, cap, sizeof *p);
		}
		p[n].id = sqlite3_column_int64(q, 0);
		p[n].source_id = sqlite3_column_int64(q, 1);
		p[n].ext = sqlite3_column_int64(q, 2);
		p[n].hash = sqlite3_column_int64(q, 3);
		p[n].fts = fts;
		p[n].search = search;
		p[n++].had = sqlite3_column_int(q, 4);
	}
	*out = p;
	*nout = n;
	if (rc != SQLITE_DONE)
		return store_fail(st);
	return 0;
}

/* Reads the next batch of the plan into b.  0 or -1. */
static int
read_batch(struct store *st, const struct plan *plan, size_t n,
    size_t *next, const struct langs *l, struct batch *b)
{
	b->n = 0;
	b->done = 0;
	b->next = b->wnext = NULL;
	for (; *next < n && b->n < TEXT_BATCH; (*next)++) {
		const struct plan *p = &plan[*next];

		if (fill(st, p, lang_of(l, p->source_id),
		    &b->items[b->n++]) < 0)
			return -1;
	}
	return 0;
}

/* Runs the plan through the workers (or inline, for one job) and
 * writes the results in the plan's order. */
static int
pipeline(struct store *st, struct sdata *sd, const struct plan *plan,
    size_t n, const struct langs *l, int jobs, struct index_result *r)
{
	struct queue q;
	struct worker *w;
	struct batch *inflight = NULL, *last = NULL, *b, *spare = NULL;
	struct progress pg;
	size_t next = 0, written = 0, i;
	int nw = 0, nin = 0, maxin, rc = -1;

	if (jobs > MAX_WORKERS)
		jobs = MAX_WORKERS;
	/* One job: the caller tokenizes (w[0]); more: that many workers,
	 * the caller only reads and writes. */
	w = xcalloc((size_t)(jobs > 1 ? jobs : 1), sizeof *w);
	memset(&q, 0, sizeof q);
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv, NULL);
	for (i = 0; i < (size_t)(jobs > 1 ? jobs : 1); i++)
		text_worker_init(&w[i], &q, l->name, l->n,
		    index_sdata_langs(sd));
	for (; jobs > 1 && nw < jobs && n > TEXT_BATCH; nw++)
		if (pthread_create(&w[nw].th, NULL, text_worker_main,
		    &w[nw]) != 0)
			break;
	maxin = 2 * nw + 2;
	progress_start(&pg, "index", n);
	while (next < n || inflight) {
		if (next < n && nin < maxin) {
			b = spare ? spare : text_batch_new();
			spare = NULL;
			if (read_batch(st, plan, n, &next, l, b) < 0) {
				text_batch_free(b);
				goto out;
			}
			if (last)
				last->next = b;
			else
				inflight = b;
			last = b;
			nin++;
			if (nw)
				text_enqueue(&q, b);
			continue;
		}
		/* Wait for the oldest batch, then write it. */
		b = inflight;
		if (nw)
			text_wait_done(&q, b);
		else
			for (i = 0; i < b->n; i++)
				text_process(&w[0], &b->items[i]);
		inflight = b->next;
		if (inflight == NULL)
			last = NULL;
		nin--;
		for (i = 0; i < b->n; i++) {
			if (write_item(st, sd, &b->items[i], r) < 0) {
				text_batch_free(b);
				goto out;
			}
		}
		written += b->n;
		progress_update(&pg, written);
		if (spare)
			text_batch_free(spare);
		spare = b;
	}
	rc = 0;
out:
	progress_end(&pg);
	pthread_mutex_lock(&q.mu);
	q.quit = 1;
	pthread_cond_broadcast(&q.cv);
	pthread_mutex_unlock(&q.mu);
	for (i = 0; i < (size_t)nw; i++)
		pthread_join(w[i].th, NULL);
	while (inflight) {
		b = inflight->next;
		text_batch_free(inflight);
		inflight = b;
	}
	if (spare)
		text_batch_free(spare);
	for (i = 0; i < (size_t)(jobs > 1 ? jobs : 1); i++)
		text_worker_release(&w[i], l->n);
	free(w);
	pthread_mutex_destroy(&q.mu);
	pthread_cond_destroy(&q.cv);
	return rc;
}

/*
 * Takes the rows of gone and changed threads out of the contentless
 * table, through their keys (fts_delete.c).  0, 1 when a row has no key
 * (the caller rebuilds the table), or -1.
 */
static int
delete_old(struct store *st)
{
	sqlite3_stmt *q = store_stmt(st, SQL_OLD);
	struct fts_vocab v;
	int64_t *old = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n + 2 > cap) {
			cap = cap ? 2 * cap : 256;
			old = xreallocarray(old, cap, sizeof *old);
		}
		old[n++] = sqlite3_column_int64(q, 0);
		old[n++] = sqlite3_column_int64(q, 1);
	}
	if (rc != SQLITE_DONE) {
		free(old);
		return store_fail(st);
	}
	if (n == 0)
		return 0;
	if ((rc = index_fts_vocab_load(st, &v)) == 0)
		for (i = 0; i < n && rc == 0; i += 2)
			rc = index_fts_delete(st, &v, old[i], old[i + 1]);
	index_fts_vocab_release(&v);
	free(old);
	return rc;
}

int
index_fts_run(struct store *st, int rebuild, int jobs,
    struct index_result *r)
{
	struct langs l;
	struct plan *plan = NULL;
	struct sdata *sd = NULL;
	size_t n = 0;
	int rc = -1;

	memset(&l, 0, sizeof l);
	buf_init(&l.fts);
	if (load_langs(st, &l) < 0 || ensure_fts(st, &l, rebuild) < 0)
		goto out;
	/* The old rows go through the search data's old terms, so before
	 * that is redone (fts_delete.c). */
	if ((rc = delete_old(st)) == 1)
		rc = ensure_fts(st, &l, 1);
	if (rc < 0 || store_exec(st, SQL_GONE) < 0)
		goto out;
	rc = -1;
	r->removed = sqlite3_changes(store_db(st));
	if ((sd = index_sdata_open(st, rebuild)) == NULL ||
	    read_plan(st, &plan, &n, r) < 0 ||
	    pipeline(st, sd, plan, n, &l, jobs, r) < 0)
		goto out;
	rc = 0;
out:
	if (index_sdata_close(sd, rc == 0) < 0)
		rc = -1;
	free(plan);
	langs_free(&l);
	return rc;
}
