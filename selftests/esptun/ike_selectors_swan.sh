#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Narrow traffic selectors against strongSwan's charon (IKEv1, route-based
# on an xfrm interface): charon insists on 10.10.1.0/24 <-> 10.10.2.0/24.
#  A: charon initiates with them; the daemon, with local-ts and remote-ts
#     set to match, accepts them and pings cross.
#  B: the daemon initiates with a wider remote-ts (10.10.0.0/16); charon
#     narrows it to its 10.10.1.0/24, the daemon takes that, and pings cross.
#  D: the daemon initiates with local-ts and remote-ts of [icmp] only, as
#     charon has them: pings cross, a UDP packet finds no SA.
#  C: charon initiates with wider selectors (10.10.0.0/16 on its side)
#     than the daemon allows: the daemon refuses with INVALID-ID-INFORMATION,
#     names both selector pairs in its log, and installs no SA.
# In A and B charon's log shows the narrow selectors in the CHILD SA, and
# the kernel holds them on the daemon's SAs (read over genl), written in
# the direction of their packets, and enforces them: a packet from
# 10.10.9.9 that charon's kernel encrypts on its SA (through an xfrm policy
# of the test's own with charon's reqid) is dropped and counted in the
# inbound SA's selector drops, and one routed into the device for
# 10.10.3.1, which no SA carries, in the device's no-SA drops.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
swan_require
esptun_load
SA_SELECTORS=$(dirname "$0")/../lib/sa_selectors.py

ike_scratch ike_selectors_swan
wire swan 10.0.0.1/24 ike 10.0.0.2/24 veth0
swan_xfrm_if swan veth0 10.10.1.1/32 10.10.2.0/24

# daemon START [REMOTE_TS [LOCAL_TS]]: esptun daemon in the ike namespace,
# selectors as charon's mirror unless REMOTE_TS and LOCAL_TS say otherwise.
daemon() {
	cat >"$DIR/d.conf" <<-EOF
	[vpn0]
	local = 10.0.0.2
	remote = 10.0.0.1
	psk = a shared secret
	ike = aes256-sha256-modp2048
	esp = aes128gcm16-modp2048
	local-ts = ${3:-10.10.2.0/24}
	remote-ts = ${2:-10.10.1.0/24}
	start = $1
	EOF
	ike_daemon_start ike d
}

# sas: the daemon's SAs as the kernel holds them (lib/sa_selectors.py;
# -S: the site module's file lookups over 9p cost seconds under TCG).
sas() {
	ip netns exec ike python3 -S "$SA_SELECTORS" vpn0
}

# tx_dropped: vpn0's count of dropped outbound packets.
tx_dropped() {
	ip -n ike -s link show vpn0 | awk '/TX:/ { getline; print $4 }'
}

# enforced: the SAs carry 10.10.1.0/24 -> 10.10.2.0/24 inbound and the
# reverse outbound, and the kernel drops what lies outside, both ways.
enforced() {
	local reqid drops tx
	reqid=$(ip -n swan xfrm state list src 10.0.0.1 dst 10.0.0.2 |
		sed -n 's/.* reqid \([0-9]*\) .*/\1/p' | head -1)
	ip -n swan addr add 10.10.9.9/32 dev xfrm0
	ip -n swan xfrm policy add src 10.10.9.9/32 dst 10.10.2.0/24 dir out if_id 42 \
		tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid "${reqid:-0}" mode tunnel ||
		miss "no xfrm policy with charon's reqid ${reqid:-(none)}"
	ip netns exec swan ping -c 2 -i 0.2 -W 0.5 -I 10.10.9.9 10.10.2.1 >/dev/null 2>&1 &&
		miss "a ping from 10.10.9.9, outside the selector, was answered"
	ip -n swan xfrm policy del src 10.10.9.9/32 dst 10.10.2.0/24 dir out if_id 42
	ip -n swan addr del 10.10.9.9/32 dev xfrm0
	# The device's IPv6 of its own (no SA carries it) is dropped too: count ours.
	tx=$(tx_dropped)
	ip -n ike route add 10.10.3.0/24 dev vpn0
	ip netns exec ike ping -c 1 -W 0.2 -I 10.10.2.1 10.10.3.1 >/dev/null 2>&1 &&
		miss "a ping to 10.10.3.1, which no SA carries, was answered"
	[ "$(tx_dropped)" -gt "${tx:-0}" ] || miss "the ping to 10.10.3.1 was not dropped"

	sas >"$DIR/sas.log" 2>&1 || miss "GET_DEVICE: $(tail -1 "$DIR/sas.log")"
	sed 's/^/# kernel: /' "$DIR/sas.log"
	grep -q '^in 0x[0-9a-f]* 10\.10\.1\.0/24 10\.10\.2\.0/24 ' "$DIR/sas.log" ||
		miss "the inbound SA does not carry 10.10.1.0/24 -> 10.10.2.0/24"
	grep -q '^out 0x[0-9a-f]* 10\.10\.2\.0/24 10\.10\.1\.0/24 ' "$DIR/sas.log" ||
		miss "the outbound SA does not carry 10.10.2.0/24 -> 10.10.1.0/24"
	drops=$(awk '$1 == "in" { n += $NF } END { print n + 0 }' "$DIR/sas.log")
	[ "$drops" -ge 2 ] || miss "$drops inbound selector drops, want the 2 pings from 10.10.9.9"
	grep -qE '^no-sa-drops [1-9]' "$DIR/sas.log" || miss "no-SA drops not counted"
	grep -E 'child SA in' "$DIR/d.log" | sed 's/^/# d: /'
	grep -qE 'child SA in [0-9a-f]{8} out [0-9a-f]{8} 10\.10\.2\.0/24 <-> 10\.10\.1\.0/24$' \
		"$DIR/d.log" || miss "the daemon's log does not name the pair it installed"
}

