#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# BGP failover over two esptun tunnels, with FRR (zebra, bfdd, bgpd) in each
# site: the configuration of examples/bgp-two-isp/, as the README shows it.
#
#   lan_a -- site_a == isp1 == site_b -- lan_b
#                   \\= isp2 ==/
#
# Each site's daemon runs vpn1 over ISP 1 and vpn2 over ISP 2 (DPD 2 s /
# 6 s, restart); bgpd peers over both tunnels' /30s with BFD (3 x 300 ms)
# and prefers vpn1. A ping every 50 ms runs through each cut: its outage
# must stay under BGP's hold time, and once the routes moved no ping is lost.
# - Both sessions and BFD come up, each site reaches the other's LAN via vpn1.
# - ospfd forms adjacencies over both tunnels (multicast hellos).
# - ISP 1 drops ESP only: IKE and so DPD pass and vpn1 keeps its carrier,
#   but BFD sees the tunnel dead and the LANs' traffic takes vpn2; it comes
#   back once ESP passes again.
# - ISP 1 cut (its router forwards nothing): BFD moves the traffic, then
#   DPD declares the peer dead and vpn1 loses its SAs and so its carrier.
# - ISP 1 back: the daemons negotiate vpn1 again, its carrier returns, the
#   session comes back and the traffic returns to vpn1 (its SA counters).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
command -v nft >/dev/null || skip "nft (nftables) not installed"
FRR=/usr/lib/frr
if ! [ -x $FRR/zebra ] || ! [ -x $FRR/bfdd ] || ! [ -x $FRR/bgpd ] || ! [ -x $FRR/ospfd ] ||
	! command -v vtysh >/dev/null; then
	skip "frr not installed (make deps)"
fi
esptun_load

EX=$(cd "$(dirname "$0")/../../examples/bgp-two-isp" && pwd)
DPD_DELAY=2 DPD_TIMEOUT=6
# BFD (3 x 300 ms) sees a tunnel stop; bgpd withdraws, zebra moves the
# routes. The bound leaves room for QEMU's TCG, yet is under BGP's hold time
# (9 s, 6 s at the least after a keepalive), so only BFD can meet it.
BOUND_MS=4000
# DPD clears a dead tunnel's SAs, so its carrier drops, within its delay and
# timeout; with room for the probes' schedule.
CARRIER_S=$((DPD_DELAY + DPD_TIMEOUT + 8))
# No ping may be lost in this many seconds after the routes moved.
CLEAN=5

ike_scratch ike_bgp_failover

for ns in lan_a site_a isp1 isp2 site_b lan_b; do
	netns_add $ns
done

# link NS_A IF_A ADDR_A NS_B IF_B ADDR_B: a veth pair, addressed and up.
link() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" ||
		fail "veth $1 $2 -- $4 $5"
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}
link site_a isp1 172.16.1.1/30 isp1 to_a 172.16.1.2/30
link isp1 to_b 172.16.2.2/30 site_b isp1 172.16.2.1/30
link site_a isp2 172.17.1.1/30 isp2 to_a 172.17.1.2/30
link isp2 to_b 172.17.2.2/30 site_b isp2 172.17.2.1/30
link lan_a eth0 10.1.0.2/24 site_a lan 10.1.0.1/24
link lan_b eth0 10.2.0.2/24 site_b lan 10.2.0.1/24
ip -n lan_a route add default via 10.1.0.1
ip -n lan_b route add default via 10.2.0.1
# Each uplink reaches the peer's uplink on the same ISP only.
ip -n site_a route add 172.16.2.0/30 via 172.16.1.2
ip -n site_a route add 172.17.2.0/30 via 172.17.1.2
ip -n site_b route add 172.16.1.0/30 via 172.16.2.2
ip -n site_b route add 172.17.1.0/30 via 172.17.2.2
for ns in site_a isp1 isp2 site_b; do
	ip netns exec $ns sysctl -qw net.ipv4.ip_forward=1
done
ip netns exec isp1 nft -f - <<EOF || fail "nft in isp1"
table inet isp {
	chain forward {
		type filter hook forward priority filter; policy accept;
	}
}
EOF

