/*
 * template: a Mustache engine (spec 1.x: interpolation, sections,
 * inverted sections, comments, partials, set-delimiter, and the
 * optional ~inheritance module with {{<parent}} and {{$block}}).
 * No lambdas, no dynamic names.
 *
 * Two halves:
 *
 *  - Values (struct tval) live in a per-page arena (struct tctx).  Every
 *    constructor copies what it is given (strings and keys) into the
 *    arena, so the caller's buffers may be reused at once.  Nothing is
 *    freed one by one: tctx_reset() drops every value of the page and
 *    keeps the memory for the next one; tctx_free() releases it all.
 *
 *  - Templates are compiled once into a flat op list held by a template
 *    set (struct tset) and rendered many times; rendering never parses.
 *    Partials and parents are looked up by name in the same set when
 *    rendered, so templates may be added in any order and a later
 *    tset_add() or tset_load_dir() of the same name replaces the
 *    earlier one (a theme override directory restyles one file without
 *    copying the rest).
 *
 *   struct tset *set = tset_new();
 *   if (tset_load_dir(set, "theme") == -1 ||
 *       tset_load_dir(set, "site/overrides") == -1)
 *           errx(1, "%s", tset_errmsg(set));
 *   struct tctx *cx = tctx_new();
 *   for (each page) {
 *           tctx_reset(cx);
 *           struct tval *root = tval_map(cx);
 *           tval_set_str(root, "title", title, title_len);
 *           tval_set_html(root, "body", html, html_len);   // pre-sanitized
 *           buf_reset(&out);
 *           if (tset_render(set, "page", root, &out) == -1) ...
 *   }
 *   tctx_free(cx);
 *   tset_free(set);
 *
 * Semantics worth knowing:
 *  - {{x}} escapes plain strings with esc_attr() (& < > " ': the spec
 *    wants &quot;, and it keeps {{x}} safe inside quoted attributes);
 *    strings made with tval_html()/tval_set_html() are already-safe
 *    HTML and are written as they are.  {{{x}}} and {{&x}} never escape.
 *  - Falsey: missing, null, false, the empty list.  Everything else is
 *    truthy, including 0 and "" (as in the spec's reference
 *    implementation): leave a key out or set it null to hide a section.
 *  - Integers print as decimal; doubles print in the shortest form that
 *    reads back exactly ("1.21", "3"); booleans print "true"/"false";
 *    null, lists and maps print nothing.
 *  - A missing partial or parent renders as nothing (as the spec asks);
 *    a missing top-level template is an error.
 *  - Standalone partials and parents indent every non-empty line of
 *    template text they produce (interpolated data is left alone).
 *  - Nesting (sections, inverted sections, partials, parents, blocks,
 *    counted together) deeper than TMPL_MAX_DEPTH is an error, so a
 *    recursive partial cannot overflow the stack.
 *  - Output is bounded, so partials that expand 2^40 times end at once
 *    with an error rather than running until killed: one tset_render()
 *    may write TMPL_MAX_OUTPUT bytes plus twice the bytes of the values
 *    in the data's arena (a page with large bodies is not refused for
 *    being large), and each expansion (a section's item, a partial, a
 *    parent, a block) counts TMPL_EXPANSION_COST bytes against that, so
 *    expansions that write nothing are bounded too.
 *
 * Not thread-safe: a set records its last error.  Output is
 * deterministic: it depends only on the templates and the values.
 */
#ifndef FQ_RENDER_TEMPLATE_H
#define FQ_RENDER_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define TMPL_MAX_DEPTH 100
#define TMPL_MAX_OUTPUT ((size_t)64 << 20)
#define TMPL_EXPANSION_COST 64

/* ---- values ---------------------------------------------------------- */

struct tctx;
struct tval;

enum tval_kind {
	TVAL_NULL,
	TVAL_BOOL,
	TVAL_INT,
	TVAL_REAL,
	TVAL_STR,
	TVAL_LIST,
	TVAL_MAP,
};

