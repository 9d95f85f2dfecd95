/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 2409 key derivation: SKEYID for pre-shared keys, SKEYID_d/a/e, the
 * Appendix B expansion of the encryption key, phase-1 and per-message IVs,
 * and KEYMAT for phase-2 SAs.
 */
#ifndef ESPTUN_IKE_KEYS_H
#define ESPTUN_IKE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

struct ike_keys {
	int hash; /* enum ike_hash: the PRF is HMAC with it */
	int cipher;
	size_t hash_len, key_len, block;
	uint8_t skeyid[IKE_MAX_HASH], skeyid_d[IKE_MAX_HASH], skeyid_a[IKE_MAX_HASH],
		skeyid_e[IKE_MAX_HASH];
	uint8_t enc_key[IKE_MAX_KEY];
};

/*
 * Derive everything from the PSK (NULL: signature authentication), the
 * nonces' bodies, the DH shared secret and the cookies. K->hash, K->cipher and K->key_len must be set. 0 or -1.
 */
int ike_keys_derive(struct ike_keys *k, const uint8_t *psk, size_t psk_len, const struct chunk *ni,
		    const struct chunk *nr, const struct chunk *gxy, const uint8_t icookie[8],
		    const uint8_t rcookie[8]);

/* Phase-1 IV: HASH(g^xi | g^xr) truncated to the block size. */
int ike_keys_phase1_iv(const struct ike_keys *k, const struct chunk *gxi, const struct chunk *gxr,
		       uint8_t *iv);

/* IV of a phase-2 or informational exchange: HASH(last phase-1 block | M-ID). */
int ike_keys_msgid_iv(const struct ike_keys *k, const uint8_t *p1_last_block, uint32_t msgid,
		      uint8_t *iv);

/*
 * KEYMAT for one direction: prf(SKEYID_d, [g^xy |] protocol | SPI | Ni_b | Nr_b),
 * expanded by Kn = prf(SKEYID_d, Kn-1 | [g^xy |] protocol | SPI | Ni_b | Nr_b)
 * to LEN bytes. GXY.len is 0 without PFS. SPI is the receiver's, network order.
 */
int ike_keys_keymat(const struct ike_keys *k, const struct chunk *gxy, uint8_t protocol,
		    uint32_t spi, const struct chunk *ni, const struct chunk *nr, uint8_t *out,
		    size_t len);

void ike_keys_wipe(struct ike_keys *k);

#endif