# The examples' files, copied: the daemon wants its psk unreadable by others.
# FRR's daemons run as user frr: their files go in $DIR/frr, theirs.
chmod 711 "$DIR"
mkdir "$DIR/frr"
for s in a b; do
	cp "$EX/site-$s.conf" "$DIR/$s.conf"
	cp "$EX/frr-$s.conf" "$DIR/frr/frr-$s.conf"
done
if ! grep -q "dpd-delay = $DPD_DELAY$" "$DIR/a.conf" ||
	! grep -q "dpd-timeout = $DPD_TIMEOUT$" "$DIR/a.conf"; then
	fail "the example's DPD timers are not the ones this test bounds the outage with"
fi

ike_daemon_start site_b b
ike_daemon_start site_a a

# frr_start SITE: zebra, bfdd, bgpd and ospfd in site_SITE, in the foreground under
# this test, then frr-SITE.conf loaded into them as vtysh loads a host's
# frr.conf. -N puts their sockets under /run/frr/site_SITE (vtysh -N finds
# them there). They drop to user frr, so their files are frr's.
frr_start() {
	local ns=site_$1 d
	# The test's umask would shut user frr out of a new /run/frr.
	[ -d /run/frr ] || install -d -o frr -g frr -m 755 /run/frr
	install -d -o frr -g frr -m 755 "/run/frr/$ns"
	: >"$DIR/frr/empty.conf"
	chown -R frr:frr "$DIR/frr"
	for d in zebra bfdd bgpd ospfd; do
		ip netns exec "$ns" $FRR/$d -N "$ns" -f "$DIR/frr/empty.conf" -i "$DIR/frr/$d-$1.pid" \
			--log "file:$DIR/frr/$d-$1.log" >>"$DIR/$d-$1.out" 2>&1 &
		pids="$pids $!" # ike_stop stops them with the IKE daemons
		# bfdd and bgpd want zebra's socket; each daemon has its vty once ready.
		for _ in $(seq 60); do
			[ -S "/run/frr/$ns/$d.vty" ] && break
			kill -0 $! 2>/dev/null || break
			sleep 0.5
		done
		[ -S "/run/frr/$ns/$d.vty" ] ||
			fail "$d in $ns did not start: $(cat "$DIR/$d-$1.out" "$DIR/frr/$d-$1.log" 2>&1 | tail -n 5)"
	done
	ip netns exec "$ns" vtysh -N "$ns" -f "$DIR/frr/frr-$1.conf" >"$DIR/vtysh-$1.out" 2>&1 ||
		fail "frr-$1.conf not loaded: $(grep -v vtysh.conf "$DIR/vtysh-$1.out")"
}

vty() { # SITE COMMAND
	ip netns exec "site_$1" vtysh -N "site_$1" -c "$2" 2>&1
}

# via SITE: the device site SITE routes the other LAN into (none without).
via() {
	local lan=10.2.0.0/24
	[ "$1" = b ] && lan=10.1.0.0/24
	ip -n "site_$1" route show "$lan" | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1
}

# wait_via DEV SECONDS: both sites route the other's LAN into DEV.
wait_via() {
	for _ in $(seq $(($2 * 4))); do
		[ "$(via a)" = "$1" ] && [ "$(via b)" = "$1" ] && return 0
		sleep 0.25
	done
	miss "routes not via $1 after $2 s (a: $(via a), b: $(via b))"
	return 1
}

# wait_both SITE COMMAND REGEX SECONDS: COMMAND's output in SITE has two
# lines matching REGEX (one per tunnel) within SECONDS.
wait_both() {
	for _ in $(seq $(($4 * 2))); do
		[ "$(vty "$1" "$2" | grep -cE "$3")" = 2 ] && return 0
		sleep 0.5
	done
	return 1
}

established() { # SITE PEER
	vty "$1" "show bgp neighbors $2" | grep -q "BGP state = Established"
}

# out_packets SITE DEV: the packets DEV's outbound SAs sent.
out_packets() {
	ip netns exec "site_$1" "$ESPTUN" show "$2" dump |
		awk '$2 == "out" { n += $10 } END { print n + 0 }'
}

