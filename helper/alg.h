/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ESPTUN_ALG_H
#define ESPTUN_ALG_H

#include <stdint.h>

#include "key.h"

enum alg_kind { ALG_AEAD, ALG_ENC, ALG_AUTH };

/* Most lengths an algorithm accepts for its key or its ICV. */
#define ALG_CHOICES 3

/* A kernel crypto algorithm esptun supports, with what it accepts. */
struct alg_desc {
	const char *name; /* the kernel crypto API name, also what the user types */
	enum alg_kind kind;
	uint16_t
		key_bytes[3]; /* allowed key lengths, 0-terminated; none listed: 1..KEY_MAX_BYTES */
	uint16_t icv_bits[ALG_CHOICES]; /* AEAD: allowed ICV lengths */
	uint16_t digest_bits;		/* AUTH: full HMAC output */
	uint16_t rfc_trunc_bits;	/* AUTH: the truncation RFC 2404 / RFC 4868 specify */
};

/* The SA's transform, the way ip xfrm state spells it. */
struct alg_spec {
	const struct alg_desc *aead, *enc, *auth;
	struct key enc_key; /* the AEAD key (with salt) or the cipher key */
	struct key auth_key;
	uint32_t icv_bits;
};

/*
 * Consume one algorithm clause from ARGV ("aead NAME KEY ICV-BITS",
 * "enc NAME KEY", "auth NAME KEY", "auth-trunc NAME KEY BITS").
 * Returns the number of words used, 0 when ARGV[0] starts no such clause,
 * or minus an exit code.
 */
int alg_parse_clause(struct alg_spec *spec, int argc, char **argv);

/* After all clauses: either aead alone, or enc with auth or auth-trunc. */
int alg_check_complete(const struct alg_spec *spec);

void alg_wipe(struct alg_spec *spec);

#endif
