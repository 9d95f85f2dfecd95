// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target for the configuration parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char err[512];
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	/* psk-file would open paths the fuzzer invents: only inline keys here. */
	if (!strstr(text, "psk-file") &&
	    config_parse("fuzz.conf", text, &cfg, err, sizeof(err)) == 0)
		config_free(&cfg);
	free(text);
	return 0;
}
