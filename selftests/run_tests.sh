#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kselftest-style runner: runs each test executable with a timeout and
# reports TAP. Exit codes follow kselftest: 0 pass, 1 fail, 4 skip. A skip
# must say why on a line "SKIP: reason"; a silent skip counts as a failure.
#
# usage: run_tests.sh [-t SECONDS] [-l LOGDIR] TEST...
set -u

timeout_s=${TEST_TIMEOUT:-300}
logdir=
while getopts t:l: opt; do
	case $opt in
	t) timeout_s=$OPTARG ;;
	l) logdir=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [-l LOGDIR] TEST..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
here=$(cd "$(dirname "$0")" && pwd)
[ -n "$logdir" ] || logdir=$(mktemp -d)
mkdir -p "$logdir"

# run_test TEST LOG: runs TEST in its own session (so that everything it
# started can be killed) and returns its exit code, or 124 once it has run
# for $timeout_s seconds. A timeout first appends to LOG what each of the
# test's processes was waiting for: a hang says where it hangs.
run_test() {
	local t=$1 log=$2 pid watchdog rc fired=$2.timeout
	rm -f "$fired"
	(cd "$(dirname "$t")" && exec setsid "$(pwd)/$(basename "$t")") >"$log" 2>&1 </dev/null &
	pid=$!
	(
		trap 'kill "$nap"; exit' TERM
		sleep "$timeout_s" &
		nap=$!
		wait "$nap"
		touch "$fired"
		echo "TIMEOUT after ${timeout_s}s; the test's processes:"
		ps -s "$pid" -o pid,stat,wchan:32,etimes,args
		for p in $(ps -s "$pid" -o pid=); do
			case $(ps -o stat= -p "$p") in
			D*) echo "kernel stack of $p:"; cat "/proc/$p/stack" ;;
			esac
		done
		kill -TERM -- -"$pid"
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			ps -s "$pid" >/dev/null || exit
			sleep 0.5
		done
		kill -KILL -- -"$pid"
	) >>"$log" 2>&1 </dev/null &
	watchdog=$!
	wait "$pid"
	rc=$?
	if [ -e "$fired" ]; then
		wait "$watchdog"
		rm -f "$fired"
		return 124
	fi
	kill "$watchdog"
	wait "$watchdog"
	return "$rc"
}

n=0 passed=0 failed=0 skipped=0
echo "TAP version 13"
echo "1..$#"
for t in "$@"; do
	n=$((n + 1))
	name=${t#"$here"/}
	log=$logdir/$(echo "$name" | tr / _).log
	started=$SECONDS
	run_test "$t" "$log"
	rc=$?
	sed 's/^/# /' "$log"
	# Where the guest's time goes: CI's budget is spent test by test.
	echo "# $name took $((SECONDS - started))s"
	case $rc in
	0)
		echo "ok $n - $name"; passed=$((passed + 1)) ;;
	4)
		reason=$(sed -n 's/^SKIP: //p' "$log" | tail -n 1)
		if [ -n "$reason" ]; then
			echo "ok $n - $name # SKIP $reason"; skipped=$((skipped + 1))
		else
			echo "not ok $n - $name # skipped without saying why"; failed=$((failed + 1))
		fi ;;
	124)
		echo "not ok $n - $name # TIMEOUT after ${timeout_s}s"; failed=$((failed + 1)) ;;
	*)
		echo "not ok $n - $name # exit $rc"; failed=$((failed + 1)) ;;
	esac
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
