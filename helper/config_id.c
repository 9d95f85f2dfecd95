// SPDX-License-Identifier: GPL-2.0
/*
 * Identities as strongSwan writes them, for local-id and remote-id.
 * Untyped: an IP address, user@domain (USER_FQDN), @fqdn or a bare name
 * (FQDN). Typed: ipv4:, ipv6:, fqdn:, email: (USER_FQDN) and keyid:
 * (KEY_ID; keyid:#hex for bytes), asn1dn: (a subject DN, which an untyped
 * value with '=' also is). Any other word before a colon is
 * refused, for sending it as part of a name would only make the peer
 * refuse us, and say nothing of why. Returns 0, or -1 with the reason in
 * ERR for config.c to put after "FILE:LINE: key = value: ".
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "creds.h"

static int reason(char *err, size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int reason(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return -1;
}

/* An address ID of FAMILY from V. */
static int addr_id(const char *v, int family, struct ike_id *id, char *err, size_t err_len)
{
	if (inet_pton(family, v, id->data) != 1)
		return reason(err, err_len, "not an %s address",
			      family == AF_INET ? "IPv4" : "IPv6");
	id->type = family == AF_INET ? ID_IPV4_ADDR : ID_IPV6_ADDR;
	id->len = family == AF_INET ? 4 : 16;
	return 0;
}

/* A KEY_ID from V: its bytes, or with a leading '#' the bytes its hex digits spell. */
static int key_id(const char *v, struct ike_id *id, char *err, size_t err_len)
{
	size_t i, n;

	id->type = ID_KEY_ID;
	if (v[0] != '#') {
		n = strlen(v);
		if (!n || n > CONFIG_ID_MAX)
			return reason(err, err_len, "empty or longer than %d bytes", CONFIG_ID_MAX);
		memcpy(id->data, v, n);
		id->len = n;
		return 0;
	}
	n = strlen(++v);
	if (!n || n % 2 || n / 2 > CONFIG_ID_MAX || strspn(v, "0123456789abcdefABCDEF") != n)
		return reason(err, err_len,
			      "expected an even number of hex digits, at most %d bytes",
			      CONFIG_ID_MAX);
	for (i = 0; i < n / 2; i++)
		sscanf(v + 2 * i, "%2hhx", &id->data[i]);
	id->len = n / 2;
	return 0;
}

/* A subject DN ("C=CH, O=esptun, CN=a") as DER: what a certificate's subject is compared with. */
static int dn_id(const char *v, struct ike_id *id, char *err, size_t err_len)
{
	id->type = ID_DER_ASN1_DN;
	id->len = creds_dn_der(v, id->data, sizeof(id->data));
	return id->len ? 0
		       : reason(err, err_len,
				"not a distinguished name like \"C=CH, O=Example, CN=host\" "
				"(or longer than %d bytes as DER)",
				CONFIG_ID_MAX);
}

int config_id(const char *v, struct ike_id *id, char *err, size_t err_len)
{
	size_t len,
		word = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

	memset(id, 0, sizeof(*id));
	if (inet_pton(AF_INET, v, id->data) == 1)
		return addr_id(v, AF_INET, id, err, err_len);
	if (inet_pton(AF_INET6, v, id->data) == 1)
		return addr_id(v, AF_INET6, id, err, err_len);
	if (word && v[word] == ':') {
		if (!strncmp(v, "ipv4:", 5))
			return addr_id(v + 5, AF_INET, id, err, err_len);
		if (!strncmp(v, "ipv6:", 5))
			return addr_id(v + 5, AF_INET6, id, err, err_len);
		if (!strncmp(v, "keyid:", 6))
			return key_id(v + 6, id, err, err_len);
		if (!strncmp(v, "fqdn:", 5))
			id->type = ID_FQDN;
		else if (!strncmp(v, "email:", 6))
			id->type = ID_USER_FQDN;
		else if (!strncmp(v, "asn1dn:", 7))
			return dn_id(v + 7, id, err, err_len);
		else
			return reason(err, err_len,
				      "unknown identity type '%.*s:' (known: ipv4:, ipv6:, fqdn:, "
				      "email:, keyid:, asn1dn:)",
				      (int)word, v);
		v += word + 1;
	} else if (strchr(v, '=')) {
		return dn_id(v, id, err, err_len);
	} else if (v[0] == '@') {
		id->type = ID_FQDN;
		v++;
	} else {
		id->type = strchr(v, '@') ? ID_USER_FQDN : ID_FQDN;
	}
	len = strlen(v);
	if (!len || len > CONFIG_ID_MAX)
		return reason(err, err_len, "empty or longer than %d bytes", CONFIG_ID_MAX);
	memcpy(id->data, v, len);
	id->len = len;
	return 0;
}

bool config_id_equal(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len && !memcmp(a->data, b->data, a->len);
}
