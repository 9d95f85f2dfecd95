// SPDX-License-Identifier: GPL-2.0
/*
 * Keys from the command line or from files. Every buffer that held key
 * material is wiped with OPENSSL_cleanse before it is released.
 */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "key.h"
#include "log.h"

/* A hex key file: 0x, KEY_MAX_BYTES hex digit pairs and some whitespace. */
#define KEY_FILE_MAX (2 + 2 * KEY_MAX_BYTES + 64)

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int decode_hex(const char *what, const char *hex, size_t len, struct key *key)
{
	size_t i;

	if (len == 0) {
		log_error("bad %s: no hex digits", what);
		return EXIT_ERROR;
	}
	if (len % 2) {
		log_error("bad %s: odd number of hex digits (%zu)", what, len);
		return EXIT_ERROR;
	}
	if (len / 2 > KEY_MAX_BYTES) {
		log_error("bad %s: %zu bytes, longer than %d", what, len / 2, KEY_MAX_BYTES);
		return EXIT_ERROR;
	}
	for (i = 0; i < len; i += 2) {
		int high = hex_value(hex[i]), low = hex_value(hex[i + 1]);

		if (high < 0 || low < 0) {
			/* The position, not the character: the rest of the string is secret. */
			log_error("bad %s: not a hex digit at position %zu", what,
				  i + (high < 0 ? 0 : 1) + 1);
			key_wipe(key);
			return EXIT_ERROR;
		}
		key->bytes[i / 2] = high << 4 | low;
	}
	key->len = len / 2;
	return 0;
}

static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

static int read_key_file(const char *what, const char *path, struct key *key)
{
	char buf[KEY_FILE_MAX + 2]; /* one byte more than allowed, to detect it, and a NUL */
	char label[PATH_MAX + 64];
	size_t len = 0;
	const char *start;
	struct stat st;
	ssize_t n;
	int fd, ret = EXIT_ERROR;

	/* O_NONBLOCK: a FIFO must not hang us before fstat() can refuse it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		log_error("%s file '%s': %s", what, path, strerror(errno));
		return EXIT_ERROR;
	}
	if (fstat(fd, &st) < 0) {
		log_error("%s file '%s': %s", what, path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		log_error("%s file '%s': not a regular file", what, path);
		goto out;
	}
	/* Refuse rather than warn: a key others could read is already compromised. */
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		log_error("%s file '%s' is accessible by group or others (mode %04o): "
			  "chmod 600 it",
			  what, path, (unsigned int)(st.st_mode & 07777));
		goto out;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	if (n < 0) {
		log_error("%s file '%s': %s", what, path, strerror(errno));
		goto out;
	}
	if (len > KEY_FILE_MAX) {
		log_error("%s file '%s': longer than %d bytes", what, path, KEY_FILE_MAX);
		goto out;
	}
	buf[len] = '\0';
	start = buf;
	while (isspace((unsigned char)*start))
		start++;
	while (len > (size_t)(start - buf) && isspace((unsigned char)buf[len - 1]))
		len--;
	len -= start - buf;
	if (has_hex_prefix(start)) {
		start += 2;
		len -= 2;
	}
	/* Errors in the content name the file, so the user knows which one to fix. */
	snprintf(label, sizeof(label), "%s in '%s'", what, path);
	ret = decode_hex(label, start, len, key);
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return ret;
}

int key_parse(const char *what, const char *arg, struct key *key)
{
	key_wipe(key);
	if (arg[0] == '@')
		return read_key_file(what, arg + 1, key);
	if (!has_hex_prefix(arg)) {
		log_error("bad %s: expected 0xHEX or @FILE", what);
		return EXIT_ERROR;
	}
	return decode_hex(what, arg + 2, strlen(arg + 2), key);
}

void key_wipe(struct key *key)
{
	OPENSSL_cleanse(key, sizeof(*key));
}
