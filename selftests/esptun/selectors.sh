#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Traffic selectors with manual keys, esptun <-> esptun over a veth: "l"
# has the local networks 10.10.0.0/16 and 192.168.0.0/24, "r" the remote
# ones 10.20.20.0/24 and 10.20.30.0/24, one SA pair per pair of networks
# on one device each (policy-based, as four crypto-map lines).
#  A: pings in each of the four pairs are counted on that pair's SAs
#     alone; TCP to port 5201 takes the pair's more specific SA with
#     proto tcp and the port, and its pings do not.
#  B: a packet no outbound SA matches is dropped, counted in no-SA drops
#     and tx_dropped, and an ACQUIRE names it (esptun monitor).
#  C: most specific wins: a /16 overlapping the /24s carries only what
#     they do not, an SA without selector catches the rest (on r it gets
#     all but the /24s' answers); the dump lists the outbound SAs in that
#     order.
#  D: a spoofed inner source, sent by a second esptun SA without selector
#     with the keys of one of r's SAs: l's inbound SA drops it as a
#     selector drop, and its replay window does not move (the next good
#     packet, far behind the spoofed one's number, still passes).
#  E: one pair rekeyed make-before-break under pings every 50 ms into
#     all four pairs: no ping lost, the other pairs' SAs untouched.
#  F: the device flushed and keyed without selectors works as before
#     (route-based, IPv4 and IPv6 on one SA).
# Every process costs a lot under TCG: ip settings go in batches and the
# SA counters are read from one dump per namespace and check.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli

GCM="aead rfc4106(gcm(aes))"
tmp=$(mktemp -d)
mon='' pings=''
trap '[ -n "$mon" ] && kill $mon 2>/dev/null; [ -n "$pings" ] && kill $pings 2>/dev/null;
	rm -rf "$tmp"; cleanup_netns' EXIT
start=$EPOCHREALTIME

# case NAME: a case begins; prints the guest seconds so far.
case_start() {
	printf '# %s (at %.1f s)\n' "$1" "$(bc <<<"$EPOCHREALTIME - $start")"
	ok=1
}

# key SPI: a key of its own per SA (the same GCM key on two SAs would
# repeat nonces), the same on both ends of the SA.
key() {
	printf '0x0102030405060708090a0b0c0d0e0f10%08x' "$1"
}

# queue NS ARGS...: "esptun ARGS" to run in NS by "added". Each process
# costs about a second under TCG, so one shell per namespace runs them.
declare -A queued
queue() {
	local line
	printf -v line '%q ' "$ESPTUN" "${@:2}"
	queued[$1]+="$line"$'\n'
}

# sa NS DEV in|out SPI [WORDS...]: queue an SA, WORDS being "sel ..." or "seq N".
sa() {
	# shellcheck disable=SC2086
	queue "$1" sa add "$2" "$3" spi "$4" $GCM "$(key "$4")" 128 "${@:5}"
}

added() {
	local ns
	for ns in l r; do
		[ -n "${queued[$ns]}" ] || continue
		ip netns exec $ns bash -e <<<"${queued[$ns]}" || fail "adding SAs in $ns"
		queued[$ns]=''
	done
}

# sa_now NS DEV in|out SPI [WORDS...]: add an SA at once, for a rekey's order.
sa_now() {
	sa "$@"
	eval "ip netns exec $1 ${queued[$1]}" || fail "sa add in $1: ${*:2}"
	queued[$1]=''
}

del() {
	ip netns exec "$1" "$ESPTUN" sa del t0 "$2" spi "$3" || fail "sa del t0 $2 spi $3 in $1"
}

# pair SPI_L SPI_R LOCAL REMOTE [WORDS...]: both SAs of a selector pair
# between LOCAL and REMOTE ("any": no selector), l sending on SPI_L and r
# on SPI_R, inbound first on each side; WORDS (proto and ports) are
# written as seen from l and swapped for r.
pair() {
	local spi_l=$1 spi_r=$2 lnet=$3 rnet=$4 words=("${@:5}") back=() w
	for w in "${words[@]}"; do
		case $w in sport) back+=(dport) ;; dport) back+=(sport) ;; *) back+=("$w") ;; esac
	done
	if [ "$lnet" = any ]; then
		sa r t0 in "$spi_l"; sa l t0 out "$spi_l"; sa l t0 in "$spi_r"; sa r t0 out "$spi_r"
		return
	fi
	sa r t0 in "$spi_l" sel src "$lnet" dst "$rnet" "${words[@]}"
	sa l t0 out "$spi_l" sel src "$lnet" dst "$rnet" "${words[@]}"
	sa l t0 in "$spi_r" sel src "$rnet" dst "$lnet" "${back[@]}"
	sa r t0 out "$spi_r" sel src "$rnet" dst "$lnet" "${back[@]}"
}

