/*
 * libFuzzer target for ingest/github.c: the input is parsed as one GitHub Discussions export
 * into an in-memory store (opened once; each input runs in a
 * transaction rolled back after it), then resolved as a real ingest would
 * (sink_finish).  Errors are expected (bad input is refused with one
 * line); crashes, leaks and sanitizer reports are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/store.h"
#include "ingest/ingest.h"
#include "ingest/jsonsrc.h"
#include "ingest/sink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct store *st;
	struct sink k;
	struct ingest_result res;

	fq_quiet = 1;
	memset(&res, 0, sizeof res);
	if (st == NULL && (st = store_open(":memory:", 0)) == NULL)
		abort();
	if (store_begin(st) < 0 ||
	    sink_open(&k, st, "fuzz", "github", "fuzz", &res) < 0)
		abort();
	/* A refused row may surface only at the writer's next sync, so
	 * finishing can fail after the document was accepted: no crash is
	 * all that is asked. */
	if (github_document(&k, (const char *)data, size) == 0)
		(void)sink_finish(&k, NULL);
	sink_release(&k);
	store_rollback(st);
	return 0;
}
