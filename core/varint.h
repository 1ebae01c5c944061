/*
 * varint: unsigned LEB128 (7 bits a byte, low first, high bit set on
 * all but the last), the integers of the search data: index/searchdata.c
 * writes them into the store, render/shards.c reads those and writes the
 * site's search files with them, site-template/search.js decodes those.
 */
#ifndef FQ_VARINT_H
#define FQ_VARINT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

void varint_put(struct buf *b, uint64_t v);
/* Reads one from p[*i, n) and moves *i past it.  A truncated or
 * over-long one (more than 64 bits) gives 0 and sets *i to n + 1, so a
 * caller tests `*i > n` once after a group of reads. */
uint64_t varint_get(const unsigned char *p, size_t n, size_t *i);

#endif
