// SPDX-License-Identifier: GPL-2.0
/*
 * Certificates, keys, CAs and CRLs from PEM files, through OpenSSL: nothing
 * here parses ASN.1 itself. The private key is refused unless it is RSA
 * (the signatures of RFC 2409 5.1) and belongs to the certificate.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "config.h"

#include "creds.h"

static int reason(char *err, size_t err_len, const char *what)
{
	snprintf(err, err_len, "%s", what);
	return -1;
}

static int read_cas(struct creds *c, FILE *f, char *err, size_t err_len)
{
	X509 *x;
	int n = 0;

	while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
		/* Not a CA: a host certificate put here by mistake would be trusted as one. */
		if (!X509_check_ca(x) || !X509_STORE_add_cert(c->store, x) ||
		    !sk_X509_push(c->cas, x)) {
			X509_free(x);
			return reason(err, err_len, "holds a certificate that is not a CA's");
		}
		n++;
	}
	return n ? 0 : reason(err, err_len, "no PEM certificate in it");
}

static int read_crls(struct creds *c, FILE *f, char *err, size_t err_len)
{
	X509_CRL *crl;
	int n = 0;

	while ((crl = PEM_read_X509_CRL(f, NULL, NULL, NULL))) {
		int ok = X509_STORE_add_crl(c->store, crl);

		X509_CRL_free(crl);
		if (!ok)
			return reason(err, err_len, "cannot add its CRL");
		n++;
	}
	if (!n)
		return reason(err, err_len, "no PEM CRL (X509 CRL) in it");
	c->has_crl = true;
	return 0;
}

static int read_one(struct creds *c, enum creds_file what, FILE *f, char *err, size_t err_len)
{
	switch (what) {
	case CREDS_CERT:
		if (c->cert)
			return reason(err, err_len, "a second cert; one per tunnel");
		c->cert = PEM_read_X509(f, NULL, NULL, NULL);
		return c->cert ? 0 : reason(err, err_len, "no PEM certificate in it");
	case CREDS_KEY:
		if (c->key)
			return reason(err, err_len, "a second key; one per tunnel");
		/* No passphrase callback: the daemon starts unattended. */
		c->key = PEM_read_PrivateKey(f, NULL, NULL, (void *)"");
		if (!c->key)
			return reason(err, err_len,
				      "no PEM private key in it (an encrypted one cannot be used)");
		if (!EVP_PKEY_is_a(c->key, "RSA") && !creds_ecdsa_method(c->key))
			return reason(err, err_len,
				      "neither an RSA key nor an EC key on P-256, P-384 or P-521");
		return 0;
	case CREDS_CA:
		return read_cas(c, f, err, err_len);
	case CREDS_CRL:
		return read_crls(c, f, err, err_len);
	}
	return -1;
}

int creds_read(struct creds **cp, enum creds_file what, int fd, char *err, size_t err_len)
{
	struct creds *c = *cp;
	FILE *f;
	int ret;

	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c || !(c->store = X509_STORE_new()) || !(c->cas = sk_X509_new_null())) {
			creds_free(c);
			close(fd);
			return reason(err, err_len, "out of memory");
		}
		*cp = c;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return reason(err, err_len, "cannot read it");
	}
	ret = read_one(c, what, f, err, err_len);
	fclose(f);
	return ret;
}

