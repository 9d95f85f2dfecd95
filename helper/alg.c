// SPDX-License-Identifier: GPL-2.0
/*
 * The algorithms esptun.ko implements (uapi/linux/esptun.h) and the
 * ip-xfrm-style clauses that select them, with their key and ICV lengths.
 */
#include <stdio.h>
#include <string.h>

#include "alg.h"
#include "log.h"
#include "parse.h"

static const struct alg_desc algs[] = {
	/* RFC 4106: the key carries a 4-byte salt after the AES key. */
	{ "rfc4106(gcm(aes))", ALG_AEAD, { 20, 28, 36 }, { 64, 96, 128 }, 0, 0 },
	{ "cbc(aes)", ALG_ENC, { 16, 24, 32 }, { 0 }, 0, 0 },
	{ "cbc(des3_ede)", ALG_ENC, { 24 }, { 0 }, 0, 0 },
	{ "hmac(sha1)", ALG_AUTH, { 0 }, { 0 }, 160, 96 },
	{ "hmac(sha256)", ALG_AUTH, { 0 }, { 0 }, 256, 128 },
	{ "hmac(sha384)", ALG_AUTH, { 0 }, { 0 }, 384, 192 },
	{ "hmac(sha512)", ALG_AUTH, { 0 }, { 0 }, 512, 256 },
};

static const char *const kind_names[] = {
	[ALG_AEAD] = "aead",
	[ALG_ENC] = "enc",
	[ALG_AUTH] = "auth",
};

/* The separator before item I of N in "a, b or c". */
static const char *list_separator(size_t i, size_t n)
{
	return i == 0 ? "" : i + 1 < n ? ", " : " or ";
}

/* "20, 28 or 36" from a 0-terminated list of up to ALG_CHOICES values. */
static void format_choices(char *buf, size_t size, const uint16_t *values)
{
	size_t i, n = 0, used = 0;

	while (n < ALG_CHOICES && values[n])
		n++;
	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%u", list_separator(i, n), values[i]);
}

static bool in_list(const uint16_t *values, uint32_t value)
{
	size_t i;

	for (i = 0; i < ALG_CHOICES && values[i]; i++)
		if (values[i] == value)
			return true;
	return false;
}

#define N_ALGS (sizeof(algs) / sizeof(algs[0]))

static const struct alg_desc *find_alg(enum alg_kind kind, const char *name)
{
	char names[256];
	size_t i, j, n = 0, used = 0;

	for (i = 0; i < N_ALGS; i++)
		if (algs[i].kind == kind && !strcmp(algs[i].name, name))
			return &algs[i];
	/* Say what would have been accepted: the kernel names are easy to get slightly wrong. */
	for (i = 0; i < N_ALGS; i++)
		n += algs[i].kind == kind;
	names[0] = '\0';
	for (i = 0, j = 0; i < N_ALGS && used < sizeof(names); i++)
		if (algs[i].kind == kind)
			used += snprintf(names + used, sizeof(names) - used, "%s%s",
					 list_separator(j++, n), algs[i].name);
	log_error("unsupported %s algorithm '%s': expected %s", kind_names[kind], name, names);
	return NULL;
}

static int check_key_len(const struct alg_desc *alg, const struct key *key)
{
	char choices[64];

	if (!alg->key_bytes[0] || in_list(alg->key_bytes, key->len))
		return 0;
	format_choices(choices, sizeof(choices), alg->key_bytes);
	log_error("bad key length %zu for %s: expected %s bytes", key->len, alg->name, choices);
	return EXIT_ERROR;
}

static int check_icv_bits(const struct alg_desc *alg, uint32_t bits)
{
	char choices[64];

	if (alg->kind == ALG_AEAD) {
		if (in_list(alg->icv_bits, bits))
			return 0;
		format_choices(choices, sizeof(choices), alg->icv_bits);
		log_error("bad ICV length %u for %s: expected %s bits", bits, alg->name, choices);
		return EXIT_ERROR;
	}
	/* Some peers truncate differently from RFC 4868 (sha256 at 96 bits): allow any. */
	if (bits >= 32 && bits <= alg->digest_bits && bits % 32 == 0)
		return 0;
	log_error("bad truncation %u for %s: expected a multiple of 32 from 32 to %u bits", bits,
		  alg->name, alg->digest_bits);
	return EXIT_ERROR;
}

