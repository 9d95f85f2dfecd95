#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 in the test guest, after switch_root into the host's root. Reads the
# plan the host left in the output share (/mnt/plan), loads esptun.ko, runs
# the tests, saves the kernel log and powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb
out=/mnt
# shellcheck source=/dev/null
. $out/plan

mount -t devpts devpts /dev/pts 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ip link set lo up
echo "esptun-guest: $(uname -r) up after $(cut -d' ' -f1 /proc/uptime)s" >/dev/console

# The module's dependencies come from the host's /lib/modules (modprobe);
# esptun.ko itself from the build directory (insmod).
if [ -n "${ESPTUN_KO:-}" ]; then
	for dep in $(modinfo -F depends "$ESPTUN_KO" | tr , ' '); do
		modprobe "$dep"
	done
	export ESPTUN_KO
fi

# Packet timestamping held on for the guest's life. Otherwise every ping
# turns it on and off, and each turn live-patches a static key in the
# receive path (text_poke_bp). Under QEMU's multi-threaded TCG a vCPU once
# ran the patch's transient int3 after the patch was over, and the guest
# died in __netif_receive_skb_core (6.12, in CI). Held, the key stays put.
# Python names no SO_TIMESTAMP: 29 is its value (SO_TIMESTAMP_OLD) on x86.
python3 -c 'import signal, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 29, 1)
signal.pause()' &

export TEST_TIMEOUT ESPTUN_TOP
# shellcheck disable=SC2086
"$ESPTUN_TOP/selftests/run_tests.sh" -l $out/logs $TESTS >$out/results.tap 2>&1

if [ -e /sys/kernel/debug/kmemleak ]; then
	# Two scans: kmemleak reports only objects seen unreferenced twice.
	echo scan >/sys/kernel/debug/kmemleak; sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >$out/kmemleak.txt
fi
dmesg >$out/dmesg.txt
echo done >$out/done
# One compound command, which bash reads whole before it runs it: bash
# reads a script as it goes, and the share this one lives on goes away as
# the power-off starts. Reading on, or starting sleep from there, would
# fail, and init's exit would panic the guest (seen once).
{
	sync
	echo o >/proc/sysrq-trigger
	while :; do :; done
}
