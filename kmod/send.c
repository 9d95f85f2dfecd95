// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: whatever is routed into the device is sent in ESP tunnel mode
 * (RFC 4303) with the outbound SA whose selector matches it best, to the
 * device's remote endpoint, over IPv4 or IPv6, optionally in UDP (RFC 3948).
 *
 * The outer route is looked up first, so that an oversized packet can be
 * refused with ICMP before any sequence number is spent; the route then
 * travels on the skb through (possibly asynchronous) encryption. GSO
 * packets are segmented before encryption: ESP cannot be segmented later.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/ip6_checksum.h>
#include <net/udp.h>

#include "esp.h"
#include "netlink.h"
#include "sa.h"

/* No SA carries the packet: count it, and ask the daemon for one. */
static void acquire(struct esptun_dev *tun, struct sk_buff *skb, struct esptun_flow *flow)
{
	unsigned long last = READ_ONCE(tun->last_acquire);

	atomic64_inc(&tun->no_sa_drops);
	if (time_before(jiffies, last + HZ))
		return;
	if (cmpxchg(&tun->last_acquire, last, jiffies) != last)
		return;
	if (flow->family == AF_UNSPEC && !esptun_flow_from_skb(skb, flow))
		return;
	esptun_nl_acquire(tun->dev, flow);
}

/*
 * The route to the remote end, from this CPU's cache of @ep when it is
 * still valid there: one lookup per route change rather than per packet.
 */
static struct dst_entry *route(struct net_device *dev, struct esptun_endpoints *ep)
{
	u8 proto = ep->encap == ESPTUN_ENCAP_UDP ? IPPROTO_UDP : IPPROTO_ESP;
	struct net *net = dev_net(dev);
	struct dst_entry *dst;

	if (ep->family == AF_INET) {
		struct flowi4 fl4 = {
			.daddr = ep->remote.v4,
			.saddr = ep->local.v4,
			.flowi4_proto = proto,
		};
		struct rtable *rt;
		__be32 saddr;

		rt = dst_cache_get_ip4(&ep->route, &saddr);
		if (!rt) {
			rt = ip_route_output_key(net, &fl4);
			if (IS_ERR(rt))
				return ERR_CAST(rt);
			dst_cache_set_ip4(&ep->route, &rt->dst, fl4.saddr);
		}
		dst = &rt->dst;
	} else {
		struct flowi6 fl6 = {
			.daddr = ep->remote.v6,
			.saddr = ep->local.v6,
			.flowi6_proto = proto,
		};
		struct in6_addr saddr;

		dst = dst_cache_get_ip6(&ep->route, &saddr);
		if (!dst) {
			dst = ip6_route_output(net, NULL, &fl6);
			if (dst->error) {
				int err = dst->error;

				dst_release(dst);
				return ERR_PTR(err);
			}
			dst_cache_set_ip6(&ep->route, dst, &fl6.saddr);
		}
	}
	/* A route back into the tunnel would loop forever. */
	if (dst->dev == dev) {
		dst_release(dst);
		return ERR_PTR(-ELOOP);
	}
	return dst;
}

/* The largest inner packet that fits the outer path in one ESP packet. */
static unsigned int inner_mtu(const struct esptun_sa *sa, const struct esptun_endpoints *ep,
			      unsigned int outer_mtu)
{
	int room = outer_mtu - sizeof(struct ip_esp_hdr) - sa->ivlen - sa->icvlen;

	room -= ep->family == AF_INET ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	if (ep->encap == ESPTUN_ENCAP_UDP)
		room -= sizeof(struct udphdr);
	room = round_down(room, sa->blocksize) - 2;
	return max(room, 0);
}

static bool too_big(struct sk_buff *skb, unsigned int mtu)
{
	if (skb_is_gso(skb))
		return !skb_gso_validate_network_len(skb, mtu);
	return skb->len > mtu;
}

/* Refuses an oversized packet the way a router would. Returns true if so. */
static bool pmtu_refuse(struct sk_buff *skb, unsigned int mtu)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || !too_big(skb, mtu))
			return false;
		skb_dst_update_pmtu_no_confirm(skb, mtu);
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		return true;
	}
	/* Below the IPv6 minimum the outer packet is fragmented instead. */
	mtu = max_t(unsigned int, mtu, IPV6_MIN_MTU);
	if (!too_big(skb, mtu))
		return false;
	skb_dst_update_pmtu_no_confirm(skb, mtu);
	icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	return true;
}

