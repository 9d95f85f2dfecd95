#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Paths that block ESP or IKE, between two daemons through a router
# namespace whose nftables forward chain drops what a case says:
#
#   blk_a (10.0.1.2) -- blk_r (router) -- blk_b (10.0.2.2)
#
# - ESP (IP protocol 50) dropped both ways while a ping runs: the side
#   whose ESP goes unheard while the peer asks R-U-THERE (both sides' does;
#   whichever the peer probed first is diagnosed first, a race either may
#   win) says so in its log and esptun show, negotiates again with ESP in
#   UDP, and the same ping gets replies again within a bound; the router
#   saw no plain ESP get through after.
# - ESP dropped from b to a only: b diagnoses "towards the peer" and falls
#   back, from the responder's side.
# - UDP 500 dropped: the initiator reports it in words, in the log and in
#   esptun show, and keeps trying with backoff.
# - A healthy tunnel with the same settings is never touched.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
command -v nft >/dev/null || skip "nft (nftables) not installed"
esptun_load

ike_scratch ike_blocked

netns_add blk_a
netns_add blk_r
netns_add blk_b
ip link add left netns blk_a type veth peer name left netns blk_r || fail "veth left"
ip link add right netns blk_r type veth peer name right netns blk_b || fail "veth right"
ip -n blk_a addr add 10.0.1.2/24 dev left
ip -n blk_r addr add 10.0.1.1/24 dev left
ip -n blk_r addr add 10.0.2.1/24 dev right
ip -n blk_b addr add 10.0.2.2/24 dev right
for l in "blk_a left" "blk_r left" "blk_r right" "blk_b right"; do
	# shellcheck disable=SC2086
	set -- $l
	ip -n "$1" link set "$2" up
done
ip -n blk_a route add default via 10.0.1.1
ip -n blk_b route add default via 10.0.2.1
ip netns exec blk_r sysctl -qw net.ipv4.ip_forward=1
ip netns exec blk_r nft -f - <<EOF || fail "nft filter"
table inet path {
	chain block {
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		meta l4proto esp counter name esp_through
		jump block
	}
	counter esp_through {
	}
}
EOF

# block RULE...: what the router drops from now on (none: nothing).
block() {
	ip netns exec blk_r nft flush chain inet path block
	for r in "$@"; do
		# shellcheck disable=SC2086
		ip netns exec blk_r nft add rule inet path block $r || fail "nft rule $r"
	done
}

# daemon NS NAME LOCAL REMOTE START
daemon() {
	cat >"$DIR/$2.conf" <<-EOF
	[vpn0]
	local = $3
	remote = $4
	psk = blocked path secret
	ike = aes256-sha256-modp2048
	esp = aes128gcm16
	start = $5
	dpd-delay = 2
	dpd-timeout = 120
	esp-timeout = 6
	EOF
	ike_daemon_start "$1" "$2"
}

result() { # NAME
	ike_result "$1" a.log b.log
	ike_stop
	ip -n blk_a link del vpn0 2>/dev/null
	ip -n blk_b link del vpn0 2>/dev/null
	block
}

# up: both daemons, the tunnel negotiated, inner addresses 10.10.1.1 and 10.10.2.1.
up() {
	daemon blk_b b 10.0.2.2 10.0.1.2 respond
	daemon blk_a a 10.0.1.2 10.0.2.2 initiate
	wait_log "$DIR/a.log" 'installed outbound' 90 || miss "the tunnel did not come up"
	wait_log "$DIR/b.log" 'installed outbound' 30 || miss "the responder has no outbound SA"
	ike_inner blk_a blk_b
	ip netns exec blk_a ping -q -c 2 -W 2 -I 10.10.1.1 10.10.2.1 >/dev/null ||
		miss "no ping through the tunnel before the block"
}

# pinger: a ping from a to b for the rest of the case, one line per reply.
pinger() {
	ip netns exec blk_a ping -D -i 0.5 -W 1 -I 10.10.1.1 10.10.2.1 >"$DIR/ping" 2>&1 &
	ping_pid=$!
}

# replies_after SECONDS: the ping gets replies again within SECONDS.
replies_after() {
	local n
	n=$(grep -c 'bytes from' "$DIR/ping")
	for _ in $(seq $(($1 * 2))); do
		[ "$(grep -c 'bytes from' "$DIR/ping")" -gt $((n + 2)) ] && return 0
		sleep 0.5
	done
	return 1
}

esp_through() {
	ip netns exec blk_r nft list counter inet path esp_through | awk '/packets/ { print $2 }'
}