# snap NS...: "esptun show t0 dump" of each NS, for col and expect.
declare -A dump
snap() {
	local ns
	for ns in "$@"; do
		dump[$ns]=$(ip netns exec "$ns" "$ESPTUN" show t0 dump) || fail "show dump in $ns"
	done
}

# col NS DIR SPI [COLUMN]: an SA's packets (or COLUMN) in the last snap.
col() {
	awk -v d="$2" -v s="$(printf 0x%08x "$3")" -v c="${4:-10}" \
		'$2 == d && $3 == s { print $c }' <<<"${dump[$1]}"
}

# expect NS DIR SPI N [COLUMN]: so it is in the last snap, else the case misses.
expect() {
	local got
	got=$(col "$1" "$2" "$3" "${5:-10}")
	[ "$got" = "$4" ] || miss "$1 $2 $(printf 0x%x "$3") column ${5:-10} is '$got', want $4"
}

# ping_from NS SRC DST COUNT: COUNT pings, every reply wanted.
ping_from() {
	ip netns exec "$1" ping -q -c "$4" -i 0.2 -W 2 -I "$2" "$3" >/dev/null
}

# no_sa_drops NS: the device's counter as "esptun show" prints it.
no_sa_drops() {
	ip netns exec "$1" "$ESPTUN" show t0 | sed -n 's/^  no-SA drops: //p'
}

tx_dropped() {
	ip -n "$1" -s link show t0 | awk '/TX:/ { getline; print $4 }'
}

netns_add l
netns_add r
# No IPv6 link-local traffic on t0: every packet counted below is a test's
# own. The IPv6 addresses are for F.
ip -n l -batch - <<-EOF || fail "setting up l"
	link add wire type veth peer name wire netns r
	addr add 10.0.0.1/24 dev wire
	link set wire up
	link add t0 type esptun
	link set t0 addrgenmode none
	addr add 10.10.0.1/32 dev t0
	addr add 192.168.0.1/32 dev t0
	addr add 172.16.0.1/32 dev t0
	link set t0 up
	route add 10.20.0.0/16 dev t0
	route add 10.20.20.99/32 dev t0 src 172.16.0.1
	addr add fd99::1/128 dev t0 nodad
	route add fd99::2/128 dev t0
EOF
ip -n r -batch - <<-EOF || fail "setting up r"
	addr add 10.0.0.2/24 dev wire
	link set wire up
	link add t0 type esptun
	link set t0 addrgenmode none
	addr add 10.20.20.1/32 dev t0
	addr add 10.20.30.1/32 dev t0
	addr add 10.20.40.1/32 dev t0
	link set t0 up
	route add 10.10.0.0/16 dev t0
	route add 192.168.0.0/24 dev t0
	route add 172.16.0.0/24 dev t0
	addr add fd99::2/128 dev t0 nodad
	route add fd99::1/128 dev t0
EOF
queue l set t0 local 10.0.0.1 remote 10.0.0.2
queue r set t0 local 10.0.0.2 remote 10.0.0.1
# Every ACQUIRE from now on; only B's packet may raise one.
ip netns exec l "$ESPTUN" monitor >"$tmp/events" &
mon=$!

LNET=(10.10.0.0/16 192.168.0.0/24) LHOST=(10.10.0.1 192.168.0.1)
RNET=(10.20.20.0/24 10.20.30.0/24) RHOST=(10.20.20.1 10.20.30.1)
# Pair N (1..4): LNET[(N-1)/2] <-> RNET[(N-1)%2], l sending on 0x100N, r on 0x200N.
lhost() { echo "${LHOST[$((($1 - 1) / 2))]}"; }
rhost() { echo "${RHOST[$((($1 - 1) % 2))]}"; }
for n in 1 2 3 4; do
	pair $((0x1000 + n)) $((0x2000 + n)) "${LNET[$(((n - 1) / 2))]}" "${RNET[$(((n - 1) % 2))]}"
