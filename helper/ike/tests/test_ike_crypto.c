// SPDX-License-Identifier: GPL-2.0
/*
 * Crypto and RFC 2409 derivations, each checked against python3 (hashlib,
 * hmac, and the cryptography package when present): an implementation
 * independent of the code under test. The expected values are computed at
 * test time from the same inputs, never copied from our own output.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>

#include "../crypto.h"
#include "../keys.h"
#include "test_ike.h"

static void hex(const uint8_t *p, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * len] = 0;
}

/* Run SCRIPT with python3 and return its first output line (hex), or "" when python fails. */
static void python(const char *script, char *out, size_t out_len)
{
	FILE *f;
	char cmd[20000];

	snprintf(cmd, sizeof(cmd), "python3 -c '%s'", script);
	out[0] = 0;
	f = popen(cmd, "r");
	if (!f)
		return;
	if (!fgets(out, (int)out_len, f))
		out[0] = 0;
	out[strcspn(out, "\n")] = 0;
	pclose(f);
}

static const char *hashname(int h)
{
	switch (h) {
	case IKE_HASH_SHA1:
		return "sha1";
	case IKE_HASH_SHA256:
		return "sha256";
	case IKE_HASH_SHA384:
		return "sha384";
	}
	return "sha512";
}

/* The python side of RFC 2409 5 and Appendix B, written from the RFC text. */
static const char *py_derive =
	"import hmac,hashlib\n"
	"H=\"%s\"; psk=bytes.fromhex(\"%s\"); ni=bytes.fromhex(\"%s\"); nr=bytes.fromhex(\"%s\")\n"
	"g=bytes.fromhex(\"%s\"); ci=bytes.fromhex(\"%s\"); cr=bytes.fromhex(\"%s\"); kl=%zu\n"
	"prf=lambda k,m: hmac.new(k,m,H).digest()\n"
	"s=prf(psk,ni+nr); d=prf(s,g+ci+cr+bytes([0])); a=prf(s,d+g+ci+cr+bytes([1]))\n"
	"e=prf(s,a+g+ci+cr+bytes([2])); K=e\n"
	"if len(e)<kl:\n"
	" k=prf(e,bytes([0])); K=k\n"
	" while len(K)<kl: k=prf(e,k); K+=k\n"
	"print((s+d+a+e+K[:kl]).hex())\n";

