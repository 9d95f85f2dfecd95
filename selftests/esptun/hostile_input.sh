#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile ESP, crafted here and sent from a raw socket to an inbound SA:
# truncated, misaligned, unknown SPI, corrupted ICV, replayed, left of the
# window, bad padding, bad and dummy next header. Each is dropped and
# counted in the right counter, nothing is delivered, and a forged packet
# never moves the replay window.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
. "$(dirname "$0")/../lib/inject.sh"
inject_target replay-window 64

# Every packet is built first, in one run: the crypto import is slow
# under an emulated CPU. Then "inject NAME" sends one of them.
pkts=$(mktemp -d)
trap 'rm -rf "$pkts"; cleanup_netns' EXIT
cat >"$pkts/batch" <<EOF
$pkts/s1 1
$pkts/s100 100
$pkts/s30 30
$pkts/s90 90
$pkts/s101bad 101 --corrupt-icv
$pkts/s101 101
$pkts/trunc12 102 --truncate 12
$pkts/trunc49 103 --truncate 49
$pkts/badpad 104 --bad-pad
$pkts/nh6 105 --next-header 6
$pkts/nh59 106 --next-header 59
EOF
python3 "$INJECT" 10.0.0.1 0x2002 $KEY --batch "$pkts/batch" || fail "building packets"
python3 "$INJECT" 10.0.0.1 0x9999 $KEY 1 --save $pkts/unknown || fail "building packets"

rx_packets() {
	ip -n ea -s -j link show t0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'
}

inject s1;			expect "valid packet" 1 0 0 0
inject s1;			expect "duplicate" 1 1 0 0
inject s100;			expect "jump ahead" 2 1 0 0
inject s30;			expect "left of the window" 2 2 0 0
inject s90;			expect "late but inside the window" 3 2 0 0
inject s90;			expect "late duplicate" 3 3 0 0
inject s101bad;	expect "corrupted ICV" 3 3 1 0
inject s101;			expect "same number, genuine: window not moved by the forgery" 4 3 1 0
inject trunc12;	expect "truncated to 12 bytes" 4 3 1 1
inject trunc49;	expect "misaligned ciphertext" 4 3 1 2
inject badpad;		expect "bad padding" 4 3 1 3
inject nh6;	expect "next header TCP" 4 3 1 4
inject nh59;	expect "dummy packet" 4 3 1 4
inject unknown;			expect "unknown SPI not claimed" 4 3 1 4

[ "$(rx_packets)" = 4 ] || fail "t0 received $(rx_packets) packets, want 4"
echo "every hostile packet dropped and counted"
exit 0
