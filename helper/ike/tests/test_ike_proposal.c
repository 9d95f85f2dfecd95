// SPDX-License-Identifier: GPL-2.0
/*
 * Proposal strings (every error), SA payload encoding, and the responder's
 * choice of the first offered transform its configuration allows.
 */
#include <string.h>

#include "../crypto.h"
#include "../proposal.h"
#include "test_ike.h"

static void test_parse(void)
{
	struct ike_prop ike[PROP_MAX];
	struct esp_prop esp[PROP_MAX];
	char err[256];
	struct esp_kernel_alg k;

	CHECK(prop_parse_ike("aes256-sha256-modp2048, aes128-sha1-modp2048", ike, err,
			     sizeof(err)) == 2);
	CHECK(ike[0].cipher == IKE_CIPHER_AES && ike[0].key_bits == 256 &&
	      ike[0].hash == IKE_HASH_SHA256 && ike[0].group == 14);
	CHECK(ike[1].key_bits == 128 && ike[1].hash == IKE_HASH_SHA1);
	CHECK(prop_parse_ike("3des-sha512-ecp521", ike, err, sizeof(err)) == 1);
	CHECK(ike[0].cipher == IKE_CIPHER_3DES && ike[0].group == 21);

	CHECK(prop_parse_ike("aes256-sha256", ike, err, sizeof(err)) == -1);
	CHECK(strstr(err, "no DH group"));
	CHECK(prop_parse_ike("aes256-md5-modp2048", ike, err, sizeof(err)) == -1);
	CHECK(strstr(err, "unknown ike algorithm 'md5'"));
	CHECK(prop_parse_ike("aes128gcm16-modp2048", ike, err, sizeof(err)) == -1);
	CHECK(prop_parse_ike("aes256-aes128-sha1-modp2048", ike, err, sizeof(err)) == -1);
	CHECK(strstr(err, "one algorithm of each kind"));
	CHECK(prop_parse_ike("aes256-sha1-modp2048,", ike, err, sizeof(err)) == -1);
	CHECK(strstr(err, "empty proposal"));
	CHECK(prop_parse_ike("sha1-modp2048", ike, err, sizeof(err)) == -1);
	CHECK(strstr(err, "no encryption"));
	CHECK(prop_parse_ike("aes-modp2048", ike, err, sizeof(err)) == -1);
	CHECK(strstr(err, "no integrity"));
	CHECK(prop_parse_ike("a,b,c,d,e,f,g,h,i", ike, err, sizeof(err)) == -1);

	CHECK(prop_parse_esp("aes128gcm16-modp2048, aes256-sha256", esp, err, sizeof(err)) == 2);
	CHECK(esp[0].transform == ESP_AES_GCM_16 && esp[0].key_bits == 128 && esp[0].auth == 0 &&
	      esp[0].pfs_group == 14);
	CHECK(esp[1].transform == ESP_AES_CBC && esp[1].auth == AUTH_HMAC_SHA256 &&
	      esp[1].pfs_group == 0);
	CHECK(prop_parse_esp("aes128gcm16-sha1", esp, err, sizeof(err)) == -1);
	CHECK(strstr(err, "needs no integrity"));
	CHECK(prop_parse_esp("aes128gcm16-aes128", esp, err, sizeof(err)) == -1);

	CHECK(prop_parse_esp("aes128gcm16", esp, err, sizeof(err)) == 1);
	CHECK(esp_prop_kernel(&esp[0], &k) == 0);
	CHECK(!strcmp(k.aead, "rfc4106(gcm(aes))") && k.enc_key_len == 20 && k.icv_bits == 128);
	CHECK(prop_parse_esp("aes256-sha256", esp, err, sizeof(err)) == 1);
	CHECK(esp_prop_kernel(&esp[0], &k) == 0);
	CHECK(!strcmp(k.enc, "cbc(aes)") && !strcmp(k.auth, "hmac(sha256)") &&
	      k.enc_key_len == 32 && k.auth_key_len == 32 && k.icv_bits == 128);
	CHECK(prop_parse_esp("3des-sha1", esp, err, sizeof(err)) == 1);
	CHECK(esp_prop_kernel(&esp[0], &k) == 0);
	CHECK(k.enc_key_len == 24 && k.auth_key_len == 20 && k.icv_bits == 96);
}

