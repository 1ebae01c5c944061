/*
 * textwork: the workers of the index's text pass (fts.c runs the pass:
 * it reads the threads into batches and writes the rows; these turn a
 * thread's HTML into text and tokenize it once, in document mode, for
 * its FTS5 row, its search data and its term vector).  Shared by fts.c
 * and textwork.c only.
 *
 * Memory: a batch owns its items' buffers (text_batch_new/free); a
 * worker owns its tokenizers and its term map (text_worker_init/
 * release).  A worker touches only the batch it took and its own
 * state, so any number run at once.
 */
#ifndef FQ_TEXTWORK_H
#define FQ_TEXTWORK_H

#include <pthread.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/strtab.h"
#include "index/index_int.h"

#define TEXT_BATCH 64
#define TEXT_MAX_LANGS 32

struct item {
	int64_t id, source_id, ext, hash;
	int had;    /* already in the full-text table */
	int fts;    /* its full-text row and term vector to (re)write */
	int search; /* its search data to (re)write */
	int lang;   /* index into langs[] */
	struct buf f[INDEX_NFIELDS];    /* in: index_read_thread */
	struct buf text[INDEX_NFIELDS]; /* out: the text of HTML fields */
	struct buf raw[INDEX_NFIELDS];  /* out: the fields' tokens for FTS5 */
	struct buf terms;               /* out: the term vector */
	struct sdoc sd;                 /* out: the search data */
};

struct batch {
	struct item items[TEXT_BATCH];
	size_t n;
	int done;           /* under queue.mu */
	struct batch *next; /* in flight, oldest first (caller's thread) */
	struct batch *wnext; /* the workers' queue (under queue.mu) */
};

/* Term counting, one per worker: the terms and their weights. */
struct tmap {
	struct strtab terms;
	uint32_t *w;       /* per term, strtab's index */
	size_t cap;
};

/* Batches to do, shared by the workers and the caller. */
struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *head, *tail; /* to do */
	int quit;
};

/* One worker's tokenizers and scratch (the caller's own when inline). */
struct worker {
	struct queue *q;
	pthread_t th;
	struct tokenizer *tok[TEXT_MAX_LANGS]; /* per source language: vectors */
	int same[TEXT_MAX_LANGS];              /* tok[i] makes doc's tokens */
	struct tokenizer *doc;            /* the full-text table's */
	struct tmap map;
	uint32_t weight; /* of the field being counted */
	int ntok;
	uint32_t vec;     /* counting the vector from doc's tokens: weight */
	struct item *it;  /* being tokenized, with: */
	struct buf *raw;  /* its field's raw token list */
	uint32_t bm25;    /* its field's search weight */
	int title;        /* the field is the title */
};

struct batch *text_batch_new(void);
void text_batch_free(struct batch *b);
/* Tokenizers for each of the nlangs source language lists (the term
 * vectors) and for the full-text table's list doc_langs. */
void text_worker_init(struct worker *w, struct queue *q,
    char *const *langs, int nlangs, const char *doc_langs);
void text_worker_release(struct worker *w, int nlangs);
/* Fills one item's outputs (text, raw, terms, sd) from its fields. */
void text_process(struct worker *w, struct item *it);
/* A worker thread: takes batches off q until it quits. */
void *text_worker_main(void *arg);
void text_enqueue(struct queue *q, struct batch *b);
/* Waits until a worker marked b done. */
void text_wait_done(struct queue *q, struct batch *b);

#endif
