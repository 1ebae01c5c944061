/*
 * Errors and progress output.
 *
 * Errors are one line on stderr: "faqtory: WHERE: WHAT".  Progress goes
 * to stderr too: on a terminal a bar redrawn in place, otherwise (cron)
 * nothing until the one summary line per stage.  --quiet silences
 * progress and summaries, never errors.
 */
#ifndef FQ_ERR_H
#define FQ_ERR_H

#include <stdint.h>

/* Exit statuses: the contract scripts and cron rely on. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,   /* bad input or a failed stage */
	EXIT_USAGE = 2,
	EXIT_LOCKED = 3, /* another build holds the lock */
};

extern int fq_quiet;

/* Prints "faqtory: " + message + newline to stderr. */
void fq_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Appends " (r)" to every later error line, r NULL: nothing.  For a
 * command to say what its failure leaves behind, whichever stage fails
 * (r is not copied: a string literal). */
void fq_err_remark(const char *r);
/* Prints "faqtory: warning: " + message + newline to stderr: input
 * that was left out while the rest went on.  Not silenced by --quiet
 * (what was dropped must be visible in a nightly's log). */
void fq_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A summary line for a finished stage (stderr; silenced by --quiet). */
void fq_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Progress over a known or unknown total (total 0: unknown).  Drawn only
 * when stderr is a terminal and not quiet; at most ~10 redraws/s.  A
 * known total also gets the time left, from the rate so far.  One
 * thread updates a given bar. */
struct progress {
	const char *label;
	uint64_t total, done;
	int64_t start_ms, last_ms;
	int tty;
};
void progress_start(struct progress *p, const char *label, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
/* Clears the bar line (the caller then prints its summary). */
void progress_end(struct progress *p);

/* Milliseconds from a monotonic clock (for timings, never for output
 * that must be deterministic). */
int64_t fq_now_ms(void);

#endif