done
pair 0x1005 0x2005 10.10.0.0/16 10.20.20.0/24 proto tcp dport 5201
added

case_start "A: four selector pairs on one device, and TCP on its own SA"
declare -A pid
for n in 1 2 3 4; do
	ping_from l "$(lhost $n)" "$(rhost $n)" 3 &
	pid[$n]=$!
done
for n in 1 2 3 4; do
	wait "${pid[$n]}" || miss "ping in pair $n: $(lhost $n) -> $(rhost $n)"
done
ip netns exec r timeout 30 iperf3 -s -1 -B 10.20.20.1 >/dev/null 2>&1 &
srv=$!
for _ in $(seq 20); do
	ip netns exec l iperf3 -c 10.20.20.1 -B 10.10.0.1 -n 128K >/dev/null 2>&1 && break
	sleep 0.3
done
wait $srv || miss "TCP 10.10.0.1 -> 10.20.20.1:5201"
snap l r
for n in 1 2 3 4; do
	expect l out $((0x1000 + n)) 3
	expect r in $((0x1000 + n)) 3
	expect r out $((0x2000 + n)) 3
	expect l in $((0x2000 + n)) 3
done
tcp_out=$(col l out 0x1005) tcp_back=$(col r out 0x2005)
echo "# TCP: $tcp_out packets l -> r on 0x1005, $tcp_back back on 0x2005"
[ "${tcp_out:-0}" -gt 10 ] && [ "${tcp_back:-0}" -gt 5 ] || miss "TCP not on its proto tcp SAs"
expect r in 0x1005 "$tcp_out"
expect l in 0x2005 "$tcp_back"
[ "$(col l out 0x1003 24) $(col l out 0x1003 25)" = "192.168.0.0/24 10.20.20.0/24" ] ||
	miss "dump: pair 3's selector is '$(col l out 0x1003 24) $(col l out 0x1003 25)'"
[ "$(col r out 0x2005 26) $(col r out 0x2005 27) $(col r out 0x2005 28)" = "6 5201 0" ] ||
	miss "dump: r's TCP SA has proto, sport, dport '$(col r out 0x2005 26)" \
		"$(col r out 0x2005 27) $(col r out 0x2005 28)', want '6 5201 0'"
show=$(ip netns exec l "$ESPTUN" show t0)
grep -q "^  sel: 10.10.0.0/16 -> 10.20.20.0/24 proto tcp dport 5201$" <<<"$show" ||
	miss "show: no 'sel: 10.10.0.0/16 -> 10.20.20.0/24 proto tcp dport 5201'"
grep -q "^  sel: 10.20.30.0/24 -> 192.168.0.0/24$" <<<"$show" || miss "show: no pair 4 inbound sel"
[ $ok = 1 ] || fail "A: selector pairs"

case_start "B: a packet no outbound SA carries"
nosa0=$(no_sa_drops l) txd0=$(tx_dropped l)
# The first drop raises the ACQUIRE (one per second): UDP, so that it names
# ports; the route to 10.20.20.99 gives it the source 172.16.0.1.
ip netns exec l bash -c 'echo x >/dev/udp/10.20.20.99/9999' || miss "UDP to 10.20.20.99"
ip netns exec l ping -q -c 2 -i 0.2 -W 1 -I 172.16.0.1 10.20.20.1 >/dev/null &&
	miss "ping from 172.16.0.1 went through without an SA"
nosa=$(($(no_sa_drops l) - nosa0)) txd=$(($(tx_dropped l) - txd0))
echo "# no-SA drops +$nosa, tx_dropped +$txd"
[ "$nosa" = 3 ] || miss "no-SA drops rose by $nosa, want 3 (a datagram, two pings)"
[ "$txd" = 3 ] || miss "tx_dropped rose by $txd, want 3"
wait_log "$tmp/events" "^acquire t0 sel 172.16.0.1 -> 10.20.20.99 proto udp sport [0-9]+ dport 9999$" 3 ||
	miss "no ACQUIRE naming the datagram"
