// SPDX-License-Identifier: GPL-2.0
/*
 * Proposal strings, SA payload encoding and transform selection.
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "proposal.h"

/* Phase-1 attribute classes (RFC 2409 Appendix A). */
enum {
	P1_ENC = 1,
	P1_HASH = 2,
	P1_AUTH = 3,
	P1_GROUP = 4,
	P1_LIFE_TYPE = 11,
	P1_LIFE_DURATION = 12,
	P1_KEY_LENGTH = 14,
};
/* Phase-2 attribute classes (RFC 2407 4.5). */
enum {
	P2_LIFE_TYPE = 1,
	P2_LIFE_DURATION = 2,
	P2_GROUP = 3,
	P2_ENCAP = 4,
	P2_AUTH = 5,
	P2_KEY_LENGTH = 6,
};
enum { LIFE_SECONDS = 1, LIFE_KILOBYTES = 2 };
enum { KEY_IKE = 1 };

struct token {
	const char *name;
	int kind, id;
	unsigned int bits;
};

enum { T_ENC, T_AEAD, T_HASH, T_GROUP };

static const struct token tokens[] = {
	{ "aes128", T_ENC, IKE_CIPHER_AES, 128 },
	{ "aes192", T_ENC, IKE_CIPHER_AES, 192 },
	{ "aes256", T_ENC, IKE_CIPHER_AES, 256 },
	{ "aes", T_ENC, IKE_CIPHER_AES, 128 },
	{ "3des", T_ENC, IKE_CIPHER_3DES, 0 },
	{ "aes128gcm16", T_AEAD, ESP_AES_GCM_16, 128 },
	{ "aes192gcm16", T_AEAD, ESP_AES_GCM_16, 192 },
	{ "aes256gcm16", T_AEAD, ESP_AES_GCM_16, 256 },
	{ "aes128gcm128", T_AEAD, ESP_AES_GCM_16, 128 },
	{ "aes192gcm128", T_AEAD, ESP_AES_GCM_16, 192 },
	{ "aes256gcm128", T_AEAD, ESP_AES_GCM_16, 256 },
	{ "sha1", T_HASH, IKE_HASH_SHA1, 0 },
	{ "sha", T_HASH, IKE_HASH_SHA1, 0 },
	{ "sha256", T_HASH, IKE_HASH_SHA256, 0 },
	{ "sha2_256", T_HASH, IKE_HASH_SHA256, 0 },
	{ "sha384", T_HASH, IKE_HASH_SHA384, 0 },
	{ "sha2_384", T_HASH, IKE_HASH_SHA384, 0 },
	{ "sha512", T_HASH, IKE_HASH_SHA512, 0 },
	{ "sha2_512", T_HASH, IKE_HASH_SHA512, 0 },
	{ "modp1024", T_GROUP, 2, 0 },
	{ "modp1536", T_GROUP, 5, 0 },
	{ "modp2048", T_GROUP, 14, 0 },
	{ "modp3072", T_GROUP, 15, 0 },
	{ "modp4096", T_GROUP, 16, 0 },
	{ "ecp256", T_GROUP, 19, 0 },
	{ "ecp384", T_GROUP, 20, 0 },
	{ "ecp521", T_GROUP, 21, 0 },
};

static const struct token *find_token(const char *s, size_t len, int kind)
{
	size_t i;

	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		if (strlen(tokens[i].name) == len && !strncmp(tokens[i].name, s, len) &&
		    (kind < 0 || tokens[i].kind == kind))
			return &tokens[i];
	return NULL;
}

static const char *token_name(int kind, int id, unsigned int bits)
{
	size_t i;

	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		if (tokens[i].kind == kind && tokens[i].id == id && tokens[i].bits == bits)
			return tokens[i].name;
	return "?";
}

