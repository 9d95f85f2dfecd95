// SPDX-License-Identifier: GPL-2.0
/*
 * The esptun netdevice: a point-to-point L3 device that owns its SAs and
 * carries whatever is routed into it.
 */

#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "device.h"

static netdev_tx_t xmit(struct sk_buff *skb, struct net_device *dev)
{
	/* No SA yet: nothing can be sent, so account the drop. */
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops netdev_ops = {
	.ndo_start_xmit = xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void setup(struct net_device *dev)
{
	dev->netdev_ops = &netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	dev->needs_free_netdev = true;
	compat_set_lltx(dev);
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
}

static struct rtnl_link_ops link_ops __read_mostly = {
	.kind = "esptun",
	.setup = setup,
};

int __init esptun_device_init(void)
{
	return rtnl_link_register(&link_ops);
}

void esptun_device_uninit(void)
{
	rtnl_link_unregister(&link_ops);
}

MODULE_ALIAS_RTNL_LINK("esptun");
