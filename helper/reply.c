// SPDX-License-Identifier: GPL-2.0
/*
 * The SA nests the kernel sends in replies and events, parsed into
 * struct sa_info for show and monitor.
 */
#include <string.h>

#include "log.h"
#include "reply.h"

static const struct nla_policy sa_policy[ESPTUN_A_SA_MAX + 1] = {
	[ESPTUN_A_SA_DIR] = { .type = NLA_U8 },
	[ESPTUN_A_SA_SPI] = { .type = NLA_U32 },
	[ESPTUN_A_SA_AEAD] = { .type = NLA_STRING },
	[ESPTUN_A_SA_ENC] = { .type = NLA_STRING },
	[ESPTUN_A_SA_AUTH] = { .type = NLA_STRING },
	[ESPTUN_A_SA_ICV_BITS] = { .type = NLA_U32 },
	[ESPTUN_A_SA_FLAGS] = { .type = NLA_U32 },
	[ESPTUN_A_SA_REPLAY_WINDOW] = { .type = NLA_U32 },
	[ESPTUN_A_SA_SEQ] = { .type = NLA_U64 },
	[ESPTUN_A_SA_LIFETIME] = { .type = NLA_NESTED },
	[ESPTUN_A_SA_STATS] = { .type = NLA_NESTED },
	[ESPTUN_A_SA_ADD_TIME] = { .type = NLA_U64 },
};

/* Every attribute of the LIFETIME and STATS nests is a u64 counter or limit. */
static void parse_u64_nest(struct nlattr *nest, uint64_t *values, int max)
{
	struct nlattr *attr;
	int rem;

	if (!nest)
		return;
	nla_for_each_nested(attr, nest, rem) {
		int type = nla_type(attr);

		if (type < 1 || type > max || nla_len(attr) != sizeof(uint64_t))
			continue; /* padding, or newer than this helper */
		values[type] = nla_get_u64(attr);
	}
}

int sa_info_parse(struct nlattr *nest, struct sa_info *sa)
{
	struct nlattr *attrs[ESPTUN_A_SA_MAX + 1];

	memset(sa, 0, sizeof(*sa));
	if (nla_parse_nested(attrs, ESPTUN_A_SA_MAX, nest, (struct nla_policy *)sa_policy) < 0) {
		log_error("malformed SA in a message from the kernel");
		return EXIT_ERROR;
	}
	if (attrs[ESPTUN_A_SA_DIR])
		sa->dir = nla_get_u8(attrs[ESPTUN_A_SA_DIR]);
	if (attrs[ESPTUN_A_SA_SPI])
		sa->spi = nla_get_u32(attrs[ESPTUN_A_SA_SPI]);
	if (attrs[ESPTUN_A_SA_AEAD])
		sa->aead = nla_get_string(attrs[ESPTUN_A_SA_AEAD]);
	if (attrs[ESPTUN_A_SA_ENC])
		sa->enc = nla_get_string(attrs[ESPTUN_A_SA_ENC]);
	if (attrs[ESPTUN_A_SA_AUTH])
		sa->auth = nla_get_string(attrs[ESPTUN_A_SA_AUTH]);
	if (attrs[ESPTUN_A_SA_ICV_BITS])
		sa->icv_bits = nla_get_u32(attrs[ESPTUN_A_SA_ICV_BITS]);
	if (attrs[ESPTUN_A_SA_FLAGS])
		sa->flags = nla_get_u32(attrs[ESPTUN_A_SA_FLAGS]);
	if (attrs[ESPTUN_A_SA_REPLAY_WINDOW])
		sa->replay_window = nla_get_u32(attrs[ESPTUN_A_SA_REPLAY_WINDOW]);
	if (attrs[ESPTUN_A_SA_SEQ])
		sa->seq = nla_get_u64(attrs[ESPTUN_A_SA_SEQ]);
	if (attrs[ESPTUN_A_SA_ADD_TIME])
		sa->add_time = nla_get_u64(attrs[ESPTUN_A_SA_ADD_TIME]);
	parse_u64_nest(attrs[ESPTUN_A_SA_LIFETIME], sa->lifetime, ESPTUN_A_LIFETIME_HARD_SECONDS);
	parse_u64_nest(attrs[ESPTUN_A_SA_STATS], sa->stats, ESPTUN_A_STATS_LAST_RX);
	return 0;
}

const char *dir_name(uint8_t dir)
{
	return dir == ESPTUN_DIR_IN ? "in" : dir == ESPTUN_DIR_OUT ? "out" : "?";
}