/* ESP integrity algorithms map the IKE hash numbers to phase-2 auth numbers. */
static int esp_auth_of(int hash)
{
	switch (hash) {
	case IKE_HASH_SHA1:
		return AUTH_HMAC_SHA1;
	case IKE_HASH_SHA256:
		return AUTH_HMAC_SHA256;
	case IKE_HASH_SHA384:
		return AUTH_HMAC_SHA384;
	case IKE_HASH_SHA512:
		return AUTH_HMAC_SHA512;
	}
	return 0;
}

static int hash_of_esp_auth(int auth)
{
	switch (auth) {
	case AUTH_HMAC_SHA1:
		return IKE_HASH_SHA1;
	case AUTH_HMAC_SHA256:
		return IKE_HASH_SHA256;
	case AUTH_HMAC_SHA384:
		return IKE_HASH_SHA384;
	case AUTH_HMAC_SHA512:
		return IKE_HASH_SHA512;
	}
	return 0;
}

/*
 * Split one proposal ("aes256-sha256-modp2048") into tokens: one cipher,
 * one hash (none with an AEAD), at most one group. IKE proposals need all
 * three. Returns 0 or -1 with ERR set.
 */
static int parse_one(const char *s, size_t len, bool esp, const struct token *out[4], char *err,
		     size_t err_len)
{
	const char *end = s + len;

	memset(out, 0, 4 * sizeof(out[0]));
	while (s < end) {
		const char *dash = memchr(s, '-', (size_t)(end - s));
		size_t tlen = dash ? (size_t)(dash - s) : (size_t)(end - s);
		const struct token *t = find_token(s, tlen, -1);

		if (!t || (!esp && t->kind == T_AEAD)) {
			snprintf(err, err_len, "unknown %s algorithm '%.*s'", esp ? "esp" : "ike",
				 (int)tlen, s);
			return -1;
		}
		if (out[t->kind] || (t->kind == T_ENC && out[T_AEAD]) ||
		    (t->kind == T_AEAD && out[T_ENC])) {
			snprintf(err, err_len,
				 "'%.*s': one algorithm of each kind per proposal; list "
				 "alternatives "
				 "as separate proposals separated by commas",
				 (int)len, end - len);
			return -1;
		}
		out[t->kind] = t;
		s += tlen + (dash ? 1 : 0);
	}
	if (!out[T_ENC] && !out[T_AEAD]) {
		snprintf(err, err_len, "'%.*s' names no encryption algorithm", (int)len, end - len);
		return -1;
	}
	if (out[T_AEAD] && out[T_HASH]) {
		snprintf(err, err_len, "'%.*s': AES-GCM needs no integrity algorithm", (int)len,
			 end - len);
		return -1;
	}
	if (!out[T_AEAD] && !out[T_HASH]) {
		snprintf(err, err_len, "'%.*s' names no integrity algorithm", (int)len, end - len);
		return -1;
	}
	if (!esp && !out[T_GROUP]) {
		snprintf(err, err_len, "'%.*s' names no DH group (e.g. modp2048)", (int)len,
			 end - len);
		return -1;
	}
	return 0;
}

/* Calls parse_one on each comma-separated element of S, storing via FILL. */
static int parse_list(const char *s, bool esp, void *out, char *err, size_t err_len)
{
	int n = 0;

	for (;;) {
		const struct token *t[4];
		size_t len;

		while (*s == ' ' || *s == '\t')
			s++;
		len = strcspn(s, ",");
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (!len) {
			snprintf(err, err_len, "empty proposal");
			return -1;
		}
		if (n == PROP_MAX) {
			snprintf(err, err_len, "more than %d proposals", PROP_MAX);
			return -1;
		}
		if (parse_one(s, len, esp, t, err, err_len))
			return -1;
		if (esp) {
			struct esp_prop *p = (struct esp_prop *)out + n;

			memset(p, 0, sizeof(*p));
			if (t[T_AEAD]) {
				p->transform = ESP_AES_GCM_16;
				p->key_bits = t[T_AEAD]->bits;
			} else {
				p->transform =
					t[T_ENC]->id == IKE_CIPHER_AES ? ESP_AES_CBC : ESP_3DES;
				p->key_bits = t[T_ENC]->bits;
				p->auth = esp_auth_of(t[T_HASH]->id);
			}
			p->pfs_group = t[T_GROUP] ? t[T_GROUP]->id : 0;
		} else {
			struct ike_prop *p = (struct ike_prop *)out + n;

			memset(p, 0, sizeof(*p));
			p->cipher = t[T_ENC]->id;
			p->key_bits = t[T_ENC]->bits;
			p->hash = t[T_HASH]->id;
			p->group = t[T_GROUP]->id;
			p->auth = IKE_AUTH_PSK; /* the tunnel's auth key may change it */
		}
		n++;
		s += strcspn(s, ",");
		if (!*s)
			return n;
		s++;
	}
}

