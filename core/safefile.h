/*
 * safefile: the one way faqtory opens a file that a person named (on
 * the command line, in the config, in the curation file, in a theme).
 *
 * Only a regular file is ever read: a FIFO, device, socket or folder is
 * refused before a byte is read, and opening never blocks (the path is
 * checked with stat first, so a device is not even opened; the file is
 * then opened O_NONBLOCK and checked again with fstat).  Whole-file
 * reads stop at a stated size limit instead of reading until memory
 * runs out.  A file can be confined beneath a folder: the path is
 * resolved (symlinks followed, ".." folded) and must lie inside that
 * folder, resolved the same way, so "../x", an absolute path elsewhere
 * and a symlink leading out are all refused.
 *
 * Errors are returned, not printed: `why` (SAFEFILE_WHY bytes, owned by
 * the caller) receives a short lowercase reason such as "not a regular
 * file", for the caller's one error line.  Thread-safe.
 */
#ifndef FQ_SAFEFILE_H
#define FQ_SAFEFILE_H

#include <stddef.h>

#include "buf.h"

#define SAFEFILE_WHY 160

/* The stated limits (docs/security.md). */
#define SAFEFILE_CONFIG_MAX ((size_t)1 << 20)   /* faqtory.ini: 1 MiB */
#define SAFEFILE_CURATION_MAX ((size_t)16 << 20) /* curation file: 16 MiB */
#define SAFEFILE_ARTICLE_MAX ((size_t)1 << 20)  /* each article: 1 MiB */
#define SAFEFILE_THEME_MAX ((size_t)16 << 20)   /* each theme file: 16 MiB */

/* Opens `path` read-only (O_CLOEXEC); with `beneath` non-NULL the path
 * must resolve inside that folder.  Returns the descriptor (the caller
 * closes it), or -1 with `why` set. */
int safefile_open(const char *path, const char *beneath, char *why);

/* Appends the whole file to `out` (NUL-terminated as every buf).
 * Returns 0, or -1 with `why` set ("larger than the 1 MiB limit" when
 * the file holds more than `cap` bytes) and `out` as it was. */
int safefile_read(const char *path, const char *beneath, size_t cap,
    struct buf *out, char *why);

/* As safefile_read, into a heap string the caller frees (its length in
 * *len); NULL with `why` set. */
char *safefile_slurp(const char *path, const char *beneath, size_t cap,
    size_t *len, char *why);

/* 1 if `path` is inside the folder `dir` once both are resolved, else 0
 * with `why` set (also when either does not exist). */
int safefile_beneath(const char *path, const char *dir, char *why);

#endif