static void put_udp(struct sk_buff *skb, const struct esptun_endpoints *ep)
{
	struct udphdr *uh = skb_push(skb, sizeof(*uh));

	skb_reset_transport_header(skb);
	uh->source = ep->sport;
	uh->dest = ep->dport;
	uh->len = htons(skb->len);
	uh->check = 0;
	if (ep->family == AF_INET6)
		udp6_set_csum(false, skb, &ep->local.v6, &ep->remote.v6, skb->len);
}

/*
 * Adds the outer header and sends; consumes the skb. The outer DS field is
 * the inner one: DSCP copied (RFC 4301 5.1.2.1) and ECN copied, CE too
 * (RFC 6040 normal mode), so that congestion marks survive the tunnel.
 */
static int send_outer(struct sk_buff *skb, const struct esptun_endpoints *ep, u8 dsfield)
{
	u8 proto = ep->encap == ESPTUN_ENCAP_UDP ? IPPROTO_UDP : IPPROTO_ESP;
	struct dst_entry *dst = skb_dst(skb);
	struct net *net = dev_net(dst->dev);
	struct ipv6hdr *ip6h;

	if (ep->encap == ESPTUN_ENCAP_UDP)
		put_udp(skb, ep);
	else
		skb_reset_transport_header(skb);

	if (ep->family == AF_INET) {
		struct iphdr *iph = skb_push(skb, sizeof(*iph));

		skb_reset_network_header(skb);
		iph->version = 4;
		iph->ihl = sizeof(*iph) >> 2;
		iph->tos = dsfield;
		iph->tot_len = htons(skb->len);
		/* The inner packet passed the PMTU check: fragmenting is allowed. */
		iph->frag_off = 0;
		iph->ttl = ip4_dst_hoplimit(dst);
		iph->protocol = proto;
		iph->saddr = ep->local.v4;
		iph->daddr = ep->remote.v4;
		__ip_select_ident(net, iph, 1);
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		skb->protocol = htons(ETH_P_IP);
		return ip_local_out(net, NULL, skb);
	}

	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, dsfield, 0);
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	ip6h->nexthdr = proto;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = ep->local.v6;
	ip6h->daddr = ep->remote.v6;
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	skb->protocol = htons(ETH_P_IPV6);
	skb->ignore_df = 1;
	return ip6_local_out(net, NULL, skb);
}

static void finish(struct esptun_crypt *c, int err)
{
	struct net_device *dev = c->sa->dev;
	struct sk_buff *skb = c->skb;
	unsigned int len = skb->len;

	if (err) {
		kfree_skb(skb);
	} else {
		/* net_xmit_eval() evaluates its argument twice. */
		err = send_outer(skb, &c->ep, c->dsfield);
		err = net_xmit_eval(err);
	}
	if (err)
		DEV_STATS_INC(dev, tx_errors);
	else
		dev_sw_netstats_tx_add(dev, 1, len);
	esptun_crypt_free(c);
}

/*
 * Builds one ESP packet around @skb and prepares its encryption; consumes
 * @skb. NULL when it was dropped.
 */
static struct esptun_crypt *prepare(struct esptun_sa *sa, const struct esptun_endpoints *ep,
				    struct sk_buff *skb, u8 nexthdr)
{
	unsigned int hdrlen = sizeof(struct ip_esp_hdr) + sa->ivlen;
	unsigned int plen = skb->len, padlen, i;
	u8 dsfield = esptun_dsfield(skb);
	struct ip_esp_hdr *esph;
	struct esptun_crypt *c;
	struct sk_buff *trailer;
	int nfrags, err;
	u8 *tail;
	u64 seq;

	seq = atomic64_inc_return(&sa->seq);
	if (!esptun_sa_esn(sa)) {
		/* Never wrap: past the last number the SA carries nothing. */
		if (seq > U32_MAX)
			goto drop;
		if (seq >= U32_MAX - ESPTUN_SEQ_EXHAUST_MARGIN)
			esptun_sa_seq_warn(sa);
	}
	if (!esptun_sa_account(sa, plen))
		goto drop;
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop;

