// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the peer's certificate and signature (cert.c): a
 * responder of auth = rsa trusting a CA made at start, and each input the
 * CERT and SIG payloads of an MM5 and the ID they are for. Input: a flags
 * byte, then records of payload type (CERT if even, else SIG), a length
 * (2 bytes) and that much body; with flag bit 0 each CERT body is the
 * input XORed over a genuine certificate signed by the CA, so that
 * parsing, chain building and the checks after it are all reached. Every
 * input must be refused (no input holds the signature of a hash no one
 * knows), and ASan and LSan watch what OpenSSL is handed and what is freed.
 */
#include "../../creds.h"
#include "pki.h"
#include "../ike_sa.h"

static struct creds creds;
static struct tunnel_cfg cfg;
static unsigned char *genuine;
static int genuine_len;

static void init(void)
{
	EVP_PKEY *ca_key = EVP_RSA_gen(2048), *key = EVP_RSA_gen(2048);
	X509 *ca = make_cert("Test CA", ca_key, NULL, ca_key, -1, 365, NULL, NULL);
	X509 *x = make_cert("b", key, ca, ca_key, -1, 365, "DNS:b.example", NULL);

	creds.store = X509_STORE_new();
	creds.cas = sk_X509_new_null();
	X509_STORE_add_cert(creds.store, ca);
	sk_X509_push(creds.cas, ca);
	genuine_len = i2d_X509(x, &genuine);
	X509_free(x);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
	strcpy(cfg.name, "vpn0");
	cfg.auth = IKE_AUTH_RSA_SIG;
	cfg.creds = &creds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t hash[32],
		id[] = { ID_FQDN, 0, 0, 0, 'b', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e' };
	uint8_t body[ISAKMP_MAX_MSG];
	struct isakmp_builder b;
	struct isakmp_msg m;
	struct ike_sa sa = { .cfg = &cfg };
	size_t off = 1;

	ike_log_quiet = true;
	if (!genuine)
		init();
	if (!size)
		return 0;
	sa.keys.hash_len = sizeof(hash);
	isakmp_build_header(&b, (uint8_t[8]){ 1 }, (uint8_t[8]){ 2 }, ISAKMP_XCHG_MAIN, 0, 0);
	while (off + 3 <= size) {
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2], i;
		bool cert = !(data[off] & 1);

		off += 3;
		if (len > size - off || len > sizeof(body) - 1)
			break;
		if (cert && (data[0] & 1)) {
			body[0] = 4; /* X.509 signature */
			memcpy(body + 1, genuine, (size_t)genuine_len);
			for (i = 0; i < len && i < (size_t)genuine_len; i++)
				body[1 + i] ^= data[off + i];
			isakmp_add(&b, ISAKMP_NP_CERT, body, 1 + (size_t)genuine_len);
		} else {
			isakmp_add(&b, cert ? ISAKMP_NP_CERT : ISAKMP_NP_SIG, data + off, len);
		}
		off += len;
	}
	isakmp_finish(&b);
	if (b.err || isakmp_parse_header(&m, b.buf, b.len) ||
	    isakmp_parse_payloads(&m, m.np, m.body, m.body_len))
		return 0;
	if (!cert_check(&sa, &m, id, sizeof(id), hash))
		__builtin_trap(); /* a signature over a hash no one knows */
	return 0;
}
