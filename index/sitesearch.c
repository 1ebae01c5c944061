/*
 * sitesearch: `faqtory search --entries DIR`, the static search of a
 * built site run from the terminal.  It reads the site's own search
 * files (search/meta.json, t/, r/, d/) and ranks exactly as the
 * browser's client does (site-template/search.js; the ranking is
 * written once, in docs/search.md): same words, same corrections, same
 * order, over the published entries only.  tests/vectors/ranking.jsonl
 * holds queries and expected orders that both must give.
 *
 * The query is tokenized unstemmed (TOK_QUERY | TOK_PREFIX): the
 * browser has no stemmer and looks its words up in the shards' form
 * lists, so this does too.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/safefile.h"
#include "core/strtab.h"
#include "core/varint.h"
#include "core/xmalloc.h"
#include "index/index.h"
#include "index/index_int.h"
#include "index/sitesearch_int.h"
#include "index/tokenize.h"

#define FILE_MAX ((size_t)64 << 20)

/* Reads DIR/rel whole into out; 0 or -1 (error printed). */
static int
site_read(struct site *s, const char *rel, struct buf *out)
{
	struct buf p = BUF_INIT;
	char why[SAFEFILE_WHY];
	int rc;

	buf_printf(&p, "%s/%s", s->dir, rel);
	rc = safefile_read(p.data, s->dir, FILE_MAX, out, why);
	if (rc < 0)
		fq_err("%s: %s", p.data, why);
	buf_release(&p);
	return rc;
}

/* A JSON array of strings into a NULL-terminated heap array. */
static char **
str_array(json_t *a, size_t *n)
{
	size_t i, k = json_array_size(a);
	char **v = xcalloc(k + 1, sizeof *v);

	for (i = 0; i < k; i++) {
		const char *x = json_string_value(json_array_get(a, i));

		v[i] = xstrdup(x ? x : "");
	}
	*n = k;
	return v;
}

static int
site_meta(struct site *s)
{
	struct buf b = BUF_INIT;
	json_t *m, *a;
	size_t i, n;
	char **v;

	if (site_read(s, "search/meta.json", &b) < 0)
		return -1;
	m = json_loadb(b.data, b.len, 0, NULL);
	buf_release(&b);
	if (!json_is_object(m)) {
		json_decref(m);
		fq_err("%s/search/meta.json: not a search index", s->dir);
		return -1;
	}
	s->n = (double)json_integer_value(json_object_get(m, "n"));
	s->g = (int)json_integer_value(json_object_get(m, "g"));
	if (s->g < 0 || s->g > 30)
		s->g = 0; /* not ours: no entry file will match */
	s->shards = str_array(json_object_get(m, "shards"), &s->nshards);
	a = json_object_get(m, "rshards");
	s->has_r = json_is_array(a);
	s->rshards = str_array(a, &s->nrshards);
	v = str_array(json_object_get(m, "stop"), &n);
	for (i = 0; i < n; i++)
		strtab_add(&s->stop, v[i], strlen(v[i]), NULL), free(v[i]);
	free(v);
	v = str_array(json_object_get(m, "sw"), &n);
	for (i = 0; i < n; i++)
		strtab_add(&s->stop, v[i], strlen(v[i]), NULL), free(v[i]);
	free(v);
	json_decref(m);
	s->sh = xcalloc(s->nshards + 1, sizeof *s->sh);
	s->rsh = xcalloc(s->nrshards + 1, sizeof *s->rsh);
	return 0;
}

/* The shard whose range holds key: the last first-key <= key. */
size_t
site_shard_of(char *const *a, size_t n, const char *key, size_t klen)
{
	size_t lo = 0, hi = n ? n - 1 : 0;

	while (lo < hi) {
		size_t m = (lo + hi + 1) / 2, ml = strlen(a[m]);
		int c = memcmp(a[m], key, ml < klen ? ml : klen);

		if (c == 0)
			c = (ml > klen) - (ml < klen);
		if (c <= 0)
			lo = m;
		else
			hi = m - 1;
	}
	return lo;
}

