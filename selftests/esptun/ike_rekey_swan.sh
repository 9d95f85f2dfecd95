#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rekeying, make-before-break, esptun daemon <-> strongSwan charon (IKEv1,
# charon route-based on an xfrm interface), under a ping every 50 ms:
#  A: the daemon initiates the tunnel, its lifetime (15 s) is the shorter
#     and charon takes it: the daemon rekeys, as Quick Mode initiator;
#  B: charon initiates the tunnel and rekeys (rekey_time 10 s, life_time
#     14 s, rand_time 0; ours 1 h): the daemon answers.
# In each: no ping lost (a lost one is logged with its time, to set beside
# the daemon's and charon's logs, both timed to the ms); at least three
# rekeys, seen as new inbound SPIs on our device and as new CHILD SAs in
# charon's log; the intended side rekeys; old SAs go: our device holds at
# most two inbound SAs at the end (three for a moment in a rekey), charon
# at most two pairs of xfrm states.
#
# charon adds a new pair's keys only once it has processed QM3 and drops
# what arrives before; so as Quick Mode initiator of a rekey the daemon
# keeps sending on the old pair until charon sends on the new one (or 2 s
# pass). A ping lost in that window (between our "installed outbound SA X"
# and charon's "established with SPIs X_i") is named as such.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
swan_require
esptun_load

ike_scratch ike_rekey_swan
wire swan 10.0.0.1/24 ike 10.0.0.2/24 veth0
swan_xfrm_if swan veth0 10.10.1.1/32 10.10.2.0/24

ESP=aes128gcm16-modp2048

# daemon START LIFETIME: esptun daemon in the ike namespace.
daemon() {
	cat >"$DIR/d.conf" <<-EOF
	[vpn0]
	local = 10.0.0.2
	remote = 10.0.0.1
	psk = a shared secret
	ike = aes256-sha256-modp2048
	esp = $ESP
	lifetime = $2
	start = $1
	EOF
	ike_daemon_start ike d
}

# sample: the most inbound SAs on our device and xfrm states in charon's
# namespace seen so far, and every inbound SPI seen.
sample() {
	local n
	ike_inbound ike vpn0 >"$DIR/in.now"
	cat "$DIR/in.now" >>"$DIR/in.seen"
	n=$(wc -l <"$DIR/in.now")
	[ "$n" -gt "$max_in" ] && max_in=$n
	n=$(swan_states swan)
	[ "$n" -gt "$max_states" ] && max_states=$n
}

