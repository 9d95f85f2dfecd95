#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module loads, registers its link kind, and unloads cleanly.
. "$(dirname "$0")/../lib/common.sh"

[ -d /sys/module/esptun ] && { rmmod esptun || fail "rmmod of a previously loaded esptun"; }
esptun_load
[ -d /sys/module/esptun ] || fail "/sys/module/esptun missing after insmod"
ip link add probe0 type esptun || fail "link kind esptun not registered"
ip link del probe0
rmmod esptun || fail "rmmod esptun"
[ -d /sys/module/esptun ] && fail "esptun still loaded after rmmod"
esptun_load
echo "loaded, unloaded and loaded again"
