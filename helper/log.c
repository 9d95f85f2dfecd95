// SPDX-License-Identifier: GPL-2.0
/*
 * Error reporting: "esptun: CONTEXT: message" on stderr, the last message
 * kept for tests.
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static const char *context;
static bool quiet;
static char last_error[512];

void log_set_context(const char *new_context)
{
	context = new_context;
}

void log_set_quiet(bool new_quiet)
{
	quiet = new_quiet;
}

const char *log_last_error(void)
{
	return last_error;
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	if (quiet)
		return;
	if (context)
		fprintf(stderr, "esptun: %s: %s\n", context, last_error);
	else
		fprintf(stderr, "esptun: %s\n", last_error);
}
