/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tunnel's credentials for auth = rsa: our certificate and private key,
 * the CAs we trust and their CRLs, read from PEM files when the
 * configuration is loaded (config.c names the file:line of an error).
 * ike/cert.c uses them to sign, and to verify a peer.
 */
#ifndef ESPTUN_CREDS_H
#define ESPTUN_CREDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

struct creds {
	X509 *cert;	      /* ours */
	EVP_PKEY *key;	      /* its private key */
	X509_STORE *store;    /* the trusted CAs, and the CRLs when there are any */
	STACK_OF(X509) * cas; /* the same CAs, whose names go in CR payloads */
	bool has_crl;
};

enum creds_file { CREDS_CERT, CREDS_KEY, CREDS_CA, CREDS_CRL };

/*
 * Read the PEM file open as FD (closed here) of kind WHAT into *C, made on
 * first use. 0, or -1 with the reason in ERR.
 */
int creds_read(struct creds **c, enum creds_file what, int fd, char *err, size_t err_len);
/*
 * The section is read: a cert, its key and a CA are all there, and agree,
 * and the key is of *AUTH's kind (enum ike_auth: RSA or ECDSA, whose
 * method for the key's curve is put in *AUTH). 0 or -1 with ERR.
 */
int creds_check(const struct creds *c, int *auth, char *err, size_t err_len);
/* The ECDSA method (RFC 4754) of an EC key on P-256, P-384 or P-521; 0 for any other key. */
int creds_ecdsa_method(EVP_PKEY *key);
/* Wipe the private key and free everything; C may be NULL. */
void creds_free(struct creds *c);
/* NAME (a subject) as "C=CH, O=esptun, CN=a" into BUF. */
void creds_name_str(const X509_NAME *name, char *buf, size_t len);
/* "C=CH, O=esptun, CN=a" as DER into OUT (at most MAX bytes): its length, or 0 when invalid. */
size_t creds_dn_der(const char *text, unsigned char *out, size_t max);

/* Whether the DERs A and B are one distinguished name (OpenSSL's canonical comparison). */
bool creds_dn_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);
/*
 * Whether certificate X holds the ID of TYPE (ID_DER_ASN1_DN, ID_FQDN, ...)
 * and LEN bytes DATA: as its subject, or in its subjectAltName.
 */
bool creds_cert_has_id(X509 *x, int type, const uint8_t *data, size_t len);

#endif
