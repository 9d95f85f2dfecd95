/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_TESTS_TAP_H
#define ESPTUN_TESTS_TAP_H

#include <stdbool.h>

/*
 * A minimal TAP producer: "ok N - name" or "not ok N - name" per check,
 * then one line "N passed, N failed, N skipped"; the exit code is non-zero
 * when anything failed.
 */
void tap_check(bool passed, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void tap_skip(const char *reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tap_finish(void);

#define ok(cond, ...) tap_check((cond), __FILE__, __LINE__, __VA_ARGS__)

/*
 * Split LINE (modified in place) at spaces into ARGV, for writing command
 * lines in tests as one string. Returns argc.
 */
int split_words(char *line, char **argv, int max);

/* The test suites, one per helper source file. */
void test_parse(void);
void test_key(void);
void test_alg(void);
void test_request(void);
void test_netlink(void);
void test_cli(void);
void test_control(void);
void test_install(void);
void test_notify(void);
void test_log(void);
void test_json(void);
void test_keylog(void);

#endif
