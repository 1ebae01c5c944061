/*
 * libFuzzer target for core/date.c: the input is one date as a source
 * gives it.  date_norm gets an exactly sized copy with no terminator (it
 * takes a length, so a read past the end is caught) and writes into an
 * exactly sized output; date_epoch gets a NUL-terminated copy.  When a
 * date normalizes, the result must be in the store's form, normalize to
 * itself, and survive a round trip through its epoch seconds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The store's form: "YYYY-MM-DDTHH:MM:SS" and nothing else. */
static int
well_formed(const char *d)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	for (i = 0; i < DATE_LEN; i++)
		if (shape[i] == 'd' ? d[i] < '0' || d[i] > '9'
				    : d[i] != shape[i])
			return 0;
	return d[DATE_LEN] == '\0';
}

/* A normalized date must normalize to itself and come back from its
 * epoch seconds unchanged. */
static void
round_trip(const char *norm)
{
	char *again = malloc(DATE_LEN + 1), back[64];
	int64_t e;
	time_t t;
	struct tm tm;

	if (again == NULL)
		abort();
	if (!well_formed(norm) || date_norm(norm, DATE_LEN, again) != 0 ||
	    strcmp(again, norm) != 0)
		abort();
	free(again);
	e = date_epoch(norm);
	/* -1 is also the error value; it is the one second before 1970. */
	if (e == -1 && strcmp(norm, "1969-12-31T23:59:59") != 0)
		abort();
	t = (time_t)e;
	if (gmtime_r(&t, &tm) == NULL)
		abort();
	snprintf(back, sizeof back, "%04d-%02d-%02dT%02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	if (strcmp(back, norm) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *exact = malloc(size), *z = malloc(size + 1);
	char *out = malloc(DATE_LEN + 1);

	if ((exact == NULL && size > 0) || z == NULL || out == NULL)
		abort();
	memcpy(exact, data, size);
	memcpy(z, data, size);
	z[size] = '\0';
	if (date_norm(exact, size, out) == 0)
		round_trip(out);
	/* Any text: a number or -1, never a crash. */
	(void)date_epoch(z);
	free(exact);
	free(z);
	free(out);
	return 0;
}
