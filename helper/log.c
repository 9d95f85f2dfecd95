// SPDX-License-Identifier: GPL-2.0
/*
 * Error reporting: "esptun: CONTEXT: message" on stderr, the last message
 * kept for tests; under the journal with the priority of an error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

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

/*
 * Looked up at each line, not once: a fstat() is nothing beside the write,
 * and a redirected stderr (tests, a wrapper) is then never mislabelled.
 */
bool log_to_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return stream && sscanf(stream, "%llu:%llu", &dev, &ino) == 2 &&
	       !fstat(STDERR_FILENO, &st) && st.st_dev == dev && st.st_ino == ino;
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	if (quiet)
		return;
	if (log_to_journal())
		fprintf(stderr, "<%d>", LOG_ERR);
	if (context)
		fprintf(stderr, "esptun: %s: %s\n", context, last_error);
	else
		fprintf(stderr, "esptun: %s\n", last_error);
}
