/*
 * input: the members of a source, whether it is a folder, an archive
 * read as a stream through libarchive (never extracted), or one file.
 * Members are visited in the order the container holds them; callers
 * must not depend on that order.
 */
#ifndef FQ_INPUT_H
#define FQ_INPUT_H

#include <stddef.h>
#include <sys/types.h>

struct member {
	const char *name;    /* base name inside the container */
	const char *display; /* for messages: "dump.7z:Posts.xml" */
	/* Reads up to n bytes; returns bytes read, 0 at end, -1 on error
	 * (then input_error() says why). */
	ssize_t (*read)(struct member *m, char *p, size_t n);
	void *impl;
	size_t consumed;     /* bytes read so far */
};

/* Called for each member; return 0 to go on, -1 to stop (the callback
 * has printed the error), 1 to stop early without error (input_each
 * then returns 1). */
typedef int (*member_fn)(void *ctx, struct member *m);

/* Visits the members of `path` whose base name `want(name)` accepts.
 * For a single file the one member is the file itself.  Returns 0, or
 * -1 after printing one error line. */
int input_each(const char *path, int (*want)(const char *name),
    member_fn fn, void *ctx);
/* The last read error of a member, or NULL. */
const char *input_error(struct member *m);

#endif
