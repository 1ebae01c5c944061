#include "escape.h"

#include <string.h>

#include "utf8.h"

static void
put_entityized(struct buf *out, const char *s, size_t n, int attr, int xml)
{
	size_t i, start = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\'': rep = attr ? "&#39;" : NULL; break;
		default:
			rep = NULL;
			if (xml && c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				rep = "";
			break;
		}
		if (rep == NULL)
			continue;
		buf_put(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_put(out, s + start, n - start);
}

void
esc_html(struct buf *out, const char *s, size_t n)
{
	put_entityized(out, s, n, 0, 0);
}

void
esc_attr(struct buf *out, const char *s, size_t n)
{
	put_entityized(out, s, n, 1, 0);
}

void
esc_xml(struct buf *out, const char *s, size_t n)
{
	put_entityized(out, s, n, 1, 1);
}

/* Returns whether byte c stands for itself in a JSON string in a script
 * block. */
static int
json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' &&
	    c != '>' && c != '&';
}

void
esc_json(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t adv;
		long cp;

		if (json_plain(c)) {
			size_t j = i + 1;

			/* A run of plain bytes is one copy. */
			while (j < n && json_plain((unsigned char)s[j]))
				j++;
			buf_put(out, s + i, j - i);
			i = j;
			continue;
		}
		if (c < 0x80) {
			switch (c) {
			case '"': buf_puts(out, "\\\""); break;
			case '\\': buf_puts(out, "\\\\"); break;
			case '\n': buf_puts(out, "\\n"); break;
			case '\r': buf_puts(out, "\\r"); break;
			case '\t': buf_puts(out, "\\t"); break;
			default: {
				static const char hex[] = "0123456789abcdef";
				char u[6] = { '\\', 'u', '0', '0', hex[c >> 4],
				    hex[c & 15] };

				buf_put(out, u, sizeof u);
				break;
			}
			}
			i++;
			continue;
		}
		cp = utf8_decode(s + i, n - i, &adv);
		if (cp < 0) {
			buf_puts(out, "\\ufffd");
		} else if (cp == 0x2028 || cp == 0x2029) {
			buf_printf(out, "\\u%04lx", cp);
		} else {
			buf_put(out, s + i, adv);
		}
		i += adv;
	}
}

void
esc_url_component(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			buf_putc(out, c);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		}
	}
}

void
esc_csv(struct buf *out, const char *s, size_t n)
{
	size_t i;

	if (n && strcspn(s, ",\"\r\n") >= n && s[0] != ' ' && s[n - 1] != ' ') {
		buf_put(out, s, n);
		return;
	}
	buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}
