#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boots Debian's 6.1 kernel in QEMU and runs demo.sh there,
# printing its narration; fails if the tunnel does not carry traffic.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=$(cd /boot && ls -d vmlinuz-6.1.*-amd64 2>/dev/null | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
[ -n "$kver" ] || { echo "no Debian 6.1 kernel in /boot: run make deps" >&2; exit 1; }
echo "booting $kver in QEMU (TCG, about a minute) ..."
set -o pipefail
"$top/selftests/vm/run-vm.sh" -n demo -t 600 "$kver" demo/demo.sh | sed 's/^# //'
