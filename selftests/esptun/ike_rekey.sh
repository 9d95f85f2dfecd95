#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rekeying, make-before-break, esptun daemon <-> esptun daemon: with
# lifetime = 15s the ESP SAs are rekeyed about every 13 s; across at least
# five rekeys a ping every 50 ms loses nothing and an iperf3 TCP transfer
# completes. The rekeying side deletes its old inbound SA after the grace
# period with a DELETE, the peer removes its own old inbound SA, and no
# device ever holds more than two inbound SAs at the end of a rekey.
# With ike-lifetime = 35s the IKE SA is re-authenticated (a new Main Mode
# and Quick Mode, then the old IKE SA deleted) twice in the same run, and
# that loses nothing either.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
esptun_load
command -v iperf3 >/dev/null || skip "iperf3 not installed"

ike_scratch ike_rekey
wire ia 10.0.0.1/24 ib 10.0.0.2/24 veth0

ok=1
ike_conf b vpn0 10.0.0.2 10.0.0.1 lifetime=15s ike-lifetime=35s start=respond
ike_daemon_start ib b
sleep 1
ike_conf a vpn0 10.0.0.1 10.0.0.2 lifetime=15s ike-lifetime=35s start=initiate
ike_daemon_start ia a
wait_log "$DIR/a.log" 'installed outbound' 90 && wait_log "$DIR/b.log" 'installed outbound' 30 ||
	{ cat "$DIR/a.log" "$DIR/b.log"; fail "no tunnel"; }
ike_inner ia ib

ip netns exec ib iperf3 -s -1 -B 10.10.2.1 >"$DIR/iperf-s.log" 2>&1 &
pids="$pids $!"
# A loaded guest can take longer than a second to start the server.
for _ in $(seq 50); do
	ip netns exec ib ss -Hltn 'sport = :5201' | grep -q . && break
	sleep 0.2
done
# 1500 pings 50 ms apart: about 80 s, six rekeys.
# -D -O: a lost one is logged with its time, to set beside the daemons' logs.
ip netns exec ia ping -D -O -i 0.05 -c 1500 -W 2 -I 10.10.1.1 10.10.2.1 >"$DIR/ping.log" 2>&1 &
ping_pid=$!
# A TCP transfer over the same time, at 4 Mbit/s: well below what the
# tunnel carries under TCG on a loaded host (20-30 Mbit/s), so a lost ping
# is the rekey's doing, not a queue overflowing (at 20M, two were lost
# that way while another VM shared the 2 cores).
ip netns exec ia iperf3 -c 10.10.2.1 -B 10.10.1.1 -t 75 -b 4M >"$DIR/iperf.log" 2>&1 &
iperf_pid=$!
max_in=0
while kill -0 $ping_pid 2>/dev/null; do
	for ns in ia ib; do
		n=$(ip netns exec $ns "$ESPTUN" show vpn0 dump | awk '$2 == "in"' | wc -l)
		[ "$n" -gt "$max_in" ] && max_in=$n
	done
	sleep 1
done
wait $ping_pid
wait $iperf_pid; iperf_rc=$?

tail -3 "$DIR/ping.log"
grep 'no answer' "$DIR/ping.log" | awk -F'[][]' '{ printf "# lost at %s.%03d\n", strftime("%H:%M:%S", $2), ($2 * 1000) % 1000 }'
tail -4 "$DIR/iperf.log"
rekeys=$(grep -c 'rekeying ESP SAs' "$DIR/a.log" "$DIR/b.log" | awk -F: '{ s += $2 } END { print s }')
established=$(grep -c 'CHILD SA established' "$DIR/a.log")
echo "# rekeys started: $rekeys, CHILD SAs on the initiator: $established, most inbound SAs: $max_in"
reauths=$(grep -c 're-authenticated: deleting the old IKE SA' "$DIR/a.log")
echo "# IKE SAs re-authenticated: $reauths"
grep -h 'rekeying\|re-authent\|deleting the old\|deleted its ESP\|hard lifetime\|removed' "$DIR/a.log" "$DIR/b.log" | head -40

lost=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$DIR/ping.log")
lost=$((1500 - ${lost:-0}))
[ "$lost" = 0 ] || { echo "# $lost pings lost"; ok=0; }
[ "$iperf_rc" = 0 ] && grep -q 'receiver' "$DIR/iperf.log" || { echo "# TCP transfer failed"; ok=0; }
[ "$established" -ge 6 ] || { echo "# fewer than 5 rekeys"; ok=0; }
grep -q 'rekeyed: deleting the old inbound SA' "$DIR/a.log" "$DIR/b.log" || ok=0
grep -q 'the peer deleted its ESP SA' "$DIR/a.log" "$DIR/b.log" || ok=0
# Old pairs go by the grace-period DELETE, never by hard expiry while the peer lives.
! grep -q 'hard lifetime' "$DIR/a.log" "$DIR/b.log" || { echo "# an SA expired"; ok=0; }
[ "$reauths" -ge 1 ] || { echo "# the IKE SA was not re-authenticated"; ok=0; }
! grep -q 'IKE SA expired' "$DIR/a.log" "$DIR/b.log" || { echo "# an IKE SA expired"; ok=0; }
[ "$max_in" -le 3 ] || { echo "# $max_in inbound SAs at once"; ok=0; }
if [ $ok = 0 ]; then
	echo "# --- initiator"; cat "$DIR/a.log"
	echo "# --- responder"; cat "$DIR/b.log"
	fail "rekeying under traffic"
fi
echo "ok rekeying under traffic: $established CHILD SAs, $reauths re-authentications, no ping lost, TCP done"
exit 0
