#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# esptun daemon <-> strongSwan charon, IKEv1 Main Mode + Quick Mode with a
# PSK, in two namespaces: each side as initiator and as responder, ESP
# aes128gcm16 with PFS and aes256-sha256 without (there, as responder, with
# a shorter lifetime than charon offers: RESPONDER-LIFETIME in QM2); then
# Aggressive Mode in both roles; then IKE fragmentation both ways; then
# DPD both ways, and charon killed is noticed and cleared. Both logs must show the IKE SA and the CHILD SA
# established; with the module's data path, a ping crosses the tunnel
# (charon's side is a route-based xfrm interface).
# IKE_NO_KERNEL=1 checks the negotiation alone (a host without esptun.ko).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
need_esptun_cli
swan_require
[ -n "${IKE_NO_KERNEL:-}" ] || esptun_load

# Mode 0600 for what we write: the daemon refuses an inline psk others may read.
umask 077
DIR=$(mktemp -d /tmp/ike_strongswan.XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
	swan_stop
	wait 2>/dev/null
	cleanup_netns
}
trap cleanup EXIT

wire swan 10.0.0.1/24 ike 10.0.0.2/24 veth0
# charon's side of the route-based tunnel: an xfrm interface (if_id 42).
if [ -z "${IKE_NO_KERNEL:-}" ]; then
	ip -n swan link add xfrm0 type xfrm dev veth0 if_id 42 || fail "xfrm interface"
	ip -n swan addr add 10.10.1.1/32 dev xfrm0
	ip -n swan link set xfrm0 up
	ip -n swan route add 10.10.2.0/24 dev xfrm0
fi

# start_charon ESP START_ACTION [AGGRESSIVE [DPD_DELAY]]: a charon of its own in the swan namespace.
start_charon() {
	mkdir -p "$DIR/swanctl"
	cat >"$DIR/swanctl/swanctl.conf" <<-EOF
	connections {
		esptun {
			version = 1
			aggressive = ${3:-no}
			dpd_delay = ${4:-0}
			local_addrs = 10.0.0.1
			remote_addrs = 10.0.0.2
			proposals = aes256-sha256-modp2048
			local {
				auth = psk
				id = 10.0.0.1
			}
			remote {
				auth = psk
				id = 10.0.0.2
			}
			children {
				net {
					local_ts = 0.0.0.0/0
					remote_ts = 0.0.0.0/0
					esp_proposals = $1
					if_id_in = 42
					if_id_out = 42
					start_action = $2
				}
			}
		}
	}
	secrets {
		ike-1 {
			id-1 = 10.0.0.1
			id-2 = 10.0.0.2
			secret = "a shared secret"
		}
	}
	EOF
	swan_start swan "$DIR"
}

# start_daemon ESP START [MODE]: esptun daemon in the ike namespace; $extra holds more lines.
start_daemon() {
	cat >"$DIR/esptun.conf" <<-EOF
	[vpn0]
	local = 10.0.0.2
	remote = 10.0.0.1
	psk = a shared secret
	ike = aes256-sha256-modp2048
	esp = $1
	start = $2
	mode = ${3:-main}
	${extra:-}
	EOF
	: >"$DIR/daemon.log"
	ip netns exec ike "$ESPTUN" daemon -c "$DIR/esptun.conf" >"$DIR/daemon.log" 2>&1 &
	daemon_pid=$!
}

stop_daemon() {
	kill "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null
	daemon_pid=
}

# wait_established: both sides report phase 1 and phase 2 within 60 s.
# Without a kernel ESP, charon gets as far as installing its CHILD_SA.
# (As Quick Mode initiator it then sends no QM3: QM2 is as far as we get.)
charon_child='CHILD_SA net{[0-9]*} established'
daemon_child='CHILD SA established'
if [ -n "${IKE_NO_KERNEL:-}" ]; then
	charon_child='CHILD_SA net{[0-9]*} state change: CREATED => INSTALLING'
	daemon_child='CHILD SA established|QM2 ->'
fi
wait_established() {
	for _ in $(seq 120); do
		if grep -Eq "$daemon_child" "$DIR/daemon.log" &&
			grep -q "$charon_child" "$DIR/charon.log"; then
			return 0
		fi
		sleep 0.5
	done
	return 1
}

ping_through() {
	[ -n "${IKE_NO_KERNEL:-}" ] && return 0
	ip -n ike addr add 10.10.2.1/32 dev vpn0 2>/dev/null
	ip -n ike link set vpn0 up
	ip -n ike route replace 10.10.1.0/24 dev vpn0
	ip netns exec ike ping -c 3 -W 2 -I 10.10.2.1 10.10.1.1
}

