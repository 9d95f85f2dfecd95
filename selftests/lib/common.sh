# SPDX-License-Identifier: GPL-2.0
#
# Shared by the VM tests: loading the module, namespaces that are cleaned
# up on exit, and the kselftest exit codes (0 pass, 1 fail, 4 skip).

KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4

fail() {
	echo "FAIL: $*"
	exit $KSFT_FAIL
}

skip() {
	echo "SKIP: $*"
	exit $KSFT_SKIP
}

# Loads esptun.ko from the build the VM runner was given ($ESPTUN_KO), or
# the installed module elsewhere, unless it is loaded already.
esptun_load() {
	[ -d /sys/module/esptun ] && return 0
	if [ -n "${ESPTUN_KO:-}" ]; then
		insmod "$ESPTUN_KO" || fail "insmod $ESPTUN_KO"
	else
		modprobe esptun || fail "modprobe esptun (no ESPTUN_KO given)"
	fi
}

# Namespaces made with netns_add are deleted when the test exits.
netns_list=
netns_add() {
	# A test cut off at its time limit leaves its namespaces: one test's
	# hang must not fail the ones after it.
	if [ -e "/run/netns/$1" ]; then
		echo "# namespace $1 left by an earlier test: deleted"
		ip netns del "$1"
	fi
	ip netns add "$1" || fail "ip netns add $1"
	netns_list="$netns_list $1"
	ip -n "$1" link set lo up
}

cleanup_netns() {
	local ns
	for ns in $netns_list; do ip netns del "$ns" 2>/dev/null; done
}
trap cleanup_netns EXIT

# The CLI from helper/; tests that configure SAs skip without it.
ESPTUN=${ESPTUN_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/helper/esptun
need_esptun_cli() {
	[ -x "$ESPTUN" ] || skip "helper/esptun not built (make -C helper)"
}

# esptun_sa_col NS DEV DIR SPI COLUMN: one column of an SA in
# "esptun show DEV dump" (10 packets, 11 bytes, 12 replay drops,
# 13 ICV failures, 14 other drops; see esptun(8)).
esptun_sa_col() {
	ip netns exec "$1" "$ESPTUN" show "$2" dump |
		awk -v d="$3" -v s="$(printf 0x%08x "$4")" -v c="$5" \
			'$2 == d && $3 == s { print $c }'
}

# wire NS_A ADDR_A NS_B ADDR_B [IFNAME]: make both namespaces and join them
# with a veth pair, named IFNAME (default "wire") on both ends, addressed
# (ADDR with prefix length) and up.
wire() {
	local a=$1 addr_a=$2 b=$3 addr_b=$4 ifname=${5:-wire}

	netns_add "$a"
	netns_add "$b"
	ip link add "$ifname" netns "$a" type veth peer name "$ifname" netns "$b" ||
		fail "veth between $a and $b"
	ip -n "$a" addr add "$addr_a" dev "$ifname"
	ip -n "$b" addr add "$addr_b" dev "$ifname"
	ip -n "$a" link set "$ifname" up
	ip -n "$b" link set "$ifname" up
}

# esptun_pair: esptun devices t0 in namespaces a and b, keyed to each other
# with AES-GCM over a veth ("wire", 10.0.0.1 and .2), inner addresses
# 192.168.99.1 and .2, and a ping through.
ESPTUN_KEY_AB=0x0102030405060708090a0b0c0d0e0f1011121314
ESPTUN_KEY_BA=0x1112131415161718191a1b1c1d1e1f2021222324
esptun_pair() {
	local side me peer out in spo spi

	wire a 10.0.0.1/24 b 10.0.0.2/24
	for side in a b; do
		me=1 peer=2 out=$ESPTUN_KEY_AB in=$ESPTUN_KEY_BA spo=0x1001 spi=0x2002
		[ $side = b ] && me=2 peer=1 out=$ESPTUN_KEY_BA in=$ESPTUN_KEY_AB spo=0x2002 spi=0x1001
		ip -n $side link add t0 type esptun || fail "link add in $side"
		ip netns exec $side "$ESPTUN" set t0 local 10.0.0.$me remote 10.0.0.$peer ||
			fail "esptun set in $side"
		ip netns exec $side "$ESPTUN" sa add t0 out spi $spo aead 'rfc4106(gcm(aes))' $out 128 ||
			fail "sa add out in $side"
		ip netns exec $side "$ESPTUN" sa add t0 in spi $spi aead 'rfc4106(gcm(aes))' $in 128 ||
			fail "sa add in in $side"
		esptun_pair_inner $side $me $peer
	done
	ip netns exec a ping -q -c 2 -W 2 192.168.99.2 >/dev/null || fail "no ping through the pair"
}

# esptun_pair_inner NS ME PEER: t0's inner address 192.168.99.ME, up.
esptun_pair_inner() {
	ip -n "$1" addr add "192.168.99.$2/32" peer "192.168.99.$3" dev t0
	ip -n "$1" link set t0 up
}

# tcp_transfer FROM TO ADDR BYTES: an iperf3 TCP transfer of BYTES from
# namespace FROM to a one-off iperf3 server in TO listening on ADDR; fails
# the test unless it completes (ten tries: the server may be slow to listen).
tcp_transfer() {
	local srv try
	ip netns exec "$2" iperf3 -s -1 >/dev/null 2>&1 &
	srv=$!
	for try in 1 2 3 4 5 6 7 8 9 10; do
		ip netns exec "$1" iperf3 -c "$3" -n "$4" >/dev/null 2>&1 && break
		sleep 0.5
	done
	wait $srv || fail "TCP transfer $1 -> $3 failed after $try tries"
}

# capture_start NS IFACE FILE SECONDS: dumpcap on IFACE in NS into FILE for
# at most SECONDS, in the background (cap_pid), once it is capturing.
cap_pid=
capture_start() {
	rm -f "$3"
	ip netns exec "$1" dumpcap -q -i "$2" -a "duration:$4" -w "$3" 2>/dev/null &
	cap_pid=$!
	# dumpcap is slow to start under TCG; it creates the file once capturing.
	for _ in $(seq 60); do
		[ -s "$3" ] && break
		sleep 0.25
	done
	sleep 0.5
}

# flood NS ADDR: a ping flood from NS to ADDR in the background, for at
# most two minutes, until stop_flood.
flood_pid=
flood() {
	ip netns exec "$1" ping -q -f -w 120 "$2" >/dev/null 2>&1 &
	flood_pid=$!
	sleep 2
}

stop_flood() {
	kill "$flood_pid" 2>/dev/null
	wait "$flood_pid" 2>/dev/null
}

# encap_sockets NS PORT...: in the background, UDP sockets on PORT (IPv4
# and IPv6) in NS with UDP_ENCAP_ESPINUDP, standing in for the IKE daemon's:
# ESP in UDP is only received through such a socket. Killed on
# stop_encap_sockets.
encap_pids=
encap_sockets() {
	local ns=$1
	shift
	ip netns exec "$ns" python3 -c '
import socket, sys, time
socks = []
for port in sys.argv[1:]:
    for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, int(port)))
        s.setsockopt(socket.IPPROTO_UDP, 100, 2)  # UDP_ENCAP, UDP_ENCAP_ESPINUDP
        socks.append(s)
