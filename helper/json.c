// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer of json.h. Names come from the kernel and the daemon's
 * status file, so a string is escaped byte by byte: a hostile name can
 * neither end the string early nor make the document invalid UTF-8.
 */
#include <inttypes.h>

#include "json.h"

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->has_member[0] = false;
}

/* The length of the valid UTF-8 sequence at S (RFC 3629), 0 when there is none. */
static int utf8_length(const unsigned char *s)
{
	int len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void json_write_string(FILE *out, const char *value)
{
	const unsigned char *s = (const unsigned char *)value;
	int len;

	fputc('"', out);
	while (*s) {
		if (*s == '"' || *s == '\\') {
			fprintf(out, "\\%c", *s++);
			continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			fprintf(out, "\\u%04x", *s++);
			continue;
		}
		len = utf8_length(s);
		if (!len) {
			fputs("\\ufffd", out);
			s++;
			continue;
		}
		fwrite(s, 1, len, out);
		s += len;
	}
	fputc('"', out);
}

/* The comma and "KEY": before a member or element. */
static void member(struct json *j, const char *key)
{
	if (j->has_member[j->depth])
		fputc(',', j->out);
	j->has_member[j->depth] = true;
	if (key) {
		json_write_string(j->out, key);
		fputc(':', j->out);
	}
}

static void nest_open(struct json *j, const char *key, char bracket)
{
	member(j, key);
	fputc(bracket, j->out);
	/* show nests 5 deep; the cap stops a bug from writing past the array. */
	if (j->depth + 1 < JSON_DEPTH_MAX)
		j->depth++;
	j->has_member[j->depth] = false;
}

static void nest_close(struct json *j, char bracket)
{
	if (j->depth > 0)
		j->depth--;
	fputc(bracket, j->out);
	if (!j->depth)
		fputc('\n', j->out);
}

void json_object_begin(struct json *j, const char *key)
{
	nest_open(j, key, '{');
}

void json_object_end(struct json *j)
{
	nest_close(j, '}');
}

void json_array_begin(struct json *j, const char *key)
{
	nest_open(j, key, '[');
}

void json_array_end(struct json *j)
{
	nest_close(j, ']');
}

void json_string(struct json *j, const char *key, const char *value)
{
	member(j, key);
	json_write_string(j->out, value);
}

void json_u64(struct json *j, const char *key, uint64_t value)
{
	member(j, key);
	fprintf(j->out, "%" PRIu64, value);
}

void json_bool(struct json *j, const char *key, bool value)
{
	member(j, key);
	fputs(value ? "true" : "false", j->out);
}