echo "# case: both tunnels and both BGP sessions up, LAN routes via vpn1"
ok=1
wait_log "$DIR/a.log" 'vpn1: installed outbound' 120 || miss "vpn1 did not come up"
wait_log "$DIR/a.log" 'vpn2: installed outbound' 60 || miss "vpn2 did not come up"
wait_log "$DIR/b.log" 'vpn1: installed outbound' 30 || miss "b has no outbound SA on vpn1"
wait_log "$DIR/b.log" 'vpn2: installed outbound' 30 || miss "b has no outbound SA on vpn2"
for ns in site_a site_b; do
	# zebra may leave a route through a device without carrier in place
	# for a moment; the kernel skips it meanwhile.
	ip netns exec $ns sysctl -qw net.ipv4.conf.all.ignore_routes_with_linkdown=1
done
frr_start a
frr_start b
start=$SECONDS
wait_via vpn1 120
for p in "a 10.255.1.2" "a 10.255.2.2" "b 10.255.1.1" "b 10.255.2.1"; do
	# shellcheck disable=SC2086
	for _ in $(seq 120); do established $p && break; sleep 0.5; done
	# shellcheck disable=SC2086
	established $p || miss "site $p: session not Established"
done
for site in a b; do
	wait_both $site "show bfd peers brief" "\bup\b" 20 ||
		miss "site $site: BFD not up on both tunnels: $(vty $site "show bfd peers brief")"
done
echo "# routes via vpn1, sessions and BFD up $((SECONDS - start)) s after bgpd started"
ip netns exec lan_a ping -q -c 3 -W 2 10.2.0.2 >/dev/null || miss "no ping from LAN A to LAN B"
ike_result "both sessions and BFD up, LAN routes via vpn1" a.log b.log frr/bgpd-a.log frr/bgpd-b.log frr/zebra-a.log

# ping_start: LAN A pings LAN B every 50 ms until ping_stop.
ping_start() {
	ip netns exec lan_a ping -D -O -i 0.05 -W 1 10.2.0.2 >"$DIR/ping" 2>&1 &
	ping_pid=$!
	sleep 1
}

# ping_stop BOUND_MS: stop the ping; the outage (lost pings x 50 ms) must
# stay within BOUND_MS and no ping may be lost in the last CLEAN seconds.
ping_stop() {
	local sent last_lost
	sleep $CLEAN
	kill -INT $ping_pid
	wait $ping_pid
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$DIR/ping")
	ike_lost "$DIR/ping" "${sent:-0}" >"$DIR/lost"
	outage=$((lost * 50))
	echo "# $lost of $sent pings lost: outage ${outage} ms (bound $1 ms)"
	sed -n '1p;$p' "$DIR/lost"
	[ "${sent:-0}" -gt 0 ] || miss "the ping sent nothing"
	[ "$outage" -le "$1" ] || miss "outage ${outage} ms over $1 ms"
	# 20 pings a second; less one for the replies in flight at the move.
	last_lost=$(tail -n 1 "$DIR/lost" | awk '{ print $3 }')
	if [ -n "$last_lost" ] && [ "$last_lost" -gt $((sent - (CLEAN - 1) * 20)) ]; then
		miss "ping $last_lost of $sent lost after the routes had moved"
	fi
}

# carrier SITE DEV: "up" or "down", as ip link shows DEV's carrier.
carrier() {
	if ip -n "site_$1" link show "$2" | grep -q NO-CARRIER; then
		echo down
	else
		echo up
	fi
}

# ISP 1 loses only ESP: IKE, so DPD, still gets through, and vpn1 keeps its
# SAs and its carrier. Only what runs inside the tunnel (BFD) sees it dead.
# OSPF's hellos go to 224.0.0.5: its adjacencies need nothing of the device
# but multicast. Only the tunnels' /30s are in OSPF, so BGP keeps routing.
echo "# case: OSPF adjacencies over both tunnels"
ok=1
for site in a b; do
	ip netns exec "site_$site" vtysh -N "site_$site" -c "configure terminal" \
		-c "interface vpn1" -c "ip ospf network point-to-point" -c "ip ospf hello-interval 1" \
		-c "ip ospf dead-interval 4" -c "exit" \
		-c "interface vpn2" -c "ip ospf network point-to-point" -c "ip ospf hello-interval 1" \
		-c "ip ospf dead-interval 4" -c "exit" \
		-c "router ospf" -c "network 10.255.0.0/16 area 0" >/dev/null 2>&1 ||
		miss "site $site: OSPF not configured"
