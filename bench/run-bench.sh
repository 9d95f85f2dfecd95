#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boots Debian's 6.1 kernel with the VM runner, runs
# bench/bench.sh in that one guest, and turns its records into
# bench/results/DATE.json, a markdown table on stdout and DATE.png.
# BENCH_SMOKE=1 runs a tiny bench into build/bench/ instead (the check
# that it still works; its numbers mean nothing). BENCH_OUT=DIR overrides
# where results go; BENCH_TIME, BENCH_RUNS, BENCH_TUNNELS, BENCH_PINGS,
# BENCH_PARTS, BENCH_DEBUG and BENCH_PROFILE pass through to the guest (see bench/bench.sh);
# BENCH_CPU is QEMU's CPU model (qemu64; max adds AES-NI and CLMUL, and
# boots the guest with mitigations=off); BENCH_ARGS overrides those extra
# kernel arguments. BENCH_BASE=REV builds REV's
# module too, and adds the baseline part: this tree's one-SA data path
# against REV's, swapped in the same guest.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)

kver=${BENCH_KVER:-$(printf '%s\n' /boot/vmlinuz-6.1.*-amd64 | sed 's|^/boot/vmlinuz-||' | sort -V | tail -n 1)}
[ -e "/boot/vmlinuz-$kver" ] || kver=
[ -n "$kver" ] || { echo "run-bench: no Debian 6.1 kernel installed (make deps)" >&2; exit 1; }

if [ -n "${BENCH_SMOKE:-}" ]; then
	out=${BENCH_OUT:-$top/build/bench} limits="-t 900 -T 1200"
else
	out=${BENCH_OUT:-$top/bench/results} limits="-t 7000 -T 7200"
fi
mkdir -p "$out"
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
env_args=()
for v in BENCH_SMOKE BENCH_TIME BENCH_RUNS BENCH_TUNNELS BENCH_PINGS BENCH_PARTS BENCH_DEBUG BENCH_PROFILE; do
	[ -n "${!v:-}" ] && env_args+=(-e "$v=${!v}")
done
if [ -n "${BENCH_BASE:-}" ]; then
	base=$top/build/bench-base
	rm -rf "$base" && mkdir -p "$base" || exit 1
	git -C "$top" archive "$BENCH_BASE" Makefile kmod uapi | tar -x -C "$base" ||
		{ echo "run-bench: no revision $BENCH_BASE with a module" >&2; exit 1; }
	make -s -C "$base" "build/$kver/esptun.ko" >/dev/null 2>&1 ||
		{ echo "run-bench: building $BENCH_BASE's module failed: $base/build/$kver/build.log" >&2; exit 1; }
	env_args+=(-e "ESPTUN_BASE_KO=$base/build/$kver/esptun.ko"
		-e "ESPTUN_BASE=$(git -C "$top" rev-parse --short "$BENCH_BASE")")
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT

start=$(date +%s)
# 3 GiB: both ends of 1000 tunnels (devices, SAs, two daemons) in one guest.
# QEMU's default CPU model (qemu64) has no AES-NI, so every contender runs
# generic C crypto. BENCH_CPU=max adds AES-NI, PCLMULQDQ and AVX2, as real
# hosts have them. With it the guest also believes itself exposed to the
# CPU bugs max advertises and turns on their mitigations, which under TCG
# made every contender slower, plain veth included (1368 against 4541
# Mbit/s): a bench of what users run boots it with mitigations=off.
cpu=${BENCH_CPU:-qemu64}
if [ -z "${BENCH_ARGS+set}" ]; then
	BENCH_ARGS=
	[ "$cpu" = max ] && BENCH_ARGS=mitigations=off
fi
# shellcheck disable=SC2086 # the limits are two options each
"$top/selftests/vm/run-vm.sh" -n bench -M 3072 -c "$cpu" ${BENCH_ARGS:+-a "$BENCH_ARGS"} $limits \
	"${env_args[@]}" "$kver" "$top/bench/bench.sh" >"$log" 2>&1
rc=$?
wall=$(($(date +%s) - start))

# Everything but the records, for the reader: progress, errors, TAP.
grep -v '^# BENCH ' "$log"
echo
commit=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
# The raw records too: report.py can be rerun on them (report.py --help).
sed -n 's/^# BENCH //p' "$log" >"$out/$stamp.records"
python3 "$top/bench/report.py" --json "$out/$stamp.json" --png "$out/$stamp.png" \
	--wall "$wall" --commit "$commit" <"$out/$stamp.records" || rc=1
echo
echo "results: $out/$stamp.json $out/$stamp.png $out/$stamp.records"
exit $rc
