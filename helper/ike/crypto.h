/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The primitives IKEv1 needs, on OpenSSL 3 EVP: hashes and their HMAC
 * PRFs, MODP and ECP Diffie-Hellman, and CBC ciphers without padding.
 */
#ifndef ESPTUN_IKE_CRYPTO_H
#define ESPTUN_IKE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_MAX_HASH 64 /* SHA-512 */
#define IKE_MAX_DH 512	/* MODP-4096 public value and shared secret */
#define IKE_MAX_BLOCK 16
#define IKE_MAX_KEY 32

/* Hash algorithms by their IKEv1 attribute value (RFC 2409 Appendix A, RFC 4878). */
enum ike_hash {
	IKE_HASH_SHA1 = 2,
	IKE_HASH_SHA256 = 4,
	IKE_HASH_SHA384 = 5,
	IKE_HASH_SHA512 = 6,
};

/* Phase-1 encryption algorithms by attribute value. */
enum ike_cipher {
	IKE_CIPHER_3DES = 5,
	IKE_CIPHER_AES = 7,
};

/* A byte string to feed to a hash or PRF, so callers list the parts instead of concatenating. */
struct chunk {
	const void *p;
	size_t len;
};

size_t ike_hash_len(int hash); /* 0 when HASH is unknown */

/* OUT = HASH(parts...). Returns 0 or -1. */
int ike_hash(int hash, const struct chunk *parts, size_t n, uint8_t *out);

/* OUT = HMAC-HASH(KEY, parts...): the IKEv1 PRF. Returns 0 or -1. */
int ike_prf(int hash, const uint8_t *key, size_t key_len, const struct chunk *parts, size_t n,
	    uint8_t *out);

/* Whether GROUP (an IKE group number: 2, 5, 14, 15, 16, 19, 20, 21) is supported. */
bool ike_dh_supported(int group);
/* Bytes of the KE payload's public value (for ECP: x | y). 0 if unsupported. */
size_t ike_dh_pub_len(int group);
/* Bytes of the shared secret (for ECP: x only, RFC 5903). */
size_t ike_dh_secret_len(int group);

struct ike_dh;
/* A fresh private key of GROUP, or NULL. */
struct ike_dh *ike_dh_new(int group);
void ike_dh_free(struct ike_dh *dh);
/* The public value, left-padded to ike_dh_pub_len(). */
int ike_dh_public(const struct ike_dh *dh, uint8_t *out);
/*
 * The shared secret with the peer's public value PEER (exactly
 * ike_dh_pub_len() bytes, checked by OpenSSL for range / curve
 * membership), left-padded to ike_dh_secret_len(). Returns 0 or -1.
 */
int ike_dh_shared(const struct ike_dh *dh, const uint8_t *peer, size_t len, uint8_t *out);

size_t ike_cipher_block(int cipher); /* 0 when unknown */
/* Whether KEY_BITS is valid for CIPHER (0 means the cipher's only size, for 3DES). */
bool ike_cipher_key_ok(int cipher, unsigned int key_bits);
size_t ike_cipher_key_len(int cipher, unsigned int key_bits);
/*
 * CBC over BUF in place, LEN a multiple of the block size. IV is updated to
 * the last ciphertext block, which is what IKEv1 chains into the next
 * message. Returns 0 or -1.
 */
int ike_cbc(int cipher, bool encrypt, const uint8_t *key, size_t key_len, uint8_t *iv, uint8_t *buf,
	    size_t len);

/* Random bytes from OpenSSL's CSPRNG; 0 or -1. */
int ike_random(void *buf, size_t len);

#endif
