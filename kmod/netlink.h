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
/* The SA attributes each command takes, for esptun_nl_parse_sa_id(). */
#define ESPTUN_SA_ID_ATTRS (BIT(ESPTUN_A_SA_DIR) | BIT(ESPTUN_A_SA_SPI))
#define ESPTUN_SA_SET_ATTRS (ESPTUN_SA_ID_ATTRS | BIT(ESPTUN_A_SA_LIFETIME))
#define ESPTUN_SA_NEW_ATTRS (ESPTUN_SA_SET_ATTRS | BIT(ESPTUN_A_SA_AEAD) | \
			     BIT(ESPTUN_A_SA_ENC) | BIT(ESPTUN_A_SA_AUTH) | \
			     BIT(ESPTUN_A_SA_ENC_KEY) | BIT(ESPTUN_A_SA_AUTH_KEY) | \
			     BIT(ESPTUN_A_SA_ICV_BITS) | BIT(ESPTUN_A_SA_FLAGS) | \
			     BIT(ESPTUN_A_SA_REPLAY_WINDOW) | BIT(ESPTUN_A_SA_SEQ) | \
			     BIT(ESPTUN_A_SA_SELECTOR))

int esptun_nl_check_used(struct nlattr **tb, int maxtype, unsigned long used,
			 struct netlink_ext_ack *extack);
int esptun_nl_parse_sa_id(struct nlattr **attrs, struct nlattr **tb, unsigned long used,
			  struct netlink_ext_ack *extack);
int esptun_nl_parse_sa(struct nlattr **tb, struct esptun_sa_config *cfg,
		       struct netlink_ext_ack *extack);
int esptun_nl_parse_lifetime(const struct nlattr *nest, struct esptun_lifetime *l,
			     struct netlink_ext_ack *extack);

/* netlink_msg.c */
int esptun_nl_put_addr(struct sk_buff *skb, int type, sa_family_t family, const void *addr);
int esptun_nl_put_sa(struct sk_buff *skb, int type, const struct esptun_sa *sa, bool full);
int esptun_nl_put_ifname(struct sk_buff *skb, const struct net_device *dev);
int esptun_nl_put_endpoints(struct sk_buff *skb, const struct esptun_endpoints *ep);

/* netlink.c */
void esptun_nl_sa_event(u8 cmd, struct esptun_sa *sa);
void esptun_nl_acquire(struct net_device *dev, const struct esptun_flow *flow);
void esptun_nl_remote_changed(struct net_device *dev, const struct esptun_endpoints *ep,
			      const struct esptun_sa *sa);
int esptun_nl_init(void);
void esptun_nl_uninit(void);

#endif /* _ESPTUN_NETLINK_H */
