// SPDX-License-Identifier: GPL-2.0
/*
 * The "esptun" generic netlink family: the contract is the comment in
 * uapi/linux/esptun.h. Every request is parsed and checked completely,
 * and a new SA is built with its crypto, before RTNL is taken; under RTNL
 * only checks against the current state and the change itself remain, so a
 * refused request changes nothing.
 */

#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "sa.h"
#include "spi.h"

static struct genl_family family;

static int validate_addr(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	if (nla_len(attr) != sizeof(struct in_addr) &&
	    nla_len(attr) != sizeof(struct in6_addr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "Address must be 4 or 16 bytes");
		return -EINVAL;
	}
	return 0;
}

static const struct nla_policy policy[ESPTUN_A_MAX + 1] = {
	[ESPTUN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[ESPTUN_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[ESPTUN_A_LOCAL] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_addr,
						  sizeof(struct in6_addr)),
	[ESPTUN_A_REMOTE] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_addr,
						   sizeof(struct in6_addr)),
	[ESPTUN_A_ENCAP] = NLA_POLICY_MAX(NLA_U8, ESPTUN_ENCAP_MAX),
	[ESPTUN_A_SPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[ESPTUN_A_DPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[ESPTUN_A_CARRIER] = NLA_POLICY_MAX(NLA_U8, ESPTUN_CARRIER_MAX),
	/*
	 * The SA nest is checked against esptun_nl_sa_policy by the commands,
	 * not here: a nest refused here would never reach new_sa(), which
	 * wipes the keys in it whatever happens to the request.
	 */
	[ESPTUN_A_SA] = { .type = NLA_NESTED },
	/* Read-only attributes. */
	[ESPTUN_A_SAS] = { .type = NLA_REJECT },
	[ESPTUN_A_DEV_NO_SA_DROPS] = { .type = NLA_REJECT },
	[ESPTUN_A_SELECTOR] = { .type = NLA_REJECT },
	[ESPTUN_A_PAD] = { .type = NLA_REJECT },
};

/* The top-level attributes each command takes. */
#define DEV_ATTRS (BIT(ESPTUN_A_IFINDEX) | BIT(ESPTUN_A_IFNAME))
#define SA_CMD_ATTRS (DEV_ATTRS | BIT(ESPTUN_A_SA))
#define SET_DEVICE_ATTRS (DEV_ATTRS | BIT(ESPTUN_A_LOCAL) | BIT(ESPTUN_A_REMOTE) | \
			  BIT(ESPTUN_A_ENCAP) | BIT(ESPTUN_A_SPORT) | BIT(ESPTUN_A_DPORT) | \
			  BIT(ESPTUN_A_CARRIER))

/* Under RTNL. */
static struct esptun_dev *lookup_dev(struct net *net, struct nlattr **attrs,
				     struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct nlattr *attr;

	if (attrs[ESPTUN_A_IFINDEX]) {
		attr = attrs[ESPTUN_A_IFINDEX];
		dev = __dev_get_by_index(net, nla_get_u32(attr));
	} else if (attrs[ESPTUN_A_IFNAME]) {
		attr = attrs[ESPTUN_A_IFNAME];
		dev = __dev_get_by_name(net, nla_data(attr));
	} else {
		NL_SET_ERR_MSG(extack, "No device: give ESPTUN_A_IFINDEX or ESPTUN_A_IFNAME");
		return ERR_PTR(-EINVAL);
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "No such device");
		return ERR_PTR(-ENODEV);
	}
	if (!esptun_is_dev(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "Not an esptun device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/* Under RTNL: the SA at index @i, the outbound ones first, in their order. */
static struct esptun_sa *sa_at(struct esptun_dev *tun, int i)
{
	struct esptun_out_table *t = rtnl_dereference(tun->out);

	if (i < ESPTUN_MAX_OUTBOUND_SAS)
		return t && i < t->n ? t->sa[i] : NULL;
	i -= ESPTUN_MAX_OUTBOUND_SAS;
	return i < ESPTUN_MAX_INBOUND_SAS ? rtnl_dereference(tun->in[i]) : NULL;
}

#define MAX_SA_INDEX (ESPTUN_MAX_OUTBOUND_SAS + ESPTUN_MAX_INBOUND_SAS)

/* Room for one SA nest with every attribute, its longest names included. */
#define SA_NEST_SIZE 512
/* Room for a device message with every SA it can have. */
#define DEVICE_MSG_SIZE (NLMSG_GOODSIZE + MAX_SA_INDEX * SA_NEST_SIZE)

/* Under RTNL; the endpoints under RCU, as receive may replace them (NAT). */
static int fill_device(struct sk_buff *skb, struct esptun_dev *tun)
{
	struct esptun_endpoints *ep;
	struct nlattr *sas;
	struct esptun_sa *sa;
	int i, err = 0;

	if (esptun_nl_put_ifname(skb, tun->dev) ||
	    nla_put_u8(skb, ESPTUN_A_CARRIER, READ_ONCE(tun->carrier)) ||
	    nla_put_u64_64bit(skb, ESPTUN_A_DEV_NO_SA_DROPS, atomic64_read(&tun->no_sa_drops),
			      ESPTUN_A_PAD))
		return -EMSGSIZE;
	rcu_read_lock();
	ep = rcu_dereference(tun->ep);
	if (ep)
		err = esptun_nl_put_endpoints(skb, ep);
	rcu_read_unlock();
	if (err)
		return err;
	sas = nla_nest_start(skb, ESPTUN_A_SAS);
	if (!sas)
		return -EMSGSIZE;
	for (i = 0; i < MAX_SA_INDEX; i++) {
		sa = sa_at(tun, i);
		if (sa && esptun_nl_put_sa(skb, ESPTUN_A_SA, sa, true))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, sas);
	return 0;
}

static int reply_device(struct genl_info *info, struct esptun_dev *tun)
{
	struct sk_buff *msg = genlmsg_new(DEVICE_MSG_SIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &family, 0, ESPTUN_CMD_GET_DEVICE);
	if (!hdr || fill_device(msg, tun)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Parses endpoint attributes over a copy of the current endpoints. */
static int parse_endpoints(struct nlattr **attrs, struct esptun_endpoints *ep,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *local = attrs[ESPTUN_A_LOCAL], *remote = attrs[ESPTUN_A_REMOTE];
	sa_family_t lf = local ? (nla_len(local) == 4 ? AF_INET : AF_INET6) : ep->family;
	sa_family_t rf = remote ? (nla_len(remote) == 4 ? AF_INET : AF_INET6) : ep->family;

	if ((local || remote) && (lf != rf || lf == AF_UNSPEC)) {
		NL_SET_ERR_MSG_ATTR(extack, local ?: remote,
				    "LOCAL and REMOTE must both be set, of the same family");
		return -EINVAL;
	}
	if (local || remote)
		ep->family = lf;
	if (local) {
		nla_memcpy(&ep->local, local, sizeof(ep->local));
		/*
		 * The outer source of what we send, and the address inbound
		 * SAs are looked up by: the unspecified address is neither.
		 */
		if (lf == AF_INET ? ep->local.v4 == htonl(INADDR_ANY) :
		    ipv6_addr_any(&ep->local.v6)) {
			NL_SET_ERR_MSG_ATTR(extack, local,
					    "LOCAL must not be the unspecified address");
			return -EINVAL;
		}
	}
	if (remote)
		nla_memcpy(&ep->remote, remote, sizeof(ep->remote));
	if (attrs[ESPTUN_A_ENCAP])
		ep->encap = nla_get_u8(attrs[ESPTUN_A_ENCAP]);
	if (attrs[ESPTUN_A_SPORT])
		ep->sport = htons(nla_get_u16(attrs[ESPTUN_A_SPORT]));
	if (attrs[ESPTUN_A_DPORT])
		ep->dport = htons(nla_get_u16(attrs[ESPTUN_A_DPORT]));
	if (ep->encap == ESPTUN_ENCAP_UDP && (!ep->sport || !ep->dport)) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[ESPTUN_A_ENCAP],
				    "UDP encapsulation needs SPORT and DPORT");
		return -EINVAL;
	}
	return 0;
}

static int set_device(struct sk_buff *skb, struct genl_info *info)
{
	struct esptun_endpoints *ep, *old = NULL;
	struct esptun_dev *tun;
	int err;

	err = esptun_nl_check_used(info->attrs, ESPTUN_A_MAX, SET_DEVICE_ATTRS, info->extack);
	if (err)
		return err;
	ep = esptun_ep_alloc(GFP_KERNEL_ACCOUNT);
	if (!ep)
		return -ENOMEM;
	rtnl_lock();
	tun = lookup_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(tun)) {
		err = PTR_ERR(tun);
		goto out;
	}
	/* Receive may move the remote end meanwhile (NAT): copy and swap at once. */
	spin_lock_bh(&tun->ep_lock);
	old = rcu_dereference_protected(tun->ep, lockdep_is_held(&tun->ep_lock));
	if (old)
		esptun_ep_copy(ep, old);
	err = parse_endpoints(info->attrs, ep, info->extack) ?:
	      esptun_spi_check_endpoints(tun, ep, info->extack);
	if (!err) {
		rcu_assign_pointer(tun->ep, ep);
		ep = NULL;
	}
	spin_unlock_bh(&tun->ep_lock);
	if (!err && old)
		esptun_ep_free_rcu(old);
	if (!err && info->attrs[ESPTUN_A_CARRIER]) {
		WRITE_ONCE(tun->carrier, nla_get_u8(info->attrs[ESPTUN_A_CARRIER]));
		esptun_dev_update_carrier(tun);
	}
out:
	rtnl_unlock();
	esptun_ep_free(ep);
	return err;
}

static int get_dev(struct sk_buff *skb, struct genl_info *info)
{
	struct esptun_dev *tun;
	int err;

	err = esptun_nl_check_used(info->attrs, ESPTUN_A_MAX, DEV_ATTRS, info->extack);
	if (err)
		return err;
	rtnl_lock();
	tun = lookup_dev(genl_info_net(info), info->attrs, info->extack);
	err = IS_ERR(tun) ? PTR_ERR(tun) : reply_device(info, tun);
	rtnl_unlock();
	return err;
}

/* Every message of the dump must hold the largest device. */
static int dump_devices_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = DEVICE_MSG_SIZE;
	return 0;
}

/* cb->args[0]: how many esptun devices of the namespace were sent. */
static int dump_devices(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;
	void *hdr;

	rtnl_lock();
	for_each_netdev(net, dev) {
		if (!esptun_is_dev(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &family, NLM_F_MULTI, ESPTUN_CMD_GET_DEVICE);
		if (!hdr)
			break;
		if (fill_device(skb, netdev_priv(dev))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = idx;
	}
	rtnl_unlock();
	return skb->len;
}

/*
 * Wipes every key attribute of a request's SA nest, walking it raw: a
 * nest that failed its policy, or a duplicate attribute that parsing
 * dropped, is not in the parsed table but still holds key bytes.
 */
static void wipe_keys(const struct nlattr *nest)
{
	struct nlattr *attr;
	int rem;

	if (!nest)
		return;
	nla_for_each_nested(attr, nest, rem)
		if (nla_type(attr) == ESPTUN_A_SA_ENC_KEY ||
		    nla_type(attr) == ESPTUN_A_SA_AUTH_KEY)
			memzero_explicit(nla_data(attr), nla_len(attr));
}

static int new_sa(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ESPTUN_A_SA_MAX + 1];
	struct esptun_sa_config cfg = {};
	struct esptun_dev *tun;
	struct esptun_sa *sa;
	int err;

	err = esptun_nl_check_used(info->attrs, ESPTUN_A_MAX, SA_CMD_ATTRS, info->extack) ?:
	      esptun_nl_parse_sa_id(info->attrs, tb, ESPTUN_SA_NEW_ATTRS, info->extack);
	if (err)
		goto out_wipe;
	err = esptun_nl_parse_sa(tb, &cfg, info->extack);
	if (err)
		goto out_wipe;
	/* Crypto allocation may load modules: never under RTNL. */
	sa = esptun_sa_create(&cfg);
	if (IS_ERR(sa)) {
		err = PTR_ERR(sa);
		NL_SET_ERR_MSG_ATTR(info->extack, tb[ESPTUN_A_SA_ENC_KEY],
				    "The crypto API refused the algorithm or key");
		goto out_wipe;
	}
	rtnl_lock();
	tun = lookup_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(tun))
		err = PTR_ERR(tun);
	else
		err = esptun_sa_install(tun, sa, info->extack);
	rtnl_unlock();
	if (err)
		esptun_sa_put(sa);
out_wipe:
	wipe_keys(info->attrs[ESPTUN_A_SA]);
	return err;
}

static int del_sa(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ESPTUN_A_SA_MAX + 1];
	struct esptun_dev *tun;
	int err;

	/* No keys here, but one sent by mistake is wiped all the same. */
	wipe_keys(info->attrs[ESPTUN_A_SA]);
	err = esptun_nl_check_used(info->attrs, ESPTUN_A_MAX, SA_CMD_ATTRS, info->extack) ?:
	      esptun_nl_parse_sa_id(info->attrs, tb, ESPTUN_SA_ID_ATTRS, info->extack);
	if (err)
		return err;
	rtnl_lock();
	tun = lookup_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(tun)) {
		err = PTR_ERR(tun);
	} else {
		err = esptun_sa_remove(tun, nla_get_u8(tb[ESPTUN_A_SA_DIR]),
				       nla_get_u32(tb[ESPTUN_A_SA_SPI]));
		if (err)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[ESPTUN_A_SA_SPI], "No such SA");
	}
	rtnl_unlock();
	return err;
}

