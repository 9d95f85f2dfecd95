#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Segmentation offload: the device takes TCP's large GSO packets whole and
# segments them itself (send.c), after one route, SA and PMTU check, then
# encrypts each segment; ESP cannot be segmented later. A capture on the
# device sees packets larger than its MTU only then. With the offloads
# turned off (ethtool -K) the stack segments first. Either way a TCP
# transfer arrives whole, with no receive drop.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
command -v ethtool >/dev/null || skip "ethtool not installed"
command -v iperf3 >/dev/null || skip "iperf3 not installed"
command -v dumpcap >/dev/null || skip "dumpcap (tshark) not installed"

esptun_pair
DIR=$(mktemp -d)
trap 'kill $cap_pid 2>/dev/null; rm -rf "$DIR"; cleanup_netns' EXIT
mtu=$(ip netns exec a cat /sys/class/net/t0/mtu)

features=$(ip netns exec a ethtool -k t0)
for f in scatter-gather tx-checksumming tcp-segmentation-offload generic-segmentation-offload; do
	grep -q "^$f: on" <<<"$features" || fail "t0 does not offer $f: $(grep "^$f:" <<<"$features")"
done
echo "t0 offers scatter-gather, checksumming, TSO and GSO"

# transfer: 4 MB of TCP from a to b, captured on a's t0; sets largest to
# the largest packet handed to t0.
transfer() {
	capture_start a t0 "$DIR/cap.pcap" 60
	tcp_transfer a b 192.168.99.2 4M
	kill -INT $cap_pid
	wait $cap_pid
	largest=$(tshark -r "$DIR/cap.pcap" -T fields -e frame.len 2>/dev/null | sort -n | tail -n 1)
	[ "$(esptun_sa_col b t0 in 0x1001 13)" = 0 ] && [ "$(esptun_sa_col b t0 in 0x1001 14)" = 0 ] ||
		fail "receive drops: $(ip netns exec b "$ESPTUN" show t0 dump)"
}

transfer
[ "${largest:-0}" -gt "$mtu" ] ||
	fail "with GSO on, no packet larger than the MTU ($mtu) reached t0 (largest ${largest:-none})"
echo "GSO on: TCP arrived whole; t0 took packets of up to $largest bytes (MTU $mtu)"

ip netns exec a ethtool -K t0 sg off tx off tso off gso off || fail "ethtool -K t0 ... off"
transfer
[ "${largest:-0}" -le "$mtu" ] ||
	fail "with GSO off, t0 took a packet of $largest bytes (MTU $mtu)"
echo "GSO off: TCP arrived whole; t0 took packets of up to $largest bytes"