int creds_ecdsa_method(EVP_PKEY *key)
{
	char curve[32];

	if (!EVP_PKEY_is_a(key, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(key, "group", curve, sizeof(curve), NULL))
		return 0;
	return !strcmp(curve, "prime256v1")  ? IKE_AUTH_ECDSA_256
	       : !strcmp(curve, "secp384r1") ? IKE_AUTH_ECDSA_384
	       : !strcmp(curve, "secp521r1") ? IKE_AUTH_ECDSA_521
					     : 0;
}

int creds_check(const struct creds *c, int *auth, char *err, size_t err_len)
{
	if (!c || !c->cert || !c->key || !sk_X509_num(c->cas))
		return reason(err, err_len, "auth = rsa or ecdsa needs cert, key and ca");
	if (X509_check_private_key(c->cert, c->key) != 1)
		return reason(err, err_len, "key is not the private key of cert");
	if (*auth == IKE_AUTH_RSA_SIG)
		return EVP_PKEY_is_a(c->key, "RSA")
			       ? 0
			       : reason(err, err_len,
					"auth = rsa needs an RSA key (this one is EC)");
	*auth = creds_ecdsa_method(c->key);
	return *auth ? 0 : reason(err, err_len, "auth = ecdsa needs an EC key (this one is RSA)");
}

void creds_free(struct creds *c)
{
	if (!c)
		return;
	X509_free(c->cert);
	EVP_PKEY_free(c->key); /* OpenSSL clears a private key's numbers as it frees them */
	X509_STORE_free(c->store);
	sk_X509_pop_free(c->cas, X509_free);
	free(c);
}

void creds_name_str(const X509_NAME *name, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n = 0;

	buf[0] = 0;
	if (!b)
		return;
	/* As written in a config: "C=CH, O=esptun, CN=a"; control bytes and non-ASCII escaped. */
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_ONELINE & ~XN_FLAG_SPC_EQ) >= 0)
		n = BIO_read(b, buf, (int)len - 1);
	buf[n > 0 ? n : 0] = 0;
	BIO_free(b);
}

size_t creds_dn_der(const char *text, unsigned char *out, size_t max)
{
	char copy[1024], *rdn, *save = NULL;
	X509_NAME *name = X509_NAME_new();
	unsigned char *p = NULL;
	int len = 0;

	if (!name || strlen(text) >= sizeof(copy))
		goto out;
	strcpy(copy, text);
	for (rdn = strtok_r(copy, ",", &save); rdn; rdn = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(rdn, '='), *k = rdn, *v;

		if (!eq)
			goto out;
		*eq = 0;
		k = config_trim(k);
		v = config_trim(eq + 1);
		if (!*v || !X509_NAME_add_entry_by_txt(name, k, MBSTRING_UTF8,
						       (const unsigned char *)v, -1, -1, 0))
			goto out;
	}
	if (X509_NAME_entry_count(name))
		len = i2d_X509_NAME(name, &p);
	if (len <= 0 || (size_t)len > max)
		len = 0;
	else
		memcpy(out, p, (size_t)len);
out:
	OPENSSL_free(p);
	X509_NAME_free(name);
	return len > 0 ? (size_t)len : 0;
}

/* Whether the subjectAltName of X has a name of KIND (GEN_DNS, ...) of LEN bytes DATA. */
static bool alt_name_has(X509 *x, int kind, const uint8_t *data, size_t len)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	bool found = false;
	int i;

	for (i = 0; !found && i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		const ASN1_STRING *v;
		int type;

		v = GENERAL_NAME_get0_value(g, &type);
		if (type != kind || (size_t)ASN1_STRING_length(v) != len)
			continue;
		/* Names compare without case; addresses byte for byte. */
		found = kind == GEN_IPADD ? !memcmp(ASN1_STRING_get0_data(v), data, len)
					  : !strncasecmp((const char *)ASN1_STRING_get0_data(v),
							 (const char *)data, len);
	}
	GENERAL_NAMES_free(names);
	return found;
}

bool creds_dn_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	X509_NAME *na = d2i_X509_NAME(NULL, &a, (long)a_len);
	X509_NAME *nb = d2i_X509_NAME(NULL, &b, (long)b_len);
	bool equal = na && nb && !X509_NAME_cmp(na, nb);

	X509_NAME_free(na);
	X509_NAME_free(nb);
	return equal;
}

bool creds_cert_has_id(X509 *x, int type, const uint8_t *data, size_t len)
{
	unsigned char *subject = NULL;
	bool found = false;
	int n;

	switch (type) {
	case ID_DER_ASN1_DN:
		n = i2d_X509_NAME(X509_get_subject_name(x), &subject);
		found = n > 0 && creds_dn_equal(subject, (size_t)n, data, len);
		OPENSSL_free(subject);
		return found;
	case ID_FQDN:
		return alt_name_has(x, GEN_DNS, data, len);
	case ID_USER_FQDN:
		return alt_name_has(x, GEN_EMAIL, data, len);
	case ID_IPV4_ADDR:
		return len == 4 && alt_name_has(x, GEN_IPADD, data, len);
	case ID_IPV6_ADDR:
		return len == 16 && alt_name_has(x, GEN_IPADD, data, len);
	default:
		return false;
	}
}
