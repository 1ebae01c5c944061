/*
 * stopwords: the shipped lists (index/stopwords/, compiled into
 * stopwords_table.c) read by language name or code, one word at a
 * time: what the topic labels (labels.c) and the static search's
 * stopterms (stopterms.c) both start from.
 */
#include <string.h>

#include "index/labels.h"

void
stopword_each(const char *name, size_t len,
    void (*fn)(void *arg, const char *word, size_t n), void *arg)
{
	const char *p, *e;
	size_t i;

	for (i = 0; i < stopword_nlists; i++) {
		const struct stopword_list *l = &stopword_lists[i];

		if (!(strlen(l->name) == len && memcmp(l->name, name, len) == 0) &&
		    !(strlen(l->code) == len && memcmp(l->code, name, len) == 0))
			continue;
		for (p = l->words; *p; p = *e ? e + 1 : e) {
			e = strchr(p, '\n');
			if (e == NULL)
				e = p + strlen(p);
			fn(arg, p, (size_t)(e - p));
		}
	}
}
