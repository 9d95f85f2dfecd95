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

# Loads esptun.ko from the build the VM runner was given ($ESPTUN_KO), or
# the installed module elsewhere, unless it is loaded already.
esptun_load() {
	[ -d /sys/module/esptun ] && return 0
	if [ -n "${ESPTUN_KO:-}" ]; then
		insmod "$ESPTUN_KO" || fail "insmod $ESPTUN_KO"
	else
		modprobe esptun || fail "modprobe esptun (no ESPTUN_KO given)"
	fi
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
