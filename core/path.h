/*
 * path: the names of files and paths, as bytes (no file system access):
 * the base name of a path and the suffix tests every stage uses to
 * recognise a file by its name.
 */
#ifndef FQ_PATH_H
#define FQ_PATH_H

#include <stddef.h>

/* The part of p after its last '/' (p itself without one); points into
 * p. */
const char *path_base(const char *p);
/* The length of p's folder part, before its last '/' ("a/b" of "a/b/c";
 * 0 for "c"). */
size_t path_dir_len(const char *p);

/* 1 if s ends with suffix, byte for byte, else 0.  For names faqtory
 * itself writes or a theme must spell exactly ("x.mustache",
 * ".../index.html"). */
int path_ends_with(const char *s, const char *suffix);

/* 1 if s ends with ext in any ASCII case (".xml" matches "Posts.XML"),
 * else 0.  For the names of a source's files, which people and other
 * tools spell. */
int path_has_ext(const char *s, const char *ext);

#endif
