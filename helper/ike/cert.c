// SPDX-License-Identifier: GPL-2.0
/*
 * Phase 1 with RSA (RFC 2409 5.1) or ECDSA (RFC 4754) signatures: what
 * replaces HASH_I and HASH_R is a CERT payload with our certificate and a
 * SIG payload with the hash signed by our key; CR payloads name the CAs we trust. The
 * peer's certificate must chain to one of them (with the CRLs when there
 * are any), allow signatures, and hold both the ID it sent and our
 * remote-id. IKEv1 signs the bare hash: with RSA, PKCS#1 v1.5 padding
 * and no DigestInfo; with ECDSA, the hash is not hashed again.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include "../creds.h"
#include "ike_sa.h"

/* Certificate encodings (RFC 2408 3.9): the only one esptun sends or takes. */
enum { CERT_X509_SIG = 4 };
/* Certificates a peer may send in one message: its own, then a chain to a CA. */
#define PEER_CERTS_MAX 8

void cert_add_requests(const struct ike_sa *sa, struct isakmp_builder *b)
{
	const struct creds *c = sa->cfg->creds;
	uint8_t body[1 + 1024];
	int i;

	if (!config_signs(sa->cfg))
		return;
	for (i = 0; i < sk_X509_num(c->cas); i++) {
		X509_NAME *ca = X509_get_subject_name(sk_X509_value(c->cas, i));
		unsigned char *p = body + 1;
		int n = i2d_X509_NAME(ca, NULL);

		if (n <= 0 || n > (int)sizeof(body) - 1)
			continue; /* too long a name to ask by: the peer may still send */
		body[0] = CERT_X509_SIG;
		i2d_X509_NAME(ca, &p);
		isakmp_add(b, ISAKMP_NP_CR, body, 1 + (size_t)n);
	}
}

/*
 * KEY's signature of HASH into SIG (*SIG_LEN bytes). RSA: PKCS#1 v1.5 of
 * the bare hash. ECDSA (RFC 4754): r | s, each as long as the curve's
 * order, of the bare hash too (as strongSwan signs it in IKEv1).
 */
static bool sign(EVP_PKEY *key, const uint8_t *hash, size_t hash_len, uint8_t *sig, size_t *sig_len)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	bool rsa = EVP_PKEY_is_a(key, "RSA"), ok;
	uint8_t der[160];
	size_t der_len = sizeof(der), n = ((size_t)EVP_PKEY_get_bits(key) + 7) / 8;
	const unsigned char *p = der;
	ECDSA_SIG *ec = NULL;

	ok = ctx && EVP_PKEY_sign_init(ctx) == 1 &&
	     (!rsa || EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1);
	if (ok && rsa)
		ok = EVP_PKEY_sign(ctx, sig, sig_len, hash, hash_len) == 1;
	else if (ok)
		ok = 2 * n <= *sig_len && EVP_PKEY_sign(ctx, der, &der_len, hash, hash_len) == 1 &&
		     (ec = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) &&
		     BN_bn2binpad(ECDSA_SIG_get0_r(ec), sig, (int)n) == (int)n &&
		     BN_bn2binpad(ECDSA_SIG_get0_s(ec), sig + n, (int)n) == (int)n;
	if (ok && !rsa)
		*sig_len = 2 * n;
	ECDSA_SIG_free(ec);
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

int cert_add_signature(struct ike_sa *sa, struct isakmp_builder *b, const uint8_t *hash,
		       size_t hash_len)
{
	const struct creds *c = sa->cfg->creds;
	uint8_t body[1 + ISAKMP_MAX_MSG / 2], sig[1024];
	unsigned char *p = body + 1;
	size_t sig_len = sizeof(sig);
	int n = i2d_X509(c->cert, NULL);

	if (n <= 0 || n > (int)sizeof(body) - 1)
		return -1;
	body[0] = CERT_X509_SIG;
	i2d_X509(c->cert, &p);
	if (!sign(c->key, hash, hash_len, sig, &sig_len))
		return -1;
	isakmp_add(b, ISAKMP_NP_CERT, body, 1 + (size_t)n);
	isakmp_add(b, ISAKMP_NP_SIG, sig, sig_len);
	return 0;
}

