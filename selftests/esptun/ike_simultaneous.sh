#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Simultaneous negotiations (issue 17, helper/ike/twins.c): both ends
# initiate at once, so each holds two IKE SAs, each with a pair. To make
# the race certain however slow one side starts, the path holds IKE until
# each side has sent its MM1 (nftables counts them); their retransmissions
# cross. Each case requires that the race really happened (two IKE SAs
# established in our log), then, under a ping every 50 ms that loses nothing, that it settles
# to one IKE SA and one ESP pair on both sides, the spares deleted with
# DELETE, and that nothing is negotiated after that.
#  - esptun against esptun, both daemons started at once;
#  - the same two, after both found the path dead by DPD and restarted,
#    their retransmitted MM1s crossing once it is back;
#  - esptun against strongSwan's charon (start_action = start);
#  - esptun against libreswan's pluto (auto=start); where we must renew
#    the pair, up to 2 pings may go, as with our rekeys against pluto
#    (README: open).
# The peers without esptun's rule (and vendor ID) leave the renewal to us:
# we keep the IKE SA they initiated.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
. "$(dirname "$0")/../lib/libreswan.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
swan_require
lsw_require
esptun_load

ike_scratch ike_simultaneous
wire ia 10.0.0.1/24 ib 10.0.0.2/24 veth0

# Settled 15 s after the second IKE SA, or 25 s when the peer leaves it to
# us; then the grace of 5 s before the DELETEs.
SETTLE=34

# ike_sas NS: the IKE SAs the daemon in NS shows for vpn0, one "I R" a line.
ike_sas() {
	ip netns exec "$1" "$ESPTUN" show vpn0 |
		sed -n 's/^ *ike sa: i-spi \([0-9a-f]*\) r-spi \([0-9a-f]*\)$/\1 \2/p'
}

# sa_spis NS DIR: the SPIs of vpn0's SAs in direction DIR (in, out).
sa_spis() {
	ip netns exec "$1" "$ESPTUN" show vpn0 dump | awk -v d="$2" '$2 == d { print $3 }'
}

# gate_close: ia drops IKE (UDP 500) both ways, counting what it drops.
gate_close() {
	ip netns exec ia nft -f - <<-EOF
	table inet gate {
		chain in { type filter hook input priority 0; udp dport 500 counter drop; }
		chain out { type filter hook output priority 0; udp dport 500 counter drop; }
	}
	EOF
}

# gate_open: once both sides' MM1 were dropped, IKE passes again.
gate_open() {
	local chain held
	for _ in $(seq 60); do
		held=0
		for chain in in out; do
			ip netns exec ia nft list chain inet gate $chain |
				grep -q 'counter packets [1-9]' && held=$((held + 1))
		done
		[ "$held" = 2 ] && break
		sleep 0.5
	done
	ip netns exec ia nft list table inet gate | grep -o 'chain [a-z]*\|counter packets [0-9]*' |
		paste -sd ' ' | sed 's/^/# MM1s held: /'
	ip netns exec ia nft delete table inet gate
}

# raced LOG: the daemon's log shows two IKE SAs established, side by side.
raced() {
	wait_log "$DIR/$1" 'came up beside IKE SA' 90 || { miss "no race: one IKE SA"; return 1; }
	grep -h 'IKE SA established\|came up beside' "$DIR/$1" | sed 's/^/# /'
}

# raced_again LOG N: as raced, for a race after the N in LOG so far.
raced_again() {
	for _ in $(seq 180); do
		[ "$(grep -c 'came up beside' "$DIR/$1")" -gt "$2" ] && return 0
		sleep 0.5
	done
	miss "no new race in $1 after 90 s"
	return 1
}

# observe SRC DST [LOST]: once a ping gets through (the peer may still
# install its end), a ping every 50 ms for $SETTLE s through the tunnel from
# SRC in ia, no more than LOST (default none) lost, while it settles.
observe() {
	local pings=$((SETTLE * 20)) allowed=${3:-0}
	for _ in $(seq 20); do
		ip netns exec ia ping -c 1 -W 1 -I "$1" "$2" >/dev/null && break
	done
	ip netns exec ia ping -D -O -i 0.05 -c "$pings" -W 2 -I "$1" "$2" >"$DIR/ping.log" 2>&1
	tail -2 "$DIR/ping.log" | sed 's/^/# /'
	ike_lost "$DIR/ping.log" "$pings"
	[ "$lost" -le "$allowed" ] || miss "$lost of $pings pings lost while it settled"
	[ "$lost" = 0 ] || echo "# $lost of $pings pings lost, $allowed allowed"

}

