// SPDX-License-Identifier: GPL-2.0
/*
 * What esptun writes into its messages, replies and events alike: device
 * names, endpoints and SA nests. Never keys: they are write-only.
 */

#include <net/netlink.h>

#include "device.h"
#include "netlink.h"
#include "replay.h"
#include "sa.h"

int esptun_nl_put_addr(struct sk_buff *skb, int type, sa_family_t family, const void *addr)
{
	return nla_put(skb, type, family == AF_INET ? 4 : 16, addr);
}

static int put_lifetime(struct sk_buff *skb, const struct esptun_lifetime *l)
{
	struct nlattr *nest = nla_nest_start(skb, ESPTUN_A_SA_LIFETIME);

	if (!nest ||
	    nla_put_u64_64bit(skb, ESPTUN_A_LIFETIME_SOFT_BYTES, l->soft_bytes,
			      ESPTUN_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, ESPTUN_A_LIFETIME_HARD_BYTES, l->hard_bytes,
			      ESPTUN_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, ESPTUN_A_LIFETIME_SOFT_PACKETS, l->soft_packets,
			      ESPTUN_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, ESPTUN_A_LIFETIME_HARD_PACKETS, l->hard_packets,
			      ESPTUN_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, ESPTUN_A_LIFETIME_SOFT_SECONDS, l->soft_seconds,
			      ESPTUN_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, ESPTUN_A_LIFETIME_HARD_SECONDS, l->hard_seconds,
			      ESPTUN_A_LIFETIME_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_stats(struct sk_buff *skb, const struct esptun_sa *sa)
{
	const struct esptun_sa_stats *s = &sa->stats;
	u64 last = atomic64_read(&s->last_used);
	struct nlattr *nest = nla_nest_start(skb, ESPTUN_A_SA_STATS);
	static const struct {
		int type;
		size_t off;
	} fields[] = {
		{ ESPTUN_A_STATS_PACKETS, offsetof(struct esptun_sa_stats, packets) },
		{ ESPTUN_A_STATS_BYTES, offsetof(struct esptun_sa_stats, bytes) },
		{ ESPTUN_A_STATS_REPLAY_DROPS, offsetof(struct esptun_sa_stats, replay_drops) },
		{ ESPTUN_A_STATS_ICV_FAILURES, offsetof(struct esptun_sa_stats, icv_failures) },
		{ ESPTUN_A_STATS_OTHER_DROPS, offsetof(struct esptun_sa_stats, other_drops) },
		{ ESPTUN_A_STATS_SELECTOR_DROPS,
		  offsetof(struct esptun_sa_stats, selector_drops) },
	};
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		const atomic64_t *v = (const void *)s + fields[i].off;

		if (nla_put_u64_64bit(skb, fields[i].type, atomic64_read(v),
				      ESPTUN_A_STATS_PAD))
			return -EMSGSIZE;
	}
	if ((sa->dir == ESPTUN_DIR_IN &&
	     nla_put_u64_64bit(skb, ESPTUN_A_STATS_LAST_RX, div_u64(last, NSEC_PER_SEC),
			       ESPTUN_A_STATS_PAD)) ||
	    nla_put_u64_64bit(skb, ESPTUN_A_STATS_LAST_MS, div_u64(last, NSEC_PER_MSEC),
			      ESPTUN_A_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One SA nest: never keys. */
int esptun_nl_put_sa(struct sk_buff *skb, int type, const struct esptun_sa *sa, bool full)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest || nla_put_u8(skb, ESPTUN_A_SA_DIR, sa->dir) ||
	    nla_put_u32(skb, ESPTUN_A_SA_SPI, sa->spi))
		return -EMSGSIZE;
	if (!full)
		goto out;
	if (!sa->auth && nla_put_string(skb, ESPTUN_A_SA_AEAD, sa->cipher->name))
		return -EMSGSIZE;
	if (sa->auth && (nla_put_string(skb, ESPTUN_A_SA_ENC, sa->cipher->name) ||
			 nla_put_string(skb, ESPTUN_A_SA_AUTH, sa->auth->name)))
		return -EMSGSIZE;
	if (nla_put_u32(skb, ESPTUN_A_SA_ICV_BITS, sa->icvlen * 8) ||
	    nla_put_u32(skb, ESPTUN_A_SA_FLAGS, sa->flags) ||
	    (sa->replay && nla_put_u32(skb, ESPTUN_A_SA_REPLAY_WINDOW,
				       esptun_replay_window(sa->replay))) ||
	    nla_put_u64_64bit(skb, ESPTUN_A_SA_SEQ, esptun_sa_seq(sa), ESPTUN_A_SA_PAD) ||
	    nla_put_u64_64bit(skb, ESPTUN_A_SA_ADD_TIME, sa->add_time, ESPTUN_A_SA_PAD) ||
	    put_lifetime(skb, &sa->lft) || put_stats(skb, sa) ||
	    (!esptun_sel_any(&sa->sel) && esptun_sel_put(skb, ESPTUN_A_SA_SELECTOR, &sa->sel)))
		return -EMSGSIZE;
out:
	nla_nest_end(skb, nest);
	return 0;
}

int esptun_nl_put_ifname(struct sk_buff *skb, const struct net_device *dev)
{
	if (nla_put_u32(skb, ESPTUN_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, ESPTUN_A_IFNAME, dev->name))
		return -EMSGSIZE;
	return 0;
}

int esptun_nl_put_endpoints(struct sk_buff *skb, const struct esptun_endpoints *ep)
{
	if (ep->family != AF_UNSPEC &&
	    (esptun_nl_put_addr(skb, ESPTUN_A_LOCAL, ep->family, &ep->local) ||
	     esptun_nl_put_addr(skb, ESPTUN_A_REMOTE, ep->family, &ep->remote)))
		return -EMSGSIZE;
	if (nla_put_u8(skb, ESPTUN_A_ENCAP, ep->encap) ||
	    (ep->sport && nla_put_u16(skb, ESPTUN_A_SPORT, ntohs(ep->sport))) ||
	    (ep->dport && nla_put_u16(skb, ESPTUN_A_DPORT, ntohs(ep->dport))))
		return -EMSGSIZE;
	return 0;
}
