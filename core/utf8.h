/*
 * UTF-8 helpers.  Strict decoding: overlong forms, surrogates and
 * code points above U+10FFFF are invalid.
 */
#ifndef FQ_UTF8_H
#define FQ_UTF8_H

#include <stddef.h>

#include "buf.h"

/* Decodes one code point from s (n > 0 bytes available).  Returns it and
 * sets *adv to the bytes used; on an invalid sequence returns -1 and
 * sets *adv to the bytes to skip (at least 1). */
long utf8_decode(const char *s, size_t n, size_t *adv);
/* Appends the UTF-8 encoding of cp (must be a valid scalar value). */
void utf8_encode(struct buf *out, long cp);
/* Returns the byte offset of the first invalid sequence, or n if the
 * whole string is valid. */
size_t utf8_check(const char *s, size_t n);
/* Appends s with every invalid sequence replaced by U+FFFD. */
void utf8_repair(struct buf *out, const char *s, size_t n);

#endif
