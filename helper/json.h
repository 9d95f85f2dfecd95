/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer for `esptun -j show`: the caller opens and
 * closes objects and arrays, the writer places commas and escapes strings,
 * so the output is valid whatever bytes a device or peer name holds.
 */
#ifndef ESPTUN_JSON_H
#define ESPTUN_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 16

struct json {
	FILE *out;
	int depth;
	bool has_member[JSON_DEPTH_MAX]; /* a comma goes before the next one */
};

/* KEY is the member's name inside an object, NULL inside an array or at the top. */
void json_init(struct json *j, FILE *out);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);
void json_u64(struct json *j, const char *key, uint64_t value);
void json_bool(struct json *j, const char *key, bool value);

/* VALUE as a JSON string: quotes, backslash and control characters escaped, bytes that are not UTF-8 as U+FFFD. */
void json_write_string(FILE *out, const char *value);

#endif