failures=0
# run_case ROLE ESP [MODE]; $extra goes into the daemon's tunnel and
# $swan_charon into charon's settings; $expect_log, when set, must be in
# the daemon's log, and $expect_swan in charon's.
run_case() {
	local role=$1 esp=$2 mode=${3:-main} ok=1 aggr=no
	[ "$mode" = aggressive ] && aggr=yes
	echo "# case: esptun $role, esp $esp, $mode mode"
	if [ "$role" = initiator ]; then
		start_charon "$esp" none $aggr
		start_daemon "$esp" initiate "$mode"
	else
		start_daemon "$esp" respond "$mode"
		start_charon "$esp" start $aggr
	fi
	if wait_established; then
		grep -E 'IKE SA established|CHILD SA established|installed|warning' "$DIR/daemon.log"
		if [ "$mode" = aggressive ]; then
			grep -q 'IKE SA established (Aggressive Mode' "$DIR/daemon.log" ||
				{ echo "# not Aggressive Mode"; ok=0; }
			grep -q "AM[123] ->" "$DIR/daemon.log" || { echo "# no AM messages"; ok=0; }
			if [ "$role" = responder ]; then
				grep -q 'warning: Aggressive Mode' "$DIR/daemon.log" ||
					{ echo "# no warning"; ok=0; }
			fi
		fi
		grep -E "IKE_SA esptun\[[0-9]+\] established|$charon_child" "$DIR/charon.log"
		if [ -n "${expect_log:-}" ]; then
			grep -E "$expect_log" "$DIR/daemon.log" || { echo "# not in the log: $expect_log"; ok=0; }
		fi
		if [ -n "${expect_swan:-}" ]; then
			grep -E "$expect_swan" "$DIR/charon.log" || { echo "# not in charon's log: $expect_swan"; ok=0; }
		fi
		ping_through || { echo "# ping through the tunnel failed"; ok=0; }
		# Our shutdown sends DELETE for the ESP pair and the IKE SA.
		stop_daemon
		for _ in $(seq 20); do
			grep -q 'received DELETE for IKE_SA' "$DIR/charon.log" && break
			sleep 0.5
		done
		grep -E 'received DELETE' "$DIR/charon.log" || { echo "# no DELETE"; ok=0; }
	else
		echo "# not established"
		ok=0
	fi
	if [ $ok = 0 ]; then
		echo "# --- daemon log"; cat "$DIR/daemon.log"
		echo "# --- charon log"; tail -50 "$DIR/charon.log"
		failures=$((failures + 1))
		echo "not ok esptun $role esp $esp $mode mode"
	else
		echo "ok esptun $role esp $esp $mode mode"
	fi
	stop_daemon
	swan_stop
	ip -n ike link del vpn0 2>/dev/null
	ip -n swan xfrm state flush 2>/dev/null
}

run_case initiator aes128gcm16-modp2048
run_case responder aes128gcm16-modp2048
run_case initiator aes256-sha256
# Our lifetime shorter than charon offers: QM2 carries RESPONDER-LIFETIME,
# which charon must accept (a QM2 with a notify payload), whether or not
# it shortens its own SA by it.
extra="lifetime = 1800s" expect_log="QM2 carries RESPONDER-LIFETIME 1800s" \
	run_case responder aes256-sha256
run_case initiator aes128gcm16-modp2048 aggressive
run_case responder aes256-sha256 aggressive
# IKE fragmentation both ways: charon splits what exceeds 300 bytes once
# it saw our vendor ID (MM4, MM6, QM2), we split every message past MM1.
swan_charon="fragment_size = 300" extra="fragmentation = force
fragment-size = 300" expect_log="reassembled a [0-9]+-byte message from [0-9]+ fragments" \
	expect_swan="reassembled fragmented IKE message" run_case initiator aes128gcm16-modp2048

# DPD with charon: each side probes the quiet other and gets its ACK; then
# charon dies (SIGKILL: no DELETE) and the daemon clears the tunnel.
dpd_case() {
	local ok=1
	echo "# case: DPD with charon"
	start_charon aes256-sha256 none no 3s
	extra="dpd-delay = 2
	dpd-timeout = 8
	dpd-action = clear"
	start_daemon aes256-sha256 initiate
	extra=
	wait_established || ok=0
	grep -q 'peer supports DPD' "$DIR/daemon.log" || { echo "# no DPD vendor ID from charon"; ok=0; }
	for _ in $(seq 40); do
		grep -Eq 'R-U-THERE-ACK [0-9]+: the peer is alive' "$DIR/daemon.log" && break
		sleep 0.5
	done
	grep -Eq 'R-U-THERE-ACK [0-9]+: the peer is alive' "$DIR/daemon.log" &&
		grep -Eq 'generating INFORMATIONAL_V1 .*N\(DPD_ACK\)' "$DIR/charon.log" ||
		{ echo "# charon did not answer our R-U-THERE"; ok=0; }
	# Our probes keep charon from probing: stop the daemon past charon's
	# dpd_delay, so charon asks, and we answer once continued.
	kill -STOP "$daemon_pid"
	sleep 5
	kill -CONT "$daemon_pid"
	for _ in $(seq 20); do
		grep -Eq 'parsed INFORMATIONAL_V1 .*N\(DPD_ACK\)' "$DIR/charon.log" && break
		sleep 0.5
	done
	grep -Eq 'parsed INFORMATIONAL_V1 .*N\(DPD_ACK\)' "$DIR/charon.log" ||
		{ echo "# we did not answer charon's R-U-THERE"; ok=0; }
	grep -E 'DPD|R-U-THERE' "$DIR/daemon.log" | head -4
	grep -E 'N\(DPD' "$DIR/charon.log" | head -6
	kill -9 "$swan_pid"
	wait "$swan_pid" 2>/dev/null
	swan_pid=
	for _ in $(seq 60); do
		grep -q 'the peer is dead, clearing its SAs' "$DIR/daemon.log" && break
		sleep 0.5
	done
	grep -E 'the peer is dead|removed inbound' "$DIR/daemon.log" || { echo "# no DPD timeout"; ok=0; }
	if [ -z "${IKE_NO_KERNEL:-}" ]; then
		sleep 1
		[ -z "$(ip netns exec ike "$ESPTUN" show vpn0 dump)" ] || { echo "# SAs left"; ok=0; }
	fi
	if [ $ok = 0 ]; then
		echo "# --- daemon log"; cat "$DIR/daemon.log"
		echo "# --- charon log"; tail -50 "$DIR/charon.log"
		failures=$((failures + 1))
		echo "not ok DPD with charon"
	else
		echo "ok DPD with charon"
	fi
	stop_daemon
	ip -n ike link del vpn0 2>/dev/null
	ip -n swan xfrm state flush 2>/dev/null
}
dpd_case
[ $failures = 0 ] || fail "$failures of 7 cases failed"
exit 0
