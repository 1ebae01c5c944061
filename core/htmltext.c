#include "htmltext.h"

#include <string.h>

#include "utf8.h"

/* Whether the element named name[0..n) ends a line of text. */
static int
is_block(const char *name, size_t n)
{
	static const char *const blocks[] = { "p", "h1", "h2", "h3", "h4",
		"h5", "h6", "pre", "blockquote", "li", "dt", "dd", "tr", "hr",
		"br", "ul", "ol", "dl", "table", "div" };
	size_t i;

	for (i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
		if (strlen(blocks[i]) == n && memcmp(blocks[i], name, n) == 0)
			return 1;
	}
	return 0;
}

/* Appends the character of the entity at s (s[0] == '&', n bytes left);
 * returns the bytes it used, or 0 if it is not one we decode. */
static size_t
entity(struct buf *out, const char *s, size_t n)
{
	static const struct {
		const char *name;
		const char *rep;
	} named[] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&#39;", "'" }, { "&apos;", "'" },
		{ "&nbsp;", " " } };
	size_t i, len;
	long cp = 0;

	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		len = strlen(named[i].name);
		if (len <= n && memcmp(s, named[i].name, len) == 0) {
			buf_puts(out, named[i].rep);
			return len;
		}
	}
	if (n < 4 || s[1] != '#')
		return 0;
	i = 2;
	if (s[2] == 'x' || s[2] == 'X') {
		for (i = 3; i < n && i < 12; i++) {
			char c = s[i];
			int d = c >= '0' && c <= '9' ? c - '0'
			    : c >= 'a' && c <= 'f' ? c - 'a' + 10
			    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			if (d < 0)
				break;
			cp = cp * 16 + d;
		}
		if (i == 3)
			return 0;
	} else {
		for (; i < n && i < 11 && s[i] >= '0' && s[i] <= '9'; i++)
			cp = cp * 10 + (s[i] - '0');
		if (i == 2)
			return 0;
	}
	if (i >= n || s[i] != ';')
		return 0;
	if (cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	utf8_encode(out, cp);
	return i + 1;
}

void
htmltext_append(struct buf *out, const char *html, size_t n)
{
	size_t i = 0, run, used;
	int cell = 0;

	while (i < n) {
		for (run = 0; i + run < n && html[i + run] != '<' &&
		    html[i + run] != '&'; run++)
			;
		buf_put(out, html + i, run);
		i += run;
		if (i >= n)
			break;
		if (html[i] == '&') {
			used = entity(out, html + i, n - i);
			if (used == 0) {
				buf_putc(out, '&');
				used = 1;
			}
			i += used;
			continue;
		}
		/* A tag: its name, then skip to '>' outside quotes. */
		{
			size_t j = i + 1, k;
			char q = 0;

			if (j < n && html[j] == '/')
				j++;
			k = j;
			while (k < n && ((html[k] >= 'a' && html[k] <= 'z') ||
			    (html[k] >= 'A' && html[k] <= 'Z') ||
			    (html[k] >= '0' && html[k] <= '9')))
				k++;
			if (k == j && !(j < n && (html[j] == '!' ||
			    html[j] == '?'))) {
				buf_putc(out, '<'); /* not a tag */
				i++;
				continue;
			}
			if (is_block(html + j, k - j)) {
				if (out->len && out->data[out->len - 1] != '\n')
					buf_putc(out, '\n');
				cell = 0;
			} else if (k - j == 2 && (memcmp(html + j, "td", 2) == 0 ||
			    memcmp(html + j, "th", 2) == 0)) {
				if (cell++ && out->len &&
				    out->data[out->len - 1] != ' ')
					buf_putc(out, ' ');
			}
			for (; k < n; k++) {
				if (q) {
					if (html[k] == q)
						q = 0;
				} else if (html[k] == '"' || html[k] == '\'') {
					q = html[k];
				} else if (html[k] == '>') {
					break;
				}
			}
			i = k < n ? k + 1 : n;
		}
	}
}

const char *
htmltext_attr(const char *tag, const char *end, const char *name, size_t *n)
{
	size_t nl = strlen(name);
	const char *p = tag, *q;

	for (; p < end; p++) {
		if ((p == tag || p[-1] == ' ') && (size_t)(end - p) > nl + 1 &&
		    strncmp(p, name, nl) == 0 && p[nl] == '=' &&
		    p[nl + 1] == '"') {
			p += nl + 2;
			if ((q = memchr(p, '"', (size_t)(end - p))) == NULL)
				return NULL;
			*n = (size_t)(q - p);
			return p;
		}
	}
	return NULL;
}
