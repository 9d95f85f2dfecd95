#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark, inside the VM runner's guest (bench/run-bench.sh boots it):
# every contender in this one guest so that ratios are fair. Prints one
# "BENCH {json}" record per measurement; exits 1 when a measurement could
# not be taken (after taking all the others).
#   BENCH_SMOKE=1   tiny durations and counts: checks that the bench runs
#   BENCH_TIME      iperf3 seconds per run (10)
#   BENCH_RUNS      runs per contender, median reported (3); also setups
#                   of N_BOTH tunnels
#   BENCH_TUNNELS   "N_BOTH N_ESPTUN": tunnels for esptun and strongSwan,
#                   then for esptun alone (100 1000)
#   BENCH_PARTS     which parts to run (dataplane many isolation tcrypt
#                   setup, and baseline when run-bench.sh was given
#                   BENCH_BASE)
#   BENCH_DEBUG=1   the daemons' logs from the setup benchmark
#   BENCH_PROFILE=1 a perf profile of each esptun setup and of each
#                   contender's first TCP run (lib/profile.sh)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../selftests/lib/common.sh
. "$here/../selftests/lib/common.sh"
# shellcheck source=../selftests/lib/strongswan.sh
. "$here/../selftests/lib/strongswan.sh"
# shellcheck source=lib/record.sh
. "$here/lib/record.sh"
# shellcheck source=lib/dataplane.sh
. "$here/lib/dataplane.sh"
# shellcheck source=lib/measure.sh
. "$here/lib/measure.sh"
# shellcheck source=lib/tcrypt.sh
. "$here/lib/tcrypt.sh"
# shellcheck source=lib/profile.sh
. "$here/lib/profile.sh"
# shellcheck source=lib/setup.sh
. "$here/lib/setup.sh"
# shellcheck source=lib/many.sh
. "$here/lib/many.sh"

if [ -n "${BENCH_SMOKE:-}" ]; then
	: "${BENCH_TIME:=1}" "${BENCH_RUNS:=1}" "${BENCH_TUNNELS:=2 4}" "${BENCH_PINGS:=10}"
fi
: "${BENCH_TIME:=10}" "${BENCH_RUNS:=3}" "${BENCH_TUNNELS:=100 1000}" "${BENCH_PINGS:=500}"
: "${BENCH_PARTS:=dataplane many isolation tcrypt setup${ESPTUN_BASE_KO:+ baseline}}"
read -r n_both n_esptun <<<"$BENCH_TUNNELS"

need_esptun_cli
# A real host's udev loads the modules its CPU's features call for
# (aesni-intel, ghash-clmulni-intel, the x86 ChaCha and Poly1305, ...);
# this guest has no udev, so without this every contender ran generic C
# even on a CPU model with AES-NI. Before any SA makes its transform.
modprobe -qa "$(cat /sys/devices/system/cpu/modalias)" || true
esptun_load
for tool in iperf3 wg swanctl ethtool; do
	command -v $tool >/dev/null || skip "$tool not installed (make deps)"
done
modprobe wireguard || skip "no wireguard module"
tmp=$(mktemp -d)
(umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$tmp/psk")
server_pids=
trap 'kill $server_pids 2>/dev/null; swan_stop; cleanup_netns; rm -rf "$tmp"' EXIT
# Both ends of 1000 tunnels live in this one kernel: 2000 neighbours.
sysctl -qw net.ipv4.neigh.default.gc_thresh1=8192 net.ipv4.neigh.default.gc_thresh2=16384 \
	net.ipv4.neigh.default.gc_thresh3=32768

has_flag() { grep -qw "$1" /proc/cpuinfo && echo true || echo false; }
record "$(printf '{"kind": "meta", "kernel": "%s", "cpus": %d, "smoke": %s, "time_s": %d, "runs": %d, "pings": %d, "tunnels": [%d, %d], "cpu_model": "%s", "aes_ni": %s, "pclmulqdq": %s, "avx2": %s, "mitigations": "%s"}' \
	"$(uname -r)" "$(nproc)" "$([ -n "${BENCH_SMOKE:-}" ] && echo true || echo false)" \
	"$BENCH_TIME" "$BENCH_RUNS" "$BENCH_PINGS" "$n_both" "$n_esptun" \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
	"$(has_flag aes)" "$(has_flag pclmulqdq)" "$(has_flag avx2)" \
	"$(grep -qw 'mitigations=off' /proc/cmdline && echo off || echo on)")"

started=$(date +%s)
part() { echo "# $(date +%T), $(($(date +%s) - started)) s: $*"; }

# Data plane: all contenders up at once, then taking turns run by run.
run_dataplane() {
	local c what run contenders=
	for c in veth esptun-gcm128 esptun-gcm128-1cpu esptun-gcm128-nogso xfrm-gcm128 esptun-cbc256 \
		xfrm-cbc256 wireguard; do
		contender_up "$c" && contenders="$contenders $c"
	done
	for what in tcp udp; do
		for run in $(seq "$BENCH_RUNS"); do
			part "$what run $run"
			for c in $contenders; do measure "$what" "$c" "$run"; done
		done
	done
	for c in $contenders; do measure ping "$c" 1; done
	# shellcheck disable=SC2086 # a list of PIDs
	kill $server_pids 2>/dev/null
	cleanup_netns
	netns_list=
}

