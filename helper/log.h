/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_LOG_H
#define ESPTUN_LOG_H

#include <stdbool.h>

/* Exit codes: a value the user typed is wrong (1), the command line itself is malformed (2). */
enum { EXIT_ERROR = 1, EXIT_USAGE = 2 };

/*
 * Every error goes through log_error() so that it carries the command it
 * belongs to ("esptun: sa add: ...") and so that tests and the fuzzer can
 * read the last message back instead of having it printed.
 */
void log_set_context(const char *context);
void log_set_quiet(bool quiet);
const char *log_last_error(void);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Whether stderr is the systemd journal's stream ($JOURNAL_STREAM names
 * its device and inode): then each line starts with its syslog priority
 * as "<N>" (sd-daemon(3)), so that errors, warnings and information are
 * told apart there, and carries no timestamp of ours, the journal having
 * its own.
 */
bool log_to_journal(void);

#endif
