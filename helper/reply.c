// SPDX-License-Identifier: GPL-2.0
/*
 * The SA and selector nests the kernel sends in replies and events, parsed
 * into struct sa_info and struct selector for show and monitor, and
 * selectors written the way "esptun sa add ... sel" takes them.
 */
#include <arpa/inet.h>
#include <stdio.h>
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
	[ESPTUN_A_SA_SELECTOR] = { .type = NLA_NESTED },
};

static const struct nla_policy sel_policy[ESPTUN_A_SEL_MAX + 1] = {
	[ESPTUN_A_SEL_SRC] = { .minlen = 4, .maxlen = 16 },
	[ESPTUN_A_SEL_SRC_LEN] = { .type = NLA_U8 },
	[ESPTUN_A_SEL_DST] = { .minlen = 4, .maxlen = 16 },
	[ESPTUN_A_SEL_DST_LEN] = { .type = NLA_U8 },
	[ESPTUN_A_SEL_PROTO] = { .type = NLA_U8 },
	[ESPTUN_A_SEL_SPORT] = { .type = NLA_U16 },
	[ESPTUN_A_SEL_DPORT] = { .type = NLA_U16 },
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

/* ADDR and LEN of one side; false when either is missing or malformed. */
static bool parse_prefix_attrs(struct nlattr *addr, struct nlattr *len, struct prefix *prefix)
{
	if (!addr || !len || (nla_len(addr) != 4 && nla_len(addr) != 16))
		return false;
	prefix->addr.family = nla_len(addr) == 4 ? AF_INET : AF_INET6;
	memcpy(prefix->addr.bytes, nla_data(addr), nla_len(addr));
	prefix->len = nla_get_u8(len);
	return prefix->len <= 8 * address_len(&prefix->addr);
}

int selector_parse(struct nlattr *nest, struct selector *sel)
{
	struct nlattr *attrs[ESPTUN_A_SEL_MAX + 1];

	memset(sel, 0, sizeof(*sel));
	if (nla_parse_nested(attrs, ESPTUN_A_SEL_MAX, nest, (struct nla_policy *)sel_policy) < 0 ||
	    !parse_prefix_attrs(attrs[ESPTUN_A_SEL_SRC], attrs[ESPTUN_A_SEL_SRC_LEN], &sel->src) ||
	    !parse_prefix_attrs(attrs[ESPTUN_A_SEL_DST], attrs[ESPTUN_A_SEL_DST_LEN], &sel->dst)) {
		log_error("malformed selector in a message from the kernel");
		return EXIT_ERROR;
	}
	if (attrs[ESPTUN_A_SEL_PROTO])
		sel->proto = nla_get_u8(attrs[ESPTUN_A_SEL_PROTO]);
	if (attrs[ESPTUN_A_SEL_SPORT])
		sel->sport = nla_get_u16(attrs[ESPTUN_A_SEL_SPORT]);
	if (attrs[ESPTUN_A_SEL_DPORT])
		sel->dport = nla_get_u16(attrs[ESPTUN_A_SEL_DPORT]);
	return 0;
}

void prefix_format(const struct prefix *prefix, bool full, char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	inet_ntop(prefix->addr.family, prefix->addr.bytes, addr, sizeof(addr));
	if (!full && prefix->len == 8 * address_len(&prefix->addr))
		snprintf(buf, size, "%s", addr);
	else
		snprintf(buf, size, "%s/%u", addr, prefix->len);
}

void selector_format(const struct selector *sel, char *buf, size_t size)
{
	char src[PREFIX_TEXT_MAX], dst[PREFIX_TEXT_MAX];
	const char *name = proto_name(sel->proto);
	int len;

	prefix_format(&sel->src, false, src, sizeof(src));
	prefix_format(&sel->dst, false, dst, sizeof(dst));
	len = snprintf(buf, size, "%s -> %s", src, dst);
	if (sel->proto && name)
		len += snprintf(buf + len, size - len, " proto %s", name);
	else if (sel->proto)
		len += snprintf(buf + len, size - len, " proto %u", sel->proto);
	if (sel->sport)
		len += snprintf(buf + len, size - len, " sport %u", sel->sport);
	if (sel->dport)
		snprintf(buf + len, size - len, " dport %u", sel->dport);
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
	parse_u64_nest(attrs[ESPTUN_A_SA_STATS], sa->stats, ESPTUN_A_STATS_LAST_MS);
	if (attrs[ESPTUN_A_SA_SELECTOR]) {
		sa->has_sel = true;
		return selector_parse(attrs[ESPTUN_A_SA_SELECTOR], &sa->sel);
	}
	return 0;
}

const char *dir_name(uint8_t dir)
{
	return dir == ESPTUN_DIR_IN ? "in" : dir == ESPTUN_DIR_OUT ? "out" : "?";
}
