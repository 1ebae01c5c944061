/*
 * A minimal unit-test harness.  Each tests/unit/test_NAME.c defines
 * `void run_tests(void)` and uses the CHECK macros; harness.c supplies
 * main(), which prints "test_NAME: P passed, F failed" and exits 1 on
 * any failure.  tests/run.sh adds the counts up.
 */
#ifndef FQ_HARNESS_H
#define FQ_HARNESS_H

#include <string.h>

extern int t_pass, t_fail;
void run_tests(void);
void t_report(int ok, const char *file, int line, const char *what,
    const char *got, const char *want);
/* Reads a whole file into a heap string (caller frees); NULL if absent.
 * Paths are relative to the repository root, where tests run. */
char *t_slurp(const char *path, size_t *len);

#define CHECK(cond) t_report(!!(cond), __FILE__, __LINE__, #cond, NULL, NULL)
#define CHECK_STR(got, want)                                          \
	do {                                                          \
		const char *g_ = (got), *w_ = (want);                 \
		t_report(g_ && w_ && strcmp(g_, w_) == 0, __FILE__,   \
		    __LINE__, #got, g_, w_);                          \
	} while (0)
#define CHECK_INT(got, want)                                          \
	do {                                                          \
		long long g_ = (got), w_ = (want);                    \
		char gs_[32], ws_[32];                                \
		snprintf(gs_, sizeof gs_, "%lld", g_);                \
		snprintf(ws_, sizeof ws_, "%lld", w_);                \
		t_report(g_ == w_, __FILE__, __LINE__, #got, gs_, ws_); \
	} while (0)

#include <stdio.h>

#endif
