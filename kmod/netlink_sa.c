// SPDX-License-Identifier: GPL-2.0
/*
 * The SA nest of a request (ESPTUN_A_SA), checked completely into an
 * esptun_sa_config: attribute types by policy, then what policies cannot
 * say (which attributes go together, key and ICV lengths per algorithm),
 * each refusal with an extack message that names the attribute.
 */

#include <net/genetlink.h>
#include <net/netlink.h>

#include "netlink.h"
#include "replay.h"
#include "sa.h"

static const struct nla_policy lifetime_policy[ESPTUN_A_LIFETIME_MAX + 1] = {
	[ESPTUN_A_LIFETIME_SOFT_BYTES] = { .type = NLA_U64 },
	[ESPTUN_A_LIFETIME_HARD_BYTES] = { .type = NLA_U64 },
	[ESPTUN_A_LIFETIME_SOFT_PACKETS] = { .type = NLA_U64 },
	[ESPTUN_A_LIFETIME_HARD_PACKETS] = { .type = NLA_U64 },
	[ESPTUN_A_LIFETIME_SOFT_SECONDS] = { .type = NLA_U64 },
	[ESPTUN_A_LIFETIME_HARD_SECONDS] = { .type = NLA_U64 },
	[ESPTUN_A_LIFETIME_PAD] = { .type = NLA_REJECT },
};

#define MAX_ALG_NAME 32
#define MAX_ENC_KEY 36
#define MAX_AUTH_KEY 128

const struct nla_policy esptun_nl_sa_policy[ESPTUN_A_SA_MAX + 1] = {
	[ESPTUN_A_SA_DIR] = NLA_POLICY_RANGE(NLA_U8, ESPTUN_DIR_IN, ESPTUN_DIR_OUT),
	[ESPTUN_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 1),
	[ESPTUN_A_SA_AEAD] = { .type = NLA_NUL_STRING, .len = MAX_ALG_NAME },
	[ESPTUN_A_SA_ENC] = { .type = NLA_NUL_STRING, .len = MAX_ALG_NAME },
	[ESPTUN_A_SA_AUTH] = { .type = NLA_NUL_STRING, .len = MAX_ALG_NAME },
	[ESPTUN_A_SA_ENC_KEY] = NLA_POLICY_RANGE(NLA_BINARY, 1, MAX_ENC_KEY),
	[ESPTUN_A_SA_AUTH_KEY] = NLA_POLICY_RANGE(NLA_BINARY, 1, MAX_AUTH_KEY),
	[ESPTUN_A_SA_ICV_BITS] = NLA_POLICY_RANGE(NLA_U32, 32, 512),
	[ESPTUN_A_SA_FLAGS] = NLA_POLICY_MASK(NLA_U32, __ESPTUN_SA_F_ALL),
	[ESPTUN_A_SA_REPLAY_WINDOW] = NLA_POLICY_MAX(NLA_U32, ESPTUN_REPLAY_WINDOW_MAX),
	[ESPTUN_A_SA_SEQ] = { .type = NLA_U64 },
	[ESPTUN_A_SA_LIFETIME] = NLA_POLICY_NESTED(lifetime_policy),
	[ESPTUN_A_SA_SELECTOR] = NLA_POLICY_NESTED(esptun_sel_policy),
	/* Read-only attributes. */
	[ESPTUN_A_SA_STATS] = { .type = NLA_REJECT },
	[ESPTUN_A_SA_ADD_TIME] = { .type = NLA_REJECT },
	[ESPTUN_A_SA_PAD] = { .type = NLA_REJECT },
};

static u64 get_u64(const struct nlattr *attr)
{
	return attr ? nla_get_u64(attr) : 0;
}

/*
 * A soft limit past the hard one of its unit would announce a rekey for
 * an SA that is already gone: refuse it, so the soft event always comes
 * first. Equal limits are fine (both fire at once); 0 is no limit.
 */
static int check_soft(struct nlattr **tb, int soft, int hard, struct netlink_ext_ack *extack)
{
	u64 s = get_u64(tb[soft]), h = get_u64(tb[hard]);

	if (s && h && s > h) {
		NL_SET_ERR_MSG_ATTR(extack, tb[soft], "Soft lifetime limit above the hard one");
		return -EINVAL;
	}
	return 0;
}