/* Parses search/t/<i>.bin (render/shards.c writes it). */
static void
shard_parse(struct shard *sh, const unsigned char *b, size_t n)
{
	size_t p = 0, nt = (size_t)varint_get(b, n, &p);
	size_t tl = (size_t)varint_get(b, n, &p), i, j, nw = 0;
	const char *text = (const char *)b + p, *l, *e, *end;

	if (p > n || tl > n - p)
		return;
	end = text + tl;
	p += tl;
	sh->post = xcalloc(nt + 1, sizeof *sh->post);
	for (i = 0, l = text; l < end; i++, l = e + 1) {
		const char *tab;

		e = memchr(l, '\n', (size_t)(end - l));
		if (e == NULL)
			e = end;
		if (i < nt) {
			if (strtab_add(&sh->terms, l, (size_t)(e - l), NULL) ==
			    (long)sh->terms.n - 1 && sh->terms.n > nw) {
				sh->tw = xreallocarray(sh->tw, sh->terms.n,
				    sizeof *sh->tw);
				sh->tw[nw++] = xstrndup(l, (size_t)(e - l));
			}
			continue;
		}
		tab = memchr(l, '\t', (size_t)(e - l));
		if (tab == NULL || tab == l)
			continue;
		if (strtab_add(&sh->forms, l, (size_t)(tab - l), NULL) ==
		    (long)sh->nforms) {
			sh->fstem = xreallocarray(sh->fstem, sh->nforms + 1,
			    sizeof *sh->fstem);
			sh->fw = xreallocarray(sh->fw, sh->nforms + 1,
			    sizeof *sh->fw);
			sh->fw[sh->nforms] = xstrndup(l, (size_t)(tab - l));
			sh->fstem[sh->nforms++] = xstrndup(tab + 1,
			    (size_t)(e - tab - 1));
		}
	}
	for (i = 0; i < nt && i < sh->terms.n; i++) {
		struct post *q = &sh->post[i];
		uint64_t id = 0; /* unsigned: a bad delta wraps, never overflows */

		q->df = (uint32_t)varint_get(b, n, &p);
		q->m = (uint32_t)varint_get(b, n, &p);
		if (q->m > n)
			q->m = 0;
		q->ids = xcalloc(q->m + 1, sizeof *q->ids);
		q->ws = xcalloc(q->m + 1, 1);
		for (j = 0; j < q->m && p < n; j++) {
			id += varint_get(b, n, &p);
			q->ids[j] = (int64_t)id;
			q->ws[j] = p < n ? b[p++] : 0;
		}
	}
}

struct shard *
site_shard(struct site *s, size_t i)
{
	struct shard *sh = &s->sh[i];
	struct buf path = BUF_INIT, b = BUF_INIT;

	if (sh->loaded)
		return sh;
	sh->loaded = 1;
	strtab_init(&sh->terms);
	strtab_init(&sh->forms);
	buf_printf(&path, "search/t/%zu.bin", i);
	if (site_read(s, path.data, &b) == 0) {
		shard_parse(sh, (const unsigned char *)b.data, b.len);
		s->fetched += b.len;
	}
	buf_release(&path);
	buf_release(&b);
	return sh;
}

/* Parses search/r/<i>.txt: "word\tdf[\tterm]" lines. */
struct rshard *
site_rshard(struct site *s, size_t i)
{
	struct rshard *r = &s->rsh[i];
	struct buf path = BUF_INIT, b = BUF_INIT;
	const char *l, *e, *end;

	if (r->loaded)
		return r;
	r->loaded = 1;
	buf_printf(&path, "search/r/%zu.txt", i);
	if (site_read(s, path.data, &b) == 0) {
		s->fetched += b.len;
		for (l = b.data, end = b.data + b.len; l < end; l = e + 1) {
			const char *t1, *t2;
			struct rline *x;

			e = memchr(l, '\n', (size_t)(end - l));
			if (e == NULL)
				e = end;
			t1 = memchr(l, '\t', (size_t)(e - l));
			if (t1 == NULL)
				continue;
			t2 = memchr(t1 + 1, '\t', (size_t)(e - t1 - 1));
			r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
			x = &r->v[r->n++];
			x->w = xstrndup(l, (size_t)(t1 - l));
			x->df = strtod(t1 + 1, NULL);
			x->term = t2 ? xstrndup(t2 + 1, (size_t)(e - t2 - 1)) :
			    xstrdup(x->w);
		}
	}
	buf_release(&path);
	buf_release(&b);
	return r;
}

/* The postings of term t wherever it lives, or NULL. */
const struct post *
site_term(struct site *s, const char *t, size_t n)
{
	struct shard *sh = site_shard(s, site_shard_of(s->shards, s->nshards,
	    t, n));
	long k = strtab_find(&sh->terms, t, n);

	return k < 0 ? NULL : &sh->post[k];
}