int prop_parse_ike(const char *s, struct ike_prop *out, char *err, size_t err_len)
{
	return parse_list(s, false, out, err, err_len);
}

int prop_parse_esp(const char *s, struct esp_prop *out, char *err, size_t err_len)
{
	return parse_list(s, true, out, err, err_len);
}

void prop_ike_str(const struct ike_prop *p, char *buf, size_t len)
{
	/* PSK goes unsaid: the default, and what every log before certificates showed. */
	snprintf(buf, len, "%s-%s-%s%s", token_name(T_ENC, p->cipher, p->key_bits),
		 token_name(T_HASH, p->hash, 0), token_name(T_GROUP, p->group, 0),
		 p->auth == IKE_AUTH_RSA_SIG	 ? " with RSA signatures"
		 : p->auth >= IKE_AUTH_ECDSA_256 ? " with ECDSA signatures"
						 : "");
}

void prop_esp_str(const struct esp_prop *p, char *buf, size_t len)
{
	int n;

	if (p->transform == ESP_AES_GCM_16)
		n = snprintf(buf, len, "%s", token_name(T_AEAD, ESP_AES_GCM_16, p->key_bits));
	else
		n = snprintf(
			buf, len, "%s-%s",
			token_name(T_ENC,
				   p->transform == ESP_AES_CBC ? IKE_CIPHER_AES : IKE_CIPHER_3DES,
				   p->key_bits),
			token_name(T_HASH, hash_of_esp_auth(p->auth), 0));
	if (p->pfs_group && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "-%s",
			      token_name(T_GROUP, p->pfs_group, 0));
	/* The first offered proposal in a refusal says which mode the peer wanted. */
	if (p->mode && p->mode != ESP_MODE_TUNNEL && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " in UDP");
}

int esp_prop_kernel(const struct esp_prop *p, struct esp_kernel_alg *k)
{
	static const unsigned int icv[] = { [AUTH_HMAC_SHA1] = 96,
					    [AUTH_HMAC_SHA256] = 128,
					    [AUTH_HMAC_SHA384] = 192,
					    [AUTH_HMAC_SHA512] = 256 };
	static const char *const auth[] = { [AUTH_HMAC_SHA1] = "hmac(sha1)",
					    [AUTH_HMAC_SHA256] = "hmac(sha256)",
					    [AUTH_HMAC_SHA384] = "hmac(sha384)",
					    [AUTH_HMAC_SHA512] = "hmac(sha512)" };

	memset(k, 0, sizeof(*k));
	if (p->transform == ESP_AES_GCM_16) {
		k->aead = "rfc4106(gcm(aes))";
		k->enc_key_len = p->key_bits / 8 + 4; /* RFC 4106 8.1: key then salt */
		k->icv_bits = 128;
		return 0;
	}
	if (p->auth < AUTH_HMAC_SHA1 || p->auth > AUTH_HMAC_SHA512 || !auth[p->auth])
		return -1;
	k->enc = p->transform == ESP_AES_CBC ? "cbc(aes)" : "cbc(des3_ede)";
	k->enc_key_len = p->transform == ESP_AES_CBC ? p->key_bits / 8 : 24;
	k->auth = auth[p->auth];
	k->auth_key_len = ike_hash_len(hash_of_esp_auth(p->auth));
	k->icv_bits = icv[p->auth];
	return 0;
}

