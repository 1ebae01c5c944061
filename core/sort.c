/*
 * sort: fq_select, a quickselect (sort.h).
 */
#include "sort.h"

#include <string.h>

static void
swap(unsigned char *a, unsigned char *b, size_t size)
{
	unsigned char t[64];

	while (size > 0) {
		size_t n = size < sizeof t ? size : sizeof t;

		memcpy(t, a, n);
		memcpy(a, b, n);
		memcpy(b, t, n);
		a += n;
		b += n;
		size -= n;
	}
}

/* Orders the first, middle and last item, and moves the median to the
 * front as the pivot. */
static void
median3(unsigned char *p, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	unsigned char *m = p + n / 2 * size, *z = p + (n - 1) * size;

	if (cmp(m, p) < 0)
		swap(m, p, size);
	if (cmp(z, m) < 0) {
		swap(z, m, size);
		if (cmp(m, p) < 0)
			swap(m, p, size);
	}
	swap(p, m, size);
}

void
fq_select(void *base, size_t n, size_t size, size_t k,
    int (*cmp)(const void *, const void *))
{
	unsigned char *p = base;
	int depth = 0;
	size_t m;

	for (m = n; m > 1; m >>= 1)
		depth += 2;
	while (n > 1 && k > 0 && k < n) {
		size_t i, lt = 1;

		if (depth-- <= 0) {
			qsort(p, n, size, cmp);
			return;
		}
		median3(p, n, size, cmp);
		/* Lomuto: items before the pivot go to [1, lt). */
		for (i = 1; i < n; i++) {
			if (cmp(p + i * size, p) < 0) {
				if (i != lt)
					swap(p + i * size, p + lt * size, size);
				lt++;
			}
		}
		if (lt > 1) /* memcpy may not copy an item onto itself */
			swap(p, p + (lt - 1) * size, size);
		/* The pivot is at lt - 1 and in its place. */
		if (k < lt - 1) {
			n = lt - 1;
		} else if (k > lt) {
			p += lt * size;
			n -= lt;
			k -= lt;
		} else {
			return;
		}
	}
}
