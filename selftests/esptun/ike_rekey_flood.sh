#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ten forced rekeys under a ping flood and a TCP transfer, esptun daemon
# <-> esptun daemon: esptun rekey vpn0, five times on each side, each
# waited for until the old inbound SA is deleted. Not one flood ping is
# lost, every TCP transfer completes, each rekey makes a new pair on both
# sides, neither device counts an error or a drop, and each side ends with
# one inbound SA. A second esptun rekey while one is under way is refused.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
esptun_load
command -v iperf3 >/dev/null || skip "iperf3 not installed"

ike_scratch ike_rekey_flood
wire ia 10.0.0.1/24 ib 10.0.0.2/24 veth0

# conf NAME ME PEER START: the default lifetimes (1 h): every rekey is forced.
conf() {
	cat >"$DIR/$1.conf" <<-EOF
	[vpn0]
	local = 10.0.0.$2
	remote = 10.0.0.$3
	psk = s3cret
	ike = aes256-sha256-modp2048
	esp = aes128gcm16-modp2048
	start = $4
	EOF
}

# rekey_twice NS: two esptun rekey requests on two connections to NS's
# daemon, both sent before either answer is read, so that the second
# meets the first under way however slowly the guest runs; the answers.
rekey_twice() {
	ip netns exec "$1" python3 -c '
import os, socket
path = "/run/esptun/%d/daemon:control" % os.stat("/proc/self/ns/net").st_ino
conns = []
for _ in range(2):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    s.send(b"rekey vpn0")
    conns.append(s)
for s in conns:
    print(s.recv(1024).decode())'
}

# errors NS: the device's receive errors, transmit errors and drops.
errors() {
	ip -n "$1" -s link show vpn0 | awk '
		/RX:/ { getline; rx = $3 + $4 }
		/TX:/ { getline; tx = $3 + $4 + $5 }
		END { print rx + tx }'
}

ok=1
conf b 2 1 respond
ike_daemon_start ib b
sleep 1
conf a 1 2 initiate
ike_daemon_start ia a
wait_log "$DIR/a.log" 'installed outbound' 90 && wait_log "$DIR/b.log" 'installed outbound' 30 ||
	{ cat "$DIR/a.log" "$DIR/b.log"; fail "no tunnel"; }
ike_inner ia ib
errors_before="$(errors ia) $(errors ib)"

ip netns exec ib iperf3 -s -B 10.10.2.1 >"$DIR/iperf-s.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do
	ip netns exec ib ss -Hltn 'sport = :5201' | grep -q . && break
	sleep 0.2
done

# One ping every 2 ms (about what ping -f reaches in these guests) for
# the whole run, each reply logged with its sequence number: a ping is
# lost when no reply came for it but one did for a later one, so the
# pings still in flight when it is stopped are not counted, as a series of
# ping -f runs would count them (they send on past their count while the
# replies are slow: one "lost" per run under KASAN, where check-debug sets
# FLOOD_INTERVAL to what that guest keeps up with). One long-lived ping
# also keeps the kernel's receive-timestamp static key on: turning it on
# and off with every short ping made QEMU TCG hit the int3 of the live
# code patching (an oops in __netif_receive_skb_core on 6.12).
ip netns exec ia ping -D -i "${FLOOD_INTERVAL:-0.002}" -I 10.10.1.1 10.10.2.1 >"$DIR/flood.log" 2>&1 &
flood_pid=$!
pids="$pids $flood_pid"
# TCP at 4 Mbit/s beside it, well below what the tunnel carries under TCG,
# so that a loss is the rekey's doing and not a queue's.
(
	while [ ! -e "$DIR/done" ]; do
		ip netns exec ia iperf3 -c 10.10.2.1 -B 10.10.1.1 -t 15 -b 4M \
			--timestamps='%H:%M:%S ' >>"$DIR/iperf.log" 2>&1
		echo "exit $?" >>"$DIR/iperf.log"
	done
) &
tcp_loop=$!
sleep 3

for i in $(seq 10); do
	if [ $((i % 2)) = 1 ]; then ns=ia log=a; else ns=ib log=b; fi
	done_before=$(grep -c 'rekeyed: deleting the old inbound SA' "$DIR/$log.log")
	if [ "$i" = 1 ]; then
		out=$(rekey_twice $ns 2>&1)
		echo "$out" | sed "s/^/# rekey $i, $log: /"
		echo "$out" | head -1 | grep -q '^ok vpn0: rekeying' || { miss "rekey $i on $log: $out"; break; }
		echo "$out" | tail -1 | grep -q '^error .*under way' || miss "a second rekey at once was not refused"
	else
		out=$(ip netns exec $ns "$ESPTUN" rekey vpn0 2>&1) || { miss "rekey $i on $log: $out"; break; }
		echo "# rekey $i, $log: $out"
	fi
	for _ in $(seq 120); do
		[ "$(grep -c 'rekeyed: deleting the old inbound SA' "$DIR/$log.log")" -gt "$done_before" ] && break
		sleep 0.5
	done
	[ "$(grep -c 'rekeyed: deleting the old inbound SA' "$DIR/$log.log")" -gt "$done_before" ] ||
		{ miss "rekey $i on $log did not complete in 60 s"; break; }
