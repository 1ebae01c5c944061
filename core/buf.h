/*
 * buf: the one growable byte buffer used for all text building.
 *
 * A buf owns its data.  `data` is never NULL: an empty buf points at a
 * shared static "" so it can always be printed; the first write
 * allocates.  Contents are always NUL-terminated (data[len] == 0).
 * Out of memory aborts (see xmalloc.h): callers never check.
 *
 *   struct buf b = BUF_INIT;
 *   buf_puts(&b, "x");
 *   char *s = buf_detach(&b);   // caller now owns s; b is empty again
 *   buf_release(&b);            // frees whatever b still owns
 */
#ifndef FQ_BUF_H
#define FQ_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap; /* 0 while data points at the static "" */
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
/* Frees the storage; b is left empty and reusable. */
void buf_release(struct buf *b);
/* Makes room for at least `extra` more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);
/* Empties b, keeping its storage. */
void buf_reset(struct buf *b);
void buf_truncate(struct buf *b, size_t len);
void buf_puts(struct buf *b, const char *s);

/* Inline: the render appends a few bytes millions of times, and the
 * buffer nearly always has room. */
static inline void
buf_put(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n >= b->cap)
		buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
buf_putc(struct buf *b, int c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Hands the heap string to the caller (free() it); b becomes empty.
 * Returns a fresh heap "" if b never allocated. */
char *buf_detach(struct buf *b);

#endif