	/* RFC 4303 2.4: pad bytes 1, 2, 3, ... to the cipher's block. */
	padlen = ALIGN(plen + 2, sa->blocksize) - plen - 2;
	if (skb_cow_head(skb, hdrlen + ESPTUN_MAX_HEADER + sizeof(struct ipv6hdr) +
			 LL_RESERVED_SPACE(skb_dst(skb)->dev)))
		goto drop;
	nfrags = skb_cow_data(skb, padlen + 2 + sa->icvlen, &trailer);
	if (nfrags < 0)
		goto drop;
	tail = pskb_put(skb, trailer, padlen + 2 + sa->icvlen);
	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;
	tail[padlen] = padlen;
	tail[padlen + 1] = nexthdr;

	c = esptun_crypt_alloc(sa, skb, nfrags, seq);
	if (!c)
		goto drop;
	c->ep = *ep;
	c->dsfield = dsfield;
	esph = skb_push(skb, hdrlen);
	esph->spi = htonl(sa->spi);
	esph->seq_no = htonl(lower_32_bits(seq));
	/* GCM needs a unique IV, the counter is one; CBC needs it unpredictable. */
	if (sa->auth) {
		get_random_bytes(c->iv, sa->ivlen);
	} else {
		__be64 iv = cpu_to_be64(seq);

		memcpy(c->iv, &iv, sizeof(iv));
	}
	memcpy(esph + 1, c->iv, sa->ivlen);
	skb->ip_summed = CHECKSUM_NONE;

	err = esptun_crypt_prepare(c, true, plen + padlen + 2, finish);
	if (err) {
		finish(c, err);
		return NULL;
	}
	return c;
drop:
	DEV_STATS_INC(sa->dev, tx_dropped);
	kfree_skb(skb);
	return NULL;
}

/* Encrypts and sends @segs, a list of packets, in bursts; consumes them. */
static void encrypt(struct esptun_sa *sa, const struct esptun_endpoints *ep,
		    struct sk_buff *segs, u8 nexthdr)
{
	struct esptun_crypt *first = NULL, **tail = &first, *c;
	struct sk_buff *skb, *next;
	unsigned int n = 0;

	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		c = prepare(sa, ep, skb, nexthdr);
		if (!c)
			continue;
		*tail = c;
		tail = &c->next;
		if (++n == ESPTUN_BURST) {
			esptun_crypt_submit(first, n);
			first = NULL;
			tail = &first;
			n = 0;
		}
	}
	if (first)
		esptun_crypt_submit(first, n);
}

netdev_tx_t esptun_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct esptun_dev *tun = netdev_priv(dev);
	struct esptun_endpoints *ep;
	struct sk_buff *segs;
	struct esptun_flow flow;
	struct dst_entry *dst;
	struct esptun_sa *sa = NULL;
	u8 nexthdr;

	rcu_read_lock();
	if (skb->protocol == htons(ETH_P_IP) && pskb_network_may_pull(skb, sizeof(struct iphdr)))
		nexthdr = IPPROTO_IPIP;
	else if (skb->protocol == htons(ETH_P_IPV6) &&
		 pskb_network_may_pull(skb, sizeof(struct ipv6hdr)))
		nexthdr = IPPROTO_IPV6;
	else
		goto drop;

	ep = rcu_dereference(tun->ep);
	sa = esptun_sa_hold_out(tun, skb, &flow);
	if (!ep || ep->family == AF_UNSPEC || !sa ||
	    test_bit(ESPTUN_SA_HARD_EXPIRED, &sa->state)) {
		acquire(tun, skb, &flow);
		goto drop;
	}
	dst = route(dev, ep);
	if (IS_ERR(dst)) {
		DEV_STATS_INC(dev, tx_carrier_errors);
		goto drop;
	}
	if (pmtu_refuse(skb, inner_mtu(sa, ep, dst_mtu(dst)))) {
		dst_release(dst);
		goto drop;
	}
	skb_scrub_packet(skb, false);
	skb_dst_set(skb, dst);

	if (skb_is_gso(skb)) {
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs))
			goto drop;
		consume_skb(skb);
	} else {
		segs = skb;
		skb_mark_not_on_list(skb);
	}
	encrypt(sa, ep, segs, nexthdr);
	esptun_sa_put(sa);
	rcu_read_unlock();
	return NETDEV_TX_OK;
drop:
	esptun_sa_put(sa);
	rcu_read_unlock();
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}
