/*
 * path: names of files and paths; see path.h.
 */
#include "path.h"

#include <string.h>
#include <strings.h>

const char *
path_base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

size_t
path_dir_len(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? (size_t)(s - p) : 0;
}

int
path_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int
path_has_ext(const char *s, const char *ext)
{
	size_t n = strlen(s), k = strlen(ext);

	return n >= k && strcasecmp(s + n - k, ext) == 0;
}
