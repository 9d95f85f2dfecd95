// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 primitives on OpenSSL 3 EVP (no deprecated interfaces): hashes,
 * HMAC, finite-field and elliptic-curve Diffie-Hellman, CBC ciphers.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "crypto.h"

static const EVP_MD *md_of(int hash)
{
	switch (hash) {
	case IKE_HASH_SHA1:
		return EVP_sha1();
	case IKE_HASH_SHA256:
		return EVP_sha256();
	case IKE_HASH_SHA384:
		return EVP_sha384();
	case IKE_HASH_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

size_t ike_hash_len(int hash)
{
	const EVP_MD *md = md_of(hash);

	return md ? (size_t)EVP_MD_get_size(md) : 0;
}

int ike_hash(int hash, const struct chunk *parts, size_t n, uint8_t *out)
{
	const EVP_MD *md = md_of(hash);
	EVP_MD_CTX *ctx;
	int ok;
	size_t i;

	if (!md)
		return -1;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, md, NULL);
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, parts[i].p, parts[i].len);
	ok = ok && EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int ike_prf(int hash, const uint8_t *key, size_t key_len, const struct chunk *parts, size_t n,
	    uint8_t *out)
{
	const EVP_MD *md = md_of(hash);
	OSSL_PARAM params[2];
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	size_t i, len;
	int ok;

	if (!md)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)EVP_MD_get0_name(md), 0);
	params[1] = OSSL_PARAM_construct_end();
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	ok = mac && (ctx = EVP_MAC_CTX_new(mac)) && EVP_MAC_init(ctx, key, key_len, params);
	for (i = 0; ok && i < n; i++)
		ok = EVP_MAC_update(ctx, parts[i].p, parts[i].len);
	ok = ok && EVP_MAC_final(ctx, out, &len, IKE_MAX_HASH);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ok ? 0 : -1;
}

/*
 * RFC 2409 6.2, the second Oakley group. OpenSSL 3 names the RFC 3526
 * groups ("modp_1536" and up) but not this one, so its prime is given here;
 * the unit test recomputes it from the RFC's formula.
 */
