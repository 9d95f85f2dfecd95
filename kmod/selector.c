// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic selectors: which inner packets an SA may carry (RFC 4301 4.4.1),
 * as one line of a crypto-map access list says it. Parsed and checked
 * from netlink, matched per packet by send (to choose the outbound SA)
 * and by receive (to refuse what a peer sends outside its SA).
 *
 * Matching reads at most the IP header, the IPv6 extension headers and
 * four bytes of ports, and only for an SA that has a selector: a
 * route-based device never gets here.
 */

#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "selector.h"

const struct nla_policy esptun_sel_policy[ESPTUN_A_SEL_MAX + 1] = {
	[ESPTUN_A_SEL_SRC] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[ESPTUN_A_SEL_SRC_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[ESPTUN_A_SEL_DST] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[ESPTUN_A_SEL_DST_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[ESPTUN_A_SEL_PROTO] = { .type = NLA_U8 },
	[ESPTUN_A_SEL_SPORT] = { .type = NLA_U16 },
	[ESPTUN_A_SEL_DPORT] = { .type = NLA_U16 },
};

static bool proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_UDPLITE;
}

static bool prefix_match(sa_family_t family, const void *net, const void *addr, u8 len)
{
	if (family == AF_INET)
		return !((*(const __be32 *)net ^ *(const __be32 *)addr) & inet_make_mask(len));
	return ipv6_prefix_equal(net, addr, len);
}

static bool host_bits_set(sa_family_t family, const void *addr, u8 len)
{
	struct in6_addr masked;

	if (family == AF_INET)
		return *(const __be32 *)addr & ~inet_make_mask(len);
	ipv6_addr_prefix(&masked, addr, len);
	return !ipv6_addr_equal(&masked, addr);
}

/* One of SRC/SRC_LEN or DST/DST_LEN into @addr and @len; sets @family. */
static int parse_prefix(struct nlattr *attr, struct nlattr *len_attr, void *addr, u8 *len,
			sa_family_t *family, struct netlink_ext_ack *extack)
{
	unsigned int alen = nla_len(attr);
	sa_family_t f = alen == 4 ? AF_INET : AF_INET6;

	if (alen != 4 && alen != 16) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "Selector address must be 4 or 16 bytes");
		return -EINVAL;
	}
	if (*family != AF_UNSPEC && *family != f) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "Selector SRC and DST must be of one family");
		return -EINVAL;
	}
	*family = f;
	*len = nla_get_u8(len_attr);
	if (*len > alen * 8) {
		NL_SET_ERR_MSG_ATTR(extack, len_attr, "Prefix length too long for the family");
		return -EINVAL;
	}
	memcpy(addr, nla_data(attr), alen);
	/* A prefix with host bits set is a typo that would silently widen. */
	if (host_bits_set(f, addr, *len)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "Bits set past the prefix length");
		return -EINVAL;
	}
	return 0;
}

int esptun_sel_parse(const struct nlattr *nest, struct esptun_selector *sel,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ESPTUN_A_SEL_MAX + 1];
	int err;

	memset(sel, 0, sizeof(*sel));
	err = nla_parse_nested(tb, ESPTUN_A_SEL_MAX, nest, esptun_sel_policy, extack);
	if (err)
		return err;
	if (!tb[ESPTUN_A_SEL_SRC] || !tb[ESPTUN_A_SEL_SRC_LEN] || !tb[ESPTUN_A_SEL_DST] ||
	    !tb[ESPTUN_A_SEL_DST_LEN]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "Selector needs SRC, SRC_LEN, DST and DST_LEN");
		return -EINVAL;
	}
	err = parse_prefix(tb[ESPTUN_A_SEL_SRC], tb[ESPTUN_A_SEL_SRC_LEN], &sel->src,
			   &sel->src_len, &sel->family, extack) ?:
	      parse_prefix(tb[ESPTUN_A_SEL_DST], tb[ESPTUN_A_SEL_DST_LEN], &sel->dst,
			   &sel->dst_len, &sel->family, extack);
	if (err) {
		sel->family = AF_UNSPEC;
		return err;
	}
	if (tb[ESPTUN_A_SEL_PROTO])
		sel->proto = nla_get_u8(tb[ESPTUN_A_SEL_PROTO]);
	if (tb[ESPTUN_A_SEL_SPORT])
		sel->sport = htons(nla_get_u16(tb[ESPTUN_A_SEL_SPORT]));
	if (tb[ESPTUN_A_SEL_DPORT])
		sel->dport = htons(nla_get_u16(tb[ESPTUN_A_SEL_DPORT]));
	if ((sel->sport || sel->dport) && !proto_has_ports(sel->proto)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[ESPTUN_A_SEL_SPORT] ?: tb[ESPTUN_A_SEL_DPORT],
				    "Ports need PROTO TCP, UDP, SCTP or UDP-Lite");
		sel->family = AF_UNSPEC;
		return -EINVAL;
	}
	return 0;
}

