// SPDX-License-Identifier: GPL-2.0
/*
 * The esptun netdevice: a point-to-point L3 device that owns its SAs and
 * carries whatever is routed into it.
 *
 * Teardown order: ndo_uninit (under RTNL) unlinks the SAs, so receive can
 * no longer find the device, then stops the receive cells and GRO cells.
 * SAs still referenced by in-flight crypto hold the device until they are
 * freed, which the core waits for before freeing the device.
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
#include "netlink.h"
#include "sa.h"

/* What the device takes from the stack and finishes in software itself. */
#define ESPTUN_OFFLOADS (NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE)

LIST_HEAD(esptun_devices);

/* Empty endpoints with a route cache; a cache that cannot be had is only slower. */
struct esptun_endpoints *esptun_ep_alloc(gfp_t gfp)
{
	struct esptun_endpoints *ep = kzalloc(sizeof(*ep), gfp);

	if (ep)
		dst_cache_init(&ep->route, gfp);
	return ep;
}

/* Addresses, ports and encapsulation: the route cache stays @to's own. */
void esptun_ep_copy(struct esptun_endpoints *to, const struct esptun_endpoints *from)
{
	struct dst_cache route = to->route;

	*to = *from;
	to->route = route;
}

/* Endpoints no reader can see. */
void esptun_ep_free(struct esptun_endpoints *ep)
{
	if (!ep)
		return;
	dst_cache_destroy(&ep->route);
	kfree(ep);
}

static void ep_free_rcu(struct rcu_head *rcu)
{
	esptun_ep_free(container_of(rcu, struct esptun_endpoints, rcu));
}

/* Endpoints just replaced: readers may hold them until a grace period ends. */
void esptun_ep_free_rcu(struct esptun_endpoints *ep)
{
	call_rcu(&ep->rcu, ep_free_rcu);
}

static int dev_init(struct net_device *dev)
{
	struct esptun_dev *tun = netdev_priv(dev);
	int err;

	tun->dev = dev;
	spin_lock_init(&tun->ep_lock);
	spin_lock_init(&tun->carrier_lock);
	/* No SA yet: nothing routed in could be sent. */
	netif_carrier_off(dev);
	/* The first ACQUIRE must not wait: jiffies start near wrapping. */
	tun->last_acquire = jiffies - HZ;
	err = gro_cells_init(&tun->gro, dev);
	if (err)
		return err;
	err = esptun_parallel_open(tun);
	if (err)
		goto err_gro;
	err = esptun_rx_cells_open(tun);
	if (err)
		goto err_parallel;
	list_add(&tun->list, &esptun_devices);
	return 0;

err_parallel:
	esptun_parallel_close(tun);
err_gro:
	gro_cells_destroy(&tun->gro);
	return err;
}

static void dev_uninit(struct net_device *dev)
{
	struct esptun_dev *tun = netdev_priv(dev);
	struct esptun_endpoints *ep;

	esptun_sa_flush(tun);
	list_del(&tun->list);
	spin_lock_bh(&tun->ep_lock);
	ep = rcu_replace_pointer(tun->ep, NULL, lockdep_is_held(&tun->ep_lock));
	spin_unlock_bh(&tun->ep_lock);
	if (ep)
		esptun_ep_free_rcu(ep);
	/* Before the GRO cells: what the receive cells submit lands there. */
	esptun_rx_cells_stop(tun);
	gro_cells_destroy(&tun->gro);
}

static bool has_usable_out(struct esptun_dev *tun)
{
	struct esptun_out_table *t;
	bool usable = false;
	unsigned int i;

	rcu_read_lock();
	t = rcu_dereference(tun->out);
	for (i = 0; t && i < t->n && !usable; i++)
		usable = !test_bit(ESPTUN_SA_HARD_EXPIRED, &t->sa[i]->state);
	rcu_read_unlock();
	return usable;
}

/*
 * After any change to the outbound SAs or the carrier mode, from netlink
 * (RTNL), an expiry timer or the data path: the carrier tells routing
 * whether the tunnel can carry anything (a Cisco VTI's line protocol).
 * Each caller changed the state before it gets here, and the last one in
 * sees every change: the lock keeps an older view from winning.
 */
void esptun_dev_update_carrier(struct esptun_dev *tun)
{
	spin_lock_bh(&tun->carrier_lock);
	if (READ_ONCE(tun->carrier) == ESPTUN_CARRIER_ON || has_usable_out(tun))
		netif_carrier_on(tun->dev);
	else
		netif_carrier_off(tun->dev);
	spin_unlock_bh(&tun->carrier_lock);
}

/* Once the last reference is gone: no crypto request is left in the shell. */
static void dev_free(struct net_device *dev)
{
	struct esptun_dev *tun = netdev_priv(dev);

	esptun_rx_cells_free(tun);
	esptun_parallel_close(tun);
}

static bool same_remote(const struct esptun_endpoints *a, const struct esptun_endpoints *b)
{
	if (a->dport != b->dport)
		return false;
	if (a->family == AF_INET)
		return a->remote.v4 == b->remote.v4;
	return ipv6_addr_equal(&a->remote.v6, &b->remote.v6);
}

