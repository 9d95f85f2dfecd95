// SPDX-License-Identifier: GPL-2.0
/*
 * Algorithm clauses: every algorithm with every key and ICV length it
 * accepts, and the neighbours it must refuse.
 */
#include <stdio.h>
#include <string.h>

#include "alg.h"
#include "log.h"
#include "tap.h"

static const char *const hmacs[] = { "hmac(sha1)", "hmac(sha256)", "hmac(sha384)", "hmac(sha512)" };
static const unsigned int digest_bits[] = { 160, 256, 384, 512 };
static const unsigned int rfc_bits[] = { 96, 128, 192, 256 };

/* A key of LEN bytes as 0xHEX, in a static buffer per slot. */
static const char *key_of(size_t len, int slot)
{
	static char buf[2][2 * KEY_MAX_BYTES + 8];
	size_t i;

	strcpy(buf[slot], "0x");
	for (i = 0; i < len && i <= KEY_MAX_BYTES; i++)
		sprintf(buf[slot] + 2 + 2 * i, "%02x", (unsigned int)(0xa0 + i % 16));
	return buf[slot];
}

/* Parse all clauses in LINE as sa add would; returns 0 or an exit code. */
static int parse_algs(const char *line, struct alg_spec *spec)
{
	char copy[1024], *argv[16];
	int argc, used = 0, ret;

	snprintf(copy, sizeof(copy), "%s", line);
	argc = split_words(copy, argv, 16);
	memset(spec, 0, sizeof(*spec));
	while (used < argc) {
		ret = alg_parse_clause(spec, argc - used, argv + used);
		if (ret <= 0)
			return ret ? -ret : EXIT_USAGE;
		used += ret;
	}
	return alg_check_complete(spec);
}

static void test_aead(void)
{
	static const unsigned int keys[] = { 20, 28, 36 }, icvs[] = { 64, 96, 128 };
	static const unsigned int bad_keys[] = { 1, 16, 19, 21, 24, 32, 35, 37, 64 };
	static const unsigned int bad_icvs[] = { 0, 8, 32, 63, 65, 127, 129, 160, 256 };
	char line[512];
	struct alg_spec spec;
	size_t k, i;

	for (k = 0; k < 3; k++)
		for (i = 0; i < 3; i++) {
			snprintf(line, sizeof(line), "aead rfc4106(gcm(aes)) %s %u",
				 key_of(keys[k], 0), icvs[i]);
			ok(!parse_algs(line, &spec) && spec.aead && !spec.enc && !spec.auth &&
				   spec.enc_key.len == keys[k] && spec.enc_key.bytes[0] == 0xa0 &&
				   spec.icv_bits == icvs[i] && spec.auth_key.len == 0,
			   "rfc4106(gcm(aes)) with a %u-byte key and a %u-bit ICV", keys[k],
			   icvs[i]);
		}
	for (k = 0; k < sizeof(bad_keys) / sizeof(bad_keys[0]); k++) {
		snprintf(line, sizeof(line), "aead rfc4106(gcm(aes)) %s 128",
			 key_of(bad_keys[k], 0));
		ok(parse_algs(line, &spec) == EXIT_ERROR &&
			   strstr(log_last_error(), "rfc4106(gcm(aes))") &&
			   strstr(log_last_error(), "expected 20, 28 or 36 bytes"),
		   "rfc4106(gcm(aes)) with a %u-byte key refused, listing 20, 28, 36", bad_keys[k]);
	}
	for (i = 0; i < sizeof(bad_icvs) / sizeof(bad_icvs[0]); i++) {
		snprintf(line, sizeof(line), "aead rfc4106(gcm(aes)) %s %u", key_of(20, 0),
			 bad_icvs[i]);
		ok(parse_algs(line, &spec) == EXIT_ERROR &&
			   strstr(log_last_error(), "expected 64, 96 or 128 bits"),
		   "rfc4106(gcm(aes)) with a %u-bit ICV refused", bad_icvs[i]);
	}
	ok(!strcmp(log_last_error(), "bad ICV length 256 for rfc4106(gcm(aes)): expected 64, 96 "
				     "or 128 bits"),
	   "ICV error reads 'bad ICV length 256 for rfc4106(gcm(aes)): expected ...'");
	parse_algs("aead rfc4106(gcm(aes)) 0x0102030405060708090a0b0c0d0e0f 128", &spec);
	ok(!strcmp(log_last_error(),
		   "bad key length 15 for rfc4106(gcm(aes)): expected 20, 28 or 36 bytes"),
	   "key length error reads exactly as documented");
	snprintf(line, sizeof(line), "aead rfc4106(gcm(aes)) %s 12x", key_of(20, 0));
	ok(parse_algs(line, &spec) == EXIT_ERROR && strstr(log_last_error(), "'12x'"),
	   "non-numeric ICV length refused, naming it");
}

