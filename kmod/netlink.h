/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_NETLINK_H
#define _ESPTUN_NETLINK_H

#include <linux/netdevice.h>
#include <net/netlink.h>
#include <linux/esptun.h>

struct esptun_sa;
struct esptun_sa_config;
struct esptun_lifetime;
struct esptun_endpoints;
struct esptun_flow;

/* netlink_sa.c: the ESPTUN_A_SA nest of requests. */
extern const struct nla_policy esptun_nl_sa_policy[ESPTUN_A_SA_MAX + 1];
int esptun_nl_parse_sa_id(struct nlattr **attrs, struct nlattr **tb,
			  struct netlink_ext_ack *extack);
int esptun_nl_parse_sa(struct nlattr **tb, struct esptun_sa_config *cfg,
		       struct netlink_ext_ack *extack);
int esptun_nl_parse_lifetime(const struct nlattr *nest, struct esptun_lifetime *l,
			     struct netlink_ext_ack *extack);

/* netlink.c */
void esptun_nl_sa_event(u8 cmd, struct esptun_sa *sa);
void esptun_nl_acquire(struct net_device *dev, const struct esptun_flow *flow);
void esptun_nl_remote_changed(struct net_device *dev, const struct esptun_endpoints *ep,
			      const struct esptun_sa *sa);
int esptun_nl_init(void);
void esptun_nl_uninit(void);

#endif /* _ESPTUN_NETLINK_H */