static void test_derive(int h, int cipher, size_t key_len)
{
	struct ike_keys k = { .hash = h, .cipher = cipher, .key_len = key_len };
	uint8_t psk[13], ni[24], nr[32], gxy[256], ci[8], cr[8], all[5 * IKE_MAX_HASH];
	char hp[64], hni[64], hnr[80], hg[520], hci[20], hcr[20], want[1024], got[1024];
	char script[8192];
	size_t hl = ike_hash_len(h), n = 0;

	ike_random(psk, sizeof(psk));
	ike_random(ni, sizeof(ni));
	ike_random(nr, sizeof(nr));
	ike_random(gxy, sizeof(gxy));
	gxy[0] = 0; /* a leading zero must be kept, the value is padded */
	ike_random(ci, 8);
	ike_random(cr, 8);
	struct chunk cni = { ni, sizeof(ni) }, cnr = { nr, sizeof(nr) }, cg = { gxy, sizeof(gxy) };
	CHECK(ike_keys_derive(&k, psk, sizeof(psk), &cni, &cnr, &cg, ci, cr) == 0);
	memcpy(all + n, k.skeyid, hl), n += hl;
	memcpy(all + n, k.skeyid_d, hl), n += hl;
	memcpy(all + n, k.skeyid_a, hl), n += hl;
	memcpy(all + n, k.skeyid_e, hl), n += hl;
	memcpy(all + n, k.enc_key, key_len), n += key_len;
	hex(all, n, got);
	hex(psk, sizeof(psk), hp);
	hex(ni, sizeof(ni), hni);
	hex(nr, sizeof(nr), hnr);
	hex(gxy, sizeof(gxy), hg);
	hex(ci, 8, hci);
	hex(cr, 8, hcr);
	snprintf(script, sizeof(script), py_derive, hashname(h), hp, hni, hnr, hg, hci, hcr,
		 key_len);
	python(script, want, sizeof(want));
	CHECK(strcmp(want, got) == 0);
	if (strcmp(want, got))
		fprintf(stderr, "  %s key %zu\n  want %s\n  got  %s\n", hashname(h), key_len, want,
			got);

	/* KEYMAT with and without PFS, expanded past one PRF block. */
	uint8_t km[3 * IKE_MAX_HASH], gqm[32];
	char hd[2 * IKE_MAX_HASH + 1], hgq[65], hkm[6 * IKE_MAX_HASH + 1];
	size_t kml = 2 * hl + 4;

	ike_random(gqm, sizeof(gqm));
	for (int pfs = 0; pfs < 2; pfs++) {
		struct chunk cq = { gqm, pfs ? sizeof(gqm) : 0 };

		CHECK(ike_keys_keymat(&k, &cq, 3, 0xc0ffee01, &cni, &cnr, km, kml) == 0);
		hex(k.skeyid_d, hl, hd);
		hex(gqm, cq.len, hgq);
		hex(km, kml, hkm);
		snprintf(script, sizeof(script),
			 "import hmac\n"
			 "d=bytes.fromhex(\"%s\"); m=bytes.fromhex(\"%s\")+bytes([3])+"
			 "bytes.fromhex(\"c0ffee01%s%s\")\n"
			 "k=b\"\"; K=b\"\"\n"
			 "while len(K)<%zu: k=hmac.new(d,k+m,\"%s\").digest(); K+=k\n"
			 "print(K[:%zu].hex())\n",
			 hd, hgq, hni, hnr, kml, hashname(h), kml);
		python(script, want, sizeof(want));
		CHECK(strcmp(want, hkm) == 0);
	}

	/* IVs: phase 1 from the public values, phase 2 from the last block and M-ID. */
	uint8_t iv[16], last[16];
	char hiv[33], hl_[33];
	struct chunk gi = { ni, 20 }, gr = { nr, 30 };

	CHECK(ike_keys_phase1_iv(&k, &gi, &gr, iv) == 0);
	hex(iv, k.block, hiv);
	snprintf(script, sizeof(script),
		 "import hashlib\nprint(hashlib.new(\"%s\",bytes.fromhex(\"%.40s%.60s\"))"
		 ".digest()[:%zu].hex())\n",
		 hashname(h), hni, hnr, k.block);
	python(script, want, sizeof(want));
	CHECK(strcmp(want, hiv) == 0);
	ike_random(last, sizeof(last));
	CHECK(ike_keys_msgid_iv(&k, last, 0x01020304, iv) == 0);
	hex(iv, k.block, hiv);
	hex(last, k.block, hl_);
	snprintf(script, sizeof(script),
		 "import hashlib\nprint(hashlib.new(\"%s\",bytes.fromhex(\"%s01020304\"))"
		 ".digest()[:%zu].hex())\n",
		 hashname(h), hl_, k.block);
	python(script, want, sizeof(want));
	CHECK(strcmp(want, hiv) == 0);
	ike_keys_wipe(&k);
}