# ours_settled LOG: our side holds one IKE SA and one pair, logged how.
ours_settled() {
	local n_ike n_in n_out
	n_ike=$(ike_sas ia | wc -l)
	n_in=$(sa_spis ia in | wc -l)
	n_out=$(sa_spis ia out | wc -l)
	echo "# ia: $n_ike IKE SAs, $n_in inbound and $n_out outbound ESP SAs"
	grep -hE 'keeping IKE SA|renewing|deleting|deleted|settled|takes over' "$DIR/$1" |
		tail -8 | sed 's/^/# /'
	[ "$n_ike" = 1 ] || miss "$n_ike IKE SAs in ia"
	[ "$n_in" = 1 ] && [ "$n_out" = 1 ] || miss "$n_in inbound and $n_out outbound SAs in ia"
}

# quiet LOG: no Quick Mode and no phase 1 for 8 s more.
quiet() {
	local before after
	before=$(grep -c 'CHILD SA established\|IKE SA established' "$DIR/$1")
	sleep 8
	after=$(grep -c 'CHILD SA established\|IKE SA established' "$DIR/$1")
	[ "$before" = "$after" ] || miss "$((after - before)) more negotiations once settled"
}

stop_case() {
	ike_stop
	for ns in ia ib; do
		ip -n $ns link del vpn0 2>/dev/null
		ip -n $ns link del xfrm0 2>/dev/null
		ip -n $ns link del ipsec42 2>/dev/null
		ip -n $ns xfrm state flush
		ip -n $ns xfrm policy flush
	done
}

# esptun against esptun: started at once, settled; then both restart by
# DPD while the path is cut, and settle again once it is back.
esptun_case() {
	local ike_a ike_b
	ok=1
	echo "# case: esptun and esptun start at the same instant"
	for side in "a ia 10.0.0.1 10.0.0.2" "b ib 10.0.0.2 10.0.0.1"; do
		set -- $side
		ike_conf "$1" vpn0 "$3" "$4" start=initiate dpd-delay=2 dpd-timeout=8 \
			dpd-action=restart
	done
	gate_close
	ike_daemon_start ia a
	ike_daemon_start ib b
	gate_open
	if raced a.log && wait_log "$DIR/b.log" 'installed outbound' 30 &&
		wait_log "$DIR/a.log" 'installed outbound' 30; then
		ike_inner ia ib
		observe 10.10.1.1 10.10.2.1
		ours_settled a.log
		ike_a=$(ike_sas ia)
		ike_b=$(ike_sas ib)
		[ "$ike_a" = "$ike_b" ] || miss "the two keep other IKE SAs: '$ike_a', '$ike_b'"
		[ "$(sa_spis ia out)" = "$(sa_spis ib in)" ] &&
			[ "$(sa_spis ib out)" = "$(sa_spis ia in)" ] || miss "the pairs do not match"
		grep -q 'the peer deleted the IKE SA' "$DIR/a.log" "$DIR/b.log" ||
			miss "no DELETE for the spare IKE SA"
		[ "$(cat "$DIR/a.log" "$DIR/b.log" | grep -c 'the peer deleted its ESP SA')" -ge 2 ] ||
			miss "no DELETEs for the spare pairs"
		quiet a.log
	fi
	ike_result "esptun and esptun start at once: one IKE SA and one pair left" a.log b.log
	[ "$ok" = 1 ] || { stop_case; return; }

	ok=1
	echo "# case: esptun and esptun both restart by DPD"
	# The path drops everything both ways until both found the other dead.
	ip netns exec ia nft -f - <<-EOF
	table inet cut {
		chain in { type filter hook input priority 0; iifname "veth0" drop; }
		chain out { type filter hook output priority 0; oifname "veth0" drop; }
	}
	EOF
	races=$(grep -c 'came up beside' "$DIR/a.log")
	wait_log "$DIR/a.log" 'the peer is dead' 40 || ok=0
	wait_log "$DIR/b.log" 'the peer is dead' 40 || ok=0
	grep -h 'the peer is dead' "$DIR/a.log" "$DIR/b.log" | sed 's/^/# /'
	ip netns exec ia nft delete table inet cut
	if [ "$ok" = 1 ] && raced_again a.log "$races"; then
		observe 10.10.1.1 10.10.2.1
		ours_settled a.log
		[ "$(ike_sas ia)" = "$(ike_sas ib)" ] || miss "the two keep other IKE SAs"
		quiet a.log
	fi
	ike_result "esptun and esptun both restart by DPD: one IKE SA and one pair left" a.log b.log
	stop_case
}

