#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Narrow traffic selectors against strongSwan's charon (IKEv1, route-based
# on an xfrm interface): charon insists on 10.10.1.0/24 <-> 10.10.2.0/24.
#  A: charon initiates with them; the daemon, with local-ts and remote-ts
#     set to match, accepts them and pings cross.
#  B: the daemon initiates with its local-ts and remote-ts; charon accepts
#     them and pings cross.
#  C: charon initiates with wider selectors (10.10.0.0/16 on its side)
#     than the daemon allows: the daemon refuses with INVALID-ID-INFORMATION,
#     names both selector pairs in its log, and installs no SA.
# In A and B charon's log shows the narrow selectors in the CHILD SA.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
[ -x /usr/lib/ipsec/charon ] || skip "strongSwan charon not installed"
command -v swanctl >/dev/null || skip "swanctl not installed"
esptun_load

ike_scratch ike_selectors_swan
wire swan 10.0.0.1/24 ike 10.0.0.2/24 veth0
swan_xfrm_if swan veth0 10.10.1.1/32 10.10.2.0/24

# daemon START: esptun daemon in the ike namespace, selectors as charon's mirror.
daemon() {
	cat >"$DIR/d.conf" <<-EOF
	[vpn0]
	local = 10.0.0.2
	remote = 10.0.0.1
	psk = a shared secret
	ike = aes256-sha256-modp2048
	esp = aes128gcm16-modp2048
	local-ts = 10.10.2.0/24
	remote-ts = 10.10.1.0/24
	start = $1
	EOF
	ike_daemon_start ike d
}

stop_case() {
	ike_stop
	ip -n ike link del vpn0 2>/dev/null
	ip -n swan xfrm state flush
}

# up_case NAME DAEMON_START CHARON_START_ACTION: a tunnel with the narrow selectors, pinged.
up_case() {
	ok=1
	echo "# case $1"
	swan_local_ts=10.10.1.0/24 swan_remote_ts=10.10.2.0/24
	swan_conf "$DIR" 10.0.0.1 10.0.0.2 aes128gcm16-modp2048 "$3"
	if [ "$3" = start ]; then
		daemon "$2"
		sleep 1
		swan_start swan "$DIR"
	else
		swan_start swan "$DIR"
		daemon "$2"
	fi
	if wait_log "$DIR/d.log" 'installed outbound' 60 &&
		wait_log "$DIR/charon.log" 'CHILD_SA net\{[0-9]+\} established' 30; then
		ip -n ike addr add 10.10.2.1/32 dev vpn0
		ip -n ike link set vpn0 up
		ip -n ike route add 10.10.1.0/24 dev vpn0
		ip netns exec ike ping -c 5 -i 0.2 -W 2 -I 10.10.2.1 10.10.1.1 >"$DIR/ping.log" 2>&1 ||
			miss "no ping across: $(tail -2 "$DIR/ping.log" | head -1)"
		grep -E 'CHILD_SA net\{[0-9]+\} established' -A2 "$DIR/charon.log" | sed 's/^/# charon: /'
		grep -qE '10\.10\.1\.0/24 === 10\.10\.2\.0/24' "$DIR/charon.log" ||
			miss "charon's CHILD SA does not have the narrow selectors"
	else
		miss "no tunnel"
	fi
	ike_result "$1" d.log charon.log
	stop_case
}

up_case "A: charon initiates with narrow selectors, the daemon accepts" respond start
up_case "B: the daemon initiates with narrow selectors, charon accepts" initiate none

ok=1
echo "# case C"
swan_local_ts=10.10.0.0/16 swan_remote_ts=10.10.2.0/24
swan_conf "$DIR" 10.0.0.1 10.0.0.2 aes128gcm16-modp2048 start
daemon respond
sleep 1
swan_start swan "$DIR"
if wait_log "$DIR/d.log" 'INVALID-ID-INFORMATION' 60; then
	grep -E 'selector|INVALID-ID' "$DIR/d.log" | sed 's/^/# d: /'
	grep -qF '10.10.0.0/16 (initiator)' "$DIR/d.log" || miss "the log does not name charon's selector"
	grep -q 'installed inbound' "$DIR/d.log" && miss "an SA was installed"
else
	miss "the wider selectors were not refused"
fi
ike_result "C: wider selectors than local-ts/remote-ts are refused" d.log charon.log
stop_case
[ "$failures" = 0 ]
