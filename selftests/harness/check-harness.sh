#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the VM runner itself: a failing test, a hung test (with what its
# processes wait for), a silent skip and a kernel WARN must each be
# reported as failures, a pass and a skip with a reason as such, and the
# run must end with the summary line.
# usage: check-harness.sh KVER
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$top/selftests/lib/tap.sh"
kver=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# expect DESCRIPTION REGEX: one TAP result per expectation on the log.
expect() {
	if grep -Eq "$2" "$log"; then
		tap_ok "$1"
	else
		tap_fail "$1" "no line matching /$2/"
		sed 's/^/# /' "$log"
	fi
}

"$top/selftests/vm/run-vm.sh" -T 600 -t 10 -n vm "$kver" \
	harness/cases/pass.sh harness/cases/fail.sh harness/cases/hang.sh \
	harness/cases/skip.sh harness/cases/silent_skip.sh >"$log" 2>&1
rc=$?
expect "a passing test is ok" '^ok [0-9]+ - vm: harness/cases/pass.sh$'
expect "a failing test is not ok" '^not ok [0-9]+ - vm: harness/cases/fail.sh'
expect "a hung test times out as not ok" '^not ok [0-9]+ - vm: harness/cases/hang.sh # TIMEOUT'
expect "a timeout says what the test's processes wait for" '^# +[0-9]+ S +[a-z_]*sleep[a-z_]* +[0-9]+ sleep 100000$'
expect "a skip with a reason is a SKIP" '^ok [0-9]+ - vm: harness/cases/skip.sh # SKIP skipping on purpose'
expect "a silent skip is not ok" '^not ok [0-9]+ - vm: harness/cases/silent_skip.sh'
expect "the run ends with the summary line" '^3 passed, 3 failed, 1 skipped$'
if [ "$rc" != 0 ]; then tap_ok "a run with failures exits non-zero"; else tap_fail "a run with failures exits non-zero"; fi

mkdir -p "$top/build/harness-$kver"
ln -sf "$here"/warn/* "$top/build/harness-$kver/"
if ! make -s -C "/lib/modules/$kver/build" M="$top/build/harness-$kver" modules >"$log" 2>&1; then
	tap_fail "build the WARN fixture"; sed 's/^/# /' "$log"
else
	"$top/selftests/vm/run-vm.sh" -T 600 -t 60 -n vm "$kver" harness/cases/warn.sh >"$log" 2>&1
	rc=$?
	expect "a kernel WARN fails the run although the test exited 0" '^not ok [0-9]+ - vm: kernel log clean'
	expect "the WARN is quoted from the kernel log" 'esptun harness: deliberate warning'
	if [ "$rc" != 0 ]; then tap_ok "a run with a WARN exits non-zero"; else tap_fail "a run with a WARN exits non-zero"; fi
fi
tap_summary
