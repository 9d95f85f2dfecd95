// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer: escaping of what a hostile name may hold, commas
 * between members and none after the last, nesting and empty containers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

/* What WRITE wrote through a json writer, in BUF. */
#define CAPTURE(buf, j, write)                              \
	do {                                                \
		FILE *f_ = fmemopen(buf, sizeof(buf), "w"); \
		json_init(&j, f_);                          \
		write;                                      \
		fclose(f_);                                 \
	} while (0)

static void check_string(const char *in, const char *want, const char *what)
{
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	json_write_string(f, in);
	fclose(f);
	ok(!strcmp(buf, want), "json string: %s (got %s)", what, buf);
}

static void test_escaping(void)
{
	check_string("vpn0", "\"vpn0\"", "plain");
	check_string("", "\"\"", "empty");
	check_string("a\"b\\c", "\"a\\\"b\\\\c\"", "quote and backslash");
	check_string("a\nb\tc\x01\x1f\x7f", "\"a\\u000ab\\u0009c\\u0001\\u001f\\u007f\"",
		     "control characters");
	check_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91",
		     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91\"", "valid UTF-8 kept");
	check_string("a\xff"
		     "b\xc3",
		     "\"a\\ufffdb\\ufffd\"", "stray and truncated bytes");
	check_string("\xc0\xaf\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"",
		     "overlong form and surrogate");
	check_string("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "past U+10FFFF");
}

static void test_structure(void)
{
	char buf[512] = "";
	struct json j;

	CAPTURE(buf, j, {
		json_object_begin(&j, NULL);
		json_array_begin(&j, "devices");
		json_array_end(&j);
		json_object_end(&j);
	});
	ok(!strcmp(buf, "{\"devices\":[]}\n"), "json: empty array");

	CAPTURE(buf, j, {
		json_object_begin(&j, NULL);
		json_object_end(&j);
	});
	ok(!strcmp(buf, "{}\n"), "json: empty object");

	CAPTURE(buf, j, {
		json_object_begin(&j, NULL);
		json_string(&j, "name", "vpn\"0");
		json_u64(&j, "big", 18446744073709551615ULL);
		json_bool(&j, "up", true);
		json_array_begin(&j, "sas");
		json_object_begin(&j, NULL);
		json_u64(&j, "spi", 1);
		json_array_begin(&j, "e");
		json_array_end(&j);
		json_object_end(&j);
		json_object_begin(&j, NULL);
		json_bool(&j, "x", false);
		json_object_end(&j);
		json_array_end(&j);
		json_u64(&j, "last", 0);
		json_object_end(&j);
	});
	ok(!strcmp(buf, "{\"name\":\"vpn\\\"0\",\"big\":18446744073709551615,\"up\":true,"
			"\"sas\":[{\"spi\":1,\"e\":[]},{\"x\":false}],\"last\":0}\n"),
	   "json: nesting, commas between members only");
}

void test_json(void)
{
	test_escaping();
	test_structure();
}