static const uint8_t modp1024_p[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc9, 0x0f, 0xda, 0xa2, 0x21, 0x68, 0xc2,
	0x34, 0xc4, 0xc6, 0x62, 0x8b, 0x80, 0xdc, 0x1c, 0xd1, 0x29, 0x02, 0x4e, 0x08, 0x8a, 0x67,
	0xcc, 0x74, 0x02, 0x0b, 0xbe, 0xa6, 0x3b, 0x13, 0x9b, 0x22, 0x51, 0x4a, 0x08, 0x79, 0x8e,
	0x34, 0x04, 0xdd, 0xef, 0x95, 0x19, 0xb3, 0xcd, 0x3a, 0x43, 0x1b, 0x30, 0x2b, 0x0a, 0x6d,
	0xf2, 0x5f, 0x14, 0x37, 0x4f, 0xe1, 0x35, 0x6d, 0x6d, 0x51, 0xc2, 0x45, 0xe4, 0x85, 0xb5,
	0x76, 0x62, 0x5e, 0x7e, 0xc6, 0xf4, 0x4c, 0x42, 0xe9, 0xa6, 0x37, 0xed, 0x6b, 0x0b, 0xff,
	0x5c, 0xb6, 0xf4, 0x06, 0xb7, 0xed, 0xee, 0x38, 0x6b, 0xfb, 0x5a, 0x89, 0x9f, 0xa5, 0xae,
	0x9f, 0x24, 0x11, 0x7c, 0x4b, 0x1f, 0xe6, 0x49, 0x28, 0x66, 0x51, 0xec, 0xe6, 0x53, 0x81,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

struct group {
	int id;
	const char *type; /* "DH" or "EC" */
	const char *name; /* OpenSSL group name; NULL: explicit prime above */
	size_t len;	  /* modulus or field size in bytes */
};

static const struct group groups[] = {
	{ 2, "DH", NULL, 128 },		{ 5, "DH", "modp_1536", 192 },
	{ 14, "DH", "modp_2048", 256 }, { 15, "DH", "modp_3072", 384 },
	{ 16, "DH", "modp_4096", 512 }, { 19, "EC", "prime256v1", 32 },
	{ 20, "EC", "secp384r1", 48 },	{ 21, "EC", "secp521r1", 66 },
};

static const struct group *group_of(int id)
{
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

static bool is_ec(const struct group *g)
{
	return g->type[0] == 'E';
}

bool ike_dh_supported(int group)
{
	return group_of(group) != NULL;
}

size_t ike_dh_pub_len(int group)
{
	const struct group *g = group_of(group);

	return g ? (is_ec(g) ? 2 * g->len : g->len) : 0;
}

size_t ike_dh_secret_len(int group)
{
	const struct group *g = group_of(group);

	return g ? g->len : 0;
}

struct ike_dh {
	const struct group *g;
	EVP_PKEY *key;
};

/*
 * Domain parameters (and, with PUB, a public key) of G as an EVP_PKEY.
 * PUB is the big-endian DH value or the uncompressed EC point.
 */
static EVP_PKEY *group_key(const struct group *g, const uint8_t *pub, size_t pub_len)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *p = NULL, *y = NULL;
	int ok = bld != NULL;

	if (ok && g->name)
		ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0);
	if (ok && !g->name) {
		ok = (p = BN_bin2bn(modp1024_p, sizeof(modp1024_p), NULL)) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) &&
		     OSSL_PARAM_BLD_push_uint(bld, OSSL_PKEY_PARAM_FFC_G, 2);
	}
	if (ok && pub && is_ec(g))
		ok = OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, pub_len);
	if (ok && pub && !is_ec(g))
		ok = (y = BN_bin2bn(pub, (int)pub_len, NULL)) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y);
	ok = ok && (params = OSSL_PARAM_BLD_to_param(bld)) &&
	     (ctx = EVP_PKEY_CTX_new_from_name(NULL, g->type, NULL)) &&
	     EVP_PKEY_fromdata_init(ctx) > 0 &&
	     EVP_PKEY_fromdata(ctx, &key, pub ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEY_PARAMETERS,
			       params) > 0;
	if (!ok) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(y);
	return key;
}

struct ike_dh *ike_dh_new(int group)
{
	const struct group *g = group_of(group);
	struct ike_dh *dh;
	EVP_PKEY *params;
	EVP_PKEY_CTX *ctx = NULL;
	int ok;

	if (!g)
		return NULL;
	dh = calloc(1, sizeof(*dh));
	params = group_key(g, NULL, 0);
	ok = dh && params && (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)) &&
	     EVP_PKEY_keygen_init(ctx) > 0 && EVP_PKEY_generate(ctx, &dh->key) > 0;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	if (!ok) {
		ike_dh_free(dh);
		return NULL;
	}
	dh->g = g;
	return dh;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}

int ike_dh_public(const struct ike_dh *dh, uint8_t *out)
{
	uint8_t point[1 + 2 * 66];
	BIGNUM *y = NULL;
	size_t len;
	int ok;

	if (is_ec(dh->g)) {
		/* IKE carries x | y without the 0x04 uncompressed-point prefix. */
		ok = EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						     point, sizeof(point), &len) &&
		     len == 1 + 2 * dh->g->len && point[0] == 4;
		if (ok)
			memcpy(out, point + 1, 2 * dh->g->len);
		return ok ? 0 : -1;
	}
	ok = EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &y) &&
	     BN_bn2binpad(y, out, (int)dh->g->len) == (int)dh->g->len;
	BN_free(y);
	return ok ? 0 : -1;
}

/* 1 < Y < p - 1 for the big-endian MODP value Y of LEN bytes. */
static bool modp_in_range(const struct ike_dh *dh, const uint8_t *y, size_t len)
{
	BIGNUM *p = NULL, *v = BN_bin2bn(y, (int)len, NULL);
	bool ok = v && EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_FFC_P, &p) &&
		  BN_sub_word(p, 1) && BN_cmp(v, BN_value_one()) > 0 && BN_cmp(v, p) < 0;

	BN_free(p);
	BN_free(v);
	return ok;
}