/* Notes that @sa carried a packet; false if a newer inbound SA already has. */
static bool newest_in_use(struct esptun_dev *tun, const struct esptun_sa *sa)
{
	s64 cur = atomic64_read(&tun->rx_order);

	while (sa->order > cur)
		if (atomic64_try_cmpxchg(&tun->rx_order, &cur, sa->order))
			return true;
	return sa->order == cur;
}

/* Under ep_lock: whether a packet of @sa numbered @seq came after the last move. */
static bool after_last_move(const struct esptun_dev *tun, const struct esptun_sa *sa, u64 seq)
{
	if (sa->order != tun->moved_order)
		return sa->order > tun->moved_order;
	return seq > tun->moved_seq;
}

/*
 * Under RCU, from receive: @from holds the outer source address and UDP
 * port of a packet that verified and raised @sa's window to @seq. A NAT
 * between the peers may give the peer a new address or port at any time
 * (RFC 3948 3.1); sending to the old one would leave the tunnel dead until
 * IKE noticed. Only the newest packet of the newest SA in use moves the
 * device, so neither a late packet from the old mapping nor one on the SA
 * a rekey replaced can move it back. Packets of one SA complete on several
 * CPUs: the check against the last move is made under ep_lock, so moves
 * happen in sequence order whichever CPU gets there first. Comparing is
 * all the fast path does.
 */
void esptun_dev_follow_remote(struct esptun_dev *tun, const struct esptun_endpoints *from,
			      struct esptun_sa *sa, u64 seq)
{
	struct esptun_endpoints *ep = rcu_dereference(tun->ep), *moved;

	if (!newest_in_use(tun, sa) || !ep || ep->encap != ESPTUN_ENCAP_UDP ||
	    ep->family != from->family || same_remote(ep, from))
		return;
	moved = esptun_ep_alloc(GFP_ATOMIC);
	if (!moved)
		return;
	spin_lock(&tun->ep_lock);
	ep = rcu_dereference_protected(tun->ep, lockdep_is_held(&tun->ep_lock));
	if (!ep || ep->encap != ESPTUN_ENCAP_UDP || ep->family != from->family ||
	    same_remote(ep, from) || !after_last_move(tun, sa, seq)) {
		spin_unlock(&tun->ep_lock);
		esptun_ep_free(moved);
		return;
	}
	esptun_ep_copy(moved, ep);
	moved->remote = from->remote;
	moved->dport = from->dport;
	rcu_assign_pointer(tun->ep, moved);
	tun->moved_order = sa->order;
	tun->moved_seq = seq;
	spin_unlock(&tun->ep_lock);
	esptun_ep_free_rcu(ep);
	esptun_nl_remote_changed(tun->dev, moved, sa);
}

/*
 * Under RTNL, as inbound @sa leaves the device: what it did no longer
 * holds the older SAs back (the daemon may delete a new SA and keep the
 * old one).
 */
void esptun_dev_forget_in(struct esptun_dev *tun, const struct esptun_sa *sa)
{
	atomic64_cmpxchg(&tun->rx_order, sa->order, 0);
	spin_lock_bh(&tun->ep_lock);
	if (tun->moved_order == sa->order) {
		tun->moved_order = 0;
		tun->moved_seq = 0;
	}
	spin_unlock_bh(&tun->ep_lock);
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
	/* Multicast too, so that OSPF and friends run over a tunnel unchanged. */
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
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
	/*
	 * TCP's large packets come in whole: one route, SA and PMTU check
	 * for a whole GSO packet, then send.c segments it, checksums
	 * included, and encrypts each segment.
	 */
	dev->features |= ESPTUN_OFFLOADS;
	dev->hw_features |= ESPTUN_OFFLOADS;
	dev->needs_free_netdev = true;
	dev->priv_destructor = dev_free;
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

/*
 * A move to another namespace unregisters the device from the old one and
 * registers it in the new one: its inbound SAs follow it into that
 * namespace's SPI table (spi.c). A deletion starts the same way, and
 * ndo_uninit then finds them out of the table already.
 */
static int netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (!esptun_is_dev(dev))
		return NOTIFY_DONE;
	if (event == NETDEV_UNREGISTER)
		esptun_sa_leave_netns(netdev_priv(dev));
	else if (event == NETDEV_REGISTER)
		esptun_sa_join_netns(netdev_priv(dev));
	return NOTIFY_DONE;
}

static struct notifier_block netdev_notifier = {
	.notifier_call = netdev_event,
};

int __init esptun_device_init(void)
{
	int err = register_netdevice_notifier(&netdev_notifier);

	if (err)
		return err;
	err = rtnl_link_register(&link_ops);
	if (err)
		unregister_netdevice_notifier(&netdev_notifier);
	return err;
}

void esptun_device_uninit(void)
{
	rtnl_link_unregister(&link_ops);
	unregister_netdevice_notifier(&netdev_notifier);
}

MODULE_ALIAS_RTNL_LINK("esptun");
