/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few places where the kernels we support (6.1 to 6.12) differ.
 * Everything version-dependent is here so the rest reads as one kernel.
 */
#ifndef _ESPTUN_COMPAT_H
#define _ESPTUN_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>

/* 6.11 turned NETIF_F_LLTX into a netdevice bit. */
static inline void compat_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

#endif /* _ESPTUN_COMPAT_H */
