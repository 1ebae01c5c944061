/*
 * sort: qsort for arrays that may be empty.  qsort must not be given a
 * NULL array even for no items (C11 7.22.5; UBSan stops on it), and an
 * array nothing was added to is NULL.  fq_select: the first k of an
 * order without sorting the rest (sort.c).
 */
#ifndef FQ_SORT_H
#define FQ_SORT_H

#include <stdlib.h>

static inline void
fq_sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* Moves the k smallest items of base[0..n) under cmp, a total order,
 * to base[0..k), in no particular order; the rest follow, in no
 * particular order either.  The same input gives the same array.  O(n)
 * on average; past a depth bound it sorts what is left, so no input is
 * quadratic. */
void fq_select(void *base, size_t n, size_t size, size_t k,
    int (*cmp)(const void *, const void *));

#endif
