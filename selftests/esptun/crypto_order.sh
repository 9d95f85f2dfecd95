#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Order across the two ways a packet's crypto runs (kmod/parallel.c): in
# place while its SA is idle, spread over the CPUs while it is busy. One
# sender on one CPU sends bursts of numbered UDP datagrams with pauses of
# several jiffies between them, so that every burst starts idle (in place,
# on the sending CPU, where the SA's crypto completes from then on) and
# goes on busy (spread), on both ends' SAs. The receiver must get each
# datagram once and in the order sent: nothing may overtake across a
# switch between the two ways, nor when the sender's CPU changes. Then
# the same with UDP GSO: each burst leaves as one GSO packet whose
# segments the device encrypts as bursts of requests (kmod/send.c).
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
[ "$(nproc)" -ge 2 ] || skip "one CPU: the module never spreads crypto"
param=/sys/module/esptun/parameters/parallel_crypto
[ -e $param ] || skip "this kernel has no padata: the module never spreads crypto"
[ "$(cat $param)" = Y ] || fail "parallel_crypto is off"
esptun_pair
received=$(mktemp)
trap 'cleanup_netns; rm -f "$received"' EXIT

bursts=60 per_burst=40
ip netns exec b python3 - >"$received" 2>&1 <<'EOF' &
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
s.bind(("192.168.99.2", 9000))
# A KASAN guest may take seconds to start the first sender; after that,
# 5 s of silence means every datagram that will come has come.
s.settimeout(60)
print("listening", flush=True)
try:
    while True:
        print(int(s.recv(64)), flush=True)
        s.settimeout(5)
except socket.timeout:
    pass
EOF
receiver=$!
for _ in $(seq 50); do grep -q listening "$received" && break; sleep 0.1; done
grep -q listening "$received" || fail "the receiver did not start"

# The device must take UDP GSO packets whole, or the GSO runs test nothing new.
ip netns exec a ethtool -k t0 | grep -q '^tx-udp-segmentation: on' ||
	fail "t0 does not take UDP GSO packets"

# Pinned to one CPU: what one CPU submits in order must arrive in order.
# Run on CPU 0, then on CPU 1: the SAs' completion moves from one CPU to
# the other between the runs, at the first burst of each.
run=0
for gso in 0 1; do
	for cpu in 0 1; do
		ip netns exec a taskset -c $cpu python3 - "$bursts" "$per_burst" "$run" "$gso" <<'EOF' ||
import socket, sys, time
bursts, per_burst, run, gso = (int(a) for a in sys.argv[1:])
SEGMENT = 12  # each datagram a number padded to this many bytes
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if gso:
    s.setsockopt(socket.IPPROTO_UDP, 103, SEGMENT)  # UDP_SEGMENT
n = run * bursts * per_burst
for _ in range(bursts):
    numbers = range(n + 1, n + per_burst + 1)
    n += per_burst
    if gso:
        s.sendto(b"".join(b"%*d" % (SEGMENT, i) for i in numbers), ("192.168.99.2", 9000))
    else:
        for i in numbers:
            s.sendto(b"%d" % i, ("192.168.99.2", 9000))
    time.sleep(0.02)  # 5 jiffies at HZ=250: the SAs are idle again
EOF
			fail "the sender on CPU $cpu (GSO: $gso) failed"
		run=$((run + 1))
	done
done
wait $receiver

sent=$((run * bursts * per_burst))
# shellcheck disable=SC2046 # three numbers
set -- $(awk '/^[0-9]+$/ {
		n++
		if ($1 in seen) d++
		else if ($1 < max) inv++
		seen[$1] = 1
		if ($1 > max) max = $1
	}
	END { print n + 0, inv + 0, d + 0 }' "$received")
got=$1 inversions=$2 dups=$3
echo "# $sent datagrams sent in $((run * bursts)) bursts, $got received, $inversions out of order, $dups twice"
[ "$inversions" = 0 ] || fail "$inversions datagrams arrived after a later one"
[ "$dups" = 0 ] || fail "$dups datagrams arrived twice"
[ "$got" = "$sent" ] || fail "$((sent - got)) datagrams lost"
exit 0