/* The RFC 2409 6.2 prime from its formula 2^1024 - 2^960 - 1 + 2^64 * ([2^894 pi] + 129093). */
static void test_modp1024(void)
{
	struct ike_dh *a = ike_dh_new(2), *b = ike_dh_new(2);
	uint8_t pa[128], pb[128], sa[128], sb[128];
	char want[600], got[24 * 257], script[16384];

	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK(ike_dh_public(a, pa) == 0 && ike_dh_public(b, pb) == 0);
	CHECK(ike_dh_shared(a, pb, 128, sa) == 0 && ike_dh_shared(b, pa, 128, sb) == 0);
	CHECK(memcmp(sa, sb, 128) == 0);
	/*
	 * Our public value must lie in the subgroup of order q = (p-1)/2 of the
	 * prime python computes from the RFC's formula (g = 2 is a quadratic
	 * residue since p = 7 mod 8). A value passes a wrong prime by chance
	 * half the time, so 24 fresh keys are tested.
	 */
	for (int i = 0; i < 24; i++) {
		struct ike_dh *c = ike_dh_new(2);

		CHECK(c && ike_dh_public(c, pb) == 0);
		hex(pb, 128, got + 257 * i);
		got[257 * i + 256] = i == 23 ? 0 : ',';
		ike_dh_free(c);
	}
	snprintf(
		script, sizeof(script),
		"from decimal import Decimal as D,getcontext\n"
		"getcontext().prec=400\n"
		"def at(x):\n"
		" x=D(x);s=D(0);t=1/x;n=1;g=1\n"
		" while t/n>D(10)**-390: s+=g*t/n;t/=x*x;n+=2;g=-g\n"
		" return s\n"
		"pi=16*at(5)-4*at(239)\n"
		"p=2**1024-2**960-1+2**64*(int(D(2**894)*pi)+129093)\n"
		"ys=[int(v,16) for v in \"%s\".split(\",\")]\n"
		"print(\"ok\" if all(1<y<p-1 and pow(y,(p-1)//2,p)==1 for y in ys) else \"bad\")\n",
		got);
	python(script, want, sizeof(want));
	CHECK(strcmp(want, "ok") == 0);
	ike_dh_free(a);
	ike_dh_free(b);
}

/* Agreement, value sizes and refusal of invalid peer values for every group. */
/* The group's prime into OUT (big-endian, LEN bytes); false for ECP. */
static bool modp_prime(int group, uint8_t *out, size_t len)
{
	BIGNUM *p = group == 2	  ? BN_get_rfc2409_prime_1024(NULL)
		    : group == 5  ? BN_get_rfc3526_prime_1536(NULL)
		    : group == 14 ? BN_get_rfc3526_prime_2048(NULL)
		    : group == 15 ? BN_get_rfc3526_prime_3072(NULL)
		    : group == 16 ? BN_get_rfc3526_prime_4096(NULL)
				  : NULL;
	bool ok = p && BN_bn2binpad(p, out, (int)len) == (int)len;

	BN_free(p);
	return ok;
}

static void test_dh(int group)
{
	struct ike_dh *a = ike_dh_new(group), *b = ike_dh_new(group);
	uint8_t pa[IKE_MAX_DH], pb[IKE_MAX_DH], sa[IKE_MAX_DH], sb[IKE_MAX_DH];
	size_t pl = ike_dh_pub_len(group), sl = ike_dh_secret_len(group);

	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK(ike_dh_public(a, pa) == 0 && ike_dh_public(b, pb) == 0);
	CHECK(ike_dh_shared(a, pb, pl, sa) == 0 && ike_dh_shared(b, pa, pl, sb) == 0);
	CHECK(memcmp(sa, sb, sl) == 0);
	/* ECP: the secret is the x coordinate only (RFC 5903), 32/48/66 bytes. */
	CHECK(sl == (group == 19 ? 32 : group == 20 ? 48 : group == 21 ? 66 : pl));
	CHECK(ike_dh_shared(a, pb, pl - 1, sa) == -1);
	memset(pb, 0, pl);
	pb[pl - 1] = 1; /* 1 for MODP, not on the curve for ECP */
	CHECK(ike_dh_shared(a, pb, pl, sa) == -1);
	memset(pb, 0xff, pl); /* above p */
	CHECK(ike_dh_shared(a, pb, pl, sa) == -1);
	memset(pb, 0, pl); /* 0 for MODP, the point at infinity's x for ECP */
	CHECK(ike_dh_shared(a, pb, pl, sa) == -1);
	if (modp_prime(group, pb, pl)) {
		CHECK(ike_dh_shared(a, pb, pl, sa) == -1); /* p itself */
		pb[pl - 1]--; /* p - 1: order 2, it would make the secret 1 or p - 1 */
		CHECK(ike_dh_shared(a, pb, pl, sa) == -1);
	}
	ike_dh_free(a);
	ike_dh_free(b);
}

