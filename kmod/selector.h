/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_SELECTOR_H
#define _ESPTUN_SELECTOR_H

#include <linux/in6.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#include <linux/esptun.h>

/*
 * The inner packets an SA carries, in the direction it carries them.
 * family AF_UNSPEC is the default: every packet of both families.
 */
struct esptun_selector {
	sa_family_t family;
	u8 src_len, dst_len;
	u8 proto;			/* 0: any */
	__be16 sport, dport;		/* 0: any */
	union {
		__be32 v4;
		struct in6_addr v6;
	} src, dst;
};

/* What a selector is matched against: one inner packet's header fields. */
struct esptun_flow {
	sa_family_t family;
	u8 proto;
	bool has_ports;			/* false for a non-first fragment */
	__be16 sport, dport;
	union {
		__be32 v4;
		struct in6_addr v6;
	} src, dst;
};

static inline bool esptun_sel_any(const struct esptun_selector *sel)
{
	return sel->family == AF_UNSPEC;
}

extern const struct nla_policy esptun_sel_policy[ESPTUN_A_SEL_MAX + 1];
int esptun_sel_parse(const struct nlattr *nest, struct esptun_selector *sel,
		     struct netlink_ext_ack *extack);
int esptun_sel_put(struct sk_buff *skb, int type, const struct esptun_selector *sel);
int esptun_flow_put(struct sk_buff *skb, int type, const struct esptun_flow *flow);
bool esptun_flow_from_skb(struct sk_buff *skb, struct esptun_flow *flow);
bool esptun_sel_match(const struct esptun_selector *sel, const struct esptun_flow *flow);
bool esptun_sel_equal(const struct esptun_selector *a, const struct esptun_selector *b);
int esptun_sel_cmp(const struct esptun_selector *a, const struct esptun_selector *b);

#endif /* _ESPTUN_SELECTOR_H */