int esptun_nl_parse_lifetime(const struct nlattr *nest, struct esptun_lifetime *l,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ESPTUN_A_LIFETIME_MAX + 1];
	int err;

	err = nla_parse_nested(tb, ESPTUN_A_LIFETIME_MAX, nest, lifetime_policy, extack);
	if (err)
		return err;
	err = check_soft(tb, ESPTUN_A_LIFETIME_SOFT_BYTES, ESPTUN_A_LIFETIME_HARD_BYTES, extack) ?:
	      check_soft(tb, ESPTUN_A_LIFETIME_SOFT_PACKETS, ESPTUN_A_LIFETIME_HARD_PACKETS,
			 extack) ?:
	      check_soft(tb, ESPTUN_A_LIFETIME_SOFT_SECONDS, ESPTUN_A_LIFETIME_HARD_SECONDS,
			 extack);
	if (err)
		return err;
	l->soft_bytes = get_u64(tb[ESPTUN_A_LIFETIME_SOFT_BYTES]);
	l->hard_bytes = get_u64(tb[ESPTUN_A_LIFETIME_HARD_BYTES]);
	l->soft_packets = get_u64(tb[ESPTUN_A_LIFETIME_SOFT_PACKETS]);
	l->hard_packets = get_u64(tb[ESPTUN_A_LIFETIME_HARD_PACKETS]);
	l->soft_seconds = get_u64(tb[ESPTUN_A_LIFETIME_SOFT_SECONDS]);
	l->hard_seconds = get_u64(tb[ESPTUN_A_LIFETIME_HARD_SECONDS]);
	return 0;
}

static bool keylen_ok(const struct esptun_alg *alg, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(alg->keylens); i++)
		if (alg->keylens[i] && alg->keylens[i] == len)
			return true;
	return false;
}

/* RFC 4868 truncations, and RFC 2404's 96 bits for SHA-1. */
static u32 default_icv_bits(const struct esptun_sa_config *cfg)
{
	if (!cfg->auth)
		return 128;
	if (cfg->auth->max_icv_bits == 160)
		return 96;
	return cfg->auth->max_icv_bits / 2;
}

static int parse_algs(struct nlattr **tb, struct esptun_sa_config *cfg,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *aead = tb[ESPTUN_A_SA_AEAD], *enc = tb[ESPTUN_A_SA_ENC];
	struct nlattr *auth = tb[ESPTUN_A_SA_AUTH], *ekey = tb[ESPTUN_A_SA_ENC_KEY];
	struct nlattr *akey = tb[ESPTUN_A_SA_AUTH_KEY], *icv = tb[ESPTUN_A_SA_ICV_BITS];

	if (aead) {
		if (enc || auth || akey) {
			NL_SET_ERR_MSG_ATTR(extack, enc ?: auth ?: akey,
					    "AEAD excludes ENC, AUTH and AUTH_KEY");
			return -EINVAL;
		}
		cfg->cipher = esptun_alg_find(nla_data(aead), ESPTUN_ALG_AEAD);
		if (!cfg->cipher) {
			NL_SET_ERR_MSG_ATTR(extack, aead, "Unsupported AEAD algorithm");
			return -EOPNOTSUPP;
		}
	} else {
		if (!enc || !auth || !akey) {
			NL_SET_ERR_MSG(extack, "Need AEAD, or ENC with AUTH and AUTH_KEY");
			return -EINVAL;
		}
		cfg->cipher = esptun_alg_find(nla_data(enc), ESPTUN_ALG_ENC);
		if (!cfg->cipher) {
			NL_SET_ERR_MSG_ATTR(extack, enc, "Unsupported cipher");
			return -EOPNOTSUPP;
		}
		cfg->auth = esptun_alg_find(nla_data(auth), ESPTUN_ALG_AUTH);
		if (!cfg->auth) {
			NL_SET_ERR_MSG_ATTR(extack, auth, "Unsupported authentication algorithm");
			return -EOPNOTSUPP;
		}
		cfg->auth_key = nla_data(akey);
		cfg->auth_keylen = nla_len(akey);
	}
	if (!ekey) {
		NL_SET_ERR_MSG(extack, "ENC_KEY is required");
		return -EINVAL;
	}
	if (!keylen_ok(cfg->cipher, nla_len(ekey))) {
		NL_SET_ERR_MSG_ATTR(extack, ekey, "Wrong key length for the algorithm");
		return -EINVAL;
	}
	cfg->enc_key = nla_data(ekey);
	cfg->enc_keylen = nla_len(ekey);

	cfg->icv_bits = icv ? nla_get_u32(icv) : default_icv_bits(cfg);
	if (cfg->auth ? cfg->icv_bits % 32 || cfg->icv_bits > cfg->auth->max_icv_bits :
			cfg->icv_bits != 64 && cfg->icv_bits != 96 && cfg->icv_bits != 128) {
		NL_SET_ERR_MSG_ATTR(extack, icv, "ICV length not valid for the algorithm");
		return -EINVAL;
	}
	return 0;
}