# peer_case NAME STATES_CMD...: against a peer whose own initiation is in
# $initiate (a command run in the background at the instant our daemon
# starts); STATES_CMD counts the peer's xfrm states. Its tunnel end is
# 10.10.2.1 on an xfrm interface in ib.
peer_case() {
	local name=$1 states
	shift
	ok=1
	echo "# case: $name"
	ike_conf a vpn0 10.0.0.1 10.0.0.2 start=initiate
	gate_close
	$initiate >"$DIR/initiate.out" 2>&1 &
	ike_daemon_start ia a
	gate_open
	if raced a.log && wait_log "$DIR/a.log" 'installed outbound' 30; then
		ip -n ia addr add 10.10.1.1/32 dev vpn0
		ip -n ia route add 10.10.2.0/24 dev vpn0
		observe 10.10.1.1 10.10.2.1 "${peer_lost:-0}"
		ours_settled a.log
		grep -q "the peer's: it does not settle twins" "$DIR/a.log" ||
			miss "we did not keep the peer's IKE SA and renew the pairs under it"
		states=$("$@")
		echo "# the peer's xfrm states: $states"
		[ "$states" = 2 ] || miss "$states xfrm states on the peer's side, not one pair"
		quiet a.log
	fi
}

swan_case() {
	ip -n ib link add xfrm0 type xfrm dev veth0 if_id 42
	ip -n ib addr add 10.10.2.1/32 dev xfrm0
	ip -n ib link set xfrm0 up
	ip -n ib route add 10.10.1.0/24 dev xfrm0
	swan_conf "$DIR" 10.0.0.2 10.0.0.1 aes128gcm16-modp2048 none
	swan_start ib "$DIR"
	initiate="swan_ctl --initiate --child net --timeout 60"
	peer_case "esptun and charon initiate at the same instant" swan_states ib
	swan_ctl --list-sas | sed 's/^/# charon: /'
	[ "$(swan_ctl --list-sas | grep -c '^esptun: #')" = 1 ] || miss "not one IKE SA in charon"
	grep -hE 'deleting|received DELETE|closing' "$DIR/charon.log" | sed 's/^/# charon: /'
	ike_result "esptun and charon start at once: one IKE SA and one pair left" a.log charon.log
	stop_case
}

lsw_case() {
	lsw_xfrm_if ib veth0 10.10.2.1/32 10.10.1.0/24
	lsw_conf "$DIR" 10.0.0.2 10.0.0.1 aes_gcm128-null-modp2048 add
	lsw_start ib "$DIR"
	initiate="lsw_whack --name esptun --initiate --asynchronous"
	# Where we must renew the pair (we send on one that goes), our Quick
	# Mode's switch loses 1-2 pings against pluto, as our rekeys do
	# (README's interop table: open).
	peer_lost=2
	peer_case "esptun and pluto initiate at the same instant" swan_states ib
	lsw_whack --status | grep -E 'STATE_|newest' | sed 's/^/# pluto: /'
	grep -hE 'received Delete|deleting state' "$DIR/pluto.log" | sed 's/^/# pluto: /'
	peer_lost=0
	ike_result "esptun and pluto start at once: one IKE SA and one pair left" a.log pluto.log
	stop_case
}

esptun_case
swan_case
lsw_case
ike_done