/* Why OpenSSL refused the chain, in words a user acts on. */
static const char *chain_error(int err)
{
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return "has expired";
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return "is not valid yet (check the clocks)";
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		return "is from an unknown CA (not in ca)";
	case X509_V_ERR_CERT_REVOKED:
		return "is revoked (crl)";
	case X509_V_ERR_UNABLE_TO_GET_CRL:
		return "has no CRL from its CA in crl";
	case X509_V_ERR_CRL_HAS_EXPIRED:
		return "is checked against a CRL that has expired";
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		return "has a signature that does not verify";
	default:
		return X509_verify_cert_error_string(err);
	}
}

/*
 * The peer's certificates from M's CERT payloads: *PEER its own (the
 * first), CHAIN the others. 0, or CERT-UNAVAILABLE / INVALID-CERTIFICATE.
 */
static int take_certs(const struct isakmp_msg *m, X509 **peer, STACK_OF(X509) * chain)
{
	const struct isakmp_payload *pl;
	size_t i = 0;
	int n = 0;

	*peer = NULL;
	while ((pl = isakmp_find(m, ISAKMP_NP_CERT, &i))) {
		const unsigned char *der = pl->body + 1;
		X509 *x;

		if (pl->len < 2 || pl->body[0] != CERT_X509_SIG)
			continue;
		if (++n > PEER_CERTS_MAX)
			break;
		x = d2i_X509(NULL, &der, (long)pl->len - 1);
		if (!x || der != pl->body + pl->len)
			return X509_free(x), ISAKMP_N_INVALID_CERTIFICATE;
		if (!*peer)
			*peer = x;
		else if (!sk_X509_push(chain, x))
			return X509_free(x), ISAKMP_N_INVALID_CERTIFICATE;
	}
	return *peer ? 0 : ISAKMP_N_CERT_UNAVAILABLE;
}

/* Whether KEY is of the kind the negotiated method AUTH (enum ike_auth) signs with. */
static bool key_fits(EVP_PKEY *key, int auth)
{
	return auth == IKE_AUTH_RSA_SIG ? EVP_PKEY_is_a(key, "RSA")
					: creds_ecdsa_method(key) == auth;
}

static int verify_chain(const struct creds *c, int auth, X509 *peer, STACK_OF(X509) * chain,
			const char **why)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	uint32_t usage;
	int ok;

	ok = ctx && X509_STORE_CTX_init(ctx, c->store, peer, chain) == 1;
	if (ok && c->has_crl)
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_CRL_CHECK);
	ok = ok && X509_verify_cert(ctx) == 1;
	*why = ok ? NULL : ctx ? chain_error(X509_STORE_CTX_get_error(ctx)) : "out of memory";
	X509_STORE_CTX_free(ctx);
	if (!ok)
		return ISAKMP_N_INVALID_CERTIFICATE;
	/* Absent, any use is allowed (RFC 5280 4.2.1.3); present, it must allow signing. */
	usage = X509_get_key_usage(peer);
	if ((X509_get_extension_flags(peer) & EXFLAG_KUSAGE) &&
	    !(usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		*why = "has a key usage that does not allow signatures";
		return ISAKMP_N_INVALID_CERTIFICATE;
	}
	if (!key_fits(X509_get0_pubkey(peer), auth)) {
		*why = auth == IKE_AUTH_RSA_SIG ? "has no RSA key"
						: "has no EC key on the negotiated curve";
		return ISAKMP_N_INVALID_CERTIFICATE;
	}
	return 0;
}

