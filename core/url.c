#include "url.h"

#include <strings.h>

/* Whether the k bytes at u name scheme `name` (case-insensitive). */
static int
scheme_is(const char *u, size_t k, const char *name)
{
	return strlen(name) == k && strncasecmp(u, name, k) == 0;
}

/* An http(s) URL needs "//" and a host after its scheme: "https:x" and
 * "https:///x" are refused rather than guessed at. */
static int
has_host(const char *rest, size_t n)
{
	return n > 2 && rest[0] == '/' && rest[1] == '/' &&
	    rest[2] != '/' && rest[2] != '\\' && rest[2] != '?' &&
	    rest[2] != '#';
}

int
url_is_safe(const char *u, size_t n, unsigned flags)
{
	size_t i, k;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f)
			return 0;
	/* The scheme ends at the first ':' before any '/', '?' or '#'. */
	for (k = 0; k < n; k++)
		if (u[k] == ':' || u[k] == '/' || u[k] == '?' ||
		    u[k] == '#' || u[k] == '&')
			break;
	if (k < n && u[k] == '&')
		return 0;
	if (k == n || u[k] != ':')
		return (flags & URL_RELATIVE) != 0;
	if (scheme_is(u, k, "http") || scheme_is(u, k, "https"))
		return has_host(u + k + 1, n - k - 1);
	if (scheme_is(u, k, "mailto"))
		return (flags & URL_MAILTO) != 0;
	return 0;
}

int
url_clean(struct buf *out, const char *u, size_t n, unsigned flags)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;
	size_t i;
	int ok;

	while (n && (unsigned char)u[0] <= 0x20) {
		u++;
		n--;
	}
	while (n && (unsigned char)u[n - 1] <= 0x20)
		n--;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c <= 0x20 || c == 0x7f) {
			buf_putc(&b, '%');
			buf_putc(&b, hex[c >> 4]);
			buf_putc(&b, hex[c & 15]);
		} else {
			buf_putc(&b, c);
		}
	}
	ok = url_is_safe(b.data, b.len, flags);
	if (ok && out != NULL)
		buf_put(out, b.data, b.len);
	buf_release(&b);
	return ok;
}