# run_case NAME DAEMON_START DAEMON_LIFETIME CHARON_START_ACTION WHO_REKEYS PINGS
run_case() {
	local name=$1 who=$5 pings=$6 rekeys spis swan_spis states in
	ok=1 max_in=0 max_states=0
	echo "# case $name: daemon $2 (lifetime $3), charon start_action $4, $who rekeys"
	: >"$DIR/in.seen"
	xfrm_stat "$DIR/xfrm_stat"
	swan_conf "$DIR" 10.0.0.1 10.0.0.2 "$ESP" "$4"
	if [ "$4" = start ]; then
		daemon respond "$3"
		sleep 1
		swan_start swan "$DIR"
	else
		swan_start swan "$DIR"
		daemon initiate "$3"
	fi
	if ! wait_log "$DIR/d.log" 'installed outbound' 60 ||
		! wait_log "$DIR/charon.log" 'CHILD_SA net\{[0-9]+\} established' 30; then
		ok=0
		ike_result "$name: tunnel up" d.log charon.log
		stop_case
		return
	fi
	ip -n ike addr add 10.10.2.1/32 dev vpn0
	ip -n ike link set vpn0 up
	ip -n ike route add 10.10.1.0/24 dev vpn0
	echo "# pings from $(date -u +%T.%N | cut -c1-12)"
	ip netns exec ike ping -D -O -i 0.05 -c "$pings" -W 2 -I 10.10.2.1 10.10.1.1 \
		>"$DIR/ping.log" 2>&1 &
	local ping_pid=$!
	while kill -0 $ping_pid 2>/dev/null; do
		sample
		sleep 1
	done
	wait $ping_pid
	sample

	tail -2 "$DIR/ping.log" | sed 's/^/# /'
	ike_lost "$DIR/ping.log" "$pings" >"$DIR/lost.txt"
	cat "$DIR/lost.txt"
	xfrm_stat "$DIR/xfrm_stat" diff
	if [ "$lost" != 0 ]; then
		echo "# $(switch_window) of them sent on a new pair before charon had it"
		miss "$lost of $pings pings lost"
	fi
	spis=$(sort -u "$DIR/in.seen" | wc -l)
	rekeys=$(grep -c 'installed inbound' "$DIR/d.log")
	# charon: a CHILD SA per Quick Mode, its SPIs new each time.
	swan_spis=$(grep -oE 'CHILD_SA net\{[0-9]+\} established with SPIs [0-9a-f]+_i' \
		"$DIR/charon.log" | awk '{ print $NF }' | sort -u | wc -l)
	local ours theirs
	ours=$(grep -c 'rekeying ESP SAs' "$DIR/d.log")
	theirs=$(grep -c 'creating rekey job for CHILD_SA' "$DIR/charon.log")
	states=$(swan_states swan)
	in=$(ike_inbound ike vpn0 | wc -l)
	echo "# inbound SAs installed: $rekeys, SPIs seen on vpn0: $spis, charon's CHILD SAs: $swan_spis"
	echo "# rekeys begun by the daemon: $ours, by charon: $theirs"
	echo "# most inbound SAs on vpn0: $max_in, now $in; most xfrm states: $max_states, now $states"
	grep -hE 'rekeying ESP|deleting the old|deleted its ESP|hard lifetime|removed|CHILD SA est' \
		"$DIR/d.log" | sed 's/^/# d: /'
	grep -hE 'rekey|received DELETE|deleting|closing CHILD|expired|CHILD_SA net.* established' \
		"$DIR/charon.log" | sed 's/^/# charon: /'

	[ "$rekeys" -ge 4 ] || miss "fewer than 3 rekeys installed (daemon log)"
	[ "$spis" -ge 4 ] || miss "fewer than 4 inbound SPIs on vpn0"
	[ "$swan_spis" -ge 4 ] || miss "fewer than 4 CHILD SAs in charon's log"
	if [ "$who" = daemon ]; then
		[ "$ours" -ge 3 ] || miss "the daemon began $ours rekeys, not 3"
		grep -q 'rekeyed: deleting the old inbound SA' "$DIR/d.log" ||
			miss "the daemon deleted no old SA"
		grep -q 'received DELETE for ESP CHILD_SA' "$DIR/charon.log" ||
			miss "charon saw no DELETE"
	else
		[ "$theirs" -ge 3 ] || miss "charon began $theirs rekeys, not 3"
	fi
	grep -E 'unable to install|NO_PROPOSAL|INVALID_|failed to establish' "$DIR/charon.log" |
		sed 's/^/# charon: /' | grep . && miss "charon reports a failure"
	[ "$in" -le 2 ] || miss "$in inbound SAs on vpn0 at the end"
	[ "$max_in" -le 3 ] || miss "$max_in inbound SAs on vpn0 at once"
	[ "$states" -le 4 ] || miss "$states xfrm states in charon's namespace at the end"
	ike_result "$name" d.log charon.log
	stop_case
}

# xfrm_stat FILE: charon's kernel's xfrm error counters into FILE; with
# "diff", those that grew since FILE was written, as comments.
xfrm_stat() {
	if [ "${2:-}" = diff ]; then
		ip netns exec swan cat /proc/net/xfrm_stat 2>/dev/null |
			awk 'NR == FNR { was[$1] = $2; next }
			$2 > was[$1] { printf "# charon'"'"'s kernel: %s +%d\n", $1, $2 - was[$1] }' "$1" -
	else
		ip netns exec swan cat /proc/net/xfrm_stat >"$1" 2>/dev/null
	fi
}

# switch_window: how many of the lost pings in lost.txt left (50 ms
# before -O reported them) between the daemon's "installed outbound SA X"
# and charon's CHILD SA with inbound SPI X, 100 ms either side.
switch_window() {
	awk 'function secs(t, a) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
	FILENAME ~ /d.log$/ && / installed outbound SA / { out[$NF] = secs($1) }
	FILENAME ~ /charon.log$/ && /CHILD_SA net\{[0-9]+\} established with SPIs/ {
		for (i = 1; i <= NF; i++)
			if ($i ~ /_i$/) { spi = $i; sub(/_i$/, "", spi); est[spi] = secs($1) }
	}
	FILENAME ~ /lost.txt$/ {
		t = secs($NF) - 0.05
		for (spi in out)
			if ((spi in est) && t >= out[spi] - 0.1 && t <= est[spi] + 0.1) { n++; break }
	}
	END { print n + 0 }' "$DIR/d.log" "$DIR/charon.log" "$DIR/lost.txt"
}

stop_case() {
	ike_stop
	ip -n ike link del vpn0 2>/dev/null
	ip -n swan xfrm state flush
}

# Pings 50 ms apart for three rekeys: 43 s (A: every 13 s or so), 36 s (B: every 10 s).
run_case "A: the daemon initiates and rekeys" initiate 15s none daemon 860
swan_child="rekey_time = 10s
	life_time = 14s
	rand_time = 0"
run_case "B: charon initiates and rekeys" respond 1h start charon 720
dmesg | grep -iE 'clocksource|crng' | sed 's/^/# dmesg: /'
ike_done
