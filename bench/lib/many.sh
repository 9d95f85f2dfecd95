# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # $tmp and $server_pids are the caller's
#
# Many flows. One tunnel carrying 8 TCP streams shows what spreading one
# tunnel's crypto over the CPUs gives when the stack offers it many flows;
# 8 tunnels with one stream each, what a head-end with 8 VTIs to one peer
# gets, against xfrm with 8 xfrm interfaces. The 8 tunnels share the
# namespaces and outer addresses (10.0.0.1 <-> 10.0.0.2); each has SAs and
# inner addresses of its own (192.168.2N.1 <-> 192.168.2N.2) and its own
# iperf3 server port (5201 + N). Needs dataplane.sh and record.sh.

MANY=8

many_addr() { echo "192.168.$((20 + $1)).$2"; } # TUNNEL 1|2

# many_up esptun-gcm128-x8|xfrm-gcm128-x8: the 8 tunnels and their servers.
many_up() {
	local c=$1 a b i
	a=$(ns_a "$c") b=$(ns_b "$c")
	wire "$a" 10.0.0.1/24 "$b" 10.0.0.2/24
	for i in $(seq 0 $((MANY - 1))); do
		case $c in
		esptun-*) esptun_pair "$a" "$b" gcm128 $((0x3100 + 2 * i)) $((0x3101 + 2 * i)) \
			"t$i" "$(many_addr "$i" 1)" "$(many_addr "$i" 2)" ;;
		xfrm-*) xfrm_pair "$a" "$b" gcm128 $((0x3200 + 2 * i)) $((0x3201 + 2 * i)) \
			"x$i" $((i + 1)) "$(many_addr "$i" 1)" "$(many_addr "$i" 2)" ;;
		esac || { record_error "$c" "setting up tunnel $i failed"; return 1; }
		ip netns exec "$b" iperf3 -s -p $((5201 + i)) >/dev/null 2>&1 &
		server_pids="$server_pids $!"
	done
	for i in $(seq 0 $((MANY - 1))); do
		ip netns exec "$a" ping -q -c 2 -i 0.3 -W 2 "$(many_addr "$i" 2)" >/dev/null ||
			{ record_error "$c" "no ping through tunnel $i"; return 1; }
	done
}

# many_tcp CONTENDER RUN: one TCP stream through each tunnel at once; the
# record holds their sum.
many_tcp() {
	local c=$1 run=$2 i pids= rec total=0 mbps
	for i in $(seq 0 $((MANY - 1))); do
		ip netns exec "$(ns_a "$c")" timeout $((BENCH_TIME + 30)) \
			iperf3 -c "$(many_addr "$i" 2)" -p $((5201 + i)) -t "$BENCH_TIME" -J \
			>"$tmp/many.$i" 2>&1 &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086 # a list of PIDs
	wait $pids
	for i in $(seq 0 $((MANY - 1))); do
		if ! rec=$(python3 "$PARSE" iperf-tcp <"$tmp/many.$i" 2>&1); then
			record_error "$c tcp run $run" "tunnel $i: $(tail -n 3 "$tmp/many.$i") $rec"
			return
		fi
		mbps=$(echo "$rec" | python3 -c 'import json, sys; print(json.load(sys.stdin)["mbps"])')
		total=$(python3 -c "print($total + $mbps)")
	done
	record "{\"kind\": \"tcp\", \"contender\": \"$c\", \"run\": $run, \"mbps\": $total, \"streams\": $MANY}"
}