static struct isakmp_payload sa_of(struct isakmp_builder *b, struct isakmp_msg *m)
{
	isakmp_finish(b);
	CHECK(!b->err);
	CHECK(isakmp_parse_header(m, b->buf, b->len) == 0);
	CHECK(isakmp_parse_payloads(m, m->np, m->body, m->body_len) == 0);
	return m->p[0];
}

static void test_select(void)
{
	const uint8_t c[8] = { 1 };
	struct ike_prop offer[PROP_MAX], mine[PROP_MAX], chosen;
	struct esp_prop eoffer[PROP_MAX], emine[PROP_MAX], echosen;
	struct isakmp_builder b;
	struct isakmp_msg m;
	struct isakmp_payload sa;
	char why[256];
	uint32_t spi = 0;
	int n, k;

	n = prop_parse_ike("aes128-sha1-modp1024, aes256-sha256-modp2048, 3des-sha1-modp2048",
			   offer, why, sizeof(why));
	offer[1].life_s = 28800;
	offer[1].life_kb = 100000; /* TLV */
	k = prop_parse_ike("3des-sha1-modp2048, aes256-sha256-modp2048", mine, why, sizeof(why));
	isakmp_build_header(&b, c, c, ISAKMP_XCHG_MAIN, 0, 0);
	prop_build_ike(&b, offer, (size_t)n);
	sa = sa_of(&b, &m);
	/* The first offered that we allow, not our first preference. */
	CHECK(prop_select_ike(&sa, mine, (size_t)k, &chosen, why, sizeof(why)) == 0);
	CHECK(chosen.key_bits == 256 && chosen.group == 14 && chosen.life_s == 28800 &&
	      chosen.life_kb == 100000);
	k = prop_parse_ike("aes192-sha384-ecp384", mine, why, sizeof(why));
	CHECK(prop_select_ike(&sa, mine, (size_t)k, &chosen, why, sizeof(why)) ==
	      ISAKMP_N_NO_PROPOSAL_CHOSEN);
	CHECK(strstr(why, "first offered: aes128-sha1-modp1024"));

	n = prop_parse_esp("aes256-sha256, aes128gcm16-modp2048", eoffer, why, sizeof(why));
	k = prop_parse_esp("aes128gcm16-modp2048", emine, why, sizeof(why));
	isakmp_build_header(&b, c, c, ISAKMP_XCHG_QUICK, 0, 1);
	prop_build_esp(&b, eoffer, (size_t)n, 0x11223344);
	sa = sa_of(&b, &m);
	CHECK(prop_select_esp(&sa, emine, (size_t)k, &echosen, &spi, why, sizeof(why)) == 0);
	CHECK(spi == 0x11223344 && echosen.transform == ESP_AES_GCM_16 && echosen.pfs_group == 14);
	k = prop_parse_esp("aes128gcm16", emine, why, sizeof(why));
	CHECK(prop_select_esp(&sa, emine, (size_t)k, &echosen, &spi, why, sizeof(why)) ==
	      ISAKMP_N_NO_PROPOSAL_CHOSEN);

	/* An ISAKMP proposal is no answer to an ESP offer, and a broken SA is PAYLOAD-MALFORMED. */
	CHECK(prop_select_ike(&sa, mine, 1, &chosen, why, sizeof(why)) ==
	      ISAKMP_N_NO_PROPOSAL_CHOSEN);
	sa.len = 12;
	CHECK(prop_select_esp(&sa, emine, 1, &echosen, &spi, why, sizeof(why)) ==
	      ISAKMP_N_PAYLOAD_MALFORMED);
}

