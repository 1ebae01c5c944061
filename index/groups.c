/*
 * groups: what topics (cluster.c) and recurring issues (issues.c) merge
 * questions with: a union-find with circular member lists, the cosine
 * of two questions, the memory of refused merges, and the members of
 * each group made contiguous.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "index/cluster_int.h"

void
cluster_union(uint32_t *parent, uint32_t *size, uint32_t *next, uint32_t a,
    uint32_t b)
{
	uint32_t t;

	if (b < a) {
		t = a;
		a = b;
		b = t;
	}
	parent[b] = a;
	size[a] += size[b];
	t = next[a];
	next[a] = next[b];
	next[b] = t;
}

uint32_t
cluster_find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

double
cluster_cosine(const struct ctx *c, const struct doc *a, const struct doc *b)
{
	uint32_t i = 0, j = 0;
	double dot = 0;

	while (i < a->vn && j < b->vn) {
		uint32_t ta = c->vterm[a->voff + i], tb = c->vterm[b->voff + j];

		if (ta == tb)
			dot += (double)c->vw[a->voff + i++] *
			    c->vw[b->voff + j++];
		else if (ta < tb)
			i++;
		else
			j++;
	}
	return dot > 1.0 ? 1.0 : dot;
}

static size_t
refused_slot(const struct refused *r, const uint32_t k[4])
{
	uint64_t h = ((uint64_t)k[0] << 32 | k[2]) * UINT64_C(0x9e3779b97f4a7c15) ^
	    ((uint64_t)k[1] << 32 | k[3]) * UINT64_C(0xc2b2ae3d27d4eb4f);
	size_t i = (size_t)(h >> 20) & (r->cap - 1);

	while (r->key[i][0] != UINT32_MAX && memcmp(r->key[i], k,
	    sizeof r->key[i]) != 0)
		i = (i + 1) & (r->cap - 1);
	return i;
}

int
cluster_refused(struct refused *r, uint32_t a, uint32_t sa, uint32_t b,
    uint32_t sb, int note)
{
	uint32_t k[4];
	size_t i;

	k[0] = a < b ? a : b;
	k[1] = a < b ? sa : sb;
	k[2] = a < b ? b : a;
	k[3] = a < b ? sb : sa;
	if ((r->n + 1) * 2 > r->cap) {
		struct refused old = *r;

		r->cap = old.cap ? 2 * old.cap : 1024;
		r->key = xreallocarray(NULL, r->cap, sizeof *r->key);
		memset(r->key, 0xff, r->cap * sizeof *r->key);
		for (i = 0; i < old.cap; i++)
			if (old.key[i][0] != UINT32_MAX)
				memcpy(r->key[refused_slot(r, old.key[i])],
				    old.key[i], sizeof old.key[i]);
		free(old.key);
	}
	i = refused_slot(r, k);
	if (r->key[i][0] != UINT32_MAX)
		return 1;
	if (note) {
		memcpy(r->key[i], k, sizeof k);
		r->n++;
	}
	return 0;
}

void
cluster_refused_free(struct refused *r)
{
	free(r->key);
	memset(r, 0, sizeof *r);
}

/* The docs ordered by (root, index) into order, so that the members of
 * each cluster are contiguous: a counting sort by root. */
void
cluster_group_by_root(const struct ctx *c, const uint32_t *root,
    uint32_t *order)
{
	uint32_t *start = xcalloc(c->ndocs + 1, sizeof *start);
	size_t i;

	for (i = 0; i < c->ndocs; i++)
		start[root[i] + 1]++;
	for (i = 0; i < c->ndocs; i++)
		start[i + 1] += start[i];
	for (i = 0; i < c->ndocs; i++)
		order[start[root[i]]++] = (uint32_t)i;
	free(start);
}
