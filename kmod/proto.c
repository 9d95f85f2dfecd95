// SPDX-License-Identifier: GPL-2.0
/*
 * Sharing IPPROTO_ESP with the kernel's xfrm: esptun registers in the
 * xfrm4/xfrm6 protocol handler chains above ip_vti (100), so it sees ESP
 * first, claims the SPIs of its own inbound SAs and passes every other
 * packet on (-EINVAL) to esp4/esp6, xfrm interfaces or ip_vti. ESP-in-UDP
 * from a socket with UDP_ENCAP_ESPINUDP reaches the same chain through
 * input_handler, with the UDP header already pulled.
 */

#include <net/xfrm.h>

#include "esp.h"
#include "proto.h"

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

static int err4(struct sk_buff *skb, u32 info)
{
	return -ENOENT;
}

static int err6(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type, u8 code,
		int offset, __be32 info)
{
	return -ENOENT;
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
