#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test tier as one TAP stream with one summary line.
#   host     helper unit tests with ASan/UBSan (no VM)
#   harness  the VM runner's own tests (failures, hangs, WARNs are caught)
#   KVER     the VM selftests on each supported Debian kernel
# A tier that exits non-zero without reporting a failure fails as a whole.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/tap.sh
. "$top/selftests/lib/tap.sh"
cd "$top/selftests" || exit 1

# tier NAME COMMAND...: re-number COMMAND's TAP under NAME.
tier() {
	local name=$1 line rc=0 failed_before=$tap_failed
	shift
	echo "# ---- $name: $*"
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*) tap_line "$name: " "$line" ;;
		"__tier_rc="*) rc=${line#__tier_rc=} ;;
		[0-9]*" passed, "*" failed"*) echo "# $name: $line" ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done < <("$@" 2>&1; echo "__tier_rc=$?")
	if [ "$rc" != 0 ] && [ "$tap_failed" = "$failed_before" ]; then
		tap_fail "$name: tier" "exited $rc without reporting a failure"
	fi
}

# The two kernels every change must work on.
kernels=
for want in '6.1.*-amd64' '6.12.*-amd64'; do
	# shellcheck disable=SC2086
	k=$(cd /boot && ls -d vmlinuz-$want 2>/dev/null | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
	if [ -z "$k" ]; then
		tap_fail "kernel $want installed" "run make deps"
	else
		kernels="$kernels $k"
	fi
done

tier host make -s -C "$top/helper" check
[ -n "${kernels// }" ] && tier harness harness/check-harness.sh "$(echo $kernels | cut -d' ' -f1)"
tests=$(ls esptun/*.sh)
for k in $kernels; do
	# shellcheck disable=SC2086
	tier "$k" vm/run-vm.sh -n vm -T 3000 -t 900 "$k" $tests
done
tap_summary