/* The proposal and transform numbers of the first transform in SA. */
static void numbers(const struct isakmp_payload *sa, uint8_t *prop, uint8_t *transform)
{
	struct isakmp_cursor props;
	struct isakmp_proposal p;
	struct isakmp_transform t;

	*prop = *transform = 0;
	CHECK(isakmp_sa_open(sa, &props) == 0);
	CHECK(isakmp_proposal_next(&props, &p) == 1);
	CHECK(isakmp_transform_next(&p.transforms, &t) == 1);
	*prop = p.num;
	*transform = t.num;
}

/* A reply keeps the numbers the chosen proposal and transform had in the offer (RFC 2408 4.2). */
static void test_reply_numbers(void)
{
	const uint8_t c[8] = { 1 };
	struct ike_prop offer[PROP_MAX], chosen;
	struct esp_prop eoffer[PROP_MAX], echosen;
	struct isakmp_builder b;
	struct isakmp_msg m;
	struct isakmp_payload sa;
	char why[256];
	uint8_t pn, tn;
	uint32_t spi;
	int n;

	n = prop_parse_ike("aes128-sha1-modp2048, aes256-sha256-modp2048", offer, why, sizeof(why));
	offer[0].prop_num = 5; /* a peer's offer numbered its own way */
	isakmp_build_header(&b, c, c, ISAKMP_XCHG_MAIN, 0, 0);
	prop_build_ike(&b, offer, (size_t)n);
	sa = sa_of(&b, &m);
	CHECK(prop_select_ike(&sa, offer + 1, 1, &chosen, why, sizeof(why)) == 0);
	isakmp_build_header(&b, c, c, ISAKMP_XCHG_MAIN, 0, 0);
	prop_build_ike(&b, &chosen, 1);
	sa = sa_of(&b, &m);
	numbers(&sa, &pn, &tn);
	CHECK(pn == 5 && tn == 2);

	n = prop_parse_esp("aes256-sha256, aes128gcm16, aes128-sha1", eoffer, why, sizeof(why));
	eoffer[0].prop_num = 3;
	isakmp_build_header(&b, c, c, ISAKMP_XCHG_QUICK, 0, 1);
	prop_build_esp(&b, eoffer, (size_t)n, 0x11223344);
	sa = sa_of(&b, &m);
	CHECK(prop_select_esp(&sa, eoffer + 2, 1, &echosen, &spi, why, sizeof(why)) == 0);
	isakmp_build_header(&b, c, c, ISAKMP_XCHG_QUICK, 0, 1);
	prop_build_esp(&b, &echosen, 1, 0x55667788);
	sa = sa_of(&b, &m);
	numbers(&sa, &pn, &tn);
	CHECK(pn == 3 && tn == 3);
}

/* RESPONDER-LIFETIME's data: the lifetime attributes alone, read back. */
static void test_life_attributes(void)
{
	static const uint8_t group[4] = { 0x80, 0x03, 0x00, 0x0e }; /* PFS group 14 */
	static const uint8_t truncated[3] = { 0x80, 0x01, 0x00 };
	struct isakmp_builder b = { .len = 0 };
	uint32_t s = 1, kb = 1;

	prop_put_esp_life(&b, 600, 100000); /* 100000 K needs a TLV */
	CHECK(!b.err && prop_parse_esp_life(b.buf, b.len, &s, &kb) == 0);
	CHECK(s == 600 && kb == 100000);
	b.len = 0;
	prop_put_esp_life(&b, 0, 2048);
	CHECK(prop_parse_esp_life(b.buf, b.len, &s, &kb) == 0 && s == 0 && kb == 2048);
	/* Anything besides the lifetimes, or a cut attribute, is refused. */
	memcpy(b.buf + b.len, group, sizeof(group));
	CHECK(prop_parse_esp_life(b.buf, b.len + sizeof(group), &s, &kb) == -1);
	CHECK(prop_parse_esp_life(truncated, sizeof(truncated), &s, &kb) == -1);
	/* A duration without its type says nothing it could be read as. */
	CHECK(prop_parse_esp_life(b.buf + 4, b.len - 4, &s, &kb) == -1);
}

int main(void)
{
	test_parse();
	test_select();
	test_reply_numbers();
	test_life_attributes();
	TEST_DONE("test_ike_proposal");
}
