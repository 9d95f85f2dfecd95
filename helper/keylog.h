/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keylog-dir: the daemon's keys written for Wireshark, off unless the
 * configuration asks. The directory is laid out as a Wireshark profile
 * (or WIRESHARK_CONFIG_DIR) is: ikev1_decryption_table holds a line per
 * IKE SA (initiator cookie, encryption key), esp_sa a line per ESP SA
 * (addresses, SPI, algorithms, keys), both in the CSV of Wireshark's
 * "user access tables" of those names. Nothing else writes a key anywhere.
 */
#ifndef ESPTUN_KEYLOG_H
#define ESPTUN_KEYLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "ike/ike_sa.h"

#define KEYLOG_IKE_FILE "ikev1_decryption_table"
#define KEYLOG_ESP_FILE "esp_sa"

struct keylog {
	int ike, esp; /* the two files, appended to; -1 when off */
	char dir[CONFIG_PATH_MAX];
};

/* Off: no files. */
void keylog_init(struct keylog *kl);

/*
 * Open DIR (made mode 0700 when missing) and its two files: created mode
 * 0600, or refused when one is not a regular file, is a symbolic link, is
 * another user's or others may read or write it; the directory when others
 * may write to it. 0, or -1 with "keylog-dir DIR: reason" in ERR.
 */
int keylog_open(struct keylog *kl, const char *dir, char *err, size_t err_len);
void keylog_close(struct keylog *kl);

/*
 * Follow CFG's keylog-dir (read from FILE), at start and on reload: open
 * it when it is new, with a loud warning on the log, close the old one
 * when it is gone or another. 0, or -1 with "FILE:LINE: ..." in ERR and
 * KL as it was.
 */
int keylog_configure(struct keylog *kl, const struct config *cfg, const char *file, char *err,
		     size_t err_len);

/* Append the line of an IKE SA whose encryption key KEY (LEN bytes) now exists. */
void keylog_ike(const struct keylog *kl, const uint8_t icookie[8], const uint8_t *key, size_t len);
/* Append a line per half of C that went into the kernel (C->dirs). */
void keylog_esp(const struct keylog *kl, const struct child_sa *c);

/* The lines themselves, into BUF: their length, or -1 when they do not fit or C is unknown. */
int keylog_ike_line(char *buf, size_t size, const uint8_t icookie[8], const uint8_t *key,
		    size_t len);
int keylog_esp_line(char *buf, size_t size, const struct child_sa *c, bool in);

#endif
