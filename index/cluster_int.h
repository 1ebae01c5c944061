/*
 * cluster_int: what index/cluster.c (topics, related questions) shares
 * with index/issues.c (recurring issues): the loaded vectors and
 * neighbours of every question.  cluster.c owns the context and every
 * array in it; issues.c only reads it.
 */
#ifndef FQ_CLUSTER_INT_H
#define FQ_CLUSTER_INT_H

#include <stdint.h>

#include "core/store.h"
#include "core/strtab.h"
#include "index/index.h"

#define KC 30 /* cosine candidates per question */
#define HUB_K 10
#define HUB_L 1.0
#define POST_CAP 512 /* postings read per query term, heaviest first */
#define RESCORE 128   /* candidates scored exactly when a list was cut */

struct doc {
	int64_t id, ext;
	int64_t score, views;
	int accepted;
	uint32_t src;
	char created[20];
	char *title;
	char *tags; /* one a line, for labels */
	int64_t hash; /* index_threads.hash: the content its vector is of */
	uint32_t roff, rn; /* raw terms: rterm[], rweight[] */
	uint32_t voff, vn; /* vector, sorted by term id: vterm[], vw[] */
};

struct src {
	int64_t id;
	char *lang;
	size_t first, n; /* docs[first, first + n) */
	/* Dictionary: term id (dense, first seen first) <-> bytes; df[]
	 * indexed the same way, grown to terms.cap. */
	struct strtab terms;
	uint32_t *df;
	size_t capdf;
	/* Postings of the vectors, by term id (CSR). */
	uint32_t *poff, *pdoc;
	float *pw;
};

struct nb {
	uint32_t doc;
	float sim; /* ranking score */
	float cos; /* cosine */
};

struct edge {
	uint32_t a, b;
	float sim;
};

struct ctx {
	struct doc *docs;
	size_t ndocs, capdocs;
	struct src *srcs;
	size_t nsrcs, capsrcs;
	uint32_t *rterm, *vterm;
	uint16_t *rweight;
	float *vw;
	size_t nraw, capraw, nvec, capvec;
	struct nb *knn; /* INDEX_RELATED_K per doc */
	uint8_t *nknn;
	struct nb *cands; /* KC per doc: the cosine candidates */
	uint8_t *ncands;
	float *hub; /* mean cosine of each doc's first HUB_K candidates */
	/* The docs whose candidates are queried this run, ascending, and
	 * each doc's state (neighbours_plan); the drift counters of the
	 * stored candidates (index_meta 'neighbours'). */
	uint32_t *todo;
	size_t ntodo;
	uint8_t *nbstate;
	int64_t nb_base, nb_since;
	/* The doc index of each thread id from byid_lo on (-1: none), when
	 * the ids are dense enough (cluster_doc_index). */
	int32_t *byid;
	int64_t byid_lo;
	size_t byid_n;
	/* Human duplicate links, as doc index pairs (both directions). */
	struct edge *dups;
	size_t ndups, capdups;
};

/* A doc's candidates this run: queried, kept as stored (rescored),
 * kept and changed by a doc queried (saved again), or queried though
 * its content did not change (a stored candidate gone: not counted
 * against the drift bound; neighbours_plan only). */
enum { NB_QUERY, NB_KEPT, NB_DIRTY, NB_STALE };

/* Inserts doc e with score sim into top[0..*ntop) (sim desc, doc asc),
 * which holds at most kmax (neighbours.c). */
void neighbours_insert(struct nb *top, int *ntop, int kmax, uint32_t e,
    float sim);
/* The dot product of a query spread by term id in qd (0 elsewhere)
 * with doc d, in the bits query() would give it. */
float neighbours_dense_dot(const struct ctx *c, const float *qd,
    const struct doc *d);
/* Decides which docs to query (c->todo) and fills the others'
 * candidates from the store, rescored with today's vectors on njobs
 * threads (neighbours_store.c).  Allocates c->cands, c->ncands,
 * c->nbstate, c->todo.  0, or -1 (store error printed). */
int neighbours_plan(struct store *st, struct ctx *c, int njobs);
/* Queries c->todo, merges, and ranks every doc's related questions
 * (c->knn) on njobs threads (neighbours.c). */
void neighbours_run(struct ctx *c, int njobs);
/* Saves the candidates of the docs queried or changed, drops the rows
 * of threads gone, and the drift counters.  0, or -1 (printed). */
int neighbours_save(struct store *st, const struct ctx *c);
/* Loads every question's vector, the postings, the duplicate links and
 * the doc of each thread id into c (zeroed first; vectors.c).  0, or -1
 * (store error printed); cluster_ctx_free releases either way. */
int cluster_load(struct store *st, struct ctx *c);
void cluster_ctx_free(struct ctx *c);
/* Index of the doc with thread id `id`, or -1 (vectors.c). */
long cluster_doc_index(const struct ctx *c, int64_t id);

/* Cosine of two docs' (truncated, normalized) vectors. */
double cluster_cosine(const struct ctx *c, const struct doc *a,
    const struct doc *b);

/* The root of x in the union-find parent[] (paths halved). */
uint32_t cluster_find(uint32_t *parent, uint32_t x);

/* Joins the groups of roots a and b (a != b): the lower index becomes
 * the root (deterministic), sizes add up, and the circular member lists
 * next[] are spliced into one. */
void cluster_union(uint32_t *parent, uint32_t *size, uint32_t *next,
    uint32_t a, uint32_t b);

/* The docs ordered by (root, index) into order (c->ndocs entries), so
 * that the members of each group are contiguous: a counting sort. */
void cluster_group_by_root(const struct ctx *c, const uint32_t *root,
    uint32_t *order);

/* The group pairs a merge refused, by (root, size) of both: a group
 * only grows, and its root stays, so the same four numbers are the same
 * members and the same verdict; the next edge between them is refused
 * without reading them again.  Open addressing, at most half full. */
struct refused {
	uint32_t (*key)[4];
	size_t n, cap;
};

/* Whether the pair of groups rooted at a and b, of sizes sa and sb, was
 * refused (note = 0), or records that it is (note = 1). */
int cluster_refused(struct refused *r, uint32_t a, uint32_t sa, uint32_t b,
    uint32_t sb, int note);
void cluster_refused_free(struct refused *r);

/* Whether e is among the first k neighbours of `of`. */
int cluster_is_neighbour(const struct ctx *c, uint32_t of, uint32_t e, int k);

/* Replaces the rows of issues and issue_members with the recurring
 * issues of c (index/issues.c; docs/index.md).  Runs after the answers
 * are chosen (the canonical question is the best published answer).
 * Returns 0, or -1 after printing the store's error. */
int index_issues_write(struct store *st, const struct ctx *c,
    struct index_result *r);

#endif
