#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the VM selftests on a KASAN + UBSAN + lockdep +
# kmemleak kernel built from Debian's linux-source-6.1 (cached outside the
# repository by build-kernel.sh), ending with a kmemleak scan that must be
# empty (the VM runner fails the run on any kmemleak report).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/tap.sh
. "$top/selftests/lib/tap.sh"

if ! kdir=$("$here/build-kernel.sh"); then
	tap_fail "debug: build the debug kernel"
	tap_summary; exit 1
fi
tree=$kdir/linux-source-6.1
kver=$(cat "$tree/include/config/kernel.release")
if ! make -s -C "$top" module KVER="$kver" KDIR="$tree" >/dev/null; then
	tap_fail "debug: build esptun.ko for $kver"
	sed 's/^/# /' "$top/build/$kver/build.log" | tail -n 40
	tap_summary; exit 1
fi
tap_ok "debug: build esptun.ko for $kver"

# Every kernel-facing test runs here, and five IKE tests: ike_rekey_flood
# (SAs added and deleted by the daemons, ten times, under a ping flood and
# TCP), ike_lifebytes (the module's expiry events driving rekeys), and the
# interop tests against the real peers, ike_strongswan, ike_libreswan and
# ike_rekey_swan: traffic through SAs that charon or pluto negotiated,
# with parallel crypto on (about 3 minutes each there). The other IKE
# tests ask nothing else of the kernel, and their run time is userspace
# DH, which KASAN only slows: ike_rekey's 15 s lifetimes, for one, are
# shorter than a KASAN guest takes to rekey (tried: SAs expired).
# The KASAN guest answers about 25 pings a second: ike_rekey_flood's
# pings go at 20 a second there (FLOOD_INTERVAL), not 500, and selectors'
# four at 5 a second each (SELECTORS_PING_INTERVAL), not 20.
ike_here="esptun/ike_rekey_flood.sh esptun/ike_lifebytes.sh esptun/ike_strongswan.sh esptun/ike_libreswan.sh esptun/ike_rekey_swan.sh"
cd "$top/selftests" || exit 1
tests="$(ls esptun/*.sh | grep -v -e '^esptun/ike_' -e '^esptun/hostile_udp.sh$') $ike_here"
for t in esptun/ike_*.sh; do
	case " $ike_here " in *" $t "*) continue ;; esac
	tap_skip "debug: $t" "IKE in userspace, timed for an unsanitized guest; its kernel calls are covered here by ike_rekey_flood, ike_lifebytes and the interop tests, it runs in make check on 6.1 and 6.12"
done
# Past the kernel's own UDP decapsulation, ESP-in-UDP takes the receive
# path hostile_input.sh drives here; under KASAN it took over 20 minutes.
tap_skip "debug: esptun/hostile_udp.sh" "same esptun receive path as hostile_input.sh, which runs here; it runs in make check on 6.1 and 6.12"
# The interop matrix is cut to one case per concern (GCM, CBC+HMAC, ESN,
# ESP-in-UDP, each outer family once): every case runs the same kernel
# code, and a KASAN guest takes over a minute per case.
interop="gcm128:4 aes-sha1:6 aes-sha256:6:esn gcm128:4::udp"
# One round of the lifecycle test's 100 devices: the rounds repeat the
# same code, for leaks that kmemleak finds after one.
while IFS= read -r line; do
	case $line in
	"ok "*|"not ok "*) tap_line "" "$line" ;;
	"#"*) echo "$line" ;;
	esac
done < <(vm/run-vm.sh -n debug -M 3072 -T 3600 -t 1500 -e INTEROP_CASES="$interop" -e LIFECYCLE_ROUNDS=1 -e FLOOD_INTERVAL=0.05 -e SELECTORS_PING_INTERVAL=0.2 \
	-k "$tree/arch/x86/boot/bzImage" \
	-m "$top/build/$kver/esptun.ko" "$kver" $tests 2>&1)
tap_summary
