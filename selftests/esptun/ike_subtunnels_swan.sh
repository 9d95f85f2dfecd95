#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Sub-tunnels against strongSwan's charon (IKEv1): the daemon's tunnel has
# local-ts 10.10.0.0/16, 192.168.0.0/24 and remote-ts 10.20.20.0/24,
# 10.20.30.0/24, and charon a CHILD SA per pair of them (IKEv1 carries one
# pair per Quick Mode), all under one IKE SA.
#  A: the daemon initiates: four Quick Modes, four SA pairs, each pair's
#     pings counted on the SAs of its selectors alone; routes = auto put a
#     route per remote-ts into the device (proto 157) and address = its
#     inner address; a packet from a subnet in no pair never enters the
#     tunnel (no-SA drops) and starts no Quick Mode; the routes and the
#     address go when the daemon stops.
#  B: charon initiates two of its CHILD SAs; the daemon (start = respond)
#     brings a third up on the first packet for it (ACQUIRE), and leaves a
#     route it did not add as it is.
#  C, D: the same four pairs between two daemons, each side initiating
#     once: every pair carries its pings on its own SAs, and esptun rekey
#     (every pair, one Quick Mode at a time) under pings in all four loses
#     none.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
swan_require
esptun_load

ike_scratch ike_subtunnels_swan
wire swan 10.0.0.1/24 ike 10.0.0.2/24 veth0
swan_xfrm_if swan veth0 10.20.20.1/32 10.10.0.0/16
ip -n swan addr add 10.20.30.1/32 dev xfrm0
ip -n swan route add 192.168.0.0/24 dev xfrm0
# Load GCM's crypto modules now: under TCG their first load holds the first
# SA install for seconds, charon retransmits meanwhile, and the duplicates
# it then refuses (an INFO each) push the next Quick Mode's IV out of the
# three exchanges charon keeps per IKE SA.
ip -n swan xfrm state add src 10.9.9.1 dst 10.9.9.2 proto esp spi 0x100 mode tunnel \
	aead 'rfc4106(gcm(aes))' 0x0102030405060708091011121314151617181920 128 &&
	ip -n swan xfrm state flush

# Charon's pairs, ours mirrored, in the daemon's order (local-ts major).
pairs="10.20.20.0/24=10.10.0.0/16 10.20.30.0/24=10.10.0.0/16
	10.20.20.0/24=192.168.0.0/24 10.20.30.0/24=192.168.0.0/24"

# daemon START: the daemon in the ike namespace.
daemon() {
	ike_conf d vpn0 10.0.0.2 10.0.0.1 "local-ts=10.10.0.0/16, 192.168.0.0/24" \
		"remote-ts=10.20.20.0/24, 10.20.30.0/24" "address=10.10.0.1/32" "start=$1"
	ike_daemon_start ike d
}

# swan ACTION...: charon with a CHILD SA per pair, each with its start_action.
swan() {
	local p a
	swan_pairs=
	for p in $pairs; do
		a=$1
		shift
		swan_pairs+="$p=$a "
	done
	swan_conf "$DIR" 10.0.0.1 10.0.0.2 aes128gcm16-modp2048 none
	swan_start swan "$DIR"
}

# The daemon the helpers below look at: its namespace and log, and its peer's namespace.
ns=ike log=d.log peer=swan

# dump: the daemon's device as esptun show DEV dump has it.
dump() {
	ip netns exec "$ns" "$ESPTUN" show vpn0 dump
}

# packets DIR SRC DST: what the SA of DIR with selector SRC -> DST carried.
packets() {
	dump | awk -F'\t' -v d="$1" -v s="$2" -v t="$3" \
		'$2 == d && $24 == s && $25 == t { n += $10 } END { print n + 0 }'
}

# ping_pair FROM TO COUNT: COUNT pings across, all answered.
ping_pair() {
	ip netns exec "$ns" ping -c "$3" -i 0.2 -W 2 -I "$1" "$2" >"$DIR/ping.log" 2>&1 ||
		miss "ping $1 -> $2: $(tail -2 "$DIR/ping.log" | head -1)"
}

# counted L R COUNT: the pings of pair L <-> R on its own SAs, both ways.
counted() {
	local out in
	out=$(packets out "$1" "$2")
	in=$(packets in "$2" "$1")
	echo "# $1 <-> $2: out $out in $in"
	if [ "$out" != "$3" ] || [ "$in" != "$3" ]; then
		miss "pair $1 <-> $2 carried out $out in $in, want $3 each"
		# Where the missing packets went: each side's SAs, drops and routes.
		dump | sed "s/^/# $ns: /"
		ip netns exec "$ns" "$ESPTUN" show vpn0 | sed "s/^/# $ns: /"
		ip -n "$peer" route | sed "s/^/# $peer route: /"
		if [ "$peer" = swan ]; then
			ip -n swan -s xfrm state | sed 's/^/# swan: /'
		else
			ip netns exec "$peer" "$ESPTUN" show vpn0 | sed "s/^/# $peer: /"
		fi
	fi
}

