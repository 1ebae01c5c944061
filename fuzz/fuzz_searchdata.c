/*
 * libFuzzer target for the search data render reads from the store
 * (index/searchdata.c writes it): the vocabulary blob and a document's
 * term blob, both varint-packed.  Whatever the bytes, shards_build must
 * neither crash nor read out of bounds; ids it does not know are
 * skipped.  Input: a 16-bit little-endian length, that many bytes of
 * vocabulary, then the document's terms (also a folded thread's).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "render/shards.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;

static void
setup(void)
{
	if ((st = store_open(":memory:", 0)) == NULL ||
	    store_exec(st,
	    /* The tables come from the store's migration; the keys say
	     * that an index wrote them, with its field weights. */
	    "INSERT INTO index_meta VALUES('search', 'fuzz'),"
	    " ('fields', '{\"title\":{\"bm25\":8,\"vector\":6}}');"
	    "INSERT INTO search_forms VALUES('brewing', 'brew', 1),"
	    " ('x', 'y', 99999999999);") < 0)
		abort();
}

static void
put(const char *sql, int64_t id, const uint8_t *p, size_t n)
{
	sqlite3_stmt *q = store_stmt(st, sql);

	bind_int(q, 1, id);
	sqlite3_bind_blob(q, 2, n ? (const void *)p : "", (int)n,
	    SQLITE_STATIC);
	if (store_done(st, q) < 0)
		abort();
}

/* The sink: every file must have a path under search/ and bytes. */
static int
take(void *arg, const char *path, const struct buf *data)
{
	(void)arg;
	if (strncmp(path, "search/", 7) != 0 || data->len == 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t folded[] = { 2 };
	struct shard_doc docs[2] = {
		{ 1, "s", 1, "A title", "q/s/1/a-title/", 1, 0, folded, 1 },
		{ 3, "s", 3, "Other", "q/s/3/other/", 1, 0, NULL, 0 },
	};
	struct shard_topic topic = { 7, "a topic", 2 };
	struct shard_sink out;
	size_t k;

	if (st == NULL)
		setup();
	if (size < 2)
		return 0;
	k = (size_t)data[0] | (size_t)data[1] << 8;
	if (k > size - 2)
		k = size - 2;
	k += 2; /* the document starts at data + k */
	if (store_exec(st, "DELETE FROM search_vocab;"
	    "DELETE FROM search_docs") < 0)
		abort();
	put("INSERT INTO search_vocab(terms) VALUES(?2)", 0, data + 2, k - 2);
	put("INSERT INTO search_docs VALUES(?1, 1, 10, ?2, 'snippet')", 1,
	    data + k, size - k);
	put("INSERT INTO search_docs VALUES(?1, 1, 3, ?2, 'folded')", 2,
	    data + k, size - k);
	memset(&out, 0, sizeof out);
	out.emit = take;
	shards_build(st, docs, 2, &topic, 1, &out);
	return 0;
}
