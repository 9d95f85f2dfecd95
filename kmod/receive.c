// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: ESP for one of esptun's inbound SAs, from IPv4 or IPv6, bare or
 * out of a UDP encapsulation socket, is verified, decrypted and delivered
 * on the SA's device through its GRO cells.
 *
 * Order matters: lengths first, then the replay window (cheap, avoids
 * decrypting replays), then the ICV; only then are padding, next header
 * and the inner packet read, and only a packet that verified and lies
 * within its SA's selector may move the window.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "esp.h"
#include "replay.h"
#include "sa.h"
#include "spi.h"

static void drop(struct esptun_sa *sa, struct sk_buff *skb, atomic64_t *counter)
{
	atomic64_inc(counter);
	DEV_STATS_INC(sa->dev, rx_errors);
	kfree_skb(skb);
}

/* Checks the inner header and trims link padding the outer packet had. */
static bool inner_ok(struct sk_buff *skb, u8 nexthdr)
{
	unsigned int len;

	if (nexthdr == IPPROTO_IPIP) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return false;
		iph = ip_hdr(skb);
		len = ntohs(iph->tot_len);
		if (iph->version != 4 || iph->ihl < 5 || len < iph->ihl * 4 || len > skb->len)
			return false;
		skb->protocol = htons(ETH_P_IP);
	} else {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return false;
		len = ntohs(ipv6_hdr(skb)->payload_len) + sizeof(struct ipv6hdr);
		/* A jumbogram cannot come through an ESP packet of 64k. */
		if (ipv6_hdr(skb)->version != 6 || len > skb->len)
			return false;
		skb->protocol = htons(ETH_P_IPV6);
	}
	return !pskb_trim(skb, len);
}

/*
 * Checks padding (RFC 4303 2.4), strips the ESP header and trailer and
 * returns the next header, or 0 if the trailer is malformed.
 */
static u8 strip_trailer(struct esptun_sa *sa, struct sk_buff *skb)
{
	unsigned int hdrlen = sizeof(struct ip_esp_hdr) + sa->ivlen;
	u8 tail[2], pad[255];
	unsigned int plen, i;

	/* Payload, padding, pad length and next header, without the ICV. */
	plen = skb->len - hdrlen - sa->icvlen;
	if (skb_copy_bits(skb, hdrlen + plen - 2, tail, 2) || tail[0] + 2 > plen ||
	    skb_copy_bits(skb, hdrlen + plen - 2 - tail[0], pad, tail[0]))
		return 0;
	for (i = 0; i < tail[0]; i++)
		if (pad[i] != i + 1)
			return 0;
	if (tail[1] != IPPROTO_IPIP && tail[1] != IPPROTO_IPV6 && tail[1] != IPPROTO_NONE)
		return 0;
	if (pskb_trim(skb, hdrlen + plen - 2 - tail[0]) || !pskb_pull(skb, hdrlen))
		return 0;
	skb_reset_network_header(skb);
	return tail[1];
}

/* RFC 4301 5.2: what an SA carried in must lie within its selector. */
static bool selector_ok(const struct esptun_sa *sa, struct sk_buff *skb)
{
	struct esptun_flow flow;

	if (esptun_sel_any(&sa->sel))
		return true;
	return esptun_flow_from_skb(skb, &flow) && esptun_sel_match(&sa->sel, &flow);
}

static void finish(struct esptun_crypt *c, int err)
{
	struct esptun_sa *sa = c->sa;
	struct esptun_dev *tun = netdev_priv(sa->dev);
	struct sk_buff *skb = c->skb;
	bool newest;
	u8 nexthdr;

	if (err == -EBADMSG) {
		drop(sa, skb, &sa->stats.icv_failures);
		goto out;
	}
	nexthdr = err ? 0 : strip_trailer(sa, skb);
	if (!nexthdr || (nexthdr != IPPROTO_NONE && !inner_ok(skb, nexthdr))) {
		drop(sa, skb, &sa->stats.other_drops);
		goto out;
	}
	/* Before the window moves: a refused packet changes nothing. */
	if (nexthdr != IPPROTO_NONE && !selector_ok(sa, skb)) {
		drop(sa, skb, &sa->stats.selector_drops);
		goto out;
	}
	if (!esptun_replay_advance(sa->replay, c->seq, &newest)) {
		drop(sa, skb, &sa->stats.replay_drops);
		goto out;
	}
	if (c->ep.encap && newest)
		esptun_dev_follow_remote(tun, &c->ep, sa, c->seq);
	if (nexthdr == IPPROTO_NONE) {
		/* RFC 4303 2.6: a dummy packet, discarded silently. */
		consume_skb(skb);
		goto out;
	}
	/*
	 * RFC 6040: a congestion mark on the outer header reaches the inner
	 * one; a packet that cannot carry it (not ECN-capable) is dropped,
	 * as the congested router would have done.
	 */
	if (INET_ECN_decapsulate(skb, c->dsfield, esptun_dsfield(skb)) == 2) {
		drop(sa, skb, &sa->stats.other_drops);
		goto out;
	}
	if (!esptun_sa_account(sa, skb->len)) {
		drop(sa, skb, &sa->stats.other_drops);
		goto out;
	}
	skb_reset_mac_header(skb);
	skb_reset_transport_header(skb);
	skb_scrub_packet(skb, false);
	skb->dev = sa->dev;
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_NONE;
	dev_sw_netstats_rx_add(sa->dev, skb->len);
	gro_cells_receive(&tun->gro, skb);
out:
	esptun_crypt_free(c);
}