static void put_life(struct isakmp_builder *b, int type_attr, int dur_attr, uint32_t s, uint32_t kb)
{
	if (s) {
		isakmp_put_attr(b, type_attr, LIFE_SECONDS);
		isakmp_put_attr(b, dur_attr, s);
	}
	if (kb) {
		isakmp_put_attr(b, type_attr, LIFE_KILOBYTES);
		isakmp_put_attr(b, dur_attr, kb);
	}
}

static size_t sa_begin(struct isakmp_builder *b)
{
	size_t sa = isakmp_begin(b, ISAKMP_NP_SA);

	isakmp_put32(b, ISAKMP_DOI_IPSEC);
	isakmp_put32(b, ISAKMP_SIT_IDENTITY_ONLY);
	return sa;
}

/*
 * A proposal or transform number: the one the peer gave what we chose
 * (a reply), else our own count from 1 (an offer of ours, one proposal).
 */
static uint8_t number(uint8_t peers, size_t i)
{
	return peers ? peers : (uint8_t)(i + 1);
}

void prop_build_ike(struct isakmp_builder *b, const struct ike_prop *p, size_t n)
{
	size_t sa = sa_begin(b), prop, t, i;

	prop = isakmp_begin_sub(b, ISAKMP_NP_NONE);
	isakmp_put8(b, number(p[0].prop_num, 0));
	isakmp_put8(b, ISAKMP_PROTO_ISAKMP);
	isakmp_put8(b, 0);
	isakmp_put8(b, (uint8_t)n);
	for (i = 0; i < n; i++) {
		t = isakmp_begin_sub(b, i + 1 < n ? ISAKMP_NP_T : ISAKMP_NP_NONE);
		isakmp_put8(b, number(p[i].transform_num, i));
		isakmp_put8(b, KEY_IKE);
		isakmp_put16(b, 0);
		isakmp_put_attr(b, P1_ENC, (uint32_t)p[i].cipher);
		if (p[i].key_bits && p[i].cipher == IKE_CIPHER_AES)
			isakmp_put_attr(b, P1_KEY_LENGTH, p[i].key_bits);
		isakmp_put_attr(b, P1_HASH, (uint32_t)p[i].hash);
		isakmp_put_attr(b, P1_AUTH, (uint32_t)p[i].auth);
		isakmp_put_attr(b, P1_GROUP, (uint32_t)p[i].group);
		put_life(b, P1_LIFE_TYPE, P1_LIFE_DURATION, p[i].life_s, p[i].life_kb);
		isakmp_end(b, t);
	}
	isakmp_end(b, prop);
	isakmp_end(b, sa);
}

/*
 * Decode one transform's attributes. P1 selects the phase-1 attribute set.
 * Returns 0, or -1 when an attribute is malformed or unknown (the
 * transform is then skipped, not the message refused).
 */
