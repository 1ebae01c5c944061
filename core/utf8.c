#include "utf8.h"

long
utf8_decode(const char *str, size_t n, size_t *adv)
{
	const unsigned char *s = (const unsigned char *)str;
	long cp, min;
	size_t len, i;

	if (s[0] < 0x80) {
		*adv = 1;
		return s[0];
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2; cp = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3; cp = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4; cp = s[0] & 0x07; min = 0x10000;
	} else {
		*adv = 1;
		return -1;
	}
	for (i = 1; i < len; i++) {
		if (i >= n || (s[i] & 0xc0) != 0x80) {
			*adv = i;
			return -1;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*adv = len;
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	return cp;
}

void
utf8_encode(struct buf *out, long cp)
{
	char tmp[4];

	if (cp < 0x80) {
		buf_putc(out, (int)cp);
		return;
	}
	if (cp < 0x800) {
		tmp[0] = (char)(0xc0 | (cp >> 6));
		tmp[1] = (char)(0x80 | (cp & 0x3f));
		buf_put(out, tmp, 2);
	} else if (cp < 0x10000) {
		tmp[0] = (char)(0xe0 | (cp >> 12));
		tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		tmp[2] = (char)(0x80 | (cp & 0x3f));
		buf_put(out, tmp, 3);
	} else {
		tmp[0] = (char)(0xf0 | (cp >> 18));
		tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		tmp[3] = (char)(0x80 | (cp & 0x3f));
		buf_put(out, tmp, 4);
	}
}

size_t
utf8_check(const char *s, size_t n)
{
	size_t i = 0, adv;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_decode(s + i, n - i, &adv) < 0)
			return i;
		i += adv;
	}
	return n;
}

void
utf8_repair(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, start = 0, adv;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_decode(s + i, n - i, &adv) < 0) {
			buf_put(out, s + start, i - start);
			buf_puts(out, "\xef\xbf\xbd");
			start = i + adv;
		}
		i += adv;
	}
	buf_put(out, s + start, n - start);
}
