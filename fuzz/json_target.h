/*
 * The harness the JSON fuzz targets share (included by fuzz_discourse.c,
 * fuzz_discourse_categories.c, fuzz_github.c and fuzz_jsonl.c, each one
 * translation unit).  The input
 * is parsed as one document of the format into an in-memory store,
 * opened once; each input runs in a transaction rolled back after it,
 * then is resolved as a real ingest would (sink_finish).  Errors are
 * expected (bad input is refused with one line); crashes, leaks and
 * sanitizer reports are not.
 */
#ifndef FQ_FUZZ_JSON_TARGET_H
#define FQ_FUZZ_JSON_TARGET_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/store.h"
#include "ingest/ingest_int.h"

/* Parses one document into k; 0 when accepted. */
typedef int (*json_doc_fn)(struct sink *k, const char *data, size_t n);

static int
json_target(const uint8_t *data, size_t size, const char *kind,
    json_doc_fn doc)
{
	static struct store *st;
	struct sink k;
	struct ingest_result res;
	struct ingest_opts opt = { 0 };

	opt.jobs = 2;
	fq_quiet = 1;
	memset(&res, 0, sizeof res);
	if (st == NULL && (st = store_open(":memory:", 0)) == NULL)
		abort();
	if (store_begin(st) < 0 ||
	    sink_open(&k, st, "fuzz", &opt, kind, "fuzz", &res) < 0)
		abort();
	/* Writes run on the sink's writer thread, so a refused row (say a
	 * repeated id) may surface only at the next sync: finishing can
	 * fail after a document was accepted.  Either way, no crash. */
	if (doc(&k, (const char *)data, size) == 0)
		(void)sink_finish(&k, NULL);
	sink_release(&k);
	store_rollback(st);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