cat "$tmp/events"
# The pings may raise a second one, if they came more than a second later.
grep -Ev "^acquire t0 sel 172.16.0.1 -> 10.20.20.(99 proto udp .*|1 proto icmp)$" "$tmp/events" &&
	miss "events about other packets"
events=$(wc -l <"$tmp/events")
[ "$(no_sa_drops r)" = 0 ] || miss "r dropped $(no_sa_drops r) packets for want of an SA"
[ $ok = 1 ] || fail "B: no-SA drops and ACQUIRE"

case_start "C: the most specific SA wins"
# l: a /16 over both /24s, and a catch-all; r answers all of it on its catch-all.
sa r t0 in 0x1006 sel src 10.10.0.0/16 dst 10.20.0.0/16
sa l t0 out 0x1006 sel src 10.10.0.0/16 dst 10.20.0.0/16
pair 0x1007 0x2007 any
added
ping_from l 10.10.0.1 10.20.40.1 3 || miss "ping 10.10.0.1 -> 10.20.40.1 (the /16)"
ping_from l 10.10.0.1 10.20.20.1 2 || miss "ping 10.10.0.1 -> 10.20.20.1 (its /24)"
ping_from l 172.16.0.1 10.20.20.1 2 || miss "ping 172.16.0.1 -> 10.20.20.1 (catch-all)"
ping_from l 192.168.0.1 10.20.40.1 2 || miss "ping 192.168.0.1 -> 10.20.40.1 (catch-all)"
snap l r
expect l out 0x1006 3
expect r in 0x1006 3
expect l out 0x1001 5
expect r out 0x2001 5
expect l out 0x1007 4
expect r in 0x1007 4
expect r out 0x2007 7
expect l in 0x2007 7
expect l out 0x1005 "$tcp_out"
order=$(awk '$2 == "out" { printf "%s ", $3 }' <<<"${dump[l]}")
echo "# outbound SAs of l in dump order: $order"
case $order in
*0x00001005*0x00001001*) ;;
*) miss "the SA with proto tcp is not tried before its pair's" ;;
esac
case $order in
*" 0x00001006 0x00001007 ") ;;
*) miss "the /16 SA and the catch-all are not tried last" ;;
esac
[ $ok = 1 ] || fail "C: most specific"

case_start "D: a spoofed inner source through a peer SA without selector"
# r's t1 sends any inner packet with the SPI and key of r's 0x2001
# (10.20.20.0/24 -> 10.10.0.0/16), numbered far beyond what 0x2001 sent
# and more than a replay window (1024) ahead.
ip -n r -batch - <<-EOF || fail "setting up t1 in r"
	link add t1 type esptun
	link set t1 addrgenmode none
	addr add 10.20.99.1/32 dev t1
	link set t1 up
	rule add from 10.20.99.1 table 100
	route add 10.10.0.0/16 dev t1 table 100
EOF
queue r set t1 local 10.0.0.2 remote 10.0.0.1
sa r t1 out 0x2001 seq 100000
added
seq0=$(col l in 0x2001 9) pkts0=$(col l in 0x2001)
ip netns exec r ping -q -c 1 -W 1 -I 10.20.99.1 10.10.0.1 >/dev/null &&
	miss "a reply to the spoofed source 10.20.99.1"
[ "$(esptun_sa_col r t1 out 0x2001 9)" = 100001 ] ||
	miss "t1 sent nothing (its seq is $(esptun_sa_col r t1 out 0x2001 9))"
snap l
echo "# l in 0x2001: seq $seq0 -> $(col l in 0x2001 9), packets $pkts0 -> $(col l in 0x2001)," \
	"selector drops $(col l in 0x2001 23)"
expect l in 0x2001 1 23
expect l in 0x2001 "$seq0" 9
expect l in 0x2001 "$pkts0" 10
ping_from l 10.10.0.1 10.20.20.1 1 || miss "the next good packet (seq $((seq0 + 1))) was refused"
snap l
expect l in 0x2001 $((seq0 + 1)) 9
expect l in 0x2001 0 12
expect l in 0x2001 1 23
[ $ok = 1 ] || fail "D: spoofed inner source"