/* Under RTNL: the SA named by the DIR and SPI in @tb. */
static struct esptun_sa *find_sa(struct esptun_dev *tun, struct nlattr **tb,
				 struct netlink_ext_ack *extack)
{
	u8 dir = nla_get_u8(tb[ESPTUN_A_SA_DIR]);
	u32 spi = nla_get_u32(tb[ESPTUN_A_SA_SPI]);
	struct esptun_sa *sa;
	int i;

	for (i = 0; i < MAX_SA_INDEX; i++) {
		sa = sa_at(tun, i);
		if (sa && sa->dir == dir && sa->spi == spi)
			return sa;
	}
	NL_SET_ERR_MSG_ATTR(extack, tb[ESPTUN_A_SA_SPI], "No such SA");
	return ERR_PTR(-ENOENT);
}

/* Under RTNL: the SA named by the request's device and the DIR and SPI in @tb. */
static struct esptun_sa *lookup_sa(struct genl_info *info, struct nlattr **tb)
{
	struct esptun_dev *tun = lookup_dev(genl_info_net(info), info->attrs, info->extack);

	return IS_ERR(tun) ? ERR_CAST(tun) : find_sa(tun, tb, info->extack);
}

/*
 * Only the limits of an SA change after it is made: its keys and
 * algorithm are what its SPI stands for (RFC 4301 4.1), so new keys take
 * a new SA. The limits count what the SA has carried since it was added.
 */
