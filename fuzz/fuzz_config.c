/*
 * Fuzz target: the config file (core/config.c), parsed from the bytes
 * as `faqtory build --config` parses the file it has read.  Any input
 * must give 0 or -1 with one error line, never a crash, a leak or
 * undefined behaviour; a config that loads must hold only the values
 * the checks allow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fq_config cfg;
	size_t i;

	fq_quiet = 1;
	if (config_parse(&cfg, "fuzz/faqtory.ini", (const char *)data,
	    size) < 0) {
		/* Released on failure: nothing may be left. */
		if (cfg.title || cfg.sources || cfg.nsources)
			abort();
		return 0;
	}
	if (cfg.base_url && strncmp(cfg.base_url, "http://", 7) != 0 &&
	    strncmp(cfg.base_url, "https://", 8) != 0)
		abort();
	for (i = 0; i < cfg.nsources; i++)
		if (cfg.sources[i] == NULL || cfg.sources[i][0] == '\0')
			abort();
	config_release(&cfg);
	return 0;
}