static void
site_free(struct site *s)
{
	size_t i, j;

	for (i = 0; i < s->nshards; i++) {
		struct shard *sh = &s->sh[i];

		if (!sh->loaded)
			continue;
		for (j = 0; j < sh->terms.n; j++) {
			free(sh->post[j].ids);
			free(sh->post[j].ws);
			free(sh->tw[j]);
		}
		for (j = 0; j < sh->nforms; j++) {
			free(sh->fstem[j]);
			free(sh->fw[j]);
		}
		free(sh->tw);
		free(sh->fw);
		free(sh->post);
		free(sh->fstem);
		strtab_release(&sh->terms);
		strtab_release(&sh->forms);
	}
	for (i = 0; i < s->nrshards; i++) {
		for (j = 0; j < s->rsh[i].n; j++) {
			free(s->rsh[i].v[j].w);
			free(s->rsh[i].v[j].term);
		}
		free(s->rsh[i].v);
	}
	for (i = 0; i < s->nshards; i++)
		free(s->shards[i]);
	for (i = 0; i < s->nrshards; i++)
		free(s->rshards[i]);
	free(s->shards);
	free(s->rshards);
	free(s->sh);
	free(s->rsh);
	strtab_release(&s->stop);
}

/* The entry [id, "SOURCE:ID", path, title, snippet] of thread id from
 * its entry file, appended to out as JSON or text. */
static void
put_entry(struct site *s, const struct hit *h, int rank, int json,
    struct buf *out)
{
	struct buf path = BUF_INIT, b = BUF_INIT;
	json_t *a = NULL, *e = NULL;
	size_t i;
	const char *ent = "", *title = "";

	buf_printf(&path, "search/d/%lld.json", (long long)(h->id >> s->g));
	if (site_read(s, path.data, &b) == 0)
		a = json_loadb(b.data, b.len, 0, NULL);
	for (i = 0; i < json_array_size(a); i++)
		if (json_integer_value(json_array_get(json_array_get(a, i),
		    0)) == h->id)
			e = json_array_get(a, i);
	if (e) {
		ent = json_string_value(json_array_get(e, 1));
		title = json_string_value(json_array_get(e, 3));
	}
	ent = ent ? ent : "";
	title = title ? title : "";
	if (json) {
		buf_puts(out, rank ? ",{\"entry\":\"" : "{\"entry\":\"");
		esc_json(out, ent, strlen(ent));
		buf_printf(out, "\",\"thread\":%lld,\"title\":\"",
		    (long long)h->id);
		esc_json(out, title, strlen(title));
		buf_printf(out, "\",\"words\":%d,\"in_title\":%d,\"score\":%.6f}",
		    h->cover, h->title, h->score);
	} else {
		buf_printf(out, "%2d. %s  %s\n    words %d, in the title %d, "
		    "score %.6f\n", rank + 1, ent, title, h->cover, h->title,
		    h->score);
	}
	json_decref(a);
	buf_release(&path);
	buf_release(&b);
}

static void
put_results(struct site *s, const struct query *q, const char *text,
    size_t n, const struct index_search_opts *o, struct buf *out)
{
	int i;

	if (o->json) {
		buf_puts(out, "{\"query\":\"");
		esc_json(out, text, n);
		buf_printf(out, "\",\"total\":%zu,\"instead\":[", q->nhits);
		for (i = 0; i < q->nw; i++) {
			if (!q->w[i].fixed)
				continue;
			buf_puts(out, out->data[out->len - 1] == '[' ? "[\"" :
			    ",[\"");
			esc_json(out, q->w[i].t, strlen(q->w[i].t));
			buf_puts(out, "\",\"");
			esc_json(out, q->w[i].fixed, strlen(q->w[i].fixed));
			buf_puts(out, "\"]");
		}
		buf_puts(out, "],\"results\":[");
	} else {
		for (i = 0; i < q->nw; i++)
			if (q->w[i].fixed)
				buf_printf(out, "showing results for %s "
				    "instead of %s\n", q->w[i].fixed,
				    q->w[i].t);
		buf_printf(out, "%zu results\n", q->nhits);
	}
	for (i = 0; i < o->limit && (size_t)i < q->nhits; i++)
		put_entry(s, &q->hits[i], i, o->json, out);
	if (o->json)
		buf_puts(out, "]}\n");
}

int
index_search_site(struct store *st, const char *dir, const char *q,
    size_t n, const struct index_search_opts *o, struct buf *out)
{
	struct site s;
	struct query qr;
	struct tokenizer *t;
	int rc = -1;

	memset(&s, 0, sizeof s);
	memset(&qr, 0, sizeof qr);
	s.dir = dir;
	s.nofix = o->nofix;
	strtab_init(&s.stop);
	t = index_query_tokenizer(st);
	if (site_meta(&s) == 0) {
		site_query(&s, t, q, n, &qr);
		put_results(&s, &qr, q, n, o, out);
		rc = 0;
	}
	query_free(&qr);
	tok_free(t);
	site_free(&s);
	return rc;
}
