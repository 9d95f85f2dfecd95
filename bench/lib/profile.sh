# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # $tmp is the caller's scratch directory
#
# BENCH_PROFILE=1: where the guest's CPU time goes during one measurement
# (an esptun setup, one TCP stream through esptun and through xfrm), by
# perf's cpu-clock sampling of the whole guest: the kernel's share shows
# as well as the daemons'. The guest has no PMU under TCG, so the samples
# are timer ticks: shares, not cycles. Needs $tmp (a scratch directory).

# profile_start: samples from now on, when BENCH_PROFILE is set. perf
# starts with its events off and says when it turned them on: its own
# start-up (every process's maps) takes seconds under TCG, longer than a
# short measurement.
profile_start() {
	[ -n "${BENCH_PROFILE:-}" ] || return 0
	if ! perf version >/dev/null 2>&1; then
		echo "# profile: skipped: no working perf in the guest (apt-get install linux-perf)"
		return 0
	fi
	rm -f "$tmp/perf.ctl" "$tmp/perf.ack"
	mkfifo "$tmp/perf.ctl" "$tmp/perf.ack" || return 0
	perf record -q -e cpu-clock -F 499 -a -g -D -1 --control "fifo:$tmp/perf.ctl,$tmp/perf.ack" \
		-o "$tmp/perf.data" >/dev/null 2>&1 &
	profile_pid=$!
	exec {profile_ctl}>"$tmp/perf.ctl" {profile_ack}<"$tmp/perf.ack"
	echo enable >&"$profile_ctl"
	read -r -t 60 -u "$profile_ack" _ || echo "# profile: perf did not say it started sampling"
}

# profile_stop LABEL: ends the samples and prints their sums as comments:
# by process, by process and binary, and the top functions (summed over
# the processes, and per process: crypto workers split one function).
profile_stop() {
	[ -n "${profile_pid:-}" ] || return 0
	kill -INT "$profile_pid"
	wait "$profile_pid" 2>/dev/null
	exec {profile_ctl}>&- {profile_ack}<&-
	rm -f "$tmp/perf.ctl" "$tmp/perf.ack"
	profile_pid=
	echo "# profile of $1 (cpu-clock samples, whole guest):"
	profile_sums comm 2 "by process"
	profile_sums comm,dso 2 "by binary"
	profile_sums sym 0.5 "by function, all processes" | head -n 40
	profile_sums comm,sym 0.7 "by function" | head -n 40
	rm -f "$tmp/perf.data"
}

profile_sums() { # SORT_KEYS PERCENT_LIMIT LABEL
	perf report -i "$tmp/perf.data" --stdio --no-children -g none --sort "$1" \
		--percent-limit "$2" 2>/dev/null | grep -v '^#' | grep '%' | sed "s/^/#   $3: /"
}