static int set_sa(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ESPTUN_A_SA_MAX + 1];
	struct esptun_lifetime lft = {};
	struct esptun_sa *sa;
	int err;

	/* No keys here, but one sent by mistake is wiped all the same. */
	wipe_keys(info->attrs[ESPTUN_A_SA]);
	err = esptun_nl_check_used(info->attrs, ESPTUN_A_MAX, SA_CMD_ATTRS, info->extack) ?:
	      esptun_nl_parse_sa_id(info->attrs, tb, ESPTUN_SA_SET_ATTRS, info->extack);
	if (err)
		return err;
	if (!tb[ESPTUN_A_SA_LIFETIME]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[ESPTUN_A_SA],
				    "SA_LIFETIME is required");
		return -EINVAL;
	}
	err = esptun_nl_parse_lifetime(tb[ESPTUN_A_SA_LIFETIME], &lft, info->extack);
	if (err)
		return err;
	rtnl_lock();
	sa = lookup_sa(info, tb);
	if (IS_ERR(sa))
		err = PTR_ERR(sa);
	else
		esptun_sa_set_lifetime(sa, &lft);
	rtnl_unlock();
	return err;
}

static int put_sa_msg(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      struct esptun_sa *sa)
{
	void *hdr = genlmsg_put(skb, portid, seq, &family, flags, ESPTUN_CMD_GET_SA);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, ESPTUN_A_IFINDEX, sa->dev->ifindex) ||
	    esptun_nl_put_sa(skb, ESPTUN_A_SA, sa, true)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int get_sa(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ESPTUN_A_SA_MAX + 1];
	struct esptun_sa *sa;
	struct sk_buff *msg;
	int err;

	/* No keys here, but one sent by mistake is wiped all the same. */
	wipe_keys(info->attrs[ESPTUN_A_SA]);
	err = esptun_nl_check_used(info->attrs, ESPTUN_A_MAX, SA_CMD_ATTRS, info->extack) ?:
	      esptun_nl_parse_sa_id(info->attrs, tb, ESPTUN_SA_ID_ATTRS, info->extack);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	sa = lookup_sa(info, tb);
	err = IS_ERR(sa) ? PTR_ERR(sa) : put_sa_msg(msg, info->snd_portid, info->snd_seq, 0, sa);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: the next SA slot (see sa_at()). */
