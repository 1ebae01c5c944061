/*
 * answer: the published answer of every thread as the site shows it
 * (core/answerpolicy.h decides; this file reads the store for it and
 * words a community answer's reason line).  Inside render/ only.
 */
#ifndef FQ_RENDER_ANSWER_H
#define FQ_RENDER_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "core/answerpolicy.h"
#include "core/buf.h"
#include "core/store.h"
#include "render/locale.h"

struct render_answer {
	enum answer_kind kind;  /* published; ANSWER_NONE: no entry */
	int64_t post;           /* the published answer's posts.ext_id */
	struct answer_choice c; /* the selection and the writers' line */
};

/* Calls put(arg, threads.id, answer) once per thread of the store with
 * the answer p publishes (the answer is put's to copy).  Returns 0, or
 * -1 after printing the store's error. */
int render_answers_load(struct store *st, const struct answer_policy *p,
    void (*put)(void *arg, int64_t thread_id, const struct render_answer *a),
    void *arg);

/* Appends to out the one line that says why a community answer was
 * chosen, in the strings of loc (nloc entries sorted by key; lang
 * picks the plural forms), e.g. "Not marked accepted by the asker;
 * highest score of 13 answers, 26 against 3; the asker thanked its
 * author."  Plain text (the template escapes it). */
void render_answer_reason(const struct render_answer *a,
    const struct locale_kv *loc, size_t nloc, const char *lang,
    struct buf *out);

/* A hash of what an entry shows of its published answer besides the
 * posts themselves (kind, which answer, the reason's inputs): part of
 * the entry's page key. */
uint64_t render_answer_key(const struct render_answer *a);

#endif
