/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_DEVICE_H
#define _ESPTUN_DEVICE_H

#include <linux/in6.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/esptun.h>
#include <net/dst_cache.h>
#include <net/gro_cells.h>

struct esptun_sa;
struct padata_shell;

/*
 * The outer endpoints of a tunnel. Replaced as a whole (RCU) so that the
 * data path always sees a consistent set of addresses and ports. Each set
 * caches its own route to the remote end, per CPU: new endpoints start
 * with an empty cache, so no packet can leave on the old ones' route.
 */
struct esptun_endpoints {
	struct rcu_head rcu;
	struct dst_cache route;		/* not copied: see esptun_ep_copy() */
	sa_family_t family;		/* AF_INET, AF_INET6 or AF_UNSPEC */
	union {
		__be32 v4;
		struct in6_addr v6;
	} local, remote;
	u8 encap;			/* enum esptun_encap */
	__be16 sport, dport;
};

/*
 * The outbound SAs of a device, most specific selector first (see
 * esptun_sel_cmp()). Replaced as a whole under RTNL; the device's
 * reference on each of its SAs is the table's entry.
 */
struct esptun_out_table {
	struct rcu_head rcu;
	unsigned int n;
	struct esptun_sa *sa[];
};

struct esptun_dev {
	struct net_device *dev;
	struct gro_cells gro;
	struct padata_shell *shell;	/* orders this device's crypto, parallel.c */
	struct esptun_rx_cell __percpu *rx_cells;	/* receive's bursts, rx_cell.c */
	struct list_head list;		/* esptun_devices, under RTNL */
	/* Replaced by netlink (under RTNL) and by receive (NAT mapping). */
	struct esptun_endpoints __rcu *ep;
	spinlock_t ep_lock;		/* serializes replacing ep, and moved_* */
	/*
	 * Following the peer's NAT mapping (device.c): inbound SAs are
	 * numbered in the order they were added; a packet may move ep only
	 * if its SA is the newest that has carried one, and if its SA
	 * number and sequence number come after the last move's.
	 */
	u64 in_order;			/* the last number given, under RTNL */
	atomic64_t rx_order;		/* newest SA number that carried a packet */
	u64 moved_order, moved_seq;
	struct esptun_out_table __rcu *out;
	struct esptun_sa __rcu *in[ESPTUN_MAX_INBOUND_SAS];
	u8 carrier;			/* enum esptun_carrier */
	spinlock_t carrier_lock;	/* serializes esptun_dev_update_carrier() */
	unsigned long last_acquire;	/* jiffies, rate-limits ACQUIRE */
	atomic64_t no_sa_drops;		/* routed in, no outbound SA for it */
};

/* Every esptun device of every namespace, under RTNL (for the reaper). */
extern struct list_head esptun_devices;

struct esptun_endpoints *esptun_ep_alloc(gfp_t gfp);
void esptun_ep_copy(struct esptun_endpoints *to, const struct esptun_endpoints *from);
void esptun_ep_free(struct esptun_endpoints *ep);
void esptun_ep_free_rcu(struct esptun_endpoints *ep);
bool esptun_is_dev(const struct net_device *dev);
void esptun_dev_follow_remote(struct esptun_dev *tun, const struct esptun_endpoints *from,
			      struct esptun_sa *sa, u64 seq);
void esptun_dev_update_carrier(struct esptun_dev *tun);
void esptun_dev_forget_in(struct esptun_dev *tun, const struct esptun_sa *sa);
int esptun_device_init(void);
void esptun_device_uninit(void);

#endif /* _ESPTUN_DEVICE_H */
