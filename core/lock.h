/*
 * lock: the build lock.  Two builds (or a build and a render) never
 * write one store or one output at once: each takes flock(2) on
 * "<path>.lock" beside what it writes, the store first, then each
 * output, and holds the locks for its whole run.  A lock is released
 * when its descriptor is closed or the process exits (even killed), so
 * a crashed build never leaves one behind.
 */
#ifndef FQ_LOCK_H
#define FQ_LOCK_H

/* Takes the lock of a store or an output (path's trailing slashes are
 * ignored).  Returns the lock's file descriptor (the caller closes it
 * to release the lock), -3 if another process holds it, or -1 on error;
 * in both failures one message has been printed. */
int lock_take(const char *path);

#endif