stop_case() {
	ike_stop
	ip -n ike link del vpn0 2>/dev/null
	ip -n swan xfrm state flush
}

# up_case NAME DAEMON_START CHARON_START_ACTION [REMOTE_TS]: a tunnel with
# the narrow selectors, pinged, and them enforced.
up_case() {
	ok=1
	echo "# case $1"
	swan_local_ts=10.10.1.0/24 swan_remote_ts=10.10.2.0/24
	swan_conf "$DIR" 10.0.0.1 10.0.0.2 aes128gcm16-modp2048 "$3"
	if [ "$3" = start ]; then
		daemon "$2" "${4:-}"
		sleep 1
		swan_start swan "$DIR"
	else
		swan_start swan "$DIR"
		daemon "$2" "${4:-}"
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
		enforced
	else
		miss "no tunnel"
	fi
	ike_result "$1" d.log charon.log
	stop_case
}

up_case "A: charon initiates with narrow selectors, the daemon accepts" respond start
up_case "B: the daemon initiates with a wider remote-ts, charon narrows it" initiate none \
	10.10.0.0/16

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

# D: our own protocol in the selectors (local-ts = ...[icmp]), as charon writes it too.
ok=1
echo "# case D"
swan_local_ts="10.10.1.0/24[icmp]" swan_remote_ts="10.10.2.0/24[icmp]"
swan_conf "$DIR" 10.0.0.1 10.0.0.2 aes128gcm16-modp2048 none
swan_start swan "$DIR"
daemon initiate "10.10.1.0/24[icmp]" "10.10.2.0/24[icmp]"
if wait_log "$DIR/d.log" 'installed outbound' 60 &&
	wait_log "$DIR/charon.log" 'CHILD_SA net\{[0-9]+\} established' 30; then
	ip -n ike addr add 10.10.2.1/32 dev vpn0
	ip -n ike link set vpn0 up
	ip -n ike route add 10.10.1.0/24 dev vpn0
	ip netns exec ike ping -c 3 -i 0.2 -W 2 -I 10.10.2.1 10.10.1.1 >/dev/null 2>&1 ||
		miss "no ping across the ICMP-only pair"
	grep -E 'CHILD_SA net\{[0-9]+\} established' -A2 "$DIR/charon.log" | sed 's/^/# charon: /'
	grep -qF '10.10.1.0/24[icmp] === 10.10.2.0/24[icmp]' "$DIR/charon.log" ||
		miss "charon's CHILD SA is not ICMP-only"
	grep -qF '10.10.2.0/24[icmp] <-> 10.10.1.0/24[icmp]' "$DIR/d.log" ||
		miss "the daemon's log does not name the ICMP-only pair"
	# UDP is no ICMP: the device has no SA for it.
	tx=$(tx_dropped)
	ip netns exec ike bash -c 'echo x >/dev/udp/10.10.1.1/9' 2>/dev/null
	[ "$(tx_dropped)" -gt "${tx:-0}" ] || miss "a UDP packet went out on the ICMP-only SA"
else
	miss "no tunnel"
fi
ike_result "D: the daemon offers ICMP-only selectors ([icmp]), charon takes them" d.log charon.log
stop_case
ike_done
