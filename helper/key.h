/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_KEY_H
#define ESPTUN_KEY_H

#include <stddef.h>
#include <stdint.h>

/* Twice the largest HMAC block (sha384/sha512: 128 bytes) is more than any peer uses. */
#define KEY_MAX_BYTES 128

struct key {
	size_t len;
	uint8_t bytes[KEY_MAX_BYTES];
};

/*
 * ARG is 0xHEX, or @FILE naming a regular file that only its owner may
 * access (mode 0600 or stricter) and that holds the key as hex, with or
 * without 0x, surrounded by optional whitespace. WHAT names the key in errors;
 * the key itself is never printed.
 */
int key_parse(const char *what, const char *arg, struct key *key);
void key_wipe(struct key *key);

#endif
