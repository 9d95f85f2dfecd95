#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifecycle: rounds of 100 devices created, keyed and deleted leave
# nothing behind; a keyed device moved to another namespace keeps its SAs
# and sends from there; deleting a namespace that holds one end of a
# flooded tunnel is clean; rmmod with devices up and traffic flowing is
# clean.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli

SECONDS=0
step() { echo "$1 (${SECONDS}s)"; }

# Rounds (LIFECYCLE_ROUNDS, default 3) of 100 devices created, keyed,
# brought up and deleted.
rounds=${LIFECYCLE_ROUNDS:-3}
netns_add lc
batch=$(mktemp)
for round in $(seq "$rounds"); do
	for i in $(seq 100); do echo "link add t$i type esptun"; done >"$batch"
	ip -n lc -b "$batch" || fail "round $round: link add"
	ip netns exec lc "$(dirname "$0")/many_devices.py" t 100 || fail "round $round: keying"
	for i in $(seq 100); do echo "link set t$i up"; done >"$batch"
	ip -n lc -b "$batch" || fail "round $round: link up"
	for i in $(seq 100); do echo "link del t$i"; done >"$batch"
	ip -n lc -b "$batch" || fail "round $round: link del"
	left=$(ip -n lc -o link show type esptun | wc -l)
	[ "$left" = 0 ] || fail "round $round: $left esptun devices left"
done
rm -f "$batch"
step "$rounds rounds of 100 devices created, keyed and deleted"

forget_netns() {
	netns_list=${netns_list/ $1/}
}

esptun_pair
# The outer side follows the device: in "c" it has no path to b, back in
# "a" it has one again, and its SAs went along both ways.
netns_add c
ip -n a link set t0 netns c || fail "move to another namespace"
ip -n c link show t0 >/dev/null || fail "t0 not in the new namespace"
ip netns exec c "$ESPTUN" show t0 dump | grep -q 0x00001001 || fail "SAs did not move with t0"
ip -n c link set t0 netns a || fail "move back"
esptun_pair_inner a 1 2
ip netns exec a ping -q -c 2 -W 2 192.168.99.2 >/dev/null || fail "no ping after the round trip"
step "moved between namespaces with its SAs"

flood a 192.168.99.2
ip netns del b || fail "netns del under traffic"
forget_netns b
sleep 2
stop_flood
ip netns del a
forget_netns a
step "namespace deleted under traffic"

esptun_pair
flood a 192.168.99.2
rmmod esptun || fail "rmmod under traffic"
stop_flood
ip -n a link show t0 >/dev/null 2>&1 && fail "t0 survived rmmod"
esptun_load
step "rmmod under traffic"
exit 0