fallback_case() { # NAME DIAGNOSING_SIDE (a, b or either) DIAGNOSIS RULE...
	local name=$1 side=$2 diagnosis=$3 ns start
	shift 3
	echo "# case: $name"
	ok=1
	up
	pinger
	sleep 2
	block "$@"
	start=$SECONDS
	if [ "$side" = either ]; then
		for _ in $(seq 180); do
			grep -Eq "$diagnosis" "$DIR/a.log" && { side=a; break; }
			grep -Eq "$diagnosis" "$DIR/b.log" && { side=b; break; }
			sleep 0.5
		done
		[ "$side" = either ] && side=a # wait_log below then names what is missing
		echo "# $side diagnosed it"
	fi
	ns=blk_$side
	wait_log "$DIR/$side.log" "$diagnosis" 90 || miss "no diagnosis"
	# esptun show said it (the fallback clears it once the new pair is in).
	wait_log "$DIR/$side.log" 'negotiating the tunnel again with ESP in UDP' 10 ||
		miss "no fallback started"
	wait_log "$DIR/$side.log" 'deleting the IKE SA that carried plain ESP' 60 ||
		miss "the old IKE SA was not retired"
	before=$(esp_through)
	replies_after 60 || miss "the ping got no replies after the fallback"
	echo "# replies again $((SECONDS - start)) s after the block"
	[ "$(esp_through)" = "$before" ] || miss "plain ESP still crossed the router"
	ip netns exec "$ns" "$ESPTUN" show vpn0 | grep -E 'encap|nat:|problem' | sed 's/^/# /'
	ip netns exec "$ns" "$ESPTUN" show vpn0 | grep -q 'encap: udp' || miss "not ESP in UDP"
	ip netns exec "$ns" "$ESPTUN" show vpn0 |
		grep -q 'nat: no NAT, ESP in UDP because plain ESP was blocked' ||
		miss "esptun show does not say why ESP is in UDP"
	grep -h 'appears blocked\|negotiating the tunnel again\|deleting the IKE SA' \
		"$DIR/a.log" "$DIR/b.log" | sed 's/^/# /'
	kill "$ping_pid"
	result "$name"
}

fallback_case "ESP dropped both ways: diagnosed, falls back to ESP in UDP" either \
	'IKE reaches 10\.0\.[12]\.2:500 but ESP does not, either way: IP protocol 50 \(ESP\) appears blocked' \
	"meta l4proto esp drop"
fallback_case "ESP dropped from b to a only: b diagnoses it and falls back" b \
	'our ESP does not reach 10.0.1.2:500 .* appears blocked towards the peer' \
	"iifname right meta l4proto esp drop"

echo "# case: UDP 500 dropped"
ok=1
block "udp dport 500 drop"
daemon blk_a a 10.0.1.2 10.0.2.2 initiate
wait_log "$DIR/a.log" 'retransmitting MM1 \(try 2\)' 30 || miss "no retransmission"
wait_log "$DIR/a.log" 'no IKE reply from 10.0.2.2:500 \(to MM1, 5 tries\): UDP 500 may be blocked on the path' 90 ||
	miss "no diagnosis"
ip netns exec blk_a "$ESPTUN" show vpn0 | sed 's/^/# /'
ip netns exec blk_a "$ESPTUN" show vpn0 |
	grep -q 'problem: no IKE reply from 10.0.2.2:500 .*UDP 500 may be blocked on the path' ||
	miss "esptun show does not say it"
# It keeps trying: a new MM1 after the failed one.
tries() { grep -c 'MM1 -> 10.0.2.2:500' "$DIR/a.log"; }
n=$(tries)
for _ in $(seq 60); do [ "$(tries)" -gt "$n" ] && break; sleep 0.5; done
[ "$(tries)" -gt "$n" ] || miss "no new attempt after the failed one"
grep -h 'retransmitting\|no IKE reply\|MM1 ->' "$DIR/a.log" | cut -d' ' -f1-8 | sed 's/^/# /'
result "UDP 500 dropped: reported in words, retried"

echo "# case: a healthy tunnel is never touched"
ok=1
up
ip netns exec blk_a ping -q -c 40 -i 0.25 -W 1 -I 10.10.1.1 10.10.2.1 >/dev/null ||
	miss "pings lost on a clean path"
sleep 8 # idle, with DPD probing both ways
grep -h 'appears blocked\|negotiating the tunnel again' "$DIR/a.log" "$DIR/b.log" &&
	miss "a healthy tunnel was diagnosed"
ip netns exec blk_a "$ESPTUN" show vpn0 | grep -q 'problem' && miss "esptun show has a problem"
result "a healthy tunnel with the same settings is never touched"

ike_done