int ike_dh_shared(const struct ike_dh *dh, const uint8_t *peer, size_t len, uint8_t *out)
{
	uint8_t point[1 + 2 * 66];
	uint8_t secret[IKE_MAX_DH];
	EVP_PKEY *peer_key;
	EVP_PKEY_CTX *ctx = NULL;
	size_t slen = sizeof(secret), want = dh->g->len;
	int ok;

	if (len != ike_dh_pub_len(dh->g->id))
		return -1;
	if (is_ec(dh->g)) {
		point[0] = 4;
		memcpy(point + 1, peer, len);
		peer_key = group_key(dh->g, point, len + 1);
	} else {
		peer_key = group_key(dh->g, peer, len);
	}
	/*
	 * An EC point is checked to be on the curve when set as the peer. A
	 * MODP value gets the range check, 1 < y < p - 1, here: the full check
	 * of set_peer also raises y to q, a 2047-bit exponentiation that cost
	 * more than the rest of Main Mode and Quick Mode together. With a safe
	 * prime that could only reject y of order 2q, which gives away one
	 * bit of our ephemeral key.
	 */
	ok = peer_key && (is_ec(dh->g) || modp_in_range(dh, peer, len)) &&
	     (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL)) &&
	     EVP_PKEY_derive_init(ctx) > 0 &&
	     EVP_PKEY_derive_set_peer_ex(ctx, peer_key, is_ec(dh->g)) > 0 &&
	     EVP_PKEY_derive(ctx, secret, &slen) > 0 && slen <= want;
	if (ok) {
		/* A secret with leading zero bytes comes back short: pad it to the group size. */
		memset(out, 0, want - slen);
		memcpy(out + want - slen, secret, slen);
	}
	OPENSSL_cleanse(secret, sizeof(secret));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer_key);
	return ok ? 0 : -1;
}

size_t ike_cipher_block(int cipher)
{
	switch (cipher) {
	case IKE_CIPHER_AES:
		return 16;
	case IKE_CIPHER_3DES:
		return 8;
	}
	return 0;
}

bool ike_cipher_key_ok(int cipher, unsigned int key_bits)
{
	switch (cipher) {
	case IKE_CIPHER_AES:
		return key_bits == 128 || key_bits == 192 || key_bits == 256;
	case IKE_CIPHER_3DES:
		return key_bits == 0 || key_bits == 192;
	}
	return false;
}

size_t ike_cipher_key_len(int cipher, unsigned int key_bits)
{
	if (!ike_cipher_key_ok(cipher, key_bits))
		return 0;
	return cipher == IKE_CIPHER_3DES ? 24 : key_bits / 8;
}

static const EVP_CIPHER *cipher_of(int cipher, size_t key_len)
{
	if (cipher == IKE_CIPHER_3DES && key_len == 24)
		return EVP_des_ede3_cbc();
	if (cipher != IKE_CIPHER_AES)
		return NULL;
	switch (key_len) {
	case 16:
		return EVP_aes_128_cbc();
	case 24:
		return EVP_aes_192_cbc();
	case 32:
		return EVP_aes_256_cbc();
	}
	return NULL;
}

int ike_cbc(int cipher, bool encrypt, const uint8_t *key, size_t key_len, uint8_t *iv, uint8_t *buf,
	    size_t len)
{
	const EVP_CIPHER *c = cipher_of(cipher, key_len);
	size_t block = ike_cipher_block(cipher);
	uint8_t next_iv[IKE_MAX_BLOCK];
	EVP_CIPHER_CTX *ctx;
	int outl = 0, ok;

	if (!c || len == 0 || len % block || len > INT32_MAX)
		return -1;
	/* Decrypting in place overwrites the ciphertext: keep its last block first. */
	if (!encrypt)
		memcpy(next_iv, buf + len - block, block);
	ctx = EVP_CIPHER_CTX_new();
	ok = ctx && EVP_CipherInit_ex(ctx, c, NULL, key, iv, encrypt) &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	     EVP_CipherUpdate(ctx, buf, &outl, buf, (int)len) && (size_t)outl == len;
	EVP_CIPHER_CTX_free(ctx);
	if (ok)
		memcpy(iv, encrypt ? buf + len - block : next_iv, block);
	return ok ? 0 : -1;
}

int ike_random(void *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}
