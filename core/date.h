/*
 * Dates in the store are UTC text "YYYY-MM-DDTHH:MM:SS": they sort as
 * strings and print as they are.  Sources give them in many shapes.
 */
#ifndef FQ_DATE_H
#define FQ_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_LEN 19

/* Normalizes an ISO-8601 date ("2014-01-21T20:26:05.383", with or
 * without seconds, fraction, "Z" or a +hh:mm offset, or a bare date) into
 * out (DATE_LEN + 1 bytes).  Returns 0, or -1 if s is not such a date. */
int date_norm(const char *s, size_t n, char *out);
/* Seconds since the epoch of a normalized date, or -1. */
int64_t date_epoch(const char *norm);

#endif
