#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test tier as one TAP stream with one summary line.
#   host     helper unit tests with ASan/UBSan (no VM)
#   harness  the VM runner's own tests (failures, hangs, WARNs are caught)
#   KVER     the VM selftests on each supported Debian kernel, the two
#            kernels' guests side by side
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

# replay FILE: what a tier run in the background printed, and its exit status.
replay() {
	grep -v '^__rc=' "$1"
	return "$(sed -n 's/^__rc=//p' "$1")"
}

tier host make -s -C "$top/helper" check
[ -n "${kernels// }" ] && tier harness harness/check-harness.sh "$(echo $kernels | cut -d' ' -f1)"
# The kernels' guests run side by side, each into a file, and their TAP is
# replayed in order once both are done. TCG emulates every instruction,
# so two guests share the host's two cores, but much of a test's time is
# protocol timers: side by side both tiers took 48 minutes here, where
# one after the other they took about 33 each. A run with a third guest
# beside them crawled: nothing else belongs on the machine meanwhile.
tests=$(ls esptun/*.sh)
out=$(mktemp -d /tmp/esptun-check.XXXXXX)
started=$SECONDS
for k in $kernels; do
	# shellcheck disable=SC2086
	{ vm/run-vm.sh -n vm -T 3600 -t 900 "$k" $tests >"$out/$k" 2>&1; echo "__rc=$?" >>"$out/$k"; } &
done
wait
echo "# kernel tiers took $((SECONDS - started)) s side by side"
for k in $kernels; do
	tier "$k" replay "$out/$k"
done
rm -rf "$out"
tap_summary
