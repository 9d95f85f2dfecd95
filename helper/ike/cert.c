// SPDX-License-Identifier: GPL-2.0
/*
 * Phase 1 with RSA signatures (RFC 2409 5.1): what replaces HASH_I and
 * HASH_R is a CERT payload with our certificate and a SIG payload with
 * the hash signed by our key; CR payloads name the CAs we trust. The
 * peer's certificate must chain to one of them (with the CRLs when there
 * are any), allow signatures, and hold both the ID it sent and our
 * remote-id. IKEv1 signs the bare hash: PKCS#1 v1.5 padding, no DigestInfo.
 */
#include <string.h>

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

	if (sa->cfg->auth != IKE_AUTH_RSA_SIG)
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

int cert_add_signature(struct ike_sa *sa, struct isakmp_builder *b, const uint8_t *hash,
		       size_t hash_len)
{
	const struct creds *c = sa->cfg->creds;
	uint8_t body[1 + ISAKMP_MAX_MSG / 2], sig[1024];
	unsigned char *p = body + 1;
	size_t sig_len = sizeof(sig);
	EVP_PKEY_CTX *ctx;
	int n = i2d_X509(c->cert, NULL), ok;

	if (n <= 0 || n > (int)sizeof(body) - 1)
		return -1;
	body[0] = CERT_X509_SIG;
	i2d_X509(c->cert, &p);
	ctx = EVP_PKEY_CTX_new(c->key, NULL);
	ok = ctx && EVP_PKEY_sign_init(ctx) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	     EVP_PKEY_sign(ctx, sig, &sig_len, hash, hash_len) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok)
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

static int verify_chain(const struct creds *c, X509 *peer, STACK_OF(X509) * chain, const char **why)
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
	if (!EVP_PKEY_is_a(X509_get0_pubkey(peer), "RSA")) {
		*why = "has no RSA key";
		return ISAKMP_N_INVALID_CERTIFICATE;
	}
	return 0;
}

static bool signature_ok(X509 *peer, const struct isakmp_payload *sig, const uint8_t *hash,
			 size_t hash_len)
{
	EVP_PKEY_CTX *ctx;
	bool ok;

	if (!sig)
		return false;
	ctx = EVP_PKEY_CTX_new(X509_get0_pubkey(peer), NULL);
	ok = ctx && EVP_PKEY_verify_init(ctx) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	     EVP_PKEY_verify(ctx, sig->body, sig->len, hash, hash_len) == 1;
	EVP_PKEY_CTX_free(ctx);
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
	else if ((ret = verify_chain(cfg->creds, peer, chain, &why)))
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
