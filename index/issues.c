/*
 * issues: recurring issues, the tight level of clusters (topics are the
 * loose one, index/cluster.c).  A recurring issue is the same problem
 * asked again: what a support writer answers with one article.
 *
 * Method (docs/index.md has the numbers):
 *  1. Edges: human duplicate links (certain), and mutual neighbours
 *     (each among the other's first ISSUE_K) whose cosine is at least
 *     ISSUE_EDGE.
 *  2. Strongest edge first, two groups merge only if every pair of
 *     their members has a cosine of at least ISSUE_LINK (complete
 *     linkage: the group's diameter is capped, no chaining) and the
 *     result holds at most ISSUE_MAX questions; a duplicate link
 *     always merges.  A question in no group of two is in no issue.
 *  3. The canonical question is the member whose answer serves the
 *     others best: a published answer (accepted, then a community
 *     answer under the default policy), then the question's score,
 *     views, the newest, the lowest id.  The issue's id is its thread
 *     id; its label is its title.
 * Everything is ordered by doc index (source, thread id): the same
 * store gives the same rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/answerpolicy.h"
#include "core/sort.h"
#include "core/xmalloc.h"
#include "index/cluster_int.h"
#include "index/index_int.h"

#define ISSUE_K 10        /* mutual neighbours among the first 10 */
#define ISSUE_EDGE 0.30f  /* an edge's cosine (topics: 0.20) */
#define ISSUE_LINK 0.20   /* the cosine of every pair of a merged group */
#define ISSUE_MAX 100     /* a bound on the work of tight(): the diameter bounds issues first */

struct iedge {
	uint32_t a, b;
	float sim;
};

static int
iedge_cmp(const void *x, const void *y)
{
	const struct iedge *a = x, *b = y;

	if (a->sim != b->sim)
		return a->sim > b->sim ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

static void
push(struct iedge **e, size_t *n, size_t *cap, uint32_t a, uint32_t b,
    float sim)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		*e = xreallocarray(*e, *cap, sizeof **e);
	}
	(*e)[*n].a = a < b ? a : b;
	(*e)[*n].b = a < b ? b : a;
	(*e)[(*n)++].sim = sim;
}

/* The edges, strongest first (duplicate links, sim 2, before all). */
static struct iedge *
edges(const struct ctx *c, size_t *n)
{
	struct iedge *e = NULL;
	size_t cap = 0, i, k;

	*n = 0;
	for (i = 0; i < c->ndocs; i++) {
		for (k = 0; k < c->nknn[i] && k < ISSUE_K; k++) {
			const struct nb *nb = &c->knn[i * INDEX_RELATED_K + k];

			if (nb->cos < ISSUE_EDGE || nb->doc < i ||
			    !cluster_is_neighbour(c, nb->doc, (uint32_t)i,
			    ISSUE_K))
				continue;
			push(&e, n, &cap, (uint32_t)i, nb->doc, nb->cos);
		}
	}
	for (i = 0; i < c->ndups; i++) {
		if (c->dups[i].a < c->dups[i].b)
			push(&e, n, &cap, c->dups[i].a, c->dups[i].b, 2.0f);
	}
	fq_sort(e, *n, sizeof *e, iedge_cmp);
	return e;
}

/* Whether every member of group a is within ISSUE_LINK of every member
 * of group b (circular member lists through next[]). */
static int
tight(const struct ctx *c, const uint32_t *next, uint32_t a, uint32_t b)
{
	uint32_t x = a, y;

	do {
		y = b;
		do {
			if (cluster_cosine(c, &c->docs[x], &c->docs[y]) <
			    ISSUE_LINK)
				return 0;
			y = next[y];
		} while (y != b);
		x = next[x];
	} while (x != a);
	return 1;
}

/* Merges the edges into parent[] (afterwards the root of each doc). */
static void
merge(const struct ctx *c, const struct iedge *e, size_t n, uint32_t *parent)
{
	uint32_t *size = xmalloc((c->ndocs + 1) * sizeof *size);
	uint32_t *next = xmalloc((c->ndocs + 1) * sizeof *next);
	struct refused no = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < c->ndocs; i++) {
		parent[i] = next[i] = (uint32_t)i;
		size[i] = 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t a = cluster_find(parent, e[i].a);
		uint32_t b = cluster_find(parent, e[i].b);

		if (a == b)
			continue;
		if (e[i].sim <= 1.0f && (size[a] + size[b] > ISSUE_MAX ||
		    cluster_refused(&no, a, size[a], b, size[b], 0) ||
		    !tight(c, next, a, b))) {
			if (size[a] + size[b] <= ISSUE_MAX)
				cluster_refused(&no, a, size[a], b, size[b], 1);
			continue;
		}
		cluster_union(parent, size, next, a, b);
	}
	cluster_refused_free(&no);
	free(next);
	free(size);
	for (i = 0; i < c->ndocs; i++)
		parent[i] = cluster_find(parent, (uint32_t)i);
}

/* Every thread's answer choice in one pass in id order: one lookup per
 * member was random reads all over a big store (at 1,000,000
 * questions, most of the step). */
static const char SQL_CHOICES[] =
    "SELECT t.id," ANSWER_CHOICE_COLS " FROM threads t" ANSWER_CHOICE_JOIN
    " ORDER BY t.id";