static int decode_attrs(struct isakmp_cursor c, bool p1, struct ike_prop *ike, struct esp_prop *esp)
{
	struct isakmp_attr a;
	uint32_t v, life_type = 0;
	int ret;

	while ((ret = isakmp_attr_next(&c, &a)) == 1) {
		if (!isakmp_attr_u32(&a, &v))
			return -1;
		if (a.type == (p1 ? P1_LIFE_TYPE : P2_LIFE_TYPE)) {
			life_type = v;
			continue;
		}
		if (a.type == (p1 ? P1_LIFE_DURATION : P2_LIFE_DURATION)) {
			uint32_t *s = p1 ? &ike->life_s : &esp->life_s;
			uint32_t *kb = p1 ? &ike->life_kb : &esp->life_kb;

			if (life_type == LIFE_SECONDS)
				*s = v;
			else if (life_type == LIFE_KILOBYTES)
				*kb = v;
			else
				return -1;
			continue;
		}
		if (p1) {
			switch (a.type) {
			case P1_ENC:
				ike->cipher = (int)v;
				break;
			case P1_KEY_LENGTH:
				ike->key_bits = v;
				break;
			case P1_HASH:
				ike->hash = (int)v;
				break;
			case P1_GROUP:
				ike->group = (int)v;
				break;
			case P1_AUTH:
				if (v != IKE_AUTH_PSK && v != IKE_AUTH_RSA_SIG &&
				    (v < IKE_AUTH_ECDSA_256 || v > IKE_AUTH_ECDSA_521))
					return -1;
				ike->auth = (int)v;
				break;
			default:
				return -1;
			}
			continue;
		}
		switch (a.type) {
		case P2_GROUP:
			esp->pfs_group = (int)v;
			break;
		case P2_ENCAP:
			if (v != ESP_MODE_TUNNEL && v != ESP_MODE_UDP_TUNNEL &&
			    v != ESP_MODE_UDP_TUNNEL_DRAFT)
				return -1;
			esp->mode = (uint16_t)v;
			break;
		case P2_AUTH:
			esp->auth = (int)v;
			break;
		case P2_KEY_LENGTH:
			esp->key_bits = v;
			break;
		default:
			return -1;
		}
	}
	return ret;
}

static bool ike_equal(const struct ike_prop *a, const struct ike_prop *b)
{
	return a->cipher == b->cipher && a->key_bits == b->key_bits && a->hash == b->hash &&
	       a->group == b->group && a->auth == b->auth;
}

static bool esp_equal(const struct esp_prop *a, const struct esp_prop *b)
{
	return a->transform == b->transform && a->key_bits == b->key_bits && a->auth == b->auth &&
	       a->pfs_group == b->pfs_group &&
	       (a->mode ? a->mode : ESP_MODE_TUNNEL) == (b->mode ? b->mode : ESP_MODE_TUNNEL);
}

/*
 * Walk every transform of every proposal of protocol PROTO in SA, and
 * return the first that matches one of MINE. Shared by both phases.
 */
static int select_common(const struct isakmp_payload *sa, bool p1, const void *mine, size_t n,
			 void *chosen, uint32_t *spi, char *why, size_t why_len)
{
	struct isakmp_cursor props;
	struct isakmp_proposal p;
	struct isakmp_transform t;
	char first[64] = "";
	int ret;

	ret = isakmp_sa_open(sa, &props);
	if (ret) {
		snprintf(why, why_len, "SA payload refused: %s", isakmp_notify_name((uint16_t)ret));
		return ret;
	}
	while ((ret = isakmp_proposal_next(&props, &p)) == 1) {
		struct isakmp_cursor tc = p.transforms;

		if (p.protocol != (p1 ? ISAKMP_PROTO_ISAKMP : ISAKMP_PROTO_ESP))
			continue;
		if (!p1 && p.spi_size != 4)
			continue;
		while ((ret = isakmp_transform_next(&tc, &t)) == 1) {
			struct ike_prop ike = { 0 };
			struct esp_prop esp = { 0 };
			size_t i;

			if (p1 && t.id != KEY_IKE)
				continue;
			esp.transform = t.id;
			if (decode_attrs(t.attrs, p1, &ike, &esp))
				continue;
			if (!first[0]) {
				if (p1)
					prop_ike_str(&ike, first, sizeof(first));
				else
					prop_esp_str(&esp, first, sizeof(first));
			}
			for (i = 0; i < n; i++) {
				if (p1 && ike_equal(&ike, (const struct ike_prop *)mine + i)) {
					ike.prop_num = p.num;
					ike.transform_num = t.num;
					*(struct ike_prop *)chosen = ike;
					return 0;
				}
				if (!p1 && esp_equal(&esp, (const struct esp_prop *)mine + i)) {
					esp.prop_num = p.num;
					esp.transform_num = t.num;
					*(struct esp_prop *)chosen = esp;
					*spi = (uint32_t)p.spi[0] << 24 | (uint32_t)p.spi[1] << 16 |
					       (uint32_t)p.spi[2] << 8 | p.spi[3];
					return 0;
				}
			}
		}
		if (ret < 0)
			break;
	}
	if (ret < 0) {
		snprintf(why, why_len, "malformed proposal: %s",
			 isakmp_notify_name((uint16_t)-ret));
		return -ret;
	}
	snprintf(why, why_len,
		 "no offered %s proposal matches the configuration (first offered: %s)",
		 p1 ? "IKE" : "ESP", first[0] ? first : "none we can parse");
	return ISAKMP_N_NO_PROPOSAL_CHOSEN;
}

