#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* FNV-1a: keys are short words, for which it is fast and even. */
uint32_t
strtab_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

void
strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->keys);
}

void
strtab_release(struct strtab *t)
{
	buf_release(&t->keys);
	free(t->off);
	free(t->len);
	free(t->slots);
	strtab_init(t);
}

void
strtab_reset(struct strtab *t)
{
	buf_reset(&t->keys);
	t->n = 0;
	if (t->slots)
		memset(t->slots, 0, t->nslots * sizeof *t->slots);
}

static void
rehash(struct strtab *t)
{
	size_t i, j, mask;

	t->nslots = t->nslots ? 2 * t->nslots : 1024;
	free(t->slots);
	t->slots = xcalloc(t->nslots, sizeof *t->slots);
	mask = t->nslots - 1;
	for (i = 0; i < t->n; i++) {
		j = strtab_hash(t->keys.data + t->off[i], t->len[i]) & mask;
		while (t->slots[j])
			j = (j + 1) & mask;
		t->slots[j] = (uint32_t)i + 1;
	}
}

/* The slot of key s[0..n) (n <= 255): the one holding it, or the empty
 * one where it would go.  The table has at least one empty slot. */
static size_t
probe(const struct strtab *t, const char *s, size_t n)
{
	size_t i, mask = t->nslots - 1;
	uint32_t k;

	for (i = strtab_hash(s, n) & mask; (k = t->slots[i]) != 0;
	    i = (i + 1) & mask)
		if (t->len[k - 1] == n &&
		    memcmp(t->keys.data + t->off[k - 1], s, n) == 0)
			break;
	return i;
}

long
strtab_find(const struct strtab *t, const char *s, size_t n)
{
	if (t->nslots == 0)
		return -1;
	if (n > 255)
		n = 255;
	return (long)t->slots[probe(t, s, n)] - 1;
}

long
strtab_add(struct strtab *t, const char *s, size_t n, int *added)
{
	size_t i;

	if (added)
		*added = 0;
	if (n > 255)
		n = 255;
	if ((t->n + 1) * 2 > t->nslots)
		rehash(t);
	i = probe(t, s, n);
	if (t->slots[i] != 0)
		return (long)t->slots[i] - 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 512;
		t->off = xreallocarray(t->off, t->cap, sizeof *t->off);
		t->len = xreallocarray(t->len, t->cap, sizeof *t->len);
	}
	t->off[t->n] = (uint32_t)t->keys.len;
	t->len[t->n] = (uint8_t)n;
	buf_put(&t->keys, s, n);
	t->slots[i] = (uint32_t)++t->n;
	if (added)
		*added = 1;
	return (long)t->n - 1;
}

const char *
strtab_key(const struct strtab *t, size_t i, size_t *n)
{
	*n = t->len[i];
	return t->keys.data + t->off[i];
}

int
strtab_cmp(const struct strtab *t, size_t a, size_t b)
{
	size_t n = t->len[a] < t->len[b] ? t->len[a] : t->len[b];
	int c = memcmp(t->keys.data + t->off[a], t->keys.data + t->off[b], n);

	return c ? c : (int)t->len[a] - (int)t->len[b];
}
