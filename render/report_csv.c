/*
 * report_csv: the fields of the report's CSV tables (RFC 4180, quoted
 * by core/escape.c's esc_csv), one table beside each weekly table of a
 * page.
 */
#include <string.h>

#include "core/escape.h"
#include "render/report_int.h"

void
report_csv(struct buf *b, const char *s, int last)
{
	esc_csv(b, s, strlen(s));
	buf_puts(b, last ? "\r\n" : ",");
}

void
report_csv_int(struct buf *b, int64_t v, int last)
{
	buf_printf(b, "%lld%s", (long long)v, last ? "\r\n" : ",");
}
