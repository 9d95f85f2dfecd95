#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A UDP-encapsulated tunnel follows its peer when the peer's NAT mapping
# changes (RFC 3948 3.1): a packet that verifies and is the newest of its
# SA, from a new source port or address, moves where the device sends and
# raises remote-changed. A forgery, a replay (also one accepted without a
# replay window), a late packet from an old mapping, or the newest packet
# of an SA a rekey replaced moves nothing; a tunnel without UDP
# encapsulation never moves.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
python3 -c 'import cryptography' 2>/dev/null || skip "python3 cryptography missing"
INJECT=$ESPTUN_TOP/selftests/lib/esp_inject.py

esptun_pair
encap_sockets a 4500
encap_sockets b 4500 4501
events=$(mktemp)
trap 'kill $monitor 2>/dev/null; stop_encap_sockets; rm -f "$events"; cleanup_netns' EXIT
ip netns exec a "$ESPTUN" set t0 encap udp 4500 4500 || fail "encap udp in a"
ip netns exec b "$ESPTUN" set t0 encap udp 4500 4500 || fail "encap udp in b"
ip netns exec a "$ESPTUN" monitor >"$events" &
monitor=$!
ip netns exec a ping -q -c 2 -W 2 192.168.99.2 >/dev/null || fail "no ping through UDP encapsulation"

# "ADDR PORT" where a's t0 sends.
remote_of_a() {
	ip netns exec a "$ESPTUN" show t0 |
		awk '/remote:/ { a = $2 } /encap: udp/ { p = $NF } END { print a, p }'
}

# expect_remote "ADDR PORT" WHAT: where a sends, within 10 s (the guest
# may be slow to run the receive path under load).
expect_remote() {
	local got
	for _ in $(seq 20); do
		got=$(remote_of_a)
		[ "$got" = "$1" ] && break
		sleep 0.5
	done
	[ "$got" = "$1" ] || fail "$2: a sends to $got, not $1"
	echo "$2: a sends to $1"
}

# until_spi_col SPI COLUMN VALUE WHAT: until_col for a's inbound SA SPI.
until_spi_col() {
	for _ in $(seq 20); do
		[ "$(esptun_sa_col a t0 in "$1" "$2")" -ge "$3" ] && return
		sleep 0.5
	done
	ip netns exec a "$ESPTUN" show t0 dump | sed 's/^/# /'
	fail "$4 (column $2 is $(esptun_sa_col a t0 in "$1" "$2"), expected $3)"
}

# until_col COLUMN VALUE WHAT: the same for a's inbound SA 0x2002.
until_col() {
	until_spi_col 0x2002 "$@"
}

# The NAT in front of b gives it a new port.
ip netns exec b "$ESPTUN" set t0 encap udp 4501 4500 || fail "new source port in b"
ip netns exec b ping -q -c 2 -W 2 192.168.99.1 >/dev/null || fail "b -> a from port 4501"
expect_remote "10.0.0.2 4501" "new port followed"
ip netns exec a ping -q -c 2 -W 2 192.168.99.2 >/dev/null || fail "a -> b after b's port moved"
wait_log "$events" "^remote-changed t0 in spi 0x00002002 to 10.0.0.2 port 4501$" 10 ||
	fail "no remote-changed event: $(cat "$events")"

# ... and then a new address: the old one is gone, so only following works.
ip netns exec b sysctl -qw net.ipv4.conf.wire.promote_secondaries=1
ip -n b addr add 10.0.0.3/24 dev wire || fail "second address in b"
ip -n b addr del 10.0.0.2/24 dev wire
ip netns exec b "$ESPTUN" set t0 local 10.0.0.3 || fail "new local address in b"
ip netns exec b ping -q -c 2 -W 2 192.168.99.1 >/dev/null || fail "b -> a from 10.0.0.3"
expect_remote "10.0.0.3 4501" "new address followed"
ip netns exec a ping -q -c 2 -W 2 192.168.99.2 >/dev/null || fail "a -> b after b's address moved"

# Crafted packets for a's inbound SA 0x2002, sent from b's address.
top=$(esptun_sa_col a t0 in 0x2002 9)
pkts=$(mktemp -d)
trap 'kill $monitor 2>/dev/null; stop_encap_sockets; rm -rf "$events" "$pkts"; cleanup_netns' EXIT
from_port() {
	ip netns exec b python3 "$INJECT" 10.0.0.1 --send "$pkts/$1" --udp 4500 --from-port "$2" ||
		fail "sending $1 from port $2"
}
cat >"$pkts/batch" <<EOB
$pkts/forged $((top + 100)) --corrupt-icv
$pkts/replayed $top
$pkts/newest $((top + 50))
$pkts/late $((top + 40))
EOB
python3 "$INJECT" 10.0.0.1 0x2002 "$ESPTUN_KEY_BA" --batch "$pkts/batch" || fail "building packets"