static void test_enc_auth(void)
{
	static const struct {
		const char *name;
		unsigned int keys[3];
		unsigned int bad[5];
	} ciphers[] = {
		{ "cbc(aes)", { 16, 24, 32 }, { 8, 15, 20, 33, 36 } },
		{ "cbc(des3_ede)", { 24, 0, 0 }, { 8, 16, 23, 25, 32 } },
	};
	/* HMAC takes any key length; the kernel's limit is KEY_MAX_BYTES. */
	static const unsigned int hmac_keys[] = { 1, 2, 19, 20, 64, 65, 127, 128, 129 };
	char line[1024];
	struct alg_spec spec;
	size_t c, k, h;
	unsigned int bits;

	for (c = 0; c < 2; c++)
		for (k = 0; k < 3 && ciphers[c].keys[k]; k++)
			for (h = 0; h < 4; h++) {
				snprintf(line, sizeof(line), "enc %s %s auth %s %s",
					 ciphers[c].name, key_of(ciphers[c].keys[k], 0), hmacs[h],
					 key_of(digest_bits[h] / 8, 1));
				ok(!parse_algs(line, &spec) && !spec.aead && spec.enc &&
					   spec.auth && spec.enc_key.len == ciphers[c].keys[k] &&
					   spec.auth_key.len == digest_bits[h] / 8 &&
					   spec.icv_bits == rfc_bits[h],
				   "%s %u-byte key with auth %s: RFC truncation %u bits",
				   ciphers[c].name, ciphers[c].keys[k], hmacs[h], rfc_bits[h]);
			}
	for (c = 0; c < 2; c++)
		for (k = 0; k < 5; k++) {
			snprintf(line, sizeof(line), "enc %s %s auth hmac(sha256) %s",
				 ciphers[c].name, key_of(ciphers[c].bad[k], 0), key_of(32, 1));
			ok(parse_algs(line, &spec) == EXIT_ERROR &&
				   strstr(log_last_error(), ciphers[c].name) &&
				   strstr(log_last_error(), "bad key length"),
			   "%s with a %u-byte key refused", ciphers[c].name, ciphers[c].bad[k]);
		}
	for (h = 0; h < 4; h++) {
		for (bits = 32; bits <= digest_bits[h]; bits += 32) {
			snprintf(line, sizeof(line), "enc cbc(aes) %s auth-trunc %s %s %u",
				 key_of(16, 0), hmacs[h], key_of(20, 1), bits);
			ok(!parse_algs(line, &spec) && spec.icv_bits == bits,
			   "auth-trunc %s to %u bits", hmacs[h], bits);
		}
		for (bits = 0; bits <= digest_bits[h] + 64; bits += 16) {
			if (bits % 32 == 0 && bits >= 32 && bits <= digest_bits[h])
				continue;
			snprintf(line, sizeof(line), "enc cbc(aes) %s auth-trunc %s %s %u",
				 key_of(16, 0), hmacs[h], key_of(20, 1), bits);
			ok(parse_algs(line, &spec) == EXIT_ERROR &&
				   strstr(log_last_error(), "bad truncation"),
			   "auth-trunc %s to %u bits refused", hmacs[h], bits);
		}
	}
	for (k = 0; k < sizeof(hmac_keys) / sizeof(hmac_keys[0]); k++) {
		snprintf(line, sizeof(line), "enc cbc(aes) %s auth hmac(sha1) %s", key_of(16, 0),
			 key_of(hmac_keys[k], 1));
		if (hmac_keys[k] <= KEY_MAX_BYTES)
			ok(!parse_algs(line, &spec) && spec.auth_key.len == hmac_keys[k],
			   "hmac(sha1) with a %u-byte key", hmac_keys[k]);
		else
			ok(parse_algs(line, &spec) == EXIT_ERROR &&
				   strstr(log_last_error(), "authentication key"),
			   "hmac(sha1) with a %u-byte key refused", hmac_keys[k]);
	}
	snprintf(line, sizeof(line), "auth-trunc hmac(sha256) %s 96 enc cbc(aes) %s", key_of(32, 1),
		 key_of(32, 0));
	ok(!parse_algs(line, &spec) && spec.icv_bits == 96 && spec.enc_key.len == 32 &&
		   spec.auth_key.len == 32,
	   "auth-trunc before enc, sha256 at 96 bits as some peers do");
}