/* NAME KEY [BITS] after the keyword, shared by all four clauses. */
static int parse_alg_words(enum alg_kind kind, char **words, bool with_bits,
			   const struct alg_desc **alg, struct key *key, uint32_t *bits)
{
	const char *key_name = kind == ALG_AUTH ? "authentication key" : "encryption key";
	uint64_t value;
	int ret;

	*alg = find_alg(kind, words[0]);
	if (!*alg)
		return EXIT_ERROR;
	ret = key_parse(key_name, words[1], key);
	if (!ret)
		ret = check_key_len(*alg, key);
	if (ret)
		return ret;
	if (!with_bits) {
		/* "auth" truncates as the RFCs say; "enc" leaves the ICV to its auth clause. */
		if (kind == ALG_AUTH)
			*bits = (*alg)->rfc_trunc_bits;
		return 0;
	}
	ret = parse_number(kind == ALG_AEAD ? "ICV length" : "truncation", words[2], 0, UINT32_MAX,
			   &value);
	if (!ret)
		ret = check_icv_bits(*alg, value);
	if (!ret)
		*bits = value;
	return ret;
}

int alg_parse_clause(struct alg_spec *spec, int argc, char **argv)
{
	static const struct {
		const char *keyword;
		enum alg_kind kind;
		bool with_bits;
		const char *usage;
	} clauses[] = {
		{ "aead", ALG_AEAD, true, "NAME KEY ICV-BITS" },
		{ "enc", ALG_ENC, false, "NAME KEY" },
		{ "auth", ALG_AUTH, false, "NAME KEY" },
		{ "auth-trunc", ALG_AUTH, true, "NAME KEY TRUNC-BITS" },
	};
	const struct alg_desc **slot;
	enum alg_kind kind;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(clauses) / sizeof(clauses[0]); i++)
		if (!strcmp(argv[0], clauses[i].keyword))
			break;
	if (i == sizeof(clauses) / sizeof(clauses[0]))
		return 0;

	kind = clauses[i].kind;
	if (argc < (clauses[i].with_bits ? 4 : 3))
		return -missing_words(argv[0], clauses[i].usage);
	slot = kind == ALG_AEAD ? &spec->aead : kind == ALG_ENC ? &spec->enc : &spec->auth;
	if (*slot) {
		log_error("more than one %s algorithm given", kind_names[kind]);
		return -EXIT_USAGE;
	}
	if (kind == ALG_AEAD ? spec->enc || spec->auth : spec->aead != NULL) {
		log_error("'%s' cannot be combined with %s", argv[0],
			  kind == ALG_AEAD ? "enc or auth" : "aead");
		return -EXIT_USAGE;
	}
	ret = parse_alg_words(kind, argv + 1, clauses[i].with_bits, slot,
			      kind == ALG_AUTH ? &spec->auth_key : &spec->enc_key, &spec->icv_bits);
	if (ret) {
		*slot = NULL;
		return -ret;
	}
	return clauses[i].with_bits ? 4 : 3;
}

int alg_check_complete(const struct alg_spec *spec)
{
	if (spec->aead || (spec->enc && spec->auth))
		return 0;
	if (spec->enc)
		log_error("'enc' needs 'auth' or 'auth-trunc' too");
	else if (spec->auth)
		log_error("'auth' needs 'enc' too");
	else
		log_error("no algorithm: give 'aead NAME KEY ICV-BITS' or 'enc NAME KEY auth NAME "
			  "KEY'");
	return EXIT_USAGE;
}

void alg_wipe(struct alg_spec *spec)
{
	key_wipe(&spec->enc_key);
	key_wipe(&spec->auth_key);
}
