// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the helper's parsers, run by "make -C helper check"
 * under AddressSanitizer and UndefinedBehaviorSanitizer.
 */
#include "log.h"
#include "tap.h"

int main(void)
{
	/* Errors are checked through log_last_error(); printing them would garble TAP. */
	log_set_quiet(true);
	test_parse();
	test_key();
	test_alg();
	test_request();
	test_netlink();
	test_cli();
	test_control();
	test_install();
	test_notify();
	test_log();
	test_json();
	test_keylog();
	return tap_finish();
}
