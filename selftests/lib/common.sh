# SPDX-License-Identifier: GPL-2.0
#
# Shared by the VM tests: loading the module, namespaces that are cleaned
# up on exit, and the kselftest exit codes (0 pass, 1 fail, 4 skip).

KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4

fail() {
	echo "FAIL: $*"
	exit $KSFT_FAIL
}

skip() {
	echo "SKIP: $*"
	exit $KSFT_SKIP
}

# Loads esptun.ko from the build the VM runner was given, unless loaded.
esptun_load() {
	[ -d /sys/module/esptun ] && return 0
	[ -n "${ESPTUN_KO:-}" ] || fail "ESPTUN_KO is not set (run under selftests/vm/run-vm.sh)"
	insmod "$ESPTUN_KO" || fail "insmod $ESPTUN_KO"
}

# Namespaces made with netns_add are deleted when the test exits.
netns_list=
netns_add() {
	ip netns add "$1" || fail "ip netns add $1"
	netns_list="$netns_list $1"
	ip -n "$1" link set lo up
}

cleanup_netns() {
	local ns
	for ns in $netns_list; do ip netns del "$ns" 2>/dev/null; done
}
trap cleanup_netns EXIT