# The debug kernel keeps up with about 25 pings a second, not 80.
interval=${SELECTORS_PING_INTERVAL:-0.05}
case_start "E: pair 2 rekeyed under pings every $interval s into all four pairs"
declare -A before
for n in 1 3 4; do before[$n]=$(col l out $((0x1000 + n))); done
for n in 1 2 3 4; do
	ip netns exec l ping -i "$interval" -W 1 -w 60 -I "$(lhost $n)" "$(rhost $n)" \
		>"$tmp/ping$n" 2>&1 &
	pings="$pings $!"
done
sleep 0.5
# Pair 2 is 10.10.0.0/16 <-> 10.20.30.0/24: new inbound, new outbound
# (replacing the old one of that selector), then the old inbound goes.
sa_now l t0 in 0x3002 sel src 10.20.30.0/24 dst 10.10.0.0/16
sa_now r t0 out 0x3002 sel src 10.20.30.0/24 dst 10.10.0.0/16
sa_now r t0 in 0x4002 sel src 10.10.0.0/16 dst 10.20.30.0/24
sa_now l t0 out 0x4002 sel src 10.10.0.0/16 dst 10.20.30.0/24
sleep 0.3
del l in 0x2002
del r in 0x1002
sleep 0.5
# shellcheck disable=SC2086
kill -INT $pings
# shellcheck disable=SC2086
wait $pings
pings=""
snap l r
for n in 1 2 3 4; do
	# Every request answered, but for one still on its way when ping was
	# stopped: the highest sequence number sent.
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$tmp/ping$n")
	lost=$(awk -v sent="${sent:-0}" '/icmp_seq=/ { sub(/.*icmp_seq=/, ""); got[$1 + 0] = 1 }
		END { for (i = 1; i < sent; i++) if (!got[i]) printf "%d ", i }' "$tmp/ping$n")
	echo "# pair $n: $(grep transmitted "$tmp/ping$n")"
	[ "${sent:-0}" -gt 10 ] && [ -z "$lost" ] || miss "pair $n lost pings ${lost:-(sent ${sent:-0})}"
	[ $n = 2 ] || expect l out $((0x1000 + n)) $((before[$n] + sent))
done
[ -z "$(col l out 0x1002)" ] || miss "l's old outbound SA 0x1002 is still there"
[ -z "$(col r out 0x2002)" ] || miss "r's old outbound SA 0x2002 is still there"
[ "$(col l out 0x4002)" -gt 5 ] 2>/dev/null || miss "l's new 0x4002 carried $(col l out 0x4002)"
[ "$(col r out 0x3002)" -gt 5 ] 2>/dev/null || miss "r's new 0x3002 carried $(col r out 0x3002)"
[ "$(awk '$2 == "out"' <<<"${dump[l]}" | wc -l)" = 7 ] || miss "l does not have 7 outbound SAs"
[ $ok = 1 ] || fail "E: replacement per selector"

case_start "F: flushed and keyed without selectors, as before"
queue l sa flush t0
queue r sa flush t0
pair 0x5001 0x5002 any
added
ping_from l 10.10.0.1 10.20.20.1 3 &
v4=$!
ip netns exec l ping -q -c 3 -i 0.2 -W 2 fd99::2 >/dev/null || miss "IPv6 ping without selectors"
wait $v4 || miss "IPv4 ping without selectors"
snap l r
echo "${dump[l]}" | cut -f 2,3,10,23-28
expect l out 0x5001 6
expect r in 0x5001 6
expect l in 0x5002 6
[ "$(cut -f 23-28 <<<"${dump[l]}" | sort -u)" = "$(printf '0\t-\t-\t0\t0\t0')" ] ||
	miss "l's SAs show a selector or selector drops"
show=$(ip netns exec l "$ESPTUN" show t0)
grep -q "sel:" <<<"$show" && miss "show prints a selector"
grep -q "^  no-SA drops: $((nosa0 + 3))$" <<<"$show" || miss "no-SA drops moved since B"
[ $ok = 1 ] || fail "F: without selectors"

# Since B no packet went without an SA.
[ "$(wc -l <"$tmp/events")" = "$events" ] || fail "ACQUIRE after B: $(tail -n +$((events + 1)) "$tmp/events")"
case_start "done"
echo "selectors choose the SA, drop what matches none, and rekey per pair"
exit 0