/*
 * The uapi promises that a request is refused, not half-read: an attribute
 * the command does not use (a bit not in @used) may be a caller's mistake
 * about what the command does.
 */
int esptun_nl_check_used(struct nlattr **tb, int maxtype, unsigned long used,
			 struct netlink_ext_ack *extack)
{
	int i;

	for (i = 1; i <= maxtype; i++) {
		if (tb[i] && !(used & BIT(i))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i], "Attribute not used by this command");
			return -EINVAL;
		}
	}
	return 0;
}

int esptun_nl_parse_sa_id(struct nlattr **attrs, struct nlattr **tb, unsigned long used,
			  struct netlink_ext_ack *extack)
{
	int err;

	if (!attrs[ESPTUN_A_SA]) {
		NL_SET_ERR_MSG(extack, "ESPTUN_A_SA is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, ESPTUN_A_SA_MAX, attrs[ESPTUN_A_SA], esptun_nl_sa_policy,
			       extack);
	if (err)
		return err;
	if (!tb[ESPTUN_A_SA_DIR] || !tb[ESPTUN_A_SA_SPI]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[ESPTUN_A_SA], "SA_DIR and SA_SPI are required");
		return -EINVAL;
	}
	return esptun_nl_check_used(tb, ESPTUN_A_SA_MAX, used, extack);
}

int esptun_nl_parse_sa(struct nlattr **tb, struct esptun_sa_config *cfg,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *window = tb[ESPTUN_A_SA_REPLAY_WINDOW];
	int err;

	cfg->dir = nla_get_u8(tb[ESPTUN_A_SA_DIR]);
	cfg->spi = nla_get_u32(tb[ESPTUN_A_SA_SPI]);
	cfg->flags = tb[ESPTUN_A_SA_FLAGS] ? nla_get_u32(tb[ESPTUN_A_SA_FLAGS]) : 0;
	cfg->seq = get_u64(tb[ESPTUN_A_SA_SEQ]);
	if (!(cfg->flags & ESPTUN_SA_F_ESN) && cfg->seq > U32_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ESPTUN_A_SA_SEQ],
				    "SEQ above 2^32 - 1 needs the ESN flag");
		return -EINVAL;
	}
	if (window && cfg->dir != ESPTUN_DIR_IN) {
		NL_SET_ERR_MSG_ATTR(extack, window, "Only inbound SAs have a replay window");
		return -EINVAL;
	}
	cfg->replay_window = window ? nla_get_u32(window) : ESPTUN_REPLAY_WINDOW_DEFAULT;
	if (tb[ESPTUN_A_SA_LIFETIME]) {
		err = esptun_nl_parse_lifetime(tb[ESPTUN_A_SA_LIFETIME], &cfg->lft, extack);
		if (err)
			return err;
	}
	if (tb[ESPTUN_A_SA_SELECTOR]) {
		err = esptun_sel_parse(tb[ESPTUN_A_SA_SELECTOR], &cfg->sel, extack);
		if (err)
			return err;
	}
	return parse_algs(tb, cfg, extack);
}
