// SPDX-License-Identifier: GPL-2.0
/*
 * TAP output for the host unit tests, and the word splitter they share.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "tap.h"

static unsigned int passed, failed, skipped;

static void print_result(const char *result, const char *fmt, va_list ap)
{
	printf("%s %u - ", result, passed + failed + skipped);
	vprintf(fmt, ap);
}

void tap_check(bool pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (pass)
		passed++;
	else
		failed++;
	va_start(ap, fmt);
	print_result(pass ? "ok" : "not ok", fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass)
		printf("# failed at %s:%d; last error: %s\n", file, line, log_last_error());
	fflush(stdout);
}

void tap_skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	skipped++;
	va_start(ap, fmt);
	print_result("ok", fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", reason);
}

int tap_finish(void)
{
	printf("1..%u\n", passed + failed + skipped);
	printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}

int split_words(char *line, char **argv, int max)
{
	int argc = 0;
	char *word;

	for (word = strtok(line, " "); word && argc < max; word = strtok(NULL, " "))
		argv[argc++] = word;
	return argc;
}
