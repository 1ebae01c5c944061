/*
 * Out-of-memory policy: faqtory is a command-line tool, so running out
 * of memory prints one line and exits with status 1.  Nothing that
 * allocates through these ever returns NULL.
 */
#ifndef FQ_XMALLOC_H
#define FQ_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array to hold at least `need` items of `size` bytes. */
void *xreallocarray(void *p, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Frees the n strings of v and v itself (v may be NULL when n is 0). */
void xfree_strv(char **v, size_t n);
/* Prints "faqtory: <msg>" and exits 1.  For impossible states only. */
_Noreturn void xdie(const char *msg);

#endif
