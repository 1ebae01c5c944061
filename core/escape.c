#include "escape.h"

#include <pthread.h>
#include <string.h>

#include "utf8.h"

/*
 * Which bytes each context must look at, one table lookup a byte (the
 * render escapes every title and name of 20,000 pages, and every body
 * again for JSON-LD): bit 1 in HTML text, 2 also in attributes, 8 not
 * plain in a JSON string of a script block.  Every entity context (HTML
 * text, attribute, XML) also drops what XML 1.0 forbids, so a page, an
 * XML file made by a template and one made by esc_xml are all
 * well-formed: C0 controls but tab, LF and CR, and the noncharacters
 * U+FFFE and U+FFFF (EF BF BE, EF BF BF; surrogates are not valid
 * UTF-8).  0xEF only starts a check; most of its sequences stay.
 */
enum { E_TEXT = 1, E_ATTR = 2, E_JSON = 8 };

static unsigned char esc_class[256];

static void
esc_class_init(void)
{
	int c;

	for (c = 0; c < 256; c++) {
		unsigned char k = 0;

		if (c == '&' || c == '<' || c == '>')
			k |= E_TEXT | E_ATTR | E_JSON;
		if (c == '"' || c == '\'')
			k |= E_ATTR;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0xef)
			k |= E_TEXT | E_ATTR;
		if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
			k |= E_JSON;
		esc_class[c] = k;
	}
}

static pthread_once_t esc_once = PTHREAD_ONCE_INIT;

static const unsigned char *
classes(void)
{
	pthread_once(&esc_once, esc_class_init);
	return esc_class;
}

/* Whether the n bytes at s start with U+FFFE or U+FFFF. */
static int
is_nonchar(const char *s, size_t n)
{
	return n >= 3 && (unsigned char)s[0] == 0xef &&
	    (unsigned char)s[1] == 0xbf && ((unsigned char)s[2] & 0xfe) == 0xbe;
}

/* What replaces the byte at s[i] (n bytes in all) and how many bytes it
 * replaces; NULL when it stays. */
static const char *
entity(const char *s, size_t i, size_t n, int attr, size_t *len)
{
	*len = 1;
	switch (s[i]) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return attr ? "&quot;" : NULL;
	case '\'': return attr ? "&#39;" : NULL;
	default:
		break;
	}
	if ((unsigned char)s[i] < 0x20)
		return ""; /* the table only flags the forbidden ones */
	if (is_nonchar(s + i, n - i)) {
		*len = 3;
		return "";
	}
	return NULL;
}

static void
put_entityized(struct buf *out, const char *s, size_t n, int attr)
{
	const unsigned char *cls = classes();
	unsigned mask = attr ? E_ATTR : E_TEXT;
	size_t i = 0, start = 0, len;
	const char *rep;

	while (i < n) {
		if (!(cls[(unsigned char)s[i]] & mask) ||
		    (rep = entity(s, i, n, attr, &len)) == NULL) {
			i++;
			continue;
		}
		buf_put(out, s + start, i - start);
		buf_puts(out, rep);
		i += len;
		start = i;
	}
	buf_put(out, s + start, n - start);
}

void
esc_html(struct buf *out, const char *s, size_t n)
{
	put_entityized(out, s, n, 0);
}

void
esc_attr(struct buf *out, const char *s, size_t n)
{
	put_entityized(out, s, n, 1);
}

void
esc_xml(struct buf *out, const char *s, size_t n)
{
	/* An attribute's escaping is also right for XML text: one
	 * function, so no XML output can miss the filter. */
	put_entityized(out, s, n, 1);
}

void
esc_json(struct buf *out, const char *s, size_t n)
{
	const unsigned char *cls = classes();
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t adv;
		long cp;

		if (!(cls[c] & E_JSON)) {
			size_t j = i + 1;

			/* A run of plain bytes is one copy. */
			while (j < n && !(cls[(unsigned char)s[j]] & E_JSON))
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
		} else if (cp == 0x2028 || cp == 0x2029 || cp == 0xfffe ||
		    cp == 0xffff) {
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

/* s with each " doubled, between double quotes; after prefix. */
static void
dquoted(struct buf *out, const char *prefix, const char *s, size_t n)
{
	size_t i;

	buf_putc(out, '"');
	buf_puts(out, prefix);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

void
esc_dquote(struct buf *out, const char *s, size_t n)
{
	dquoted(out, "", s, n);
}

void
esc_csv(struct buf *out, const char *s, size_t n)
{
	/* A spreadsheet evaluates a field that starts with = + - @ (or a
	 * tab or CR, before one) as a formula: a tag or a user name from
	 * a forum would run in the writer's spreadsheet.  Such a field
	 * starts with a ' (which spreadsheets do not show), in quotes, as
	 * OWASP's advice on CSV injection has it. */
	if (n && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		dquoted(out, "'", s, n);
	else if (n && strcspn(s, ",\"\r\n") >= n && s[0] != ' ' &&
	    s[n - 1] != ' ')
		buf_put(out, s, n);
	else
		dquoted(out, "", s, n);
}
