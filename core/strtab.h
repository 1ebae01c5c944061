/*
 * strtab: interns byte strings (terms, words), giving each a dense index
 * 0, 1, 2 ... in the order first seen, for the stages that count or
 * number terms (the index's term vectors and search data, the search
 * shards).  Open addressing over a power-of-two slot array; keys are
 * copied into one buffer the table owns.  Callers keep their per-term
 * values in their own arrays, indexed the same way (see strtab_add).
 *
 *   struct strtab t = STRTAB_INIT;
 *   int added;
 *   long i = strtab_add(&t, "word", 4, &added);
 *   ...
 *   strtab_release(&t);
 *
 * Keys are at most 255 bytes (longer ones are cut).  Out of memory
 * aborts (core/xmalloc.h).  Not thread-safe: one table per thread.
 */
#ifndef FQ_STRTAB_H
#define FQ_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct strtab {
	struct buf keys;  /* key bytes, back to back */
	uint32_t *off;    /* of key i in keys */
	uint8_t *len;     /* of key i */
	size_t n, cap;
	uint32_t *slots;  /* index + 1, 0 empty */
	size_t nslots;    /* power of two */
};

#define STRTAB_INIT { BUF_INIT, NULL, NULL, 0, 0, NULL, 0 }

void strtab_init(struct strtab *t);
/* The table's hash of a key (FNV-1a, 32 bits), for others that hash
 * short names the same way (render/template.c). */
uint32_t strtab_hash(const char *s, size_t n);
void strtab_release(struct strtab *t);
/* Forgets every key, keeping the memory. */
void strtab_reset(struct strtab *t);
/* Returns the index of the key, adding it when absent (then *added is
 * set to 1, else 0; added may be NULL).  A new key's index is the old
 * t->n: a caller grows its own value arrays to t->cap when added. */
long strtab_add(struct strtab *t, const char *s, size_t n, int *added);
/* The index of the key, or -1. */
long strtab_find(const struct strtab *t, const char *s, size_t n);
/* Key i's bytes (not NUL-terminated) and length. */
const char *strtab_key(const struct strtab *t, size_t i, size_t *n);
/* Orders two keys as bytes (shorter first on a common prefix). */
int strtab_cmp(const struct strtab *t, size_t a, size_t b);

#endif