done
start=$SECONDS
for site in a b; do
	wait_both $site "show ip ospf neighbor" Full 40 ||
		miss "site $site: OSPF not Full on both tunnels: $(vty $site "show ip ospf neighbor")"
done
echo "# OSPF Full on vpn1 and vpn2 in both sites after $((SECONDS - start)) s"
ike_result "OSPF adjacencies over both tunnels" a.log b.log frr/ospfd-a.log

echo "# case: ISP 1 drops ESP only, BFD moves the traffic to vpn2"
ok=1
ping_start
ip netns exec isp1 nft add rule inet isp forward meta l4proto esp drop || fail "nft esp drop in isp1"
cut=$SECONDS
wait_via vpn2 30
echo "# routes via vpn2 $((SECONDS - cut)) s after the cut"
[ "$(carrier a vpn1)" = up ] || miss "vpn1 lost its carrier though IKE still passes"
ping_stop "$BOUND_MS"
ip netns exec isp1 nft flush chain inet isp forward
back=$SECONDS
wait_via vpn1 60
echo "# routes via vpn1 again $((SECONDS - back)) s after ESP passed again"
ike_result "ESP cut: traffic over vpn2 within ${BOUND_MS} ms, none lost after" \
	a.log b.log frr/bgpd-a.log ping

echo "# case: ISP 1 cut: BFD moves the traffic to vpn2, DPD ($DPD_DELAY s / $DPD_TIMEOUT s) drops vpn1's carrier"
ok=1
ping_start
ip netns exec isp1 nft add rule inet isp forward drop || fail "nft drop in isp1"
cut=$SECONDS
wait_via vpn2 30
echo "# routes via vpn2 $((SECONDS - cut)) s after the cut"
for _ in $(seq $((CARRIER_S * 4))); do
	[ "$(carrier a vpn1)" = down ] && break
	sleep 0.25
done
echo "# vpn1 without carrier $((SECONDS - cut)) s after the cut"
grep -E 'vpn1.*(dead|DPD)' "$DIR/a.log" | tail -n 2 | sed 's/^/# a: /'
[ "$(carrier a vpn1)" = down ] || miss "vpn1 in site_a kept its carrier $((SECONDS - cut)) s after the cut"
ping_stop "$BOUND_MS"
ike_result "ISP 1 cut: traffic over vpn2 within ${BOUND_MS} ms, none lost after, vpn1 down by DPD" \
	a.log b.log frr/bgpd-a.log ping

echo "# case: ISP 1 back, vpn1 renegotiated, BGP and the traffic return to it"
ok=1
ip netns exec isp1 nft flush chain inet isp forward
back=$SECONDS
wait_via vpn1 150
echo "# routes via vpn1 again $((SECONDS - back)) s after ISP 1 came back"
[ "$(carrier a vpn1)" = up ] || miss "vpn1 in site_a has no carrier"
v1=$(out_packets a vpn1) v2=$(out_packets a vpn2)
ip netns exec lan_a ping -q -c 20 -i 0.05 -W 2 10.2.0.2 >/dev/null || miss "no ping after ISP 1 came back"
d1=$(($(out_packets a vpn1) - v1)) d2=$(($(out_packets a vpn2) - v2))
echo "# 20 pings: vpn1 sent $d1 packets, vpn2 $d2"
[ "$d1" -ge 20 ] || miss "vpn1 sent $d1 packets for 20 pings"
[ "$d2" -lt 20 ] || miss "vpn2 still carries the pings ($d2 packets)"
ike_result "ISP 1 back: traffic over vpn1 again" a.log b.log frr/bgpd-a.log

ike_done
