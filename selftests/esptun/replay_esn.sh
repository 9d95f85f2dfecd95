#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Anti-replay with extended sequence numbers across the 2^32 boundary: an
# inbound ESN SA starts just below it; packets on both sides of it are
# accepted once, reordering inside the window is accepted exactly once,
# duplicates are dropped, and a packet authenticated with the wrong high
# half, or from behind the window, fails its ICV. Then a non-ESN
# outbound SA near 2^32 - 1 stops instead of wrapping.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
python3 -c 'import cryptography' 2>/dev/null || skip "python3 cryptography missing"
INJECT=$ESPTUN_TOP/selftests/lib/esp_inject.py
KEY=0x0102030405060708090a0b0c0d0e0f1011121314

netns_add ea
netns_add xb
ip link add va netns ea type veth peer vb netns xb || fail "veth"
ip -n ea addr add 10.0.0.1/24 dev va
ip -n xb addr add 10.0.0.2/24 dev vb
ip -n ea link set va up
ip -n xb link set vb up
ip -n ea link add t0 type esptun
ip -n ea link set t0 addrgenmode none
ip netns exec ea "$ESPTUN" set t0 local 10.0.0.1 remote 10.0.0.2 || fail "esptun set"
ip netns exec ea "$ESPTUN" sa add t0 in spi 0x2002 aead 'rfc4106(gcm(aes))' $KEY 128 \
	replay-window 32 esn seq 0xfffffff0 || fail "sa add esn"
ip -n ea addr add 192.168.99.1/32 peer 192.168.99.2 dev t0
ip -n ea link set t0 up

# Every packet is built first, in one run: the crypto import is slow
# under an emulated CPU. Then "inject NAME" sends one file of them.
pkts=$(mktemp -d)
trap 'rm -rf "$pkts"; cleanup_netns' EXIT
reorder="0x10000000a 0x100000006 0x100000008 0x100000007 0x100000009"
cat >"$pkts/batch" <<EOF
$pkts/below 0xfffffff5 --esn
$pkts/across 0x100000002 --esn
$pkts/late 0xfffffff8 --esn
$pkts/behind 0xffffffe0 --esn
$pkts/reorder $reorder --esn
$pkts/wronghi 0x20000000b --esn
$pkts/righthi 0x10000000b --esn
EOF
python3 "$INJECT" 10.0.0.1 0x2002 $KEY --batch "$pkts/batch" || fail "building packets"

inject() {
	ip netns exec xb python3 "$INJECT" 10.0.0.1 --send "$pkts/$1" || fail "inject $1"
	sleep 0.5
}

# expect WHAT PACKETS REPLAY ICV
expect() {
	local got
	got=$(ip netns exec ea "$ESPTUN" show t0 dump |
		awk '$2 == "in" && $3 == "0x00002002" { print $10, $12, $13 }')
	[ "$got" = "$2 $3 $4" ] || fail "$1: packets/replay/icv are $got, want $2 $3 $4"
	echo "ok: $1 ($got)"
}

inject below;		expect "below 2^32" 1 0 0
inject across;		expect "across 2^32" 2 0 0
[ "$(esptun_sa_col ea t0 in 0x2002 9)" = $((0x100000002)) ] || fail "highest seen not 2^32 + 2"
inject late;		expect "late, below 2^32, inside the window" 3 0 0
inject late;		expect "its duplicate" 3 1 0
# RFC 4303 A.2: behind the window reads as the next subspace; the ICV
# then fails and the window stays where it is.
inject behind;		expect "behind the window" 3 1 1
inject reorder
expect "reordered inside the window" 8 1 1
inject reorder
expect "reordered duplicates" 8 6 1
inject wronghi;		expect "wrong high half fails the ICV" 8 6 2
inject righthi;		expect "the right one passes" 9 6 2

# Outbound without ESN: 0xfffffffe and 0xffffffff go, then it stops.
ip netns exec ea "$ESPTUN" sa add t0 out spi 0x1001 aead 'rfc4106(gcm(aes))' $KEY 128 \
	seq 0xfffffffd || fail "sa add out"
ip netns exec ea ping -c 4 -i 0.2 -W 1 192.168.99.2 >/dev/null
[ "$(esptun_sa_col ea t0 out 0x1001 9)" = $((0xffffffff)) ] || fail "out SA did not reach 2^32 - 1"
[ "$(esptun_sa_col ea t0 out 0x1001 10)" = 2 ] ||
	fail "out SA carried $(esptun_sa_col ea t0 out 0x1001 10) packets, want 2 before stopping"
echo "ESN and replay window behave"
exit 0