static int dump_sas(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct esptun_dev *tun;
	struct esptun_sa *sa;
	int i, err;

	err = esptun_nl_check_used(compat_dump_attrs(cb), ESPTUN_A_MAX, DEV_ATTRS, cb->extack);
	if (err)
		return err;
	rtnl_lock();
	tun = lookup_dev(sock_net(skb->sk), compat_dump_attrs(cb), cb->extack);
	if (IS_ERR(tun)) {
		err = PTR_ERR(tun);
		goto out;
	}
	for (i = cb->args[0]; i < MAX_SA_INDEX; i++) {
		sa = sa_at(tun, i);
		if (sa && put_sa_msg(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				     NLM_F_MULTI, sa))
			break;
	}
	cb->args[0] = i;
out:
	rtnl_unlock();
	return err ?: skb->len;
}

static int flush_sa(struct sk_buff *skb, struct genl_info *info)
{
	struct esptun_dev *tun;
	int err;

	err = esptun_nl_check_used(info->attrs, ESPTUN_A_MAX, DEV_ATTRS, info->extack);
	if (err)
		return err;
	rtnl_lock();
	tun = lookup_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(tun))
		err = PTR_ERR(tun);
	else
		esptun_sa_flush(tun);
	rtnl_unlock();
	return err;
}