int prop_select_ike(const struct isakmp_payload *sa, const struct ike_prop *mine, size_t n,
		    struct ike_prop *chosen, char *why, size_t why_len)
{
	return select_common(sa, true, mine, n, chosen, NULL, why, why_len);
}

void prop_build_esp(struct isakmp_builder *b, const struct esp_prop *p, size_t n, uint32_t spi)
{
	size_t sa = sa_begin(b), prop, t, i;

	prop = isakmp_begin_sub(b, ISAKMP_NP_NONE);
	isakmp_put8(b, number(p[0].prop_num, 0));
	isakmp_put8(b, ISAKMP_PROTO_ESP);
	isakmp_put8(b, 4);
	isakmp_put8(b, (uint8_t)n);
	isakmp_put32(b, spi);
	for (i = 0; i < n; i++) {
		t = isakmp_begin_sub(b, i + 1 < n ? ISAKMP_NP_T : ISAKMP_NP_NONE);
		isakmp_put8(b, number(p[i].transform_num, i));
		isakmp_put8(b, (uint8_t)p[i].transform);
		isakmp_put16(b, 0);
		put_life(b, P2_LIFE_TYPE, P2_LIFE_DURATION, p[i].life_s, p[i].life_kb);
		isakmp_put_attr(b, P2_ENCAP, p[i].mode ? p[i].mode : ESP_MODE_TUNNEL);
		if (p[i].pfs_group)
			isakmp_put_attr(b, P2_GROUP, (uint32_t)p[i].pfs_group);
		if (p[i].auth)
			isakmp_put_attr(b, P2_AUTH, (uint32_t)p[i].auth);
		if (p[i].key_bits)
			isakmp_put_attr(b, P2_KEY_LENGTH, p[i].key_bits);
		isakmp_end(b, t);
	}
	isakmp_end(b, prop);
	isakmp_end(b, sa);
}

int prop_select_esp(const struct isakmp_payload *sa, const struct esp_prop *mine, size_t n,
		    struct esp_prop *chosen, uint32_t *spi, char *why, size_t why_len)
{
	return select_common(sa, false, mine, n, chosen, spi, why, why_len);
}

void prop_put_esp_life(struct isakmp_builder *b, uint32_t s, uint32_t kb)
{
	put_life(b, P2_LIFE_TYPE, P2_LIFE_DURATION, s, kb);
}

int prop_parse_esp_life(const uint8_t *data, size_t len, uint32_t *s, uint32_t *kb)
{
	struct isakmp_cursor c = { data, len };
	struct esp_prop got = { 0 };
	struct ike_prop unused = { 0 };

	if (decode_attrs(c, false, &unused, &got) < 0)
		return -1;
	*s = got.life_s;
	*kb = got.life_kb;
	/* What else decode_attrs reads in phase 2: no place in this notify. */
	return got.pfs_group || got.mode || got.auth || got.key_bits ? -1 : 0;
}
