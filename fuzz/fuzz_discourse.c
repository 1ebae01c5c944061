/* libFuzzer target for ingest/discourse.c: one Discourse topic file. */
#include "json_target.h"

static int
doc(struct sink *k, const char *data, size_t n)
{
	if (discourse_document(k, data, n, "https://forum.example.com") < 0)
		return -1;
	return discourse_finish(k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return json_target(data, size, "discourse", doc);
}
