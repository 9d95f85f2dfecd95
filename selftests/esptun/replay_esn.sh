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
. "$(dirname "$0")/../lib/inject.sh"
inject_target replay-window 32 esn seq 0xfffffff0

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
