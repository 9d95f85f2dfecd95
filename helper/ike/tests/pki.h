/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test PKI made with OpenSSL at run time (no key is ever committed):
 * CA and host certificates with chosen validity, subjectAltName and key
 * usage, CRLs, and PEM files of them. For test_ike_cert and fuzz_ike_cert.
 */
#ifndef ESPTUN_TEST_PKI_H
#define ESPTUN_TEST_PKI_H

#include <stdio.h>
#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "test_ike.h"

static long next_serial = 1;

static inline void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	CHECK(e && X509_add_ext(x, e, -1));
	X509_EXTENSION_free(e);
}

/* A certificate for CN=NAME valid FROM..TO days from now, by ISSUER (NULL: self-signed CA). */
static inline X509 *make_cert(const char *name, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
			      long from, long to, const char *san, const char *usage)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), next_serial++);
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"CH", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"esptun", -1, -1,
				   0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)name, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509_gmtime_adj(X509_getm_notBefore(x), from * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), to * 86400);
	X509_set_pubkey(x, key);
	if (!issuer) {
		add_ext(x, NULL, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, NULL, NID_key_usage, "critical,keyCertSign,cRLSign");
	}
	if (san)
		add_ext(x, issuer, NID_subject_alt_name, san);
	if (usage)
		add_ext(x, issuer, NID_key_usage, usage);
	CHECK(X509_sign(x, issuer_key, EVP_sha256()) > 0);
	return x;
}

/* Into DIR/FILE (mode 0600), in PEM: X, KEY and CRL, those not NULL. */
static inline void write_pem(const char *dir, const char *file, X509 *x, EVP_PKEY *key,
			     X509_CRL *crl)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fchmod(fileno(f), 0600);
	if (x)
		PEM_write_X509(f, x);
	if (key)
		PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	if (crl)
		PEM_write_X509_CRL(f, crl);
	fclose(f);
}

/* A CRL of CA (with its key CA_KEY) revoking SERIAL. */
static inline X509_CRL *make_crl(X509 *ca, EVP_PKEY *ca_key, long serial)
{
	X509_CRL *crl = X509_CRL_new();
	X509_REVOKED *r = X509_REVOKED_new();
	ASN1_TIME *now = X509_gmtime_adj(NULL, 0), *next = X509_gmtime_adj(NULL, 86400);
	ASN1_INTEGER *sn = ASN1_INTEGER_new();

	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca));
	X509_CRL_set1_lastUpdate(crl, now);
	X509_CRL_set1_nextUpdate(crl, next);
	ASN1_INTEGER_set(sn, serial);
	X509_REVOKED_set_serialNumber(r, sn);
	X509_REVOKED_set_revocationDate(r, now);
	X509_CRL_add0_revoked(crl, r);
	X509_CRL_sort(crl);
	CHECK(X509_CRL_sign(crl, ca_key, EVP_sha256()) > 0);
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
	ASN1_INTEGER_free(sn);
	return crl;
}

#endif
