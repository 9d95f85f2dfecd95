// SPDX-License-Identifier: GPL-2.0
/*
 * The inbound SPI table that receive searches, one per network namespace.
 *
 * Anyone may create esptun devices in a namespace of their own (an
 * unprivileged user namespace), and every ESP packet of the host passes
 * through esptun before xfrm. With one table per namespace, each salted
 * with its own random key, a packet's lookup walks only the SAs of its
 * own namespace: filling a table slows no one else. A namespace holds at
 * most ESPTUN_MAX_NETNS_INBOUND_SAS inbound SAs, so its own chains stay
 * short too.
 *
 * Writers run under RTNL; receive reads under RCU.
 */

#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "sa.h"
#include "spi.h"

#define SPI_HASH_BITS 10

struct spi_net {
	DECLARE_HASHTABLE(table, SPI_HASH_BITS);
	u32 salt;
	unsigned int count;		/* under RTNL */
};

static unsigned int spi_net_id __read_mostly;

static struct spi_net *spi_net(const struct net *net)
{
	return net_generic(net, spi_net_id);
}

static u32 spi_key(const struct spi_net *sn, u32 spi)
{
	return jhash_1word(spi, sn->salt);
}

static bool same_local(const struct esptun_endpoints *a, const struct esptun_endpoints *b)
{
	/* An unset local address receives on every address: it overlaps all. */
	if (!a || !b || a->family == AF_UNSPEC || b->family == AF_UNSPEC)
		return true;
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->local.v4 == b->local.v4;
	return ipv6_addr_equal(&a->local.v6, &b->local.v6);
}

/*
 * Whether an inbound SA other than @self, of @tun or of a device of its
 * namespace that receives on the same local address, has @spi. Under
 * RTNL, which keeps the table still; endpoints need RCU, as receive may
 * replace them (NAT mapping).
 */
static bool taken(struct esptun_dev *tun, u32 spi, const struct esptun_sa *self)
{
	struct spi_net *sn = spi_net(dev_net(tun->dev));
	struct esptun_sa *sa;
	bool taken = false;

	rcu_read_lock();
	hash_for_each_possible(sn->table, sa, node, spi_key(sn, spi)) {
		struct esptun_dev *other = netdev_priv(sa->dev);

		if (sa == self || sa->spi != spi)
			continue;
		if (other == tun || same_local(rcu_dereference(tun->ep),
					       rcu_dereference(other->ep))) {
			taken = true;
			break;
		}
	}
	rcu_read_unlock();
	return taken;
}

/* Whether @tun may add an inbound SA with @spi. Under RTNL. */
int esptun_spi_check(struct esptun_dev *tun, u32 spi, struct netlink_ext_ack *extack)
{
	if (taken(tun, spi, NULL)) {
		NL_SET_ERR_MSG(extack, "SPI already used by an inbound SA");
		return -EEXIST;
	}
	if (spi_net(dev_net(tun->dev))->count >= ESPTUN_MAX_NETNS_INBOUND_SAS) {
		NL_SET_ERR_MSG(extack, "The namespace already has the maximum of inbound SAs");
		return -ENOSPC;
	}
	return 0;
}

/*
 * Whether @tun's inbound SAs may keep their SPIs with @ep as endpoints:
 * a new local address may be one another device receives on.
 */
int esptun_spi_check_endpoints(struct esptun_dev *tun, const struct esptun_endpoints *ep,
			       struct netlink_ext_ack *extack)
{
	struct spi_net *sn = spi_net(dev_net(tun->dev));
	struct esptun_sa *mine, *sa;
	int i, err = 0;

	rcu_read_lock();
	for (i = 0; i < ESPTUN_MAX_INBOUND_SAS && !err; i++) {
		mine = rtnl_dereference(tun->in[i]);
		if (!mine)
			continue;
		hash_for_each_possible(sn->table, sa, node, spi_key(sn, mine->spi)) {
			struct esptun_dev *other = netdev_priv(sa->dev);

			if (other != tun && sa->spi == mine->spi &&
			    same_local(ep, rcu_dereference(other->ep))) {
				NL_SET_ERR_MSG(extack,
					       "Another device receives an SPI of this one on that local address");
				err = -EEXIST;
				break;
			}
		}
	}
	rcu_read_unlock();
	return err;
}

/* Under RTNL, after esptun_spi_check() passed for @sa's device. */
void esptun_spi_add(struct esptun_sa *sa)
{
	struct spi_net *sn = spi_net(dev_net(sa->dev));

	hash_add_rcu(sn->table, &sa->node, spi_key(sn, sa->spi));
	sn->count++;
}

/* Under RTNL; an SA its device took out of a namespace is already gone. */
void esptun_spi_del(struct esptun_sa *sa)
{
	if (hlist_unhashed(&sa->node))
		return;
	hash_del_rcu(&sa->node);
	spi_net(dev_net(sa->dev))->count--;
}

/*
 * For a device that moved to another namespace with its SAs, which left
 * the old table (esptun_spi_del()): adds @sa to the new one. False if it
 * cannot stay, because its SPI is taken there or the namespace is full.
 */
bool esptun_spi_rejoin(struct esptun_sa *sa)
{
	struct esptun_dev *tun = netdev_priv(sa->dev);

	if (taken(tun, sa->spi, sa) ||
	    spi_net(dev_net(sa->dev))->count >= ESPTUN_MAX_NETNS_INBOUND_SAS)
		return false;
	esptun_spi_add(sa);
	return true;
}

/* Under rcu_read_lock(); the caller takes a reference if it keeps the SA. */
struct esptun_sa *esptun_spi_lookup(struct net *net, u32 spi, sa_family_t family,
				    const void *daddr)
{
	struct spi_net *sn = spi_net(net);
	struct esptun_endpoints *ep;
	struct esptun_sa *sa;

	hash_for_each_possible_rcu(sn->table, sa, node, spi_key(sn, spi)) {
		if (sa->spi != spi)
			continue;
		ep = rcu_dereference(((struct esptun_dev *)netdev_priv(sa->dev))->ep);
		if (!ep || ep->family == AF_UNSPEC)
			return sa;
		if (ep->family != family)
			continue;
		if (family == AF_INET ? ep->local.v4 == *(const __be32 *)daddr :
		    ipv6_addr_equal(&ep->local.v6, daddr))
			return sa;
	}
	return NULL;
}

static int __net_init spi_net_init(struct net *net)
{
	struct spi_net *sn = spi_net(net);

	hash_init(sn->table);
	sn->salt = get_random_u32();
	sn->count = 0;
	return 0;
}

/* Devices go before subsystems: the table is empty by now. */
static void __net_exit spi_net_exit(struct net *net)
{
	WARN_ON_ONCE(spi_net(net)->count);
}

static struct pernet_operations spi_net_ops = {
	.init = spi_net_init,
	.exit = spi_net_exit,
	.id = &spi_net_id,
	.size = sizeof(struct spi_net),
};

int __init esptun_spi_init(void)
{
	return register_pernet_subsys(&spi_net_ops);
}

void esptun_spi_uninit(void)
{
	unregister_pernet_subsys(&spi_net_ops);
}