time.sleep(3600)' "$@" &
	encap_pids="$encap_pids $!"
	local try port
	for port in "$@"; do
		for try in $(seq 50); do
			[ "$(ip netns exec "$ns" ss -Hlun "sport = :$port" | wc -l)" = 2 ] && break
			sleep 0.2
		done
	done
}

stop_encap_sockets() {
	# shellcheck disable=SC2086
	[ -n "$encap_pids" ] && kill $encap_pids 2>/dev/null
	encap_pids=
}

# stop_child PID NAME [SIGNAL]: ends a peer daemon this shell started with
# SIGNAL (TERM) and reaps it; SIGKILL after 10 s, said aloud. charon once
# hung in its shutdown (a thread in futex_wait) until the test's limit.
stop_child() {
	local killer
	kill -"${3:-TERM}" "$1" 2>/dev/null
	( sleep 10; kill -0 "$1" 2>/dev/null &&
		echo "# $2 did not exit within 10 s of SIG${3:-TERM}: killed" && kill -9 "$1" ) &
	killer=$!
	wait "$1" 2>/dev/null
	kill "$killer" 2>/dev/null
	wait "$killer" 2>/dev/null
}

# wait_log FILE PATTERN SECONDS: until FILE has a line matching the
# extended regular expression PATTERN; false after SECONDS, saying which
# wait ran out, so that a failed case names its cause.
wait_log() {
	for _ in $(seq $(($3 * 2))); do
		grep -Eq "$2" "$1" && return 0
		sleep 0.5
	done
	echo "# no line /$2/ in $(basename "$1") after $3 s"
	missed="${missed:+$missed; }no /$2/ in $(basename "$1") after $3 s"
	return 1
}

# miss WHAT: in a test of several cases, one check of the current case
# failed; says which, clears the case's $ok and keeps WHAT in $missed for
# the test's last line (ike_done), which CI's summary shows.
miss() {
	echo "# missed: $1"
	missed="${missed:+$missed; }$1"
	ok=0
}
