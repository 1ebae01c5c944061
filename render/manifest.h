/*
 * manifest: the ".faqtory-manifest" of a written tree (render.h), read
 * back as untrusted input.  Whoever can write the output folder can
 * edit it, so a path is accepted only if faqtory could have written it
 * (render_manifest_path_ok): a rebuild removes the files a manifest
 * lists, and must never reach outside the tree.
 *
 * Format: one line per file, "KEY HASH SIZE PATH" (KEY and HASH 16
 * lowercase hex digits, SIZE decimal), then a line "end".
 */
#ifndef FQ_RENDER_MANIFEST_H
#define FQ_RENDER_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

/* The largest manifest read (a million pages take about 100 MB). */
#define RENDER_MANIFEST_MAX ((size_t)512 << 20)

struct manifest_entry {
	const char *path; /* points into the parsed text */
	uint64_t key, hash;
	int64_t size;
};

/* Whether path[0..n) is a plain relative path beneath the tree:
 * segments separated by single '/', none empty, none starting with
 * '.' (no "..", no hidden name: faqtory writes none), no byte below
 * 0x20, no 0x7f, no backslash.  Pure. */
int render_manifest_path_ok(const char *path, size_t n);

/*
 * Parses a manifest's text (len bytes; changed in place: line ends
 * become NULs).  Lines that do not parse or name an unsafe path are
 * skipped and counted in *bad.  Returns 0 with *v (heap array, caller
 * frees; paths point into text) and *n set if the text ends its list
 * with "end"; -1 with *v NULL and *n 0 if it does not (an unfinished
 * tree: nothing is known).  Pure: no I/O, no messages.
 */
int render_manifest_parse(char *text, size_t len,
    struct manifest_entry **v, size_t *n, size_t *bad);

/* The manifest of the tree dir as a heap string (caller frees; *len its
 * length), or NULL if there is none that can be read: a symlink is not
 * followed, only a regular file of at most RENDER_MANIFEST_MAX bytes
 * is read. */
char *render_manifest_read(const char *dir, size_t *len);

#endif
