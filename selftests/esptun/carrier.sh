#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Link state follows the SAs ("carrier sa", the default): without a usable
# outbound SA a device has no carrier, so ip link shows NO-CARRIER and
# routes through it are linkdown. An outbound SA brings it up; deleting
# the last one, or its hard expiry, takes it down; with several (policy-
# based) the last one counts. "carrier on" keeps it up, so that the first
# packet raises ACQUIRE. Static failover: two tunnels to one LAN with
# metrics 10 and 20 and ignore_routes_with_linkdown; when tunnel 1 loses
# its SA the traffic takes tunnel 2, and comes back with a new SA.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
GCM="aead rfc4106(gcm(aes))"

esptun_pair
events=$(mktemp)
trap 'kill $mon 2>/dev/null; rm -f "$events"; cleanup_netns' EXIT

# carrier NS DEV: "on" or "off", as ip link shows it: the flag is set at
# once, the operational state once the kernel's linkwatch has applied it
# (and told routing).
carrier() {
	local link
	link=$(ip -n "$1" link show "$2")
	case $link in
	*"<"*NO-CARRIER*">"*" state DOWN "*) echo off ;;
	*"<"*LOWER_UP*">"*" state UP "*) echo on ;;
	*) echo "changing ($(head -n 1 <<<"$link"))" ;;
	esac
}

# expect_carrier NS DEV on|off WHAT: within 5 s.
expect_carrier() {
	local got
	for _ in $(seq 20); do
		got=$(carrier "$1" "$2")
		[ "$got" = "$3" ] && break
		sleep 0.25
	done
	[ "$got" = "$3" ] || fail "$4: carrier of $2 in $1 is $got, want $3"
	echo "$4: carrier $3"
}

sa_out() { # NS DEV SPI [OPTIONS]: an outbound SA
	ip netns exec "$1" "$ESPTUN" sa add "$2" out spi "$3" $GCM "$ESPTUN_KEY_AB" 128 "${@:4}" ||
		fail "sa add $2 out spi $3 in $1"
}
sa_del() { # NS DEV SPI
	ip netns exec "$1" "$ESPTUN" sa del "$2" out spi "$3" || fail "sa del $2 out spi $3 in $1"
}

expect_carrier a t0 on "the keyed pair"
ip -n a link add n0 type esptun || fail "link add n0"
ip -n a link set n0 addrgenmode none
ip netns exec a "$ESPTUN" set n0 local 10.0.0.1 remote 10.0.0.2 || fail "set n0"
ip -n a link set n0 up
ip -n a route add 10.99.0.0/24 dev n0
expect_carrier a n0 off "a new device"
ip -n a route show 10.99.0.0/24 | grep -qw linkdown || fail "route through n0 not linkdown"
ip netns exec a "$ESPTUN" show n0 | grep -qx "  carrier: on while an outbound SA is usable" ||
	fail "show n0: $(ip netns exec a "$ESPTUN" show n0)"

sa_out a n0 0x5001
expect_carrier a n0 on "an outbound SA"
ip -n a route show 10.99.0.0/24 | grep -qw linkdown && fail "route through n0 still linkdown"
sa_out a n0 0x5002 sel src 192.168.99.0/24 dst 10.99.0.0/24
sa_del a n0 0x5001
expect_carrier a n0 on "one of two outbound SAs deleted"
sa_del a n0 0x5002
expect_carrier a n0 off "the last outbound SA deleted"
ip netns exec a "$ESPTUN" sa add n0 in spi 0x5003 $GCM "$ESPTUN_KEY_BA" 128 || fail "sa add in"
expect_carrier a n0 off "an inbound SA only"

sa_out a n0 0x5004 lifetime hard seconds 2
expect_carrier a n0 on "an SA with a hard limit of 2 s"
sleep 2
expect_carrier a n0 off "its hard expiry"