# ping_all_pairs: 2, 3, 4 and 5 pings in the four pairs, each counted on
# its own SAs (a different number each, so that no pair passes on
# another's packets).
ping_all_pairs() {
	ping_pair 10.10.0.1 10.20.20.1 2
	ping_pair 10.10.0.1 10.20.30.1 3
	ping_pair 192.168.0.1 10.20.20.1 4
	ping_pair 192.168.0.1 10.20.30.1 5
	counted 10.10.0.0/16 10.20.20.0/24 2
	counted 10.10.0.0/16 10.20.30.0/24 3
	counted 192.168.0.0/24 10.20.20.0/24 4
	counted 192.168.0.0/24 10.20.30.0/24 5
}

children() {
	grep -c 'child SA in' "$DIR/$log"
}

# up N: wait until the daemon has N sub-tunnels.
up() {
	for _ in $(seq 120); do
		[ "$(children)" -ge "$1" ] && break
		sleep 0.5
	done
	[ "$(children)" = "$1" ]
}

# routed NS PREFIX...: the daemon in NS routes each PREFIX into vpn0 as
# soon as the pairs are up: within 2 s even under TCG (refreshing the status
# files once held them back 3.4 s, and the first pings were lost).
routed() {
	local ns=$1 r
	shift
	for r in "$@"; do
		for _ in $(seq 20); do
			ip -n "$ns" route show "$r" dev vpn0 proto 157 | grep -q . && break
			sleep 0.1
		done
		ip -n "$ns" route show "$r" dev vpn0 proto 157 | grep -q . ||
			miss "no route $r dev vpn0 proto 157 in $ns 2 s after its pairs came up"
	done
}

no_sa_drops() {
	ip netns exec ike "$ESPTUN" show vpn0 | awk '/no-SA drops/ { print $3 }'
}

stop_case() {
	ike_stop
	ip -n ike link del vpn0 2>/dev/null
	ip -n swan xfrm state flush
}

ok=1
echo "# case A"
swan none none none none
daemon initiate
if up 4; then
	grep -E 'child SA in|QM1 ->|QM2 <-' "$DIR/d.log" | sed 's/^/# d: /'
	routed ike 10.20.20.0/24 10.20.30.0/24
	ip -n ike route show proto 157 | sed 's/^/# route: /'
	ip -n ike addr show dev vpn0 | grep -q 'inet 10\.10\.0\.1/32' || miss "no address 10.10.0.1"
	ip -n ike addr add 192.168.0.1/32 dev vpn0
	ping_all_pairs
	ip netns exec ike "$ESPTUN" show vpn0 | grep -E 'esp sa|sel ' | sed 's/^/# show: /'
	[ "$(ip netns exec ike "$ESPTUN" show vpn0 | grep -c '^      sel ')" = 4 ] ||
		miss "esptun show does not list the four sub-tunnels by selector"
	# 10.99.0.0/24 is in no pair: it never enters the tunnel, and asks for nothing.
	drops=$(no_sa_drops)
	ip -n ike addr add 10.99.0.1/32 dev vpn0
	ip netns exec ike ping -c 2 -i 0.2 -W 1 -I 10.99.0.1 10.20.20.1 >/dev/null 2>&1 &&
		miss "a ping from 10.99.0.1, in no pair, was answered"
	[ "$(no_sa_drops)" -ge $((${drops:-0} + 2)) ] ||
		miss "the pings from 10.99.0.1 are not in the no-SA drops"
	sleep 1
	[ "$(children)" = 4 ] || miss "a packet in no pair started a Quick Mode"
	grep -q 'acquire' "$DIR/d.log" && miss "a packet in no pair was acquired"
	grep -cE 'CHILD_SA net[0-9]\{[0-9]+\} established' "$DIR/charon.log" |
		grep -qx 4 || miss "charon did not establish four CHILD SAs"
else
	miss "not four sub-tunnels: $(children)"
fi
ike_stop
ip -n ike route show proto 157 | grep -q . && miss "routes left after the daemon stopped"
ip -n ike addr show dev vpn0 | grep -q 'inet 10\.10\.0\.1/' && miss "address left after it stopped"
ike_result "A: four sub-tunnels, each pair on its own SAs; routes and address" d.log charon.log
stop_case

