// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the command-line parsers: the input's first byte
 * picks a parser, the rest is its argument vector, words separated by NUL.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "key.h"
#include "log.h"
#include "request.h"

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse_words(uint8_t which, int argc, char **argv)
{
	struct set_request set;
	struct sa_request sa;
	struct key key;

	switch (which % 6) {
	case 0:
		set_parse(argc, argv, &set);
		break;
	case 1:
		sa_add_parse(argc, argv, &sa);
		sa_request_wipe(&sa);
		break;
	case 2:
		sa_del_parse(argc, argv, &sa);
		break;
	case 3:
		sa_flush_parse(argc, argv, &sa);
		break;
	case 4:
		sa_set_parse(argc, argv, &sa);
		break;
	default:
		if (argc)
			key_parse("key", argv[0], &key);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_WORDS], *text, *word;
	int argc = 0;
	size_t i;

	if (size < 1)
		return 0;
	log_set_quiet(true);
	/* A copy with a final NUL, so every word is a C string as in a real argv. */
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	for (word = text, i = 0; i < size && argc < MAX_WORDS; i++) {
		if (text[i] != '\0')
			continue;
		/*
		 * Keep @FILE keys away from the file system: the fuzzer would
		 * otherwise open whatever paths it invents. Key files have
		 * their own unit tests.
		 */
		if (word[0] == '@')
			word[0] = '0';
		argv[argc++] = word;
		word = text + i + 1;
	}
	parse_words(data[0], argc, argv);
	free(text);
	return 0;
}