/* Per doc: 3 if its thread publishes its accepted answer under p, 2 a
 * community answer, 1 a top-voted one, 0 none (core/answerpolicy.h: the
 * render's own rule).  NULL after an error (printed). */
static unsigned char *
published(struct store *st, const struct ctx *c,
    const struct answer_policy *p)
{
	sqlite3_stmt *q = store_stmt(st, SQL_CHOICES);
	unsigned char *pub = xcalloc(c->ndocs + 1, 1);
	struct answer_choice ch;
	int64_t post;
	long d;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		enum answer_kind k;

		if ((d = cluster_doc_index(c, sqlite3_column_int64(q, 0))) < 0)
			continue;
		answer_choice_read(q, 1, &ch);
		k = answer_publish(p, &ch, &post);
		pub[d] = k == ANSWER_ACCEPTED ? 3 : k == ANSWER_COMMUNITY ? 2 :
		    k == ANSWER_VOTED ? 1 : 0;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		store_fail(st);
		free(pub);
		return NULL;
	}
	return pub;
}

/* Whether doc a (published pa) serves a group better than b (pb). */
static int
better(const struct doc *a, int pa, const struct doc *b, int pb)
{
	int t;

	if (pa != pb)
		return pa > pb;
	if (a->score != b->score)
		return a->score > b->score;
	if (a->views != b->views)
		return a->views > b->views;
	if ((t = strcmp(a->created, b->created)) != 0)
		return t > 0;
	return a->id < b->id;
}

static const char SQL_DEL_IMEMBERS[] = "DELETE FROM issue_members";
static const char SQL_DEL_ISSUES[] = "DELETE FROM issues";
static const char SQL_INS_ISSUE[] =
    "INSERT INTO issues(id, canonical_thread, label, size, first_seen,"
    " last_seen) VALUES(?1, ?1, ?2, ?3, nullif(?4, ''), nullif(?5, ''))";
static const char SQL_INS_IMEMBER[] =
    "INSERT INTO issue_members(issue_id, thread_id, similarity)"
    " VALUES(?1, ?2, ?3)";

/* Stores the issue of the n >= 2 members mem[] (in doc order). */
static int
write_issue(struct store *st, const struct ctx *c, const unsigned char *pub,
    const uint32_t *mem, size_t n)
{
	const struct doc *best = &c->docs[mem[0]], *d;
	const char *first = NULL, *last = NULL;
	int pbest = pub[mem[0]], pk;
	sqlite3_stmt *ins;
	size_t k;

	for (k = 1; k < n; k++) {
		d = &c->docs[mem[k]];
		pk = pub[mem[k]];
		if (better(d, pk, best, pbest)) {
			best = d;
			pbest = pk;
		}
	}
	for (k = 0; k < n; k++) {
		const char *cr = c->docs[mem[k]].created;

		if (*cr && (first == NULL || strcmp(cr, first) < 0))
			first = cr;
		if (*cr && (last == NULL || strcmp(cr, last) > 0))
			last = cr;
	}
	ins = store_stmt(st, SQL_INS_ISSUE);
	bind_int(ins, 1, best->id);
	bind_text(ins, 2, best->title, strlen(best->title));
	bind_int(ins, 3, (int64_t)n);
	bind_text(ins, 4, first ? first : "", first ? strlen(first) : 0);
	bind_text(ins, 5, last ? last : "", last ? strlen(last) : 0);
	if (store_done(st, ins) < 0)
		return -1;
	for (k = 0; k < n; k++) {
		d = &c->docs[mem[k]];
		ins = store_stmt(st, SQL_INS_IMEMBER);
		bind_int(ins, 1, best->id);
		bind_int(ins, 2, d->id);
		sqlite3_bind_double(ins, 3, d == best ? 1.0 : floor(
		    cluster_cosine(c, d, best) * 10000.0 + 0.5) / 10000.0);
		if (store_done(st, ins) < 0)
			return -1;
	}
	return 0;
}

int
index_issues_write(struct store *st, const struct ctx *c,
    struct index_result *r)
{
	size_t ne, i, j, n;
	struct iedge *e = edges(c, &ne);
	uint32_t *parent = xmalloc((c->ndocs + 1) * sizeof *parent);
	uint32_t *mem = xmalloc((c->ndocs + 1) * sizeof *mem);
	unsigned char *pub = NULL;
	struct answer_policy p;
	int rc = -1;

	answer_policy_init(&p, NULL, NULL, st);
	merge(c, e, ne, parent);
	if ((pub = published(st, c, &p)) == NULL)
		goto out;
	if (store_exec(st, SQL_DEL_IMEMBERS) < 0 ||
	    store_exec(st, SQL_DEL_ISSUES) < 0)
		goto out;
	/* The members of each group contiguous, in doc order. */
	cluster_group_by_root(c, parent, mem);
	for (i = 0; i < c->ndocs; i = j) {
		for (j = i; j < c->ndocs && parent[mem[j]] == parent[mem[i]];
		     j++)
			;
		n = j - i;
		if (n < 2)
			continue;
		if (write_issue(st, c, pub, &mem[i], n) < 0)
			goto out;
		r->issues++;
		r->in_issues += (int64_t)n;
	}
	rc = 0;
out:
	free(e);
	free(parent);
	free(mem);
	free(pub);
	return rc;
}
