// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture for the VM runner's own tests, never shipped: a module that
 * WARNs when loaded, so the harness can prove it catches kernel reports.
 */

#include <linux/module.h>

static int __init warn_on_load_init(void)
{
	WARN(1, "esptun harness: deliberate warning\n");
	return 0;
}

static void __exit warn_on_load_exit(void)
{
}

module_init(warn_on_load_init);
module_exit(warn_on_load_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("esptun harness test fixture: WARN on load");
