/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What config.c shares with config_files.c while it reads a file: where
 * it is, the section being read, and errors that name FILE:LINE.
 */
#ifndef CONFIG_PARSER_H
#define CONFIG_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "config.h"
#include "creds.h"

struct parser {
	const char *file;
	const struct stat *file_st; /* FILE's, when the text was read from it */
	int line;
	char *err;
	size_t err_len;
	struct tunnel_cfg *t; /* the section being read */
	int t_line;	      /* where it starts */
	bool has_psk, has_psk_file;
	int ike_line; /* where the section's ike key is, for errors about it */
};

/* FILE:LINE: and the message into the parser's error buffer; returns -1. */
int config_error(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* config_files.c: the files a section names. */
int config_read_psk_file(struct parser *p, const char *path, struct tunnel_cfg *t);
int config_read_creds(struct parser *p, const char *key, const char *path, enum creds_file what);
int config_check_psk_readers(struct parser *p);

#endif /* CONFIG_PARSER_H */
