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

# The CLI from helper/; tests that configure SAs skip without it.
ESPTUN=${ESPTUN_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/helper/esptun
need_esptun_cli() {
	[ -x "$ESPTUN" ] || skip "helper/esptun not built (make -C helper)"
}

# esptun_sa_col NS DEV DIR SPI COLUMN: one column of an SA in
# "esptun show DEV dump" (10 packets, 11 bytes, 12 replay drops,
# 13 ICV failures, 14 other drops; see esptun(8)).
esptun_sa_col() {
	ip netns exec "$1" "$ESPTUN" show "$2" dump |
		awk -v d="$3" -v s="$(printf 0x%08x "$4")" -v c="$5" \
			'$2 == d && $3 == s { print $c }'
}

# wire NS_A ADDR_A NS_B ADDR_B [IFNAME]: make both namespaces and join them
# with a veth pair, named IFNAME (default "wire") on both ends, addressed
# (ADDR with prefix length) and up.
wire() {
	local a=$1 addr_a=$2 b=$3 addr_b=$4 ifname=${5:-wire}

	netns_add "$a"
	netns_add "$b"
	ip link add "$ifname" netns "$a" type veth peer name "$ifname" netns "$b" ||
		fail "veth between $a and $b"
	ip -n "$a" addr add "$addr_a" dev "$ifname"
	ip -n "$b" addr add "$addr_b" dev "$ifname"
	ip -n "$a" link set "$ifname" up
	ip -n "$b" link set "$ifname" up
}
