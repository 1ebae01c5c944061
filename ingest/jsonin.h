/*
 * Internal to ingest/: reading JSON (jansson) for the JSON readers, with
 * size caps and one-line errors through the sink (see sink.h).
 *
 * Limits: one JSON document (a Discourse topic file, a JSON Lines line)
 * is at most JIN_DOC_MAX bytes, and any one string field at most
 * JIN_FIELD_MAX bytes; both are bad input beyond that, never truncated.
 * jansson itself refuses invalid UTF-8, NUL in strings and nesting
 * deeper than 2048.
 *
 * The accessors take an object and a key and treat a missing key and
 * JSON null alike ("absent").  They return 0 (setting the output, or
 * leaving the default when absent and not required) or -1 after
 * printing "WHERE: CTX: 'key' is a number, expected a string" or the
 * like.  Returned strings and values are borrowed from the json_t and
 * live as long as it does.
 */
#ifndef FQ_JSONIN_H
#define FQ_JSONIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct sink;
struct member;

#define JIN_DOC_MAX ((size_t)64 << 20)
#define JIN_FIELD_MAX ((size_t)16 << 20)

/* Reads the whole member into out (reset first); fails if it is larger
 * than cap bytes or cannot be read. */
int jin_slurp(struct sink *k, struct member *m, size_t cap, struct buf *out);
/* Parses one document (an object or array).  Syntax errors print
 * "WHERE:LINE:COL: what" for a whole file (line 0), or "WHERE:COL: what"
 * when the caller's WHERE already ends with the line (`line` > 0, one
 * line of JSON Lines).  Returns a new reference (the caller
 * json_decref()s it) or NULL after printing the error. */
json_t *jin_load(struct sink *k, const char *data, size_t n, long line);

/* The JSON type of v in words, for messages ("a number", "null"). */
const char *jin_type(const json_t *v);

int jin_str(struct sink *k, json_t *o, const char *key, int required,
    const char **s, size_t *n);
/* Integers; a real is accepted and truncated (scores often are). */
int jin_int(struct sink *k, json_t *o, const char *key, int required,
    int64_t *v);
int jin_bool(struct sink *k, json_t *o, const char *key, int *v);
int jin_obj(struct sink *k, json_t *o, const char *key, int required,
    json_t **v);
int jin_arr(struct sink *k, json_t *o, const char *key, int required,
    json_t **v);
/* An id: an integer in [0, 2^52), a string of such digits (the same
 * id), or any other non-empty string (a synthetic id, see sink.h). */
int jin_id(struct sink *k, json_t *o, const char *key, int required,
    int64_t *id, int *present);

#endif
