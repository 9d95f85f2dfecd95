// SPDX-License-Identifier: GPL-2.0
/*
 * Keys: 0xHEX on the command line and @FILE.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "key.h"
#include "log.h"
#include "tap.h"

static char dir[] = "/tmp/esptun-key-test-XXXXXX";

/* "0x" and LEN bytes 0x00, 0x01, ... as hex. */
static char *hex_key(size_t len, bool prefix)
{
	char *s = malloc(2 * len + 3);
	size_t i, used = 0;

	if (prefix)
		used += sprintf(s, "0x");
	for (i = 0; i < len; i++)
		used += sprintf(s + used, "%02x", (unsigned int)(i & 0xff));
	s[used] = '\0';
	return s;
}

static bool key_is_sequence(const struct key *key, size_t len)
{
	size_t i;

	if (key->len != len)
		return false;
	for (i = 0; i < len; i++)
		if (key->bytes[i] != (i & 0xff))
			return false;
	return true;
}

static void test_hex(void)
{
	static const char *const bad[] = {
		"0x",	"0x1", "0x123", "0x0g", "0xg0", "0x12 34",
		"1234", "",    "x1234", "0x-1", "0x+1",
	};
	struct key key;
	char *s;
	size_t i;

	ok(!key_parse("encryption key", "0x0001", &key) && key_is_sequence(&key, 2),
	   "hex key 0x0001 is two bytes");
	ok(!key_parse("encryption key", "0XaBcD", &key) && key.len == 2 && key.bytes[0] == 0xab &&
		   key.bytes[1] == 0xcd,
	   "hex key with 0X prefix and mixed case");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(key_parse("encryption key", bad[i], &key) == EXIT_ERROR &&
			   strstr(log_last_error(), "encryption key"),
		   "hex key '%s' refused, naming the key", bad[i]);
	ok(key_parse("k", "0x123", &key) && strstr(log_last_error(), "odd"),
	   "odd number of hex digits is named as such");

	s = hex_key(KEY_MAX_BYTES, true);
	ok(!key_parse("k", s, &key) && key_is_sequence(&key, KEY_MAX_BYTES),
	   "hex key of %d bytes accepted", KEY_MAX_BYTES);
	free(s);
	s = hex_key(KEY_MAX_BYTES + 1, true);
	ok(key_parse("k", s, &key) == EXIT_ERROR && strstr(log_last_error(), "longer"),
	   "hex key of %d bytes refused", KEY_MAX_BYTES + 1);
	free(s);

	/* The message must not leak key material, only where the mistake is. */
	ok(key_parse("k", "0xc0ffee5ecre7", &key) == EXIT_ERROR &&
		   !strstr(log_last_error(), "c0ffee") && strstr(log_last_error(), "position 10"),
	   "bad hex key error points at the digit without printing the key");
	key_parse("k", "0x0g", &key);
	ok(key.len == 0 && key.bytes[0] == 0, "a refused key leaves no bytes behind");
	key_parse("k", "0xffff", &key);
	key_wipe(&key);
	ok(key.len == 0 && key.bytes[0] == 0 && key.bytes[1] == 0, "key_wipe clears the key");
}

static char *write_file(const char *name, const char *content, mode_t mode)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content))
		perror(path);
	close(fd);
	chmod(path, mode);
	return path;
}

static int parse_file(const char *path, struct key *key)
{
	char arg[300];

	snprintf(arg, sizeof(arg), "@%s", path);
	return key_parse("encryption key", arg, key);
}

static void test_file(void)
{
	static const struct {
		const char *name, *content;
		mode_t mode;
		size_t len; /* 0: must be refused */
		const char *why;
	} cases[] = {
		{ "plain", "000102", 0600, 3, "bare hex" },
		{ "prefixed", "0x000102\n", 0600, 3, "0x prefix and newline" },
		{ "spaced", "  \n0X000102 \t\n\n", 0400, 3, "surrounding whitespace, mode 0400" },
		{ "empty", "", 0600, 0, "empty file" },
		{ "blank", " \n", 0600, 0, "whitespace only" },
		{ "odd", "00010\n", 0600, 0, "odd number of digits" },
		{ "inner-space", "0001 02\n", 0600, 0, "space inside the key" },
		{ "binary", "\x01\x02\x03\x04", 0600, 0, "binary content" },
		{ "world", "000102\n", 0644, 0, "world-readable file" },
		{ "group", "000102\n", 0640, 0, "group-readable file" },
		{ "group-write", "000102\n", 0620, 0, "group-writable file" },
		{ "other-exec", "000102\n", 0601, 0, "any permission for others" },
	};
	struct key key;
	char *path, *big;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path = write_file(cases[i].name, cases[i].content, cases[i].mode);
		ret = parse_file(path, &key);
		if (cases[i].len)
			ok(!ret && key_is_sequence(&key, cases[i].len), "key file: %s",
			   cases[i].why);
		else
			ok(ret == EXIT_ERROR && strstr(log_last_error(), cases[i].name),
			   "key file refused, naming the file: %s", cases[i].why);
	}
	ok(parse_file(write_file("world", "000102", 0644), &key) == EXIT_ERROR &&
		   strstr(log_last_error(), "0644") && strstr(log_last_error(), "chmod 600"),
	   "key file permission error shows the mode and the fix");

	big = hex_key(KEY_MAX_BYTES, true);
	ok(!parse_file(write_file("max", big, 0600), &key) && key_is_sequence(&key, KEY_MAX_BYTES),
	   "key file with a %d-byte key", KEY_MAX_BYTES);
	free(big);
	big = hex_key(KEY_MAX_BYTES + 1, false);
	ok(parse_file(write_file("too-long", big, 0600), &key) == EXIT_ERROR,
	   "key file with a %d-byte key refused", KEY_MAX_BYTES + 1);
	free(big);
	big = hex_key(4096, false);
	ok(parse_file(write_file("huge", big, 0600), &key) == EXIT_ERROR &&
		   strstr(log_last_error(), "longer"),
	   "key file of 8 KiB refused without reading it all");
	free(big);

	ok(key_parse("k", "@/nonexistent/esptun.key", &key) == EXIT_ERROR &&
		   strstr(log_last_error(), "/nonexistent/esptun.key"),
	   "missing key file refused, naming it");
	ok(key_parse("k", "@", &key) == EXIT_ERROR, "'@' without a file name refused");
	ok(parse_file(dir, &key) == EXIT_ERROR && strstr(log_last_error(), "regular"),
	   "a directory is not a key file");
	path = write_file("fifo", "", 0600);
	unlink(path);
	if (mkfifo(path, 0600) == 0) {
		time_t start = time(NULL);

		ok(parse_file(path, &key) == EXIT_ERROR && time(NULL) - start < 2,
		   "a FIFO is refused at once, not waited on");
		unlink(path);
	} else {
		tap_skip("mkfifo failed", "a FIFO is refused at once");
	}
}

static void cleanup(void)
{
	static const char *const names[] = {
		"plain",       "prefixed",    "spaced", "empty",    "blank",
		"odd",	       "inner-space", "binary", "world",    "group",
		"group-write", "other-exec",  "max",	"too-long", "huge",
	};
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

void test_key(void)
{
	test_hex();
	if (!mkdtemp(dir)) {
		tap_skip("mkdtemp failed", "key files");
		return;
	}
	test_file();
	cleanup();
}
