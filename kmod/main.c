// SPDX-License-Identifier: GPL-2.0
/*
 * esptun: a route-based IPsec ESP tunnel device.
 *
 * Module entry and exit only; each concern lives in its own file.
 */

#include <linux/module.h>
#include <linux/init.h>

#include "device.h"

static int __init esptun_mod_init(void)
{
	int ret;

	ret = esptun_device_init();
	if (ret)
		return ret;

	pr_info("esptun: route-based ESP tunnel device loaded\n");
	return 0;
}

static void __exit esptun_mod_exit(void)
{
	esptun_device_uninit();
}

module_init(esptun_mod_init);
module_exit(esptun_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Route-based IPsec ESP tunnel device");
