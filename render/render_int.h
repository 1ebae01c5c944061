/*
 * Shared inside render/ only (not an interface for other stages).
 */
#ifndef FQ_RENDER_INT_H
#define FQ_RENDER_INT_H

/* The slug of an entry's URL, /q/<short name>/<id>/<slug>/ (site.c;
 * the short name is sources.short): a heap string the caller frees. */
char *render_slugify(const char *title);

/* ---- opening beneath the served folder (beneath.c) -------------------- */

struct stat;

/* Opens the regular file at rel (relative; a render_serve_path result)
 * beneath the folder dirfd for reading, never leaving it: no component
 * may be a symlink, an absolute path or ".." fails, and a FIFO or device
 * is refused without blocking.  Returns a descriptor the caller closes,
 * with *sb filled, or -1 with errno set (ELOOP or ENOTDIR for a
 * symlink, EXDEV for a way out, EISDIR for anything not regular). */
int render_open_beneath(int dirfd, const char *rel, struct stat *sb);
/* The same by the portable walk alone, one component at a time (what
 * render_open_beneath falls back to without openat2); for tests. */
int render_open_walk(int dirfd, const char *rel, struct stat *sb);

#endif
