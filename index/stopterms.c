/*
 * stopterms: the stopwords of the configured languages
 * (index/stopwords/, english always) as the browser's tokenizer gives
 * them (folded, unstemmed: what it compares a query word with), for the
 * static search's ranking (docs/search.md): words that count only when
 * a query has nothing else.  Stored for render as index_meta
 * 'stopterms', one word a line in byte order.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/strtab.h"
#include "core/xmalloc.h"
#include "index/index_int.h"
#include "index/labels.h"
#include "index/tokenize.h"

static int
add_term(void *ctx, int flags, const char *tok, size_t n, size_t start,
    size_t end)
{
	(void)flags;
	(void)start;
	(void)end;
	strtab_add(ctx, tok, n, NULL);
	return 0;
}

struct add_ctx {
	struct tokenizer *t;
	struct strtab *out;
};

/* One stopword, as the query terms it gives. */
static void
add_word(void *arg, const char *w, size_t n)
{
	struct add_ctx *a = arg;

	tok_run(a->t, TOK_QUERY | TOK_PREFIX, w, n, add_term, a->out);
}

/* Adds the query terms of the list named or coded name[0, len). */
static void
add_list(struct tokenizer *t, struct strtab *out, const char *name,
    size_t len)
{
	struct add_ctx a = { t, out };

	stopword_each(name, len, add_word, &a);
}

static const struct strtab *sort_tab; /* for qsort; one thread */

static int
cmp_key(const void *pa, const void *pb)
{
	return strtab_cmp(sort_tab, *(const size_t *)pa, *(const size_t *)pb);
}

int
index_stopterms_save(struct store *st, struct tokenizer *t,
    const char *langs)
{
	struct strtab tab;
	struct buf v = BUF_INIT;
	const char *p = langs ? langs : "", *e;
	size_t i, n, *ix;
	int rc;

	strtab_init(&tab);
	add_list(t, &tab, "english", 7);
	for (;;) {
		p += strspn(p, " ,\t");
		if (*p == '\0')
			break;
		e = p + strcspn(p, " ,\t");
		add_list(t, &tab, p, (size_t)(e - p));
		p = e;
	}
	n = tab.n;
	ix = xcalloc(n + 1, sizeof *ix);
	for (i = 0; i < n; i++)
		ix[i] = i;
	sort_tab = &tab;
	if (n > 1)
		qsort(ix, n, sizeof *ix, cmp_key);
	for (i = 0; i < n; i++) {
		size_t len;
		const char *k = strtab_key(&tab, ix[i], &len);

		buf_put(&v, k, len);
		buf_putc(&v, '\n');
	}
	rc = store_meta_set(st, "stopterms", v.len ? v.data : "", v.len);
	free(ix);
	buf_release(&v);
	strtab_release(&tab);
	return rc;
}
