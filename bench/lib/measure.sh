# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# One measurement through one contender, as a record: iperf3 single TCP
# stream, 8 TCP streams at once (tcp8, their sum), iperf3 UDP with 1400-byte datagrams at full speed (-b 0: the
# achieved rate at the receiver and the loss), ping RTT. Needs
# dataplane.sh, record.sh and profile.sh; BENCH_TIME is the iperf3 duration.

PARSE=$(dirname "${BASH_SOURCE[0]}")/parse.py

# The "-1cpu" esptun contender is esptun as it was before its crypto was
# spread over the CPUs: the module parameter holds for every device, so
# it is switched off only while that contender runs.
PARALLEL=/sys/module/esptun/parameters/parallel_crypto

# measure tcp|tcp8|udp|ping CONTENDER RUN [LABEL]: LABEL names the record's
# contender when it is not CONTENDER as such (the isolation part).
measure() {
	case $2 in *-1cpu) echo 0 >$PARALLEL ;; esac
	measure_one "$@"
	echo 1 >$PARALLEL
}

measure_one() {
	local what=$1 c=$2 run=$3 label=${4:-$2} dst out rec args="" parser
	dst=$(target "$c")
	case $what in
	tcp) args="-c $dst -t $BENCH_TIME -J" ;;
	tcp8) args="-c $dst -t $BENCH_TIME -J -P 8" ;;
	udp) args="-c $dst -t $BENCH_TIME -J -u -b 0 -l 1400" ;; # 1428 B packets: see MTU
	esac
	# A hung iperf3 must not stop the bench: the limit is its duration plus slack.
	if [ "$what" = ping ]; then
		out=$(ip netns exec "$(ns_a "$c")" timeout 120 ping -c "$BENCH_PINGS" -i 0.01 -W 1 "$dst" 2>&1)
	else
		[ "$what$run" = tcp1 ] && profile_start
		# shellcheck disable=SC2086
		out=$(ip netns exec "$(ns_a "$c")" timeout $((BENCH_TIME + 30)) iperf3 $args 2>&1)
		[ "$what$run" = tcp1 ] && profile_stop "one TCP stream through $label"
	fi
	case $what in
	ping) parser=ping ;; tcp8) parser=iperf-tcp ;; *) parser=iperf-$what ;;
	esac
	if rec=$(echo "$out" | python3 "$PARSE" "$parser" kind="$what" contender="$label" run="$run" 2>&1); then
		record "$rec"
	else
		record_error "$c $what run $run" "$(printf '%s\n%s\n' "$(echo "$out" | tail -n 3)" "$rec")"
	fi
}
