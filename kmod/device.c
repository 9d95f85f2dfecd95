// SPDX-License-Identifier: GPL-2.0
/*
 * The esptun netdevice: a point-to-point L3 device that owns its SAs and
 * carries whatever is routed into it.
 *
 * Teardown order: ndo_uninit (under RTNL) unlinks the SAs, so receive can
 * no longer find the device, then stops GRO cells. SAs still referenced by
 * in-flight crypto hold the device until they are freed, which the core
 * waits for before freeing the device.
 */

#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "device.h"
#include "esp.h"
#include "sa.h"

LIST_HEAD(esptun_devices);

static int dev_init(struct net_device *dev)
{
	struct esptun_dev *tun = netdev_priv(dev);
	int err;

	tun->dev = dev;
	/* The first ACQUIRE must not wait: jiffies start near wrapping. */
	tun->last_acquire = jiffies - HZ;
	err = gro_cells_init(&tun->gro, dev);
	if (err)
		return err;
	list_add(&tun->list, &esptun_devices);
	return 0;
}

static void dev_uninit(struct net_device *dev)
{
	struct esptun_dev *tun = netdev_priv(dev);
	struct esptun_endpoints *ep = rtnl_dereference(tun->ep);

	esptun_sa_flush(tun);
	list_del(&tun->list);
	RCU_INIT_POINTER(tun->ep, NULL);
	if (ep)
		kfree_rcu(ep, rcu);
	gro_cells_destroy(&tun->gro);
}

static const struct net_device_ops netdev_ops = {
	.ndo_init = dev_init,
	.ndo_uninit = dev_uninit,
	.ndo_start_xmit = esptun_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void setup(struct net_device *dev)
{
	dev->netdev_ops = &netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	/* The route stays on the skb: ICMP Fragmentation Needed and the PMTU
	 * update for an oversized IPv4 packet both need it.
	 */
	netif_keep_dst(dev);
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	/* Room for the outer IPv6 header, UDP and the largest ESP overhead. */
	dev->needed_headroom = sizeof(struct ipv6hdr) + ESPTUN_MAX_HEADER + LL_MAX_HEADER;
	dev->needed_tailroom = ESPTUN_MAX_TRAILER;
	dev->mtu = ETH_DATA_LEN - sizeof(struct ipv6hdr) - ESPTUN_MAX_HEADER - ESPTUN_MAX_TRAILER;
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - sizeof(struct ipv6hdr) - ESPTUN_MAX_HEADER -
		       ESPTUN_MAX_TRAILER;
	dev->needs_free_netdev = true;
	compat_set_lltx(dev);
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
}

static struct rtnl_link_ops link_ops __read_mostly = {
	.kind = "esptun",
	.priv_size = sizeof(struct esptun_dev),
	.setup = setup,
};

bool esptun_is_dev(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &link_ops;
}

int __init esptun_device_init(void)
{
	return rtnl_link_register(&link_ops);
}

void esptun_device_uninit(void)
{
	rtnl_link_unregister(&link_ops);
}

MODULE_ALIAS_RTNL_LINK("esptun");
