#include "varint.h"

void
varint_put(struct buf *b, uint64_t v)
{
	while (v >= 0x80) {
		buf_putc(b, (int)(0x80 | (v & 0x7f)));
		v >>= 7;
	}
	buf_putc(b, (int)v);
}

uint64_t
varint_get(const unsigned char *p, size_t n, size_t *i)
{
	uint64_t v = 0;
	int shift = 0;

	while (*i < n && shift < 64) {
		unsigned char c = p[(*i)++];

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
		shift += 7;
	}
	*i = n + 1;
	return 0;
}
