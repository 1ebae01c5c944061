/*
 * labels: the readable label of a cluster (a topic), and the stopword
 * lists it keeps out of labels.  Used by index/cluster.c; the lists are
 * the files index/stopwords/LANGUAGE.txt, compiled into index/stopwords_table.c by
 * scripts/gen_stopwords.py.
 *
 *   struct labeler *lb = labeler_new(source_lang);
 *   label_make(lb, members, n, terms, nterms, &out);
 *   labeler_free(lb);
 *
 * A labeler holds tokenizers and the stopword sets of one source: one
 * per thread.  Out of memory aborts (core/xmalloc.h).
 */
#ifndef FQ_LABELS_H
#define FQ_LABELS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* One language's stopwords: its Snowball name, ISO 639-1 code and
 * words, one a line ("a\nabout\n..."). */
struct stopword_list {
	const char *name, *code, *words;
};
extern const struct stopword_list stopword_lists[];
extern const size_t stopword_nlists;

/* Calls fn with each word (one line) of the list whose name or code is
 * name[0, len); nothing if there is none (index/stopwords.c). */
void stopword_each(const char *name, size_t len,
    void (*fn)(void *arg, const char *word, size_t n), void *arg);

/* A candidate word of a label: a term (stem, as in the term vectors) of
 * the cluster's members, in how many members' vectors it is (members)
 * and its summed weight there (w).  The caller owns term. */
struct label_term {
	const char *term;
	size_t len;
	uint32_t members;
	float w;
};

/* A member as the label sees it: its title and its tags, one a line
 * (tags may be NULL).  members[0] is the canonical question. */
struct label_member {
	const char *title;
	const char *tags;
};

struct labeler;

/*
 * A labeler for a source whose language list is `lang` (as tok_new()
 * takes it; NULL or "" is english).  Its stopwords are those of every
 * listed language, and always english (titles in any language quote
 * English words).  An unknown language counts as english.
 */
struct labeler *labeler_new(const char *lang);
void labeler_free(struct labeler *lb);

/* Whether word[0, n) (any case, with diacritics or not) is one of the
 * labeler's stopwords or holds one as a part ("how-to"). */
int label_is_stopword(struct labeler *lb, const char *word, size_t n);

/*
 * Appends the label of a cluster of n members to out: up to three of
 * its distinctive words in their most common written form and in the
 * order they most often take in the members' titles ("pale ale ipa"),
 * or its most common tag pair ("stake-pool, delegation") when the words
 * are weak.  Never a stopword or a bare number; ties are broken by the
 * words' bytes, so the label does not move with thread ids.  terms[] is
 * reordered.
 */
void label_make(struct labeler *lb, const struct label_member *m,
    size_t n, struct label_term *terms, size_t nterms, struct buf *out);

#endif