/*
 * Where a UDP-encapsulated packet came from, for following a NAT mapping.
 * The encapsulation socket pulled the UDP header (and, for the old
 * non-IKE marker, 8 bytes more) but left it in front of the ESP header.
 */
static void record_source(struct sk_buff *skb, sa_family_t family, int encap_type,
			  struct esptun_endpoints *from)
{
	unsigned int len = sizeof(struct udphdr);
	const struct udphdr *uh;

	from->encap = ESPTUN_ENCAP_NONE;
	if (encap_type == UDP_ENCAP_ESPINUDP_NON_IKE)
		len += 2 * sizeof(u32);
	else if (encap_type != UDP_ENCAP_ESPINUDP)
		return;
	if (skb_headroom(skb) < len)
		return;
	uh = (const void *)(skb->data - len);
	from->dport = uh->source;
	from->family = family;
	if (family == AF_INET)
		from->remote.v4 = ip_hdr(skb)->saddr;
	else
		from->remote.v6 = ipv6_hdr(skb)->saddr;
	from->encap = ESPTUN_ENCAP_UDP;
}

static void decrypt(struct esptun_sa *sa, struct sk_buff *skb, sa_family_t family,
		    int encap_type)
{
	unsigned int hdrlen = sizeof(struct ip_esp_hdr) + sa->ivlen;
	const struct ip_esp_hdr *esph;
	struct esptun_crypt *c;
	struct sk_buff *trailer;
	int nfrags, err;
	u32 clen;
	u64 seq;

	if (test_bit(ESPTUN_SA_HARD_EXPIRED, &sa->state) || skb->len < hdrlen + sa->icvlen)
		goto drop_other;
	/* At least pad length and next header, in whole cipher blocks. */
	clen = skb->len - hdrlen - sa->icvlen;
	if (clen < 2 || clen % sa->blocksize)
		goto drop_other;
	if (!pskb_may_pull(skb, hdrlen))
		goto drop_other;
	esph = (const void *)skb->data;
	seq = esptun_replay_infer(sa->replay, ntohl(esph->seq_no), esptun_sa_esn(sa));
	if (!esptun_replay_check(sa->replay, seq)) {
		drop(sa, skb, &sa->stats.replay_drops);
		return;
	}
	nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		goto drop_other;
	c = esptun_crypt_alloc(sa, skb, nfrags, seq);
	if (!c)
		goto drop_other;
	record_source(skb, family, encap_type, &c->ep);
	c->dsfield = esptun_dsfield(skb);
	memcpy(c->iv, skb->data + sizeof(*esph), sa->ivlen);
	/*
	 * The outer input route may be a noref one, valid only inside this
	 * RCU section, and the crypto may finish after it on another CPU;
	 * the inner packet never uses it.
	 */
	skb_dst_drop(skb);
	err = esptun_crypt_prepare(c, false, clen + sa->icvlen, finish);
	if (err)
		finish(c, err);
	else
		esptun_rx_cell_queue(netdev_priv(sa->dev), c);
	return;
drop_other:
	drop(sa, skb, &sa->stats.other_drops);
}

/*
 * From the IPPROTO_ESP handler chain, skb->data at the ESP header;
 * @encap_type is the UDP_ENCAP_* of the socket it came through, or 0.
 * Returns -EINVAL, with the skb untouched, for an SPI that is not esptun's.
 */
int esptun_receive(struct sk_buff *skb, sa_family_t family, int encap_type)
{
	const void *daddr;
	struct esptun_sa *sa;

	if (!pskb_may_pull(skb, sizeof(struct ip_esp_hdr)))
		return -EINVAL;
	if (family == AF_INET)
		daddr = &ip_hdr(skb)->daddr;
	else
		daddr = &ipv6_hdr(skb)->daddr;
	rcu_read_lock();
	sa = esptun_spi_lookup(dev_net(skb->dev), ntohl(((struct ip_esp_hdr *)skb->data)->spi),
			       family, daddr);
	if (!sa) {
		rcu_read_unlock();
		return -EINVAL;
	}
	decrypt(sa, skb, family, encap_type);
	rcu_read_unlock();
	return 0;
}