/* The one command whose dump needs a start callback, which small ops lack. */
static const struct genl_ops full_ops[] = {
	{
		.cmd = ESPTUN_CMD_GET_DEVICE,
		.doit = get_dev,
		.start = dump_devices_start,
		.dumpit = dump_devices,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_small_ops ops[] = {
	{
		.cmd = ESPTUN_CMD_SET_DEVICE,
		.doit = set_device,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = ESPTUN_CMD_NEW_SA,
		.doit = new_sa,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = ESPTUN_CMD_SET_SA,
		.doit = set_sa,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = ESPTUN_CMD_DEL_SA,
		.doit = del_sa,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = ESPTUN_CMD_GET_SA,
		.doit = get_sa,
		.dumpit = dump_sas,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = ESPTUN_CMD_FLUSH_SA,
		.doit = flush_sa,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group mcgrps[] = {
	/* Events name every tunnel and SPI in the namespace. */
	{ .name = ESPTUN_GENL_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family family __ro_after_init = {
	.name = ESPTUN_GENL_NAME,
	.version = ESPTUN_GENL_VERSION,
	.maxattr = ESPTUN_A_MAX,
	.policy = policy,
	.netnsok = true,
	/* Every command takes RTNL for what it touches; crypto allocation
	 * for one namespace's NEW_SA must not hold up another's requests.
	 */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = full_ops,
	.n_ops = ARRAY_SIZE(full_ops),
	.small_ops = ops,
	.n_small_ops = ARRAY_SIZE(ops),
	.resv_start_op = ESPTUN_CMD_SET_DEVICE,
	.mcgrps = mcgrps,
	.n_mcgrps = ARRAY_SIZE(mcgrps),
};

static void multicast(struct net *net, u8 cmd, struct net_device *dev,
		      const struct esptun_sa *sa, const struct esptun_endpoints *ep,
		      const struct esptun_flow *flow)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&family, net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &family, 0, cmd);
	if (!hdr || esptun_nl_put_ifname(msg, dev) ||
	    (sa && esptun_nl_put_sa(msg, ESPTUN_A_SA, sa, false)) ||
	    (ep && (esptun_nl_put_addr(msg, ESPTUN_A_REMOTE, ep->family, &ep->remote) ||
		    nla_put_u16(msg, ESPTUN_A_DPORT, ntohs(ep->dport)))) ||
	    (flow && esptun_flow_put(msg, ESPTUN_A_SELECTOR, flow))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&family, net, msg, 0, 0, GFP_ATOMIC);
}

/* Any context. */
void esptun_nl_sa_event(u8 cmd, struct esptun_sa *sa)
{
	multicast(dev_net(sa->dev), cmd, sa->dev, sa, NULL, NULL);
}

void esptun_nl_acquire(struct net_device *dev, const struct esptun_flow *flow)
{
	multicast(dev_net(dev), ESPTUN_CMD_EVENT_ACQUIRE, dev, NULL, NULL, flow);
}

void esptun_nl_remote_changed(struct net_device *dev, const struct esptun_endpoints *ep,
			      const struct esptun_sa *sa)
{
	multicast(dev_net(dev), ESPTUN_CMD_EVENT_REMOTE_CHANGED, dev, sa, ep, NULL);
}

int __init esptun_nl_init(void)
{
	return genl_register_family(&family);
}

void esptun_nl_uninit(void)
{
	genl_unregister_family(&family);
}
