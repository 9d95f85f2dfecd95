// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 2409 key derivation (section 5, 5.5 and Appendix B).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "keys.h"

int ike_keys_derive(struct ike_keys *k, const uint8_t *psk, size_t psk_len, const struct chunk *ni,
		    const struct chunk *nr, const struct chunk *gxy, const uint8_t icookie[8],
		    const uint8_t rcookie[8])
{
	const uint8_t zero = 0, one = 1, two = 2;
	uint8_t block[IKE_MAX_HASH];
	size_t have;

	k->hash_len = ike_hash_len(k->hash);
	k->block = ike_cipher_block(k->cipher);
	if (!k->hash_len || !k->block || k->key_len > IKE_MAX_KEY)
		return -1;

	/*
	 * Pre-shared keys: SKEYID = prf(pre-shared-key, Ni_b | Nr_b);
	 * signatures (no PSK): SKEYID = prf(Ni_b | Nr_b, g^xy).
	 */
	struct chunk nonces[] = { *ni, *nr };
	if (psk) {
		if (ike_prf(k->hash, psk, psk_len, nonces, 2, k->skeyid))
			return -1;
	} else {
		uint8_t key[512]; /* two nonces of at most 256 bytes (RFC 2409 5) */

		if (ni->len + nr->len > sizeof(key))
			return -1;
		memcpy(key, ni->p, ni->len);
		memcpy(key + ni->len, nr->p, nr->len);
		if (ike_prf(k->hash, key, ni->len + nr->len, gxy, 1, k->skeyid))
			return -1;
	}

	/* SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0), _a and _e chain the previous one. */
	struct chunk d[] = { *gxy, { icookie, 8 }, { rcookie, 8 }, { &zero, 1 } };
	struct chunk a[] = {
		{ k->skeyid_d, k->hash_len }, *gxy, { icookie, 8 }, { rcookie, 8 }, { &one, 1 }
	};
	struct chunk e[] = {
		{ k->skeyid_a, k->hash_len }, *gxy, { icookie, 8 }, { rcookie, 8 }, { &two, 1 }
	};
	if (ike_prf(k->hash, k->skeyid, k->hash_len, d, 4, k->skeyid_d) ||
	    ike_prf(k->hash, k->skeyid, k->hash_len, a, 5, k->skeyid_a) ||
	    ike_prf(k->hash, k->skeyid, k->hash_len, e, 5, k->skeyid_e))
		return -1;

	/*
	 * Appendix B: when SKEYID_e is too short for the cipher key,
	 * K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1), key = K1 | K2 | ...
	 */
	if (k->key_len <= k->hash_len) {
		memcpy(k->enc_key, k->skeyid_e, k->key_len);
		return 0;
	}
	struct chunk first = { &zero, 1 };
	if (ike_prf(k->hash, k->skeyid_e, k->hash_len, &first, 1, block))
		return -1;
	for (have = 0;;) {
		size_t take = k->key_len - have < k->hash_len ? k->key_len - have : k->hash_len;
		struct chunk prev = { block, k->hash_len };

		memcpy(k->enc_key + have, block, take);
		have += take;
		if (have == k->key_len)
			break;
		if (ike_prf(k->hash, k->skeyid_e, k->hash_len, &prev, 1, block))
			return -1;
	}
	OPENSSL_cleanse(block, sizeof(block));
	return 0;
}

int ike_keys_phase1_iv(const struct ike_keys *k, const struct chunk *gxi, const struct chunk *gxr,
		       uint8_t *iv)
{
	uint8_t h[IKE_MAX_HASH];
	struct chunk parts[] = { *gxi, *gxr };

	if (ike_hash(k->hash, parts, 2, h))
		return -1;
	memcpy(iv, h, k->block);
	return 0;
}

int ike_keys_msgid_iv(const struct ike_keys *k, const uint8_t *p1_last_block, uint32_t msgid,
		      uint8_t *iv)
{
	uint8_t h[IKE_MAX_HASH];
	uint8_t id[4] = { msgid >> 24, msgid >> 16, msgid >> 8, msgid };
	struct chunk parts[] = { { p1_last_block, k->block }, { id, 4 } };

	if (ike_hash(k->hash, parts, 2, h))
		return -1;
	memcpy(iv, h, k->block);
	return 0;
}

int ike_keys_keymat(const struct ike_keys *k, const struct chunk *gxy, uint8_t protocol,
		    uint32_t spi, const struct chunk *ni, const struct chunk *nr, uint8_t *out,
		    size_t len)
{
	uint8_t spi_b[4] = { spi >> 24, spi >> 16, spi >> 8, spi };
	uint8_t block[IKE_MAX_HASH];
	size_t have = 0;
	int ret = 0;

	while (have < len) {
		/* The first round has no previous block: an empty chunk hashes as nothing. */
		struct chunk parts[] = { { block, have ? k->hash_len : 0 },
					 *gxy,
					 { &protocol, 1 },
					 { spi_b, 4 },
					 *ni,
					 *nr };
		size_t take;

		if (ike_prf(k->hash, k->skeyid_d, k->hash_len, parts, 6, block)) {
			ret = -1;
			break;
		}
		take = len - have < k->hash_len ? len - have : k->hash_len;
		memcpy(out + have, block, take);
		have += take;
	}
	OPENSSL_cleanse(block, sizeof(block));
	return ret;
}

void ike_keys_wipe(struct ike_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
