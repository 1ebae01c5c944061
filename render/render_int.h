/*
 * Shared inside render/ only (not an interface for other stages).
 */
#ifndef FQ_RENDER_INT_H
#define FQ_RENDER_INT_H

#include <stddef.h>
#include <stdint.h>

/* The slug of an entry's URL, /q/<short name>/<id>/<slug>/ (urls.c;
 * the short name is sources.short): a heap string the caller frees. */
char *render_slugify(const char *title);

/* A tag's path segment, /tag/<segment>/: [a-z0-9.-] kept (a leading dot
 * escaped), every other byte as "_xx"; a long one cut and hashed.  A heap
 * string the caller frees (urls.c, like render_slugify). */
char *render_tag_slug(const char *name);

/*
 * A thread folder's page in a previous manifest: "q/SRC/ID/SLUG/
 * index.html" (an entry, redirect or no-entry page) or "q/SRC/ID/
 * index.html" (a short URL).  Returns 1 with *src and *srclen the
 * short name, *id the thread's id in its source, *slug and *sluglen the
 * slug (NULL and 0 for a short URL), all pointing into path; 0 for any
 * other path.
 */
int render_thread_path(const char *path, const char **src, size_t *srclen,
    int64_t *id, const char **slug, size_t *sluglen);


/* ---- reaching files beneath a folder (beneath.c) ---------------------- */

/*
 * Every path here is relative to the folder dirfd and is resolved
 * beneath it with no symlink at any component: a symlink, an absolute
 * path or ".." never leads outside.  On failure errno is ELOOP where a
 * component is a symlink, ENOTDIR where one is not a folder, EXDEV for
 * an absolute path or "..", else what the system call said.
 */

struct stat;

/* Opens the regular file at rel (a render_serve_path result) for
 * reading; a FIFO or device is refused without blocking.  Returns a
 * descriptor the caller closes, with *sb filled, or -1 (EISDIR for
 * anything not regular). */
int render_open_beneath(int dirfd, const char *rel, struct stat *sb);
/* The same by the portable walk alone, one component at a time (what
 * render_open_beneath falls back to without openat2); for tests. */
int render_open_walk(int dirfd, const char *rel, struct stat *sb);

/* Opens the folder rel[0..n); with create, makes the missing folders
 * (0755).  Returns dirfd itself for n == 0, else a descriptor the
 * caller closes; or -1 with *bad the length of the prefix of rel that
 * ends with the component at fault. */
int render_dir_beneath(int dirfd, const char *rel, size_t n, int create,
    size_t *bad);

/* Makes the folders rel[from..n), which nobody has made yet (a fresh
 * tree's folders of one page), under the folder rel[0..from - 1) made
 * before, each under its parent's descriptor without probing first.
 * 0, or -1 with errno and *bad set as above. */
int render_mkdirs_beneath(int dirfd, const char *rel, size_t from, size_t n,
    size_t *bad);

/* Writes data as the file rel, making its folders; a symlink at rel
 * fails too.  replace: through a temporary file and rename(2) in the
 * same folder, so a reader sees the old bytes or the new ones (the old
 * file is unlinked first, which spares ext4 the flush it forces on a
 * rename over an existing file; a reader may then miss the file for
 * that instant).  0, or -1 with errno set and *bad as above (the whole
 * of rel when the file itself failed). */
int render_write_beneath(int dirfd, const char *rel, const char *data,
    size_t n, int replace, size_t *bad);

/*
 * Keeping the files of one tree in another (a build keeps the unchanged
 * files of the previous release in the new one).  A file is kept only
 * if it lies beneath the tree it comes from with no symlink at any
 * component, the last included, and is a regular file of the size
 * expected (the size the previous manifest gives): a symlink planted in
 * a published release never brings a file from elsewhere into the next
 * one.  It is hard-linked, or copied where the trees are on two file
 * systems.  The folders of the last file kept stay open, so consecutive
 * files of one folder (the search shards) open them once.  One keeper
 * per thread; fromfd and tofd are not owned.
 */
struct render_keeper {
	int fromfd, tofd; /* the two trees */
	char *dir;        /* the folder of the last file kept, or NULL */
	size_t dirlen;
	int fromdir, todir; /* that folder in each tree (-1: none) */
};

void render_keeper_init(struct render_keeper *k, int fromfd, int tofd);
/* Makes from/rel appear as to/rel, making rel's folders in to.  0, or
 * -1 with errno set (ELOOP at a symlink, EISDIR for anything not a
 * regular file, EFBIG for a file of another size); nothing is left at
 * to/rel then but what was there before. */
int render_keep_beneath(struct render_keeper *k, const char *rel,
    long long size);
/* Closes the folders kept open. */
void render_keeper_release(struct render_keeper *k);

/* Removes the file (or symlink) rel, then each of its folders that
 * became empty, deepest first, whatever the depth.  0 if rel was
 * removed, or -1 with errno set. */
int render_remove_beneath(int dirfd, const char *rel);

#endif
