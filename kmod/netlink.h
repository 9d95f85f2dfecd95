/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ESPTUN_NETLINK_H
#define _ESPTUN_NETLINK_H

#include <linux/netdevice.h>

struct esptun_sa;

void esptun_nl_sa_event(u8 cmd, struct esptun_sa *sa);
void esptun_nl_acquire(struct net_device *dev);
int esptun_nl_init(void);
void esptun_nl_uninit(void);

#endif /* _ESPTUN_NETLINK_H */
