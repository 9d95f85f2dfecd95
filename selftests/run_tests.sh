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

n=0 passed=0 failed=0 skipped=0
echo "TAP version 13"
echo "1..$#"
for t in "$@"; do
	n=$((n + 1))
	name=${t#"$here"/}
	log=$logdir/$(echo "$name" | tr / _).log
	# setsid puts the test in its own process group so that timeout can
	# kill everything it started, not just the script.
	(cd "$(dirname "$t")" && exec timeout -k 5 "$timeout_s" setsid "$(pwd)/$(basename "$t")") >"$log" 2>&1 </dev/null
	rc=$?
	sed 's/^/# /' "$log"
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
	124|137)
		echo "not ok $n - $name # TIMEOUT after ${timeout_s}s"; failed=$((failed + 1)) ;;
	*)
		echo "not ok $n - $name # exit $rc"; failed=$((failed + 1)) ;;
	esac
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