static void test_clause_errors(void)
{
	static const struct {
		const char *line;
		int ret;
		const char *needle;
	} cases[] = {
		{ "", EXIT_USAGE, "no algorithm" },
		{ "aead rfc4106(gcm(aes)) 0x0001020304050607080910111213", EXIT_USAGE,
		  "'aead' needs" },
		{ "aead rfc4106(gcm(aes))", EXIT_USAGE, "'aead' needs" },
		{ "enc cbc(aes)", EXIT_USAGE, "'enc' needs" },
		{ "auth-trunc hmac(sha1) 0x01", EXIT_USAGE, "'auth-trunc' needs" },
		{ "aead gcm(aes) 0x0001020304050607080910111213 128", EXIT_ERROR, "'gcm(aes)'" },
		{ "aead cbc(aes) 0x00010203040506070809101112131415 128", EXIT_ERROR,
		  "'cbc(aes)'" },
		{ "enc rfc4106(gcm(aes)) 0x0001020304050607080910111213 auth hmac(sha1) 0x01",
		  EXIT_ERROR, "unsupported enc" },
		{ "enc cbc(aes) 0x00010203040506070809101112131415 auth hmac(md5) 0x01", EXIT_ERROR,
		  "hmac(md5)" },
		{ "enc aes 0x00010203040506070809101112131415 auth sha1 0x01", EXIT_ERROR,
		  "'aes'" },
		{ "enc cbc(aes) 0x00010203040506070809101112131415", EXIT_USAGE, "needs 'auth'" },
		{ "auth hmac(sha1) 0x01", EXIT_USAGE, "needs 'enc'" },
		{ "enc cbc(aes) 0x00010203040506070809101112131415 auth hmac(sha1) 0x01 "
		  "auth hmac(sha1) 0x01",
		  EXIT_USAGE, "more than one auth" },
		{ "enc cbc(aes) 0x00010203040506070809101112131415 auth hmac(sha1) 0x01 "
		  "auth-trunc hmac(sha1) 0x01 96",
		  EXIT_USAGE, "more than one auth" },
		{ "aead rfc4106(gcm(aes)) 0x0001020304050607080910111213141516171819 128 "
		  "enc cbc(aes) 0x00010203040506070809101112131415",
		  EXIT_USAGE, "cannot be combined" },
		{ "auth hmac(sha1) 0x01 aead rfc4106(gcm(aes)) "
		  "0x0001020304050607080910111213141516171819 128",
		  EXIT_USAGE, "cannot be combined" },
		{ "enc cbc(aes) 0x0001 auth hmac(sha1) 0x01", EXIT_ERROR, "bad key length 2" },
		{ "enc cbc(aes) 00010203040506070809101112131415 auth hmac(sha1) 0x01", EXIT_ERROR,
		  "encryption key" },
		{ "enc cbc(aes) 0x00010203040506070809101112131415 auth hmac(sha1) 0x0", EXIT_ERROR,
		  "authentication key" },
	};
	struct alg_spec spec;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ret = parse_algs(cases[i].line, &spec);
		ok(ret == cases[i].ret && strstr(log_last_error(), cases[i].needle),
		   "'%s' refused with exit %d: %s", cases[i].line, cases[i].ret, cases[i].needle);
	}
	parse_algs("aead rfc4106(gcm(aes)) 0x0001020304050607080910111213141516171819 128", &spec);
	alg_wipe(&spec);
	ok(spec.enc_key.len == 0 && spec.enc_key.bytes[0] == 0, "alg_wipe clears the keys");
}

void test_alg(void)
{
	test_aead();
	test_enc_auth();
	test_clause_errors();
}