done
touch "$DIR/done"
sleep 3 # the last replies
kill -INT $flood_pid
wait $flood_pid $tcp_loop

# Sequence numbers wrap at 65536; replies come nearly in order.
counts=$(awk '/bytes from/ {
		s = $0; sub(/.*icmp_seq=/, "", s); sub(/ .*/, "", s); s += base
		if (s < last - 30000) { s += 65536; base += 65536 }
		last = s; got[s] = 1; n++; if (s > max) max = s
		t[s] = $1
	}
	END {
		for (i = 1; i <= max; i++)
			if (!(i in got)) {
				lost++
				if (lost <= 20) printf "# ping %d lost, after the reply at %s\n", i, t[i - 1] > "/dev/stderr"
			}
		print max + 0, n + 0, lost + 0
	}' "$DIR/flood.log")
# shellcheck disable=SC2086 # three numbers
set -- $counts
sent=$1 got=$2 lost=$3
echo "# flood: $sent pings up to the last answered, $got answered, $lost lost"
[ "$sent" -gt 1000 ] || miss "only $sent pings"
[ "$lost" = 0 ] || miss "$lost flood pings lost"
transfers=$(grep -c '^exit' "$DIR/iperf.log")
grep '^exit [1-9]' "$DIR/iperf.log" && miss "a TCP transfer failed"
[ "$(grep -c 'receiver$' "$DIR/iperf.log")" = "$transfers" ] || miss "a TCP transfer has no receiver summary"
echo "# TCP: $transfers transfers, retransmits $(awk '/sender$/ { r += $(NF-1) } END { print r + 0 }' "$DIR/iperf.log")"
# Retransmits are not a loss by themselves (a stalled vCPU fires the RTO):
# the seconds that had some, beside the outbound switches, tell which.
awk '/sec .*bits\/sec +[1-9][0-9]* / && !/sender|receiver/ { print "# TCP retransmits in the second to " $1 ": " $(NF-2) }' "$DIR/iperf.log"
grep -h 'switching to the new outbound SA\|installed outbound' "$DIR/a.log" "$DIR/b.log" | sort | sed 's/^/# /'
# Tail loss probes and retransmits the receiver reports as duplicates
# (DSACK) are retransmits of segments that were not lost.
ip netns exec ia nstat -az TcpRetransSegs TcpExtTCPLossProbes TcpExtTCPDSACKRecv \
	TcpExtTCPSpuriousRTOs TcpExtTCPTimeouts 2>/dev/null | awk 'NR > 1 { print "# sender: " $1 " " $2 }'
# Out of order at the receiver, and drops at the CPUs' input queues.
ip netns exec ib nstat -az TcpExtTCPOFOQueue 2>/dev/null | awk 'NR > 1 { print "# receiver: " $1 " " $2 }'
dropped=0
while read -r _ d _; do dropped=$((dropped + 0x$d)); done </proc/net/softnet_stat
echo "# softnet_stat dropped: $dropped"
established=$(grep -c 'CHILD SA established' "$DIR/a.log")
echo "# CHILD SAs on the initiator: $established"
[ "$established" -ge 11 ] || miss "fewer than 11 CHILD SAs"
grep -q 'the peer deleted its ESP SA' "$DIR/a.log" && grep -q 'the peer deleted its ESP SA' "$DIR/b.log" ||
	miss "a side never removed its old inbound SA on the peer's DELETE"
for ns in ia ib; do
	n=$(ike_inbound $ns vpn0 | wc -l)
	[ "$n" = 1 ] || miss "$ns holds $n inbound SAs at the end"
done
errors_after="$(errors ia) $(errors ib)"
echo "# device errors and drops (ia ib): before $errors_before, after $errors_after"
[ "$errors_before" = "$errors_after" ] || miss "a device counted errors or drops"
! grep -q 'hard lifetime\|IKE SA expired' "$DIR/a.log" "$DIR/b.log" || miss "an SA expired"

ike_result "ten forced rekeys under a ping flood and TCP: no loss" a.log b.log
ike_done