int esptun_sel_put(struct sk_buff *skb, int type, const struct esptun_selector *sel)
{
	unsigned int alen = sel->family == AF_INET ? 4 : 16;
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest || nla_put(skb, ESPTUN_A_SEL_SRC, alen, &sel->src) ||
	    nla_put_u8(skb, ESPTUN_A_SEL_SRC_LEN, sel->src_len) ||
	    nla_put(skb, ESPTUN_A_SEL_DST, alen, &sel->dst) ||
	    nla_put_u8(skb, ESPTUN_A_SEL_DST_LEN, sel->dst_len) ||
	    (sel->proto && nla_put_u8(skb, ESPTUN_A_SEL_PROTO, sel->proto)) ||
	    (sel->sport && nla_put_u16(skb, ESPTUN_A_SEL_SPORT, ntohs(sel->sport))) ||
	    (sel->dport && nla_put_u16(skb, ESPTUN_A_SEL_DPORT, ntohs(sel->dport))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The narrowest selector that covers @flow: what an ACQUIRE asks for. */
int esptun_flow_put(struct sk_buff *skb, int type, const struct esptun_flow *flow)
{
	struct esptun_selector sel = {
		.family = flow->family,
		.src_len = flow->family == AF_INET ? 32 : 128,
		.dst_len = flow->family == AF_INET ? 32 : 128,
		.proto = flow->proto,
		.sport = flow->has_ports ? flow->sport : 0,
		.dport = flow->has_ports ? flow->dport : 0,
	};

	memcpy(&sel.src, &flow->src, sizeof(sel.src));
	memcpy(&sel.dst, &flow->dst, sizeof(sel.dst));
	return esptun_sel_put(skb, type, &sel);
}

/*
 * The header fields of the inner packet at the skb's network header,
 * which the caller has pulled. False if it is neither IPv4 nor IPv6.
 */
bool esptun_flow_from_skb(struct sk_buff *skb, struct esptun_flow *flow)
{
	__be16 ports[2];
	const __be16 *pp;
	int thoff;

	flow->has_ports = false;
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		flow->family = AF_INET;
		flow->src.v4 = iph->saddr;
		flow->dst.v4 = iph->daddr;
		flow->proto = iph->protocol;
		if (iph->frag_off & htons(IP_OFFSET))
			return true;
		thoff = skb_network_offset(skb) + iph->ihl * 4;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);
		u8 nexthdr = ip6h->nexthdr;
		__be16 frag_off;

		flow->family = AF_INET6;
		flow->src.v6 = ip6h->saddr;
		flow->dst.v6 = ip6h->daddr;
		thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6h), &nexthdr,
					 &frag_off);
		/* Unreadable extension headers: no protocol can be trusted. */
		flow->proto = thoff < 0 ? NEXTHDR_NONE : nexthdr;
		if (thoff < 0 || (frag_off & htons(IP6_OFFSET)))
			return true;
	} else {
		return false;
	}
	if (!proto_has_ports(flow->proto))
		return true;
	pp = skb_header_pointer(skb, thoff, sizeof(ports), ports);
	if (pp) {
		flow->sport = pp[0];
		flow->dport = pp[1];
		flow->has_ports = true;
	}
	return true;
}

bool esptun_sel_match(const struct esptun_selector *sel, const struct esptun_flow *flow)
{
	if (esptun_sel_any(sel))
		return true;
	if (sel->family != flow->family ||
	    !prefix_match(sel->family, &sel->dst, &flow->dst, sel->dst_len) ||
	    !prefix_match(sel->family, &sel->src, &flow->src, sel->src_len))
		return false;
	if (sel->proto && sel->proto != flow->proto)
		return false;
	if (!sel->sport && !sel->dport)
		return true;
	return flow->has_ports && (!sel->sport || sel->sport == flow->sport) &&
	       (!sel->dport || sel->dport == flow->dport);
}

bool esptun_sel_equal(const struct esptun_selector *a, const struct esptun_selector *b)
{
	unsigned int alen = a->family == AF_INET ? 4 : 16;

	if (a->family != b->family)
		return false;
	if (esptun_sel_any(a))
		return true;
	return a->src_len == b->src_len && a->dst_len == b->dst_len && a->proto == b->proto &&
	       a->sport == b->sport && a->dport == b->dport &&
	       !memcmp(&a->src, &b->src, alen) && !memcmp(&a->dst, &b->dst, alen);
}

static int ports_set(const struct esptun_selector *sel)
{
	return !!sel->sport + !!sel->dport;
}

/*
 * Negative if @a is the more specific, so that it is tried first: the
 * longer destination prefix, then the longer source prefix, then one with
 * a protocol, then with more ports. No selector at all comes last.
 */
int esptun_sel_cmp(const struct esptun_selector *a, const struct esptun_selector *b)
{
	if (esptun_sel_any(a) || esptun_sel_any(b))
		return esptun_sel_any(a) - esptun_sel_any(b);
	if (a->dst_len != b->dst_len)
		return b->dst_len - a->dst_len;
	if (a->src_len != b->src_len)
		return b->src_len - a->src_len;
	if (!a->proto != !b->proto)
		return !a->proto - !b->proto;
	return ports_set(b) - ports_set(a);
}