# Many flows (lib/many.sh): one tunnel with 8 TCP streams, then 8 tunnels
# with one stream each; every contender up at once, taking turns.
run_many() {
	local c run one= eight=
	for c in esptun-gcm128 xfrm-gcm128 wireguard; do
		contender_up "$c" && one="$one $c"
	done
	for c in esptun-gcm128-x8 xfrm-gcm128-x8; do
		many_up "$c" && eight="$eight $c"
	done
	for run in $(seq "$BENCH_RUNS"); do
		part "many run $run"
		for c in $one; do measure tcp8 "$c" "$run"; done
		for c in $eight; do many_tcp "$c" "$run"; done
	done
	# shellcheck disable=SC2086 # a list of PIDs
	kill $server_pids 2>/dev/null
	server_pids=
	cleanup_netns
	netns_list=
}

# Isolation: pings through a GCM tunnel, alone and while a 3DES tunnel
# beside it runs UDP flat out. Crypto is spread over the CPUs in order
# (kmod/parallel.c); the slow tunnel should delay only its own packets.
run_isolation() {
	local c flood
	for c in esptun-gcm128 esptun-3des; do
		contender_up "$c" || return
	done
	measure ping esptun-gcm128 1 esptun-gcm128-alone
	ip netns exec "$(ns_a esptun-3des)" timeout $((BENCH_TIME + 60)) \
		iperf3 -c "$(target esptun-3des)" -t $((BENCH_TIME + 30)) -u -b 0 -l 1400 >/dev/null 2>&1 &
	flood=$!
	sleep 3
	measure ping esptun-gcm128 1 esptun-gcm128-beside-3des
	kill $flood 2>/dev/null
	wait $flood 2>/dev/null
	# shellcheck disable=SC2086 # a list of PIDs
	kill $server_pids 2>/dev/null
	cleanup_netns
	netns_list=
}

# Baseline: this tree's one-SA route-based data path (GCM, no selectors)
# against the module of an older revision (BENCH_BASE, built by
# run-bench.sh), the module swapped between runs of this one guest: a
# change to the data path shows as a ratio, drift spread over both.
run_baseline() {
	local run c ko
	if [ -z "${ESPTUN_BASE_KO:-}" ]; then
		echo "# baseline: skipped: run-bench.sh was given no BENCH_BASE=REV"
		record '{"kind": "baseline", "skipped": "no BENCH_BASE"}'
		return
	fi
	record "{\"kind\": \"baseline\", \"base\": \"$ESPTUN_BASE\"}"
	for run in $(seq "$BENCH_RUNS"); do
		for c in esptun-gcm128-now esptun-gcm128-base; do
			ko=$ESPTUN_KO
			[ "$c" = esptun-gcm128-base ] && ko=$ESPTUN_BASE_KO
			rmmod esptun && insmod "$ko" || { record_error "$c" "insmod $ko failed"; continue; }
			part "baseline: $c run $run"
			if contender_up "$c"; then
				measure tcp "$c" "$run"
				measure udp "$c" "$run"
				measure ping "$c" "$run"
			fi
			# shellcheck disable=SC2086 # a list of PIDs
			kill $server_pids 2>/dev/null
			server_pids=
			cleanup_netns
			netns_list=
		done
	done
	rmmod esptun && insmod "$ESPTUN_KO"
}

run_tcrypt() {
	if [ -n "${BENCH_SMOKE:-}" ]; then
		record '{"kind": "tcrypt", "skipped": "smoke run"}'
	else
		tcrypt_all
	fi
}

run_setup() {
	# Not recorded: the first setup in a guest paid for cold caches (the
	# libraries over 9p, crypto modules and their self-tests), up to twice
	# the time of the runs after it. Both contenders get one.
	local warm=$((n_both < 10 ? n_both : 10))
	part "setup: warm-up, esptun and strongSwan, $warm tunnels each"
	setup_warmup=1
	setup_esptun "$warm"
	setup_swan "$warm"
	setup_warmup=
	# Setup times vary by a third from run to run here (2.80 to 3.93 s for
	# 100 esptun tunnels in six runs of one commit): BENCH_RUNS of each,
	# taking turns, and the report takes the median.
	local run
	for run in $(seq "$BENCH_RUNS"); do
		part "setup: esptun, $n_both tunnels, run $run"
		setup_esptun "$n_both"
		part "setup: strongSwan, $n_both tunnels, run $run"
		setup_swan "$n_both"
	done
	part "setup: esptun, $n_esptun tunnels"
	setup_esptun "$n_esptun"
}

for p in $BENCH_PARTS; do
	part "$p"
	case $p in
	dataplane) run_dataplane ;;
	many) run_many ;;
	isolation) run_isolation ;;
	tcrypt) run_tcrypt ;;
	setup) run_setup ;;
	baseline) run_baseline ;;
	*) fail "BENCH_PARTS: no part $p" ;;
	esac
done
part "done"
echo "# $bench_errors measurements failed"
[ "$bench_errors" = 0 ] || exit 1
exit 0
