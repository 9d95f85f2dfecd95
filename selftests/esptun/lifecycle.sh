#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifecycle: 3 rounds of 100 devices created, keyed and deleted leave
# nothing behind; a keyed device moved to another namespace keeps its SAs
# and sends from there; deleting a namespace that holds one end of a flooded tunnel is clean;
# rmmod with devices up and traffic flowing is clean.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
K1=0x0102030405060708090a0b0c0d0e0f1011121314
K2=0x1112131415161718191a1b1c1d1e1f2021222324

SECONDS=0
step() { echo "$1 (${SECONDS}s)"; }

# Three rounds of 100 devices created, keyed, brought up and deleted.
netns_add lc
batch=$(mktemp)
for round in 1 2 3; do
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
step "3 rounds of 100 devices created, keyed and deleted"

# tunnel: esptun devices t0 in namespaces a and b, keyed to each other
# over a veth, with inner addresses 192.168.99.1 and .2.
tunnel() {
	local side me peer out in spo spi

	wire a 10.0.0.1/24 b 10.0.0.2/24
	for side in a b; do
		me=1 peer=2 out=$K1 in=$K2 spo=0x1001 spi=0x2002
		[ $side = b ] && me=2 peer=1 out=$K2 in=$K1 spo=0x2002 spi=0x1001
		ip -n $side link add t0 type esptun || fail "link add"
		ip netns exec $side "$ESPTUN" set t0 local 10.0.0.$me remote 10.0.0.$peer ||
			fail "set"
		ip netns exec $side "$ESPTUN" sa add t0 out spi $spo aead 'rfc4106(gcm(aes))' $out 128 ||
			fail "sa add out"
		ip netns exec $side "$ESPTUN" sa add t0 in spi $spi aead 'rfc4106(gcm(aes))' $in 128 ||
			fail "sa add in"
		inner $side $me $peer
	done
	ip netns exec a ping -q -c 2 -W 2 192.168.99.2 >/dev/null || fail "no ping through the tunnel"
}

inner() {
	ip -n "$1" addr add "192.168.99.$2/32" peer "192.168.99.$3" dev t0
	ip -n "$1" link set t0 up
}

flood_pid=
flood() {
	ip netns exec a ping -q -f -w 120 192.168.99.2 >/dev/null 2>&1 &
	flood_pid=$!
	sleep 2
}

stop_flood() {
	kill "$flood_pid" 2>/dev/null
	wait "$flood_pid" 2>/dev/null
}

forget_netns() {
	netns_list=${netns_list/ $1/}
}

tunnel
# The outer side follows the device: in "c" it has no path to b, back in
# "a" it has one again, and its SAs went along both ways.
netns_add c
ip -n a link set t0 netns c || fail "move to another namespace"
ip -n c link show t0 >/dev/null || fail "t0 not in the new namespace"
ip netns exec c "$ESPTUN" show t0 dump | grep -q 0x00001001 || fail "SAs did not move with t0"
ip -n c link set t0 netns a || fail "move back"
inner a 1 2
ip netns exec a ping -q -c 2 -W 2 192.168.99.2 >/dev/null || fail "no ping after the round trip"
step "moved between namespaces with its SAs"

flood
ip netns del b || fail "netns del under traffic"
forget_netns b
sleep 2
stop_flood
ip netns del a
forget_netns a
step "namespace deleted under traffic"

tunnel
flood
rmmod esptun || fail "rmmod under traffic"
stop_flood
ip -n a link show t0 >/dev/null 2>&1 && fail "t0 survived rmmod"
esptun_load
step "rmmod under traffic"
exit 0