/* ECDH against python's cryptography package: it computes the secret from our public value. */
static void test_ecdh_python(void)
{
	struct ike_dh *a = ike_dh_new(19);
	uint8_t pa[64], peer[64], s[32];
	char hpa[129], out[512], script[4096], hs[65];

	if (!a)
		return;
	ike_dh_public(a, pa);
	hex(pa, 64, hpa);
	snprintf(script, sizeof(script),
		 "from cryptography.hazmat.primitives.asymmetric import ec\n"
		 "k=ec.generate_private_key(ec.SECP256R1())\n"
		 "p=ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(),"
		 "bytes.fromhex(\"04%s\"))\n"
		 "n=k.public_key().public_numbers()\n"
		 "print(n.x.to_bytes(32,\"big\").hex()+n.y.to_bytes(32,\"big\").hex()+"
		 "k.exchange(ec.ECDH(),p).hex())\n",
		 hpa);
	python(script, out, sizeof(out));
	if (strlen(out) != 192) {
		printf("# skipping ECDH cross-check: python3 cryptography unavailable\n");
		ike_dh_free(a);
		return;
	}
	for (int i = 0; i < 64; i++)
		sscanf(out + 2 * i, "%2hhx", &peer[i]);
	CHECK(ike_dh_shared(a, peer, 64, s) == 0);
	hex(s, 32, hs);
	CHECK(strcmp(hs, out + 128) == 0);
	ike_dh_free(a);
}

static void test_cbc(void)
{
	uint8_t key[32], iv[16], iv2[16], buf[64], orig[64], ivstart[16];
	char hk[65], hi[33], hb[129], want[200], got[200], script[2048];

	ike_random(key, 32);
	ike_random(iv, 16);
	ike_random(buf, 64);
	memcpy(orig, buf, 64);
	memcpy(ivstart, iv, 16);
	memcpy(iv2, iv, 16);
	CHECK(ike_cbc(IKE_CIPHER_AES, true, key, 32, iv, buf, 64) == 0);
	CHECK(memcmp(iv, buf + 48, 16) == 0);
	hex(key, 32, hk);
	hex(ivstart, 16, hi);
	hex(orig, 64, hb);
	hex(buf, 64, got);
	snprintf(script, sizeof(script),
		 "from cryptography.hazmat.primitives.ciphers import Cipher,algorithms,modes\n"
		 "e=Cipher(algorithms.AES(bytes.fromhex(\"%s\")),modes.CBC(bytes.fromhex(\"%s\")))"
		 ".encryptor()\nprint((e.update(bytes.fromhex(\"%s\"))+e.finalize()).hex())\n",
		 hk, hi, hb);
	python(script, want, sizeof(want));
	if (want[0])
		CHECK(strcmp(want, got) == 0);
	CHECK(ike_cbc(IKE_CIPHER_AES, false, key, 32, iv2, buf, 64) == 0);
	CHECK(memcmp(buf, orig, 64) == 0);
	CHECK(memcmp(iv2, iv, 16) == 0); /* decrypt leaves the same chaining IV */
	CHECK(ike_cbc(IKE_CIPHER_AES, true, key, 32, iv, buf, 63) == -1);
	CHECK(ike_cbc(IKE_CIPHER_3DES, true, key, 24, iv, buf, 64) == 0);
}

int main(void)
{
	const int hashes[] = { IKE_HASH_SHA1, IKE_HASH_SHA256, IKE_HASH_SHA384, IKE_HASH_SHA512 };
	const int groups[] = { 2, 5, 14, 15, 16, 19, 20, 21 };

	for (size_t i = 0; i < 4; i++) {
		test_derive(hashes[i], IKE_CIPHER_AES, 32);
		test_derive(hashes[i], IKE_CIPHER_3DES, 24);
	}
	test_modp1024();
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		test_dh(groups[i]);
	test_ecdh_python();
	test_cbc();
	TEST_DONE("test_ike_crypto");
}
