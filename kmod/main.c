// SPDX-License-Identifier: GPL-2.0
/*
 * esptun: a route-based IPsec ESP tunnel device.
 *
 * Module entry and exit only; each concern lives in its own file. Exit
 * runs init backwards: no new requests, no more ESP received, devices
 * (and with them their SAs) deleted, then the crypto workers and the
 * deferred frees drained.
 */

#include <linux/module.h>
#include <linux/init.h>

#include "device.h"
#include "esp.h"
#include "netlink.h"
#include "proto.h"
#include "sa.h"
#include "spi.h"

static int __init esptun_mod_init(void)
{
	int ret;

	ret = esptun_spi_init();
	if (ret)
		return ret;
	ret = esptun_sa_init();
	if (ret)
		goto err_spi;
	ret = esptun_parallel_init();
	if (ret)
		goto err_sa;
	ret = esptun_device_init();
	if (ret)
		goto err_parallel;
	ret = esptun_proto_init();
	if (ret)
		goto err_device;
	ret = esptun_nl_init();
	if (ret)
		goto err_proto;

	pr_info("esptun: route-based ESP tunnel device loaded\n");
	return 0;

err_proto:
	esptun_proto_uninit();
err_device:
	esptun_device_uninit();
err_parallel:
	esptun_parallel_uninit();
err_sa:
	esptun_sa_uninit();
err_spi:
	esptun_spi_uninit();
	return ret;
}

static void __exit esptun_mod_exit(void)
{
	esptun_nl_uninit();
	esptun_proto_uninit();
	esptun_device_uninit();
	esptun_parallel_uninit();
	esptun_sa_uninit();
	esptun_spi_uninit();
}

module_init(esptun_mod_init);
module_exit(esptun_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Route-based IPsec ESP tunnel device");