ok=1
echo "# case B"
ip -n ike link add vpn0 type esptun
ip -n ike link set vpn0 up
ip -n ike route add 10.20.30.0/24 dev vpn0
daemon respond
sleep 1
swan start start none none
if up 2; then
	sleep 0.5
	ip -n ike addr add 192.168.0.1/32 dev vpn0
	# The first packet of 192.168.0.0/24 <-> 10.20.20.0/24 brings its pair up.
	ip netns exec ike ping -c 8 -i 0.5 -W 2 -I 192.168.0.1 10.20.20.1 >"$DIR/ping.log" 2>&1
	sed -n 's/.* \([0-9]* received\).*/# acquired pair: \1 of 8/p' "$DIR/ping.log"
	grep -E 'acquire|child SA in' "$DIR/d.log" | sed 's/^/# d: /'
	grep -q 'acquire: a packet for sub-tunnel 2' "$DIR/d.log" || miss "no ACQUIRE for pair 2"
	grep -qE 'child SA in .* 192\.168\.0\.0/24 <-> 10\.20\.20\.0/24$' "$DIR/d.log" ||
		miss "pair 2 did not come up"
	grep -q ' [1-9][0-9]* received' "$DIR/ping.log" || miss "no ping answered on pair 2"
	[ "$(children)" = 3 ] || miss "$(children) sub-tunnels, want 3"
	grep -q 'route 10.20.30.0/24 exists already: left as it is' "$DIR/d.log" ||
		miss "the daemon did not leave the route it found"
else
	miss "charon's two CHILD SAs did not come up: $(children)"
fi
ike_stop
ip -n ike route show 10.20.30.0/24 | grep -q 'dev vpn0' ||
	miss "the route the daemon did not add is gone"
ip -n ike route show 10.20.20.0/24 | grep -q . && miss "the daemon's route stayed"
ike_result "B: ACQUIRE brings a missing pair up; a foreign route stays" d.log charon.log
stop_case

# Two daemons, in namespaces da (as above) and db (mirrored).
wire db 10.0.1.1/24 da 10.0.1.2/24
ns=da peer=db

# dd_case NAME START START_PEER
dd_case() {
	local p pids_ping=
	ok=1
	echo "# case $1"
	ike_conf d vpn0 10.0.1.2 10.0.1.1 "local-ts=10.10.0.0/16, 192.168.0.0/24" \
		"remote-ts=10.20.20.0/24, 10.20.30.0/24" "address=10.10.0.1/32" "start=$2"
	ike_conf p vpn0 10.0.1.1 10.0.1.2 "local-ts=10.20.20.0/24, 10.20.30.0/24" \
		"remote-ts=10.10.0.0/16, 192.168.0.0/24" "address=10.20.20.1/32" "start=$3"
	ike_daemon_start db p
	ike_daemon_start da d
	if up 4 && log=p.log up 4; then
		routed da 10.20.20.0/24 10.20.30.0/24
		routed db 10.10.0.0/16 192.168.0.0/24
		ip -n da addr add 192.168.0.1/32 dev vpn0
		ip -n db addr add 10.20.30.1/32 dev vpn0
		ping_all_pairs
		# Pings in all four pairs while every pair is rekeyed.
		for p in 10.10.0.1=10.20.20.1 10.10.0.1=10.20.30.1 \
			192.168.0.1=10.20.20.1 192.168.0.1=10.20.30.1; do
			ip netns exec da ping -c 100 -i 0.1 -W 2 -I "${p%=*}" "${p#*=}" \
				>"$DIR/ping-${p#*=}-${p%=*}.log" 2>&1 &
			pids_ping="$pids_ping $!"
		done
		sleep 1
		ip netns exec da "$ESPTUN" rekey vpn0 | sed 's/^/# /'
		# shellcheck disable=SC2086
		wait $pids_ping
		for p in "$DIR"/ping-*.log; do
			grep -q ' 100 received' "$p" ||
				miss "$(basename "$p"): $(grep received "$p")"
		done
		[ "$(grep -c 'rekeying ESP SAs' "$DIR/d.log")" = 4 ] ||
			miss "$(grep -c 'rekeying ESP SAs' "$DIR/d.log") pairs rekeyed, want 4"
	else
		miss "not four sub-tunnels on both sides: $(children), $(log=p.log children)"
	fi
	ike_result "$1" d.log p.log
	ike_stop
	ip -n da link del vpn0 2>/dev/null
	ip -n db link del vpn0 2>/dev/null
}

dd_case "C: daemon <-> daemon, four pairs, one rekey each under pings" initiate respond
dd_case "D: the same, the other side initiating" respond initiate
ike_done
