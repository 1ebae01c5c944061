#include "err.h"

#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int fq_quiet;
static const char *remark;

void
fq_err_remark(const char *r)
{
	remark = r;
}

/* Writes one whole line with a single fwrite, so that lines of the
 * writer thread and the main thread never interleave mid-line. */
static void
emit(const char *prefix, const char *tail, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, prefix);
	buf_vprintf(&b, fmt, ap);
	if (tail)
		buf_printf(&b, " (%s)", tail);
	buf_putc(&b, '\n');
	fwrite(b.data, 1, b.len, stderr);
	buf_release(&b);
}

void
fq_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("faqtory: ", remark, fmt, ap);
	va_end(ap);
}

void
fq_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("faqtory: warning: ", NULL, fmt, ap);
	va_end(ap);
}

void
fq_note(const char *fmt, ...)
{
	va_list ap;

	if (fq_quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int64_t
fq_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
progress_start(struct progress *p, const char *label, uint64_t total)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->last_ms = 0;
	p->start_ms = fq_now_ms();
	p->tty = !fq_quiet && isatty(2);
}

/* " ETA m:ss" once a second has passed and something is done (the
 * line is cleared to its end: a shorter ETA leaves no digits behind). */
static void
eta(const struct progress *p, int64_t now)
{
	int64_t left;

	if (p->done == 0 || p->done >= p->total || now - p->start_ms < 1000)
		return;
	left = (int64_t)((double)(now - p->start_ms) * (double)(p->total -
	    p->done) / (double)p->done / 1000.0);
	fprintf(stderr, " ETA %lld:%02lld\033[K", (long long)(left / 60),
	    (long long)(left % 60));
}

void
progress_update(struct progress *p, uint64_t done)
{
	int64_t now;
	int i, w;

	p->done = done;
	if (!p->tty)
		return;
	now = fq_now_ms();
	if (now - p->last_ms < 100)
		return;
	p->last_ms = now;
	if (p->total) {
		w = (int)(30 * (done > p->total ? p->total : done) / p->total);
		fprintf(stderr, "\r%-10s [", p->label);
		for (i = 0; i < 30; i++)
			fputc(i < w ? '#' : ' ', stderr);
		fprintf(stderr, "] %3d%%", (int)(100 * done / p->total));
		eta(p, now);
	} else {
		fprintf(stderr, "\r%-10s %llu", p->label,
		    (unsigned long long)done);
	}
	fflush(stderr);
}

void
progress_end(struct progress *p)
{
	if (p->tty && p->last_ms)
		fputs("\r\033[K", stderr);
}