ip netns exec a "$ESPTUN" monitor >"$events" &
mon=$!
sleep 1
ip netns exec a ping -q -c 1 -W 1 10.99.0.5 >/dev/null 2>&1
ip netns exec a "$ESPTUN" set n0 carrier on || fail "carrier on"
expect_carrier a n0 on "carrier on, no SA"
ip netns exec a "$ESPTUN" show n0 | grep -qx "  carrier: always on" ||
	fail "show n0: $(ip netns exec a "$ESPTUN" show n0)"
sleep 1
ip netns exec a ping -q -c 1 -W 1 10.99.0.5 >/dev/null 2>&1
wait_log "$events" "^acquire n0 .* -> 10.99.0.5 " 5 ||
	fail "no ACQUIRE with the carrier on: $(cat "$events")"
[ "$(grep -c "^acquire n0 .* -> 10.99.0.5 " "$events")" = 1 ] ||
	fail "an ACQUIRE while the carrier was off: $(cat "$events")"
echo "carrier on: the first packet raises ACQUIRE; with the carrier off none did"
ip netns exec a "$ESPTUN" set n0 carrier sa || fail "carrier sa"
expect_carrier a n0 off "back to carrier sa, no SA"

# Failover: LAN 10.20.0.0/24 behind b, through t0 (metric 10) and t1
# (metric 20); the replies come back through b's t0.
ip -n b link add lan type dummy && ip -n b addr add 10.20.0.1/24 dev lan && ip -n b link set lan up
for side in a b; do
	me=1 peer=2 out=0x6001 in=0x6002
	[ $side = b ] && me=2 peer=1 out=0x6002 in=0x6001
	ip -n $side link add t1 type esptun || fail "link add t1 in $side"
	ip netns exec $side "$ESPTUN" set t1 local 10.0.0.$me remote 10.0.0.$peer || fail "set t1"
	sa_out $side t1 $out
	ip netns exec $side "$ESPTUN" sa add t1 in spi $in $GCM "$ESPTUN_KEY_AB" 128 ||
		fail "sa add t1 in in $side"
	ip -n $side link set t1 up
done
ip netns exec a sysctl -qw net.ipv4.conf.all.ignore_routes_with_linkdown=1
ip -n a route add 10.20.0.0/24 dev t0 src 192.168.99.1 metric 10
ip -n a route add 10.20.0.0/24 dev t1 src 192.168.99.1 metric 20

# via DEV SPI WHAT: 3 pings to the LAN arrive on b's inbound SA SPI of DEV.
via() {
	local before after
	before=$(esptun_sa_col b "$1" in "$2" 10)
	ip netns exec a ping -q -c 3 -i 0.2 -W 2 10.20.0.1 >/dev/null || fail "$3: pings to the LAN lost"
	after=$(esptun_sa_col b "$1" in "$2" 10)
	[ $((after - before)) -ge 3 ] || fail "$3: the pings did not go through $1"
	echo "$3: the LAN is reached through $1"
}

# route_t0 linkdown|up: the route to the LAN through t0 is so within 5 s
# (routing hears of the carrier after ip link shows it).
route_t0() {
	local state
	for _ in $(seq 20); do
		state=up
		ip -n a route show 10.20.0.0/24 dev t0 | grep -qw linkdown && state=linkdown
		[ $state = "$1" ] && return
		sleep 0.25
	done
	fail "the route through t0 is $state, not $1: $(ip -n a route show 10.20.0.0/24)"
}

via t0 0x1001 "both tunnels up"
sa_del a t0 0x1001
expect_carrier a t0 off "tunnel 1 lost its SA"
route_t0 linkdown
via t1 0x6001 "tunnel 1 down"
sa_out a t0 0x1011
ip netns exec b "$ESPTUN" sa add t0 in spi 0x1011 $GCM "$ESPTUN_KEY_AB" 128 || fail "new SA in b"
expect_carrier a t0 on "tunnel 1 rekeyed"
route_t0 up
via t0 0x1011 "tunnel 1 back"
