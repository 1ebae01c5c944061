/*
 * sitesearch_int: what sitesearch.c (the site's search files, read on
 * demand) and siterank.c (the ranking of docs/search.md over them)
 * share.  Internal to index/.  Everything here is owned by the struct
 * site or struct query that holds it (site_free, query_free).
 */
#ifndef FQ_SITESEARCH_INT_H
#define FQ_SITESEARCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/strtab.h"

struct tokenizer;

/* A term's postings: df, then m (thread id, weight) pairs; a weight
 * is 1..127, plus 128 when the term is in the entry's title. */
struct post {
	uint32_t df, m;
	int64_t *ids;
	uint8_t *ws;
};

/* search/t/<i>.bin: terms (strtab index = post index) and forms. */
struct shard {
	int loaded;
	struct strtab terms, forms;
	struct post *post;
	char **tw;     /* per term: the term, NUL-terminated */
	char **fw;     /* per form: the form */
	char **fstem;  /* per form: its term */
	size_t nforms;
};

/* search/r/<i>.txt: the typo index. */
struct rline {
	char *w, *term;
	double df;
};

struct rshard {
	int loaded;
	struct rline *v;
	size_t n;
};

struct site {
	const char *dir;
	double n;            /* entries */
	int g;               /* entry files: thread id >> g */
	char **shards, **rshards; /* first key of each (the first "") */
	size_t nshards, nrshards;
	int has_r;
	int nofix;           /* search the words as typed */
	struct strtab stop;  /* common words and stopwords */
	struct shard *sh;
	struct rshard *rsh;
	size_t fetched;      /* bytes read */
};

/* One distinct word of the query. */
struct qword {
	char *t;       /* as the browser tokenizes it */
	int prefix;    /* the last word, the text ending with it */
	char *fixed;   /* the correction searched instead, or NULL */
};

struct hit {
	int64_t id;
	double score; /* rounded to 6 decimals */
	int cover;    /* words matched */
	int title;    /* of them, in the title */
};

struct query {
	struct qword w[32];
	int nw;
	struct hit *hits; /* ranked */
	size_t nhits;
};

/* sitesearch.c: files of the site, loaded once each. */
size_t site_shard_of(char *const *a, size_t n, const char *key,
    size_t klen);
struct shard *site_shard(struct site *s, size_t i);
struct rshard *site_rshard(struct site *s, size_t i);
const struct post *site_term(struct site *s, const char *t, size_t n);

/* siterank.c: ranks q (n bytes) over the site into qr. */
void site_query(struct site *s, struct tokenizer *t, const char *q,
    size_t n, struct query *qr);
void query_free(struct query *qr);

#endif
