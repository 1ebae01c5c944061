/*
 * sort: qsort for arrays that may be empty.  qsort must not be given a
 * NULL array even for no items (C11 7.22.5; UBSan stops on it), and an
 * array nothing was added to is NULL.
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

#endif
