#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

int t_pass, t_fail;

void
t_report(int ok, const char *file, int line, const char *what,
    const char *got, const char *want)
{
	if (ok) {
		t_pass++;
		return;
	}
	t_fail++;
	fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
	if (got || want)
		fprintf(stderr, "  got:  %s\n  want: %s\n", got ? got : "(null)",
		    want ? want : "(null)");
}

char *
t_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0, cap = 0, r;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			p = realloc(p, cap + 1);
			if (p == NULL)
				abort();
		}
		r = fread(p + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	p[n] = '\0';
	if (len)
		*len = n;
	return p;
}

int
main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');

	(void)argc;
	run_tests();
	printf("%s: %d passed, %d failed\n", name ? name + 1 : argv[0], t_pass,
	    t_fail);
	return t_fail ? 1 : 0;
}
