/* libFuzzer target for ingest/jsonl.c: one JSON Lines line (line 1). */
#include "json_target.h"

static int
doc(struct sink *k, const char *data, size_t n)
{
	return jsonl_document(k, data, n, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return json_target(data, size, "jsonl", doc);
}
