/*
 * report_csv: the fields of the report's CSV tables (RFC 4180, quoted
 * by core/escape.c's esc_csv), one table beside each weekly table of a
 * page.  A field drops what the report's other files never hold either
 * (core/escape.c: C0 controls but tab, LF and CR, and the noncharacters
 * U+FFFE, U+FFFF), so no file of the report carries them.
 */
#include <string.h>

#include "core/escape.h"
#include "render/report_int.h"

/* s without C0 controls (but \t \n \r) and EF BF BE / EF BF BF. */
static void
clean(struct buf *t, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			continue;
		if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe ||
		    p[2] == 0xbf)) {
			p += 2;
			continue;
		}
		buf_putc(t, (char)*p);
	}
}

void
report_csv(struct buf *b, const char *s, int last)
{
	struct buf t = BUF_INIT;

	clean(&t, s);
	esc_csv(b, t.data, t.len);
	buf_release(&t);
	buf_puts(b, last ? "\r\n" : ",");
}

void
report_csv_int(struct buf *b, int64_t v, int last)
{
	buf_printf(b, "%lld%s", (long long)v, last ? "\r\n" : ",");
}
