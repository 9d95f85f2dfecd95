/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP-ish check macro for the IKE unit tests: every failed check
 * prints where and what, and the process exit status counts failures.
 */
#ifndef ESPTUN_TEST_IKE_H
#define ESPTUN_TEST_IKE_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			check_failures++;                                                        \
		}                                                                                \
	} while (0)

#define TEST_DONE(name)                                                    \
	do {                                                               \
		printf("%s %s\n", check_failures ? "not ok" : "ok", name); \
		return check_failures ? 1 : 0;                             \
	} while (0)

#endif