/* An empty arena; free with tctx_free(). */
struct tctx *tctx_new(void);
/* Forgets every value made in cx (all pointers into it become invalid)
 * and keeps its largest block of memory for reuse. */
void tctx_reset(struct tctx *cx);
void tctx_free(struct tctx *cx);

/* Constructors: the result belongs to cx and lives until tctx_reset()
 * or tctx_free().  Strings are copied; s may be NULL when len is 0. */
struct tval *tval_null(struct tctx *cx);
struct tval *tval_bool(struct tctx *cx, int b);
struct tval *tval_int(struct tctx *cx, int64_t i);
struct tval *tval_real(struct tctx *cx, double d);
/* Plain text: escaped by {{x}}. */
struct tval *tval_str(struct tctx *cx, const char *s, size_t len);
/* Already-safe HTML (sanitized bodies): never escaped. */
struct tval *tval_html(struct tctx *cx, const char *s, size_t len);
struct tval *tval_list(struct tctx *cx);
struct tval *tval_map(struct tctx *cx);

enum tval_kind tval_kind(const struct tval *v);

/* Appends v (made in the same tctx) to list; a no-op unless list is a
 * list and v is not NULL. */
void tval_list_push(struct tval *list, struct tval *v);
/* Sets map[key] = v, replacing an existing key; key is copied.  v must
 * come from the same tctx.  A no-op unless map is a map and v is not
 * NULL.  Values may be shared and even form cycles.  Lookup is a
 * linear scan: maps are meant to be small (a row, a page). */
void tval_set(struct tval *map, const char *key, struct tval *v);
/* Shorthands for tval_set(map, key, tval_xxx(cx, ...)). */
void tval_set_str(struct tval *map, const char *key, const char *s,
    size_t len);
void tval_set_cstr(struct tval *map, const char *key, const char *s);
void tval_set_html(struct tval *map, const char *key, const char *s,
    size_t len);
void tval_set_int(struct tval *map, const char *key, int64_t i);
void tval_set_bool(struct tval *map, const char *key, int b);
/* Creates, sets and returns an empty list or map under key. */
struct tval *tval_set_list(struct tval *map, const char *key);
struct tval *tval_set_map(struct tval *map, const char *key);
/* map[key], or NULL if absent or map is not a map. */
const struct tval *tval_get(const struct tval *map, const char *key);

/* ---- templates ------------------------------------------------------- */

struct tset;

/* An empty set; free with tset_free(). */
struct tset *tset_new(void);
void tset_free(struct tset *set);

/*
 * Compiles text (len bytes, need not be NUL-terminated) as template
 * `name`, replacing any template of that name.  Returns 0, or -1 with
 * tset_errmsg() set to one line "name:line:col: message" (the set is
 * then unchanged).
 */
int tset_add(struct tset *set, const char *name, const char *text,
    size_t len);
/*
 * Adds every regular file "*.mustache" in dir, in name order, as the
 * template named by the file name without ".mustache"; an existing
 * template of that name is replaced.  Error messages name the file as
 * "dir/file.mustache".  Returns the number of templates added, or -1
 * on the first error (unreadable directory or file, compile error);
 * templates added before the error stay in the set.
 */
int tset_load_dir(struct tset *set, const char *dir);
/* Whether a template of that name is in the set. */
int tset_has(const struct tset *set, const char *name);

/*
 * Renders template `name` with `data` as the root of the context stack
 * (NULL is an empty context), appending to out.  Returns 0, or -1 with
 * tset_errmsg() set (unknown template, nesting deeper than
 * TMPL_MAX_DEPTH, output over its bound); on error out is truncated
 * back to its length at the call.
 */
int tset_render(struct tset *set, const char *name,
    const struct tval *data, struct buf *out);

/* The last error message; "" if none.  Owned by the set, valid until
 * the next call on it. */
const char *tset_errmsg(const struct tset *set);

#endif
