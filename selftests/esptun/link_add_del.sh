#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "ip link add t0 type esptun" creates a point-to-point L3 device without
# ARP, multicast-capable (for OSPF and the like); "ip link del" removes it.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
netns_add lad

ip -n lad link add t0 type esptun || fail "ip link add t0 type esptun"
info=$(ip -n lad -d link show t0) || fail "t0 not listed"
echo "$info"
echo "$info" | grep -q 'POINTOPOINT' || fail "t0 is not IFF_POINTOPOINT"
echo "$info" | grep -q 'NOARP' || fail "t0 does not have IFF_NOARP"
echo "$info" | grep -q 'MULTICAST' || fail "t0 does not have IFF_MULTICAST"
echo "$info" | grep -q 'esptun' || fail "t0 is not of kind esptun"
ip -n lad link set t0 up || fail "t0 will not come up"
ip -n lad link del t0 || fail "ip link del t0"
ip -n lad link show t0 2>/dev/null && fail "t0 still present after delete"
exit 0