icv=$(esptun_sa_col a t0 in 0x2002 13)
from_port forged 4600
until_col 13 $((icv + 1)) "the forgery was not counted"
expect_remote "10.0.0.3 4501" "a forgery from a new port moves nothing"
replays=$(esptun_sa_col a t0 in 0x2002 12)
from_port replayed 4600
until_col 12 $((replays + 1)) "the replay was not counted"
expect_remote "10.0.0.3 4501" "a replay from a new port moves nothing"
# The device follows before the packet is counted: wait for the count, not
# for the move, before sending the next one.
packets=$(esptun_sa_col a t0 in 0x2002 10)
from_port newest 4600
until_col 10 $((packets + 1)) "the newest packet was not accepted"
expect_remote "10.0.0.3 4600" "the newest verified packet moves the device"
drops=$(esptun_sa_col a t0 in 0x2002 12)/$(esptun_sa_col a t0 in 0x2002 14)
from_port late 4700
until_col 10 $((packets + 2)) "the late packet was not accepted"
[ "$(esptun_sa_col a t0 in 0x2002 12)/$(esptun_sa_col a t0 in 0x2002 14)" = "$drops" ] ||
	fail "the late packet was dropped (replay/other drops were $drops)"
expect_remote "10.0.0.3 4600" "a verified packet that is not the newest moves nothing"

# A rekey adds inbound SA 0x2003, here without a replay window: a replay
# of its newest packet is accepted, but it is not new and moves nothing.
# Once the new SA carries packets, the newest packet of the old one moves
# nothing either. Deleting the new SA gives the old one back its say.
ip netns exec a "$ESPTUN" sa add t0 in spi 0x2003 aead 'rfc4106(gcm(aes))' "$ESPTUN_KEY_BA" 128 \
	replay-window 0 || fail "second inbound SA in a"
echo "$pkts/rekeyed 5" >"$pkts/batch"
python3 "$INJECT" 10.0.0.1 0x2003 "$ESPTUN_KEY_BA" --batch "$pkts/batch" || fail "building packets"
echo "$pkts/replaced $((top + 60))" >"$pkts/batch"
python3 "$INJECT" 10.0.0.1 0x2002 "$ESPTUN_KEY_BA" --batch "$pkts/batch" || fail "building packets"
from_port rekeyed 4800
until_spi_col 0x2003 10 1 "the new SA's packet was not accepted"
expect_remote "10.0.0.3 4800" "the newest packet of the new SA moves the device"
from_port rekeyed 4900
until_spi_col 0x2003 10 2 "the replay was not accepted without a window"
expect_remote "10.0.0.3 4800" "a replay accepted without a window moves nothing"
from_port replaced 5000
until_col 10 $((packets + 3)) "the old SA's newest packet was not accepted"
expect_remote "10.0.0.3 4800" "the newest packet of the replaced SA moves nothing"
ip netns exec a "$ESPTUN" sa del t0 in spi 0x2003 || fail "deleting the new SA"
# b's own packets are behind the crafted ones (inside the window) until
# its counter passes them; then they are the newest and a follows again.
ip netns exec b ping -q -f -c 100 -W 1 192.168.99.1 >/dev/null; :
expect_remote "10.0.0.3 4501" "the peer's own newer packets win it back"
ip netns exec a ping -q -c 2 -W 2 192.168.99.2 >/dev/null || fail "a -> b after the crafted packets"

# Bare ESP: the remote end is configuration, never taken from packets.
# (b's replies cannot come back: its inbound SA now belongs to 10.0.0.3.)
kill $monitor
stop_encap_sockets
cleanup_netns
esptun_pair
ip -n b addr add 10.0.0.3/24 dev wire
ip netns exec b "$ESPTUN" set t0 local 10.0.0.3 || fail "new local address in b"
packets=$(esptun_sa_col a t0 in 0x2002 10)
ip netns exec b ping -q -c 2 -W 1 192.168.99.1 >/dev/null; :
[ "$(esptun_sa_col a t0 in 0x2002 10)" -ge $((packets + 2)) ] ||
	fail "bare ESP from 10.0.0.3 did not arrive"
expect_remote "10.0.0.2 " "bare ESP from another address: the remote end stays as configured"
exit 0
