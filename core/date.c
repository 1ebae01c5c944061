#include "date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int
digits(const char *s, size_t n, size_t at, size_t k, int *v)
{
	size_t i;

	*v = 0;
	if (at + k > n)
		return -1;
	for (i = at; i < at + k; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The epoch of a UTC date and time (fields as written, month 1-12). */
static time_t
utc_epoch(int y, int mo, int d, int h, int mi, int se)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	return timegm(&tm);
}

int
date_norm(const char *s, size_t n, char *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;
	size_t i = 10;
	struct tm tm;
	time_t t;

	if (digits(s, n, 0, 4, &y) || n < 10 || s[4] != '-' ||
	    digits(s, n, 5, 2, &mo) || s[7] != '-' || digits(s, n, 8, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap(y)))
		return -1;
	if (i < n && (s[i] == 'T' || s[i] == ' ')) {
		if (digits(s, n, 11, 2, &h) || n < 14 || s[13] != ':' ||
		    digits(s, n, 14, 2, &mi))
			return -1;
		i = 16;
		if (i < n && s[i] == ':') {
			if (digits(s, n, 17, 2, &se))
				return -1;
			i = 19;
			if (i < n && s[i] == '.') {
				i++;
				while (i < n && s[i] >= '0' && s[i] <= '9')
					i++;
			}
		}
		if (i < n && s[i] == 'Z') {
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			sign = s[i] == '+' ? 1 : -1;
			if (digits(s, n, i + 1, 2, &oh))
				return -1;
			i += 3;
			if (i < n && s[i] == ':')
				i++;
			if (i < n && digits(s, n, i, 2, &om) == 0)
				i += 2;
		}
	}
	if (i != n || h > 23 || mi > 59 || se > 60 || oh > 23 || om > 59)
		return -1;
	t = utc_epoch(y, mo, d, h, mi, se > 59 ? 59 : se) -
	    sign * (oh * 3600 + om * 60);
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0)
		return -1;
	put2(out, (tm.tm_year + 1900) / 100);
	put2(out + 2, (tm.tm_year + 1900) % 100);
	out[4] = '-';
	put2(out + 5, tm.tm_mon + 1);
	out[7] = '-';
	put2(out + 8, tm.tm_mday);
	out[10] = 'T';
	put2(out + 11, tm.tm_hour);
	out[13] = ':';
	put2(out + 14, tm.tm_min);
	out[16] = ':';
	put2(out + 17, tm.tm_sec);
	out[19] = '\0';
	return 0;
}

int64_t
date_epoch(const char *norm)
{
	int y, mo, d, h, mi, se;

	if (norm == NULL || strlen(norm) != DATE_LEN ||
	    sscanf(norm, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi,
		&se) != 6)
		return -1;
	return (int64_t)utc_epoch(y, mo, d, h, mi, se);
}