static bool signature_ok(X509 *peer, const struct isakmp_payload *sig, const uint8_t *hash,
			 size_t hash_len)
{
	EVP_PKEY *key = X509_get0_pubkey(peer);
	EVP_PKEY_CTX *ctx;
	bool rsa = EVP_PKEY_is_a(key, "RSA"), ok;
	size_t n = ((size_t)EVP_PKEY_get_bits(key) + 7) / 8;
	ECDSA_SIG *ec = NULL;
	unsigned char *der = NULL;
	int der_len = 0;

	if (!sig)
		return false;
	if (!rsa) {
		/* r | s (RFC 4754) as the DER OpenSSL verifies. */
		BIGNUM *r = NULL, *s = NULL;

		if (sig->len != 2 * n || !(ec = ECDSA_SIG_new()) ||
		    !(r = BN_bin2bn(sig->body, (int)n, NULL)) ||
		    !(s = BN_bin2bn(sig->body + n, (int)n, NULL)) || !ECDSA_SIG_set0(ec, r, s)) {
			BN_free(r);
			BN_free(s);
			ECDSA_SIG_free(ec);
			return false;
		}
		der_len = i2d_ECDSA_SIG(ec, &der);
		ECDSA_SIG_free(ec);
		if (der_len <= 0)
			return false;
	}
	ctx = EVP_PKEY_CTX_new(key, NULL);
	ok = ctx && EVP_PKEY_verify_init(ctx) == 1 &&
	     (!rsa || EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1) &&
	     EVP_PKEY_verify(ctx, rsa ? sig->body : der, rsa ? sig->len : (size_t)der_len, hash,
			     hash_len) == 1;
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_free(der);
	return ok;
}

int cert_check(struct ike_sa *sa, const struct isakmp_msg *m, const uint8_t *id, size_t id_len,
	       const uint8_t *hash)
{
	const struct tunnel_cfg *cfg = sa->cfg;
	STACK_OF(X509) *chain = sk_X509_new_null();
	const char *why = NULL;
	char subject[256] = "";
	X509 *peer = NULL;
	int ret;

	ret = chain ? take_certs(m, &peer, chain) : ISAKMP_N_INVALID_CERTIFICATE;
	if (peer)
		creds_name_str(X509_get_subject_name(peer), subject, sizeof(subject));
	if (ret == ISAKMP_N_CERT_UNAVAILABLE)
		why = "the peer sent no X.509 certificate";
	else if (ret)
		why = "the peer's CERT payload is not a DER X.509 certificate";
	else if ((ret = verify_chain(cfg->creds, sa->prop.auth, peer, chain, &why)))
		;
	else if (!creds_cert_has_id(peer, id[0], id + 4, id_len - 4)) {
		ret = ISAKMP_N_INVALID_ID_INFORMATION;
		why = "holds neither as subject nor as subjectAltName the ID the peer sent";
	} else if (cfg->remote_id.type &&
		   !creds_cert_has_id(peer, cfg->remote_id.type, cfg->remote_id.data,
				      cfg->remote_id.len)) {
		ret = ISAKMP_N_INVALID_ID_INFORMATION;
		why = "does not hold remote-id (as subject or subjectAltName)";
	} else if (!signature_ok(peer, isakmp_find(m, ISAKMP_NP_SIG, NULL), hash,
				 sa->keys.hash_len)) {
		ret = ISAKMP_N_AUTHENTICATION_FAILED;
		why = "signed something else: the SIG payload does not verify";
	}
	if (ret && peer)
		ike_log("%s: %s: the peer's certificate \"%s\" %s", cfg->name,
			isakmp_notify_name((uint16_t)ret), subject, why);
	else if (ret)
		ike_log("%s: %s: %s", cfg->name, isakmp_notify_name((uint16_t)ret), why);
	else
		ike_log("%s: the peer's certificate \"%s\" is trusted, and signed", cfg->name,
			subject);
	X509_free(peer);
	sk_X509_pop_free(chain, X509_free);
	return ret;
}
