// SPDX-License-Identifier: GPL-2.0
/*
 * Sharing IPPROTO_ESP with the kernel's xfrm: esptun registers in the
 * xfrm4/xfrm6 protocol handler chains above ip_vti (100), so it sees ESP
 * first, claims the SPIs of its own inbound SAs and passes every other
 * packet on (-EINVAL) to esp4/esp6, xfrm interfaces or ip_vti. ESP-in-UDP
 * from a socket with UDP_ENCAP_ESPINUDP reaches the same chain through
 * input_handler, with the UDP header already pulled.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "esp.h"
#include "proto.h"
#include "sa.h"

#define ESPTUN_PRIORITY 200

static int rcv4(struct sk_buff *skb)
{
	return esptun_receive(skb, AF_INET, 0);
}

static int input4(struct sk_buff *skb, int nexthdr, __be32 spi, int encap_type)
{
	return esptun_receive(skb, AF_INET, encap_type);
}

static int rcv6(struct sk_buff *skb)
{
	return esptun_receive(skb, AF_INET6, 0);
}

static int input6(struct sk_buff *skb, int nexthdr, __be32 spi, int encap_type)
{
	return esptun_receive(skb, AF_INET6, encap_type);
}

/* Only xfrm_input() calls back, for packets esptun never claims: pass on. */
static int cb(struct sk_buff *skb, int err)
{
	return 1;
}

/*
 * ICMP errors about ESP we sent, with skb->data at the outer header we
 * sent and the ESP header after it (the ICMP code pulled its first 8
 * bytes). A router on the path that cannot forward it at its size, or
 * that redirects us, is heeded as esp4 and esp6 do for xfrm: the outer
 * route learns the path MTU, which send.c then turns into ICMP for the
 * inner senders; without it, bare ESP over a path narrower than the first
 * hop would be dropped for good (IPv6 routers do not fragment). An error
 * naming an SPI none of our devices sends with is passed on (-ENOENT).
 */
static int err4(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct ip_esp_hdr *esph = (const void *)(skb->data + (iph->ihl << 2));
	struct net *net = dev_net(skb->dev);
	bool ours;

	rcu_read_lock();
	ours = esptun_sa_sent(net, ntohl(esph->spi), AF_INET, &iph->saddr, &iph->daddr);
	rcu_read_unlock();
	if (!ours)
		return -ENOENT;
	if (icmp_hdr(skb)->type == ICMP_DEST_UNREACH &&
	    icmp_hdr(skb)->code == ICMP_FRAG_NEEDED)
		ipv4_update_pmtu(skb, net, info, 0, IPPROTO_ESP);
	else if (icmp_hdr(skb)->type == ICMP_REDIRECT)
		ipv4_redirect(skb, net, 0, IPPROTO_ESP);
	return 0;
}

static int err6(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type, u8 code,
		int offset, __be32 info)
{
	const struct ipv6hdr *iph = (const struct ipv6hdr *)skb->data;
	const struct ip_esp_hdr *esph = (const void *)(skb->data + offset);
	struct net *net = dev_net(skb->dev);
	bool ours;

	rcu_read_lock();
	ours = esptun_sa_sent(net, ntohl(esph->spi), AF_INET6, &iph->saddr, &iph->daddr);
	rcu_read_unlock();
	if (!ours)
		return -ENOENT;
	if (type == ICMPV6_PKT_TOOBIG)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	else if (type == NDISC_REDIRECT)
		ip6_redirect(skb, net, skb->dev->ifindex, 0, sock_net_uid(net, NULL));
	return 0;
}

static struct xfrm4_protocol esp4 = {
	.handler = rcv4,
	.input_handler = input4,
	.cb_handler = cb,
	.err_handler = err4,
	.priority = ESPTUN_PRIORITY,
};

static struct xfrm6_protocol esp6 = {
	.handler = rcv6,
	.input_handler = input6,
	.cb_handler = cb,
	.err_handler = err6,
	.priority = ESPTUN_PRIORITY,
};

int __init esptun_proto_init(void)
{
	int err;

	err = xfrm4_protocol_register(&esp4, IPPROTO_ESP);
	if (err)
		return err;
	err = xfrm6_protocol_register(&esp6, IPPROTO_ESP);
	if (err)
		xfrm4_protocol_deregister(&esp4, IPPROTO_ESP);
	return err;
}

void esptun_proto_uninit(void)
{
	xfrm6_protocol_deregister(&esp6, IPPROTO_ESP);
	xfrm4_protocol_deregister(&esp4, IPPROTO_ESP);
}
