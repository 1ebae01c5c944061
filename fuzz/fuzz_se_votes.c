/* libFuzzer target for ingest/stackexchange.c: the input is a dump's
 * Votes.xml, ingested next to a fixed Posts.xml (see se_target.h). */
#include "se_target.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return se_target(data, size, "Votes.xml");
}
