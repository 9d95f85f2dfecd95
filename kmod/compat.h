/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few places where the kernels we support (6.1 to 6.12) differ.
 * Everything version-dependent is here so the rest reads as one kernel.
 */
#ifndef _ESPTUN_COMPAT_H
#define _ESPTUN_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <linux/crypto.h>
#include <net/genetlink.h>

/* 6.11 turned NETIF_F_LLTX into a netdevice bit. */
static inline void compat_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* 6.3 passed the request's data pointer to completion callbacks. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
typedef void *compat_async_arg_t;

static inline void *compat_async_data(void *arg)
{
	return arg;
}
#else
typedef struct crypto_async_request *compat_async_arg_t;

static inline void *compat_async_data(struct crypto_async_request *req)
{
	return req->data;
}
#endif

/* 6.2 moved the parsed attributes of a dump into a struct genl_info. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define compat_dump_attrs(cb) (genl_dumpit_info(cb)->info.attrs)
#else
#define compat_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

#endif /* _ESPTUN_COMPAT_H */
