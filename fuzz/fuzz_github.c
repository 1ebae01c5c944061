/* libFuzzer target for ingest/github.c: one GitHub Discussions export. */
#include "json_target.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return json_target(data, size, "github", github_document);
}
