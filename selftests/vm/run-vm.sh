#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots a kernel under QEMU (TCG, 2 vCPUs) with the host's root read-only
# over 9p, runs selftests inside with esptun.ko for that kernel, and reports
# TAP. The run fails if any test fails, if the guest does not finish, or if
# the kernel log holds an oops, WARN, BUG, KASAN, UBSAN, lockdep or
# kmemleak report, whatever the tests printed.
#
# usage: run-vm.sh [-k VMLINUZ] [-m KO] [-T RUN_TIMEOUT] [-t TEST_TIMEOUT]
#                  [-M MEM_MB] [-n NAME] [-c CPU_MODEL] [-a KERNEL_ARGS]
#                  [-e VAR=VALUE]... KVER TEST...
# -a appends to the guest kernel's command line; -e exports VAR to the
# tests in the guest.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$top/selftests/lib/tap.sh"

vmlinuz= ko= run_timeout=1800 test_timeout=300 mem=2048 name= guest_env= cpu=qemu64 args=
while getopts k:m:T:t:M:n:c:a:e: opt; do
	case $opt in
	k) vmlinuz=$OPTARG ;;
	m) ko=$OPTARG ;;
	T) run_timeout=$OPTARG ;;
	t) test_timeout=$OPTARG ;;
	M) mem=$OPTARG ;;
	n) name=$OPTARG ;;
	c) cpu=$OPTARG ;;
	a) args=" $OPTARG" ;;
	e) guest_env="$guest_env
export $(printf '%q' "$OPTARG")" ;;
	*) sed -n 's/^# usage: /usage: /p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
kver=$1; shift
: "${vmlinuz:=/boot/vmlinuz-$kver}"
: "${ko:=$top/build/$kver/esptun.ko}"
: "${name:=$kver}"

out=$(mktemp -d /tmp/esptun-vm.XXXXXX)
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill -9 "$qemu_pid" 2>/dev/null
	rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -r "$vmlinuz" ]; then
	tap_fail "$name: boot" "no kernel image $vmlinuz (run make deps)"
	tap_summary; exit 1
fi
if [ ! -r "$ko" ]; then
	tap_fail "$name: boot" "no module $ko (run make)"
	tap_summary; exit 1
fi

tests=
for t in "$@"; do tests="$tests $(cd "$top/selftests" && realpath "$t")"; done
cat >"$out/plan" <<PLAN
ESPTUN_TOP=$top
ESPTUN_KO=$ko
TEST_TIMEOUT=$test_timeout
TESTS="$tests"$guest_env
PLAN
"$here/initramfs.sh" "$kver" "$out/initrd.gz"

boot() {
	rm -f "$out/console.log" "$out/results.tap" "$out/dmesg.txt" "$out/kmemleak.txt" "$out/done"
	timeout -k 5 "$run_timeout" qemu-system-x86_64 -accel tcg,thread=multi -cpu "$cpu" -smp 2 \
		-m "$mem" -nodefaults -display none -no-reboot \
		-kernel "$vmlinuz" -initrd "$out/initrd.gz" \
		-append "console=ttyS0 loglevel=5 panic=-1 panic_on_warn=1 oops=panic esptun_init=$here/guest-init.sh esptun_top=$top$args" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$out,mount_tag=out,security_model=none" \
		-virtfs "local,path=$top,mount_tag=top,security_model=none,readonly=on,multidevs=remap" \
		-serial "file:$out/console.log" </dev/null >"$out/qemu.log" 2>&1 &
	qemu_pid=$!
	wait "$qemu_pid"
	qrc=$?
	qemu_pid=
}

start=$(date +%s)
boot
# A kernel that dies before our init runs has not met esptun yet: TCG has
# shown rare early-boot failures. Say so, show it, and boot once more.
if [ ! -e "$out/done" ] && ! grep -q '^esptun-guest:' "$out/console.log" 2>/dev/null; then
	echo "# $name: the kernel failed before the tests started (qemu exit $qrc); booting again"
	sed 's/^/# first boot: /' "$out/console.log" | grep -E -m1 -A20 'WARNING|BUG|panic|Oops' | head -n 25
	boot
fi
elapsed=$(($(date +%s) - start))

# The tests' own TAP, renamed with the kernel; plan and summary dropped.
if [ -r "$out/results.tap" ]; then
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*) tap_line "$name: " "$line" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$out/results.tap"
fi

if [ -e "$out/done" ]; then
	tap_ok "$name: guest ran to the end (${elapsed}s)"
else
	why="guest did not finish (qemu exit $qrc after ${elapsed}s)"
	[ "$qrc" = 124 ] && why="whole-run timeout of ${run_timeout}s"
	tap_fail "$name: guest ran to the end" "$why"
	[ -e "$out/dmesg.txt" ] || sed 's/^/# console: /' "$out/console.log" | tail -n 40
fi

# Kernel reports anywhere in the console or the saved kernel log.
pattern='(WARNING:|BUG:|Oops|Kernel panic|general protection fault|KASAN|UBSAN|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|kmemleak|unreferenced object|Call Trace)'
bad=$(cat "$out/console.log" "$out/dmesg.txt" 2>/dev/null | grep -E "$pattern" | grep -v 'kmemleak: Kernel memory leak detector initialized' | grep -v 'kmemleak: Automatic memory scanning thread started' | head -n 20)
if [ -s "$out/kmemleak.txt" ]; then
	bad="$bad
kmemleak: $(grep -c unreferenced "$out/kmemleak.txt") unreferenced objects"
	sed 's/^/# kmemleak: /' "$out/kmemleak.txt" | head -n 80
fi
if [ -z "$bad" ]; then
	tap_ok "$name: kernel log clean"
else
	tap_fail "$name: kernel log clean" "kernel reported a problem"
	echo "$bad" | sed 's/^/# kernel: /'
	grep -h -E -m1 -B2 -A25 "$pattern" "$out/dmesg.txt" "$out/console.log" 2>/dev/null | head -n 60 | sed 's/^/# log: /'
fi
tap_summary
