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

#define SLOT_ID(v) ((uint32_t)(v))
#define SLOT_HASH(v) ((uint32_t)((v) >> 32))

/* A table grown once for a long text and then reset per short one
 * (the index's per-document vectors) clears the slots it used, not
 * all of them: found from each key's home slot, as the rest of its
 * chain may already be clear. */
void
strtab_reset(struct strtab *t)
{
	size_t i, j, mask = t->nslots - 1;

	if (t->slots && t->n * 8 < t->nslots) {
		for (i = 0; i < t->n; i++) {
			j = strtab_hash(t->keys.data + t->off[i], t->len[i]) &
			    mask;
			while (SLOT_ID(t->slots[j]) != i + 1)
				j = (j + 1) & mask;
			t->slots[j] = 0;
		}
	} else if (t->slots)
		memset(t->slots, 0, t->nslots * sizeof *t->slots);
	buf_reset(&t->keys);
	t->n = 0;
}

static void
rehash(struct strtab *t)
{
	uint64_t *old = t->slots;
	size_t i, j, mask, nold = t->nslots;

	t->nslots = t->nslots ? 2 * t->nslots : 1024;
	t->slots = xcalloc(t->nslots, sizeof *t->slots);
	mask = t->nslots - 1;
	for (i = 0; i < nold; i++) {
		if (old[i] == 0)
			continue;
		j = SLOT_HASH(old[i]) & mask;
		while (t->slots[j])
			j = (j + 1) & mask;
		t->slots[j] = old[i];
	}
	free(old);
}

/* The slot of key s[0..n) (n <= 255) of hash h: the one holding it, or
 * the empty one where it would go.  The table has at least one empty
 * slot. */
static size_t
probe(const struct strtab *t, const char *s, size_t n, uint32_t h)
{
	size_t i, mask = t->nslots - 1;
	uint64_t v;
	uint32_t k;

	for (i = h & mask; (v = t->slots[i]) != 0; i = (i + 1) & mask) {
		if (SLOT_HASH(v) != h)
			continue;
		k = SLOT_ID(v) - 1;
		if (t->len[k] == n && memcmp(t->keys.data + t->off[k], s, n) == 0)
			break;
	}
	return i;
}

long
strtab_find(const struct strtab *t, const char *s, size_t n)
{
	if (t->nslots == 0)
		return -1;
	if (n > 255)
		n = 255;
	return (long)SLOT_ID(t->slots[probe(t, s, n, strtab_hash(s, n))]) - 1;
}

long
strtab_add(struct strtab *t, const char *s, size_t n, int *added)
{
	uint32_t h;
	size_t i;

	if (added)
		*added = 0;
	if (n > 255)
		n = 255;
	if ((t->n + 1) * 2 > t->nslots)
		rehash(t);
	h = strtab_hash(s, n);
	i = probe(t, s, n, h);
	if (t->slots[i] != 0)
		return (long)SLOT_ID(t->slots[i]) - 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 512;
		t->off = xreallocarray(t->off, t->cap, sizeof *t->off);
		t->len = xreallocarray(t->len, t->cap, sizeof *t->len);
	}
	t->off[t->n] = (uint32_t)t->keys.len;
	t->len[t->n] = (uint8_t)n;
	buf_put(&t->keys, s, n);
	t->slots[i] = (uint64_t)h << 32 | (uint32_t)++t->n;
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
