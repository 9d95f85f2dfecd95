#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# esptun daemon <-> esptun daemon in two namespaces: Main Mode (and
# Aggressive Mode) + Quick Mode with MODP and ECP groups, with and without PFS, traffic through the
# devices the daemons create; garbage and truncated datagrams sent at the
# responder first leave it serving; a daemon's shutdown DELETEs the SAs
# and the peer removes them. A wrong PSK gives AUTHENTICATION-FAILED
# and a proposal mismatch NO-PROPOSAL-CHOSEN, on the log, with no SA. DPD
# probes a quiet peer, not a busy tunnel, and clears and restarts when the
# peer is killed. A restarted initiator's INITIAL-CONTACT clears old SAs,
# and it removes what its predecessor left in its own device. SIGTERM also
# removes the ESP SAs of an IKE SA that expired.
# An unprivileged user cannot bind UDP 4500 beside the daemon, whose timer
# runs on CLOCK_BOOTTIME. The kernel makes the ESP algorithms configured
# while the daemon starts, before any SA needs them.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
esptun_load

ike_scratch ike_daemon

wire ia 10.0.0.1/24 ib 10.0.0.2/24 veth0

# daemon NS NAME LOCAL REMOTE PSK IKE ESP START [MODE]; $extra holds more lines.
daemon() {
	cat >"$DIR/$2.conf" <<-EOF
	[vpn0]
	local = $3
	remote = $4
	psk = $5
	ike = $6
	esp = $7
	start = $8
	mode = ${9:-main}
	${extra:-}
	EOF
	ike_daemon_start "$1" "$2"
}

result() { # NAME
	ike_result "$1" a.log b.log
	ike_stop
	ip -n ia link del vpn0 2>/dev/null
	ip -n ib link del vpn0 2>/dev/null
}

# Garbage: random, truncated and oversized datagrams at UDP 500.
garbage() {
	ip netns exec ia bash -c '
		for n in 1 7 27 28 29 60 200 1500 5000; do
			head -c $n /dev/urandom >/dev/udp/10.0.0.2/500
		done
		printf "\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x01\x10\x02\x00\x00\x00\x00\x00\xff\xff\xff\xff" >/dev/udp/10.0.0.2/500'
}

tunnel_case() { # IKE ESP [MODE]
	local ok=1 mode=${3:-main}
	echo "# case: ike $1, esp $2, $mode mode"
	daemon ib b 10.0.0.2 10.0.0.1 "s3cret" "$1" "$2" respond "$mode"
	sleep 1
	garbage
	daemon ia a 10.0.0.1 10.0.0.2 "s3cret" "$1" "$2" initiate "$mode"
	a_pid=$last_pid
	if wait_log "$DIR/a.log" 'installed inbound' 90 && wait_log "$DIR/b.log" 'installed inbound' 30; then
		ike_inner ia ib
		ip netns exec ia ping -c 3 -W 2 -I 10.10.1.1 10.10.2.1 || miss "no ping through the tunnel"
		grep -E 'established|installed' "$DIR/a.log" "$DIR/b.log"
		if [ "$mode" = aggressive ]; then
			grep -q 'IKE SA established (Aggressive Mode' "$DIR/b.log" || miss "not Aggressive Mode"
			grep -q 'warning: Aggressive Mode' "$DIR/b.log" || miss "no Aggressive Mode warning"
		fi
		# Shutdown sends DELETE: the peer removes the pair, both devices end empty.
		kill "$a_pid"
		wait_log "$DIR/b.log" 'removed inbound SA' 30 || ok=0
		grep -h 'delete\|deleted\|removed' "$DIR/a.log" "$DIR/b.log"
		for ns in ia ib; do
			[ -z "$(ip netns exec $ns "$ESPTUN" show vpn0 dump)" ] ||
				{ miss "SAs left in $ns"; ip netns exec $ns "$ESPTUN" show vpn0; }
		done
	else
		ok=0
	fi
	result "daemon <-> daemon ike $1 esp $2 $mode mode"
}

tunnel_case aes256-sha256-modp2048 aes128gcm16-modp2048
tunnel_case aes128-sha256-ecp256 aes256-sha512-ecp384
tunnel_case 3des-sha1-modp1024 aes256-sha256
tunnel_case "aes256-sha256-ecp256, aes128-sha1-ecp256" aes128gcm16-ecp256 aggressive

echo "# case: wrong PSK, Aggressive Mode"
daemon ib b 10.0.0.2 10.0.0.1 "right" aes256-sha256-modp2048 aes256-sha256 respond aggressive
daemon ia a 10.0.0.1 10.0.0.2 "wrong" aes256-sha256-modp2048 aes256-sha256 initiate aggressive
ok=1
wait_log "$DIR/a.log" 'AM2: AUTHENTICATION-FAILED' 60 || ok=0
wait_log "$DIR/b.log" 'AUTHENTICATION-FAILED' 30 || ok=0
grep -q 'installed' "$DIR/a.log" "$DIR/b.log" && miss "an SA was installed"
grep -h 'AUTHENTICATION-FAILED' "$DIR/a.log" "$DIR/b.log" | head -3
result "wrong PSK in Aggressive Mode fails with AUTHENTICATION-FAILED"

echo "# case: wrong PSK"
daemon ib b 10.0.0.2 10.0.0.1 "right" aes256-sha256-modp2048 aes256-sha256 respond
daemon ia a 10.0.0.1 10.0.0.2 "wrong" aes256-sha256-modp2048 aes256-sha256 initiate
ok=1
wait_log "$DIR/b.log" 'AUTHENTICATION-FAILED' 60 || ok=0
wait_log "$DIR/a.log" 'AUTHENTICATION-FAILED' 30 || ok=0
grep -q 'installed' "$DIR/a.log" "$DIR/b.log" && miss "an SA was installed"
grep -h 'AUTHENTICATION-FAILED' "$DIR/a.log" "$DIR/b.log" | head -3
result "wrong PSK fails with AUTHENTICATION-FAILED"

echo "# case: proposal mismatch"
daemon ib b 10.0.0.2 10.0.0.1 "k" aes256-sha256-modp2048 aes256-sha256 respond
daemon ia a 10.0.0.1 10.0.0.2 "k" aes128-sha1-modp2048 aes256-sha256 initiate
ok=1
wait_log "$DIR/b.log" 'no offered IKE proposal' 60 || ok=0
wait_log "$DIR/a.log" 'NO-PROPOSAL-CHOSEN' 30 || ok=0
grep -h 'NO-PROPOSAL-CHOSEN\|no offered' "$DIR/a.log" "$DIR/b.log" | head -3
result "proposal mismatch gives NO-PROPOSAL-CHOSEN"

# DPD: probes answered while both live, none while ESP flows, then the
# responder dies (SIGKILL: no DELETE) and the initiator clears and restarts.
echo "# case: DPD"
extra="dpd-delay = 2
	dpd-timeout = 8
	dpd-action = restart"
daemon ib b 10.0.0.2 10.0.0.1 "k" aes256-sha256-modp2048 aes128gcm16 respond
b_pid=$last_pid
daemon ia a 10.0.0.1 10.0.0.2 "k" aes256-sha256-modp2048 aes128gcm16 initiate
extra=
ok=1
wait_log "$DIR/a.log" 'installed inbound' 90 || ok=0
wait_log "$DIR/b.log" 'installed inbound' 30 || ok=0
grep -q 'peer supports DPD' "$DIR/a.log" || miss "the peer's DPD vendor ID was not seen"
wait_log "$DIR/a.log" 'R-U-THERE-ACK [0-9]+: the peer is alive' 30 || ok=0
ike_inner ia ib
# Probes while replies flow, by the logs' clock (UTC): from 2.5 s after the
# first reply (one may have been due as the pings started) to the last. A
# loaded guest can take seconds to start ping, hence no count around it.
ip netns exec ia ping -D -c 40 -i 0.2 -W 2 -I 10.10.1.1 10.10.2.1 >"$DIR/ping" || miss "pings lost"
busy=$(awk -F'[][]' '/bytes from/ { t = $2 % 86400; if (!first) first = t; last = t }
	END { printf "%.3f %.3f", first + 2.5, last }' "$DIR/ping")
probes=$(cat "$DIR/a.log" "$DIR/b.log" | awk -v busy="$busy" '
	BEGIN { split(busy, w, " ") }
	/R-U-THERE [0-9]/ { split($1, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]
		if (s >= w[1] && s <= w[2]) n++ }
	END { print n + 0 }')
echo "# R-U-THERE sent by either side while ESP flowed (UTC seconds $busy): $probes"
# DPD that ignored ESP would probe every dpd-delay from both sides: 4 or more.
[ "$probes" -le 1 ] || miss "DPD probed a busy tunnel"
kill -9 "$b_pid"
wait_log "$DIR/a.log" 'DPD: no answer from 10.0.0.2:500 .* the peer is dead, clearing its SAs and restarting' 60 || ok=0
wait_log "$DIR/a.log" 'removed inbound SA' 10 || ok=0
restarted() { sed -n '/the peer is dead/,$p' "$DIR/a.log" | grep -q 'MM1 -> 10.0.0.2'; }
for _ in $(seq 20); do restarted && break; sleep 0.5; done
restarted || miss "no MM1 after the peer was declared dead"
grep -h 'DPD\|removed\|R-U-THERE' "$DIR/a.log" | tail -8
[ -z "$(ip netns exec ia "$ESPTUN" show vpn0 dump)" ] || miss "SAs left in ia"
result "DPD notices the dead peer, clears its SAs and restarts"

# INITIAL-CONTACT: the initiator dies (no DELETE) and starts afresh; its
# new MM5 says it has no other SA, and the responder drops the old ones.
echo "# case: INITIAL-CONTACT"
daemon ib b 10.0.0.2 10.0.0.1 "k" aes256-sha256-modp2048 aes128gcm16 respond
daemon ia a 10.0.0.1 10.0.0.2 "k" aes256-sha256-modp2048 aes128gcm16 initiate
ok=1
wait_log "$DIR/a.log" 'installed inbound' 90 || ok=0
wait_log "$DIR/b.log" 'installed inbound' 30 || ok=0
kill -9 "$last_pid"
wait "$last_pid" 2>/dev/null
daemon ia a 10.0.0.1 10.0.0.2 "k" aes256-sha256-modp2048 aes128gcm16 initiate
wait_log "$DIR/b.log" 'INITIAL-CONTACT: dropping the older IKE SA' 90 || ok=0
wait_log "$DIR/b.log" 'removed inbound SA' 10 || ok=0
grep -h 'INITIAL-CONTACT\|removed\|installed' "$DIR/b.log"
sleep 1
n=$(ip netns exec ib "$ESPTUN" show vpn0 dump | wc -l)
[ "$n" = 2 ] || miss "$n SAs in ib, expected the new pair only"
# The restarted daemon removed what its killed predecessor left in ia.
grep -q 'removed any SAs the device held' "$DIR/a.log" || miss "no flush at start"
n=$(ip netns exec ia "$ESPTUN" show vpn0 dump | wc -l)
[ "$n" = 2 ] || miss "$n SAs in ia, expected the new pair only"
result "INITIAL-CONTACT from a restarted initiator drops the responder's old SAs"

# SIGTERM after the IKE SA expired: its ESP SAs ran on (no DELETE named
# them, the peer being dead), and the daemon's shutdown removes them too.
echo "# case: shutdown after the IKE SA expired"
extra="ike-lifetime = 8s
	lifetime = 300s"
daemon ib b 10.0.0.2 10.0.0.1 "k" aes256-sha256-modp2048 aes128gcm16 respond
b_pid=$last_pid
daemon ia a 10.0.0.1 10.0.0.2 "k" aes256-sha256-modp2048 aes128gcm16 initiate
a_pid=$last_pid
extra=
ok=1
wait_log "$DIR/a.log" 'installed outbound' 90 || ok=0
kill -9 "$b_pid"
wait_log "$DIR/a.log" 'IKE SA expired' 30 || ok=0
n=$(ip netns exec ia "$ESPTUN" show vpn0 dump | wc -l)
[ "$n" = 2 ] || miss "$n SAs in ia once the IKE SA expired, expected its pair"
kill "$a_pid"
wait "$a_pid" 2>/dev/null
grep -h 'expired\|signal\|removed' "$DIR/a.log" | tail -4
n=$(ip netns exec ia "$ESPTUN" show vpn0 dump | wc -l)
[ "$n" = 0 ] || miss "$n SAs left in ia after SIGTERM"
result "SIGTERM removes the ESP SAs an expired IKE SA left"

# The daemon's UDP 4500 is its own: a local unprivileged user cannot bind
# the local address's port 4500 beside it, SO_REUSEADDR or not, to receive
# NAT-T IKE and ESP in UDP (port 500 is privileged anyway).
echo "# case: UDP 4500 theft"
daemon ib b 10.0.0.2 10.0.0.1 "k" aes256-sha256-modp2048 aes128gcm16 respond
ok=1
listening() { ss -Hunl -N ib 'sport = :4500' | grep -q .; }
for _ in $(seq 20); do listening && break; sleep 0.5; done
listening || miss "the daemon does not listen on UDP 4500"
for reuse in 0 1; do
	if ip netns exec ib setpriv --reuid=65534 --regid=65534 --clear-groups python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, $reuse)
s.bind(('10.0.0.2', 4500))" 2>"$DIR/bind.err"; then
		miss "an unprivileged user bound 10.0.0.2:4500 (SO_REUSEADDR=$reuse)"
	else
		echo "# SO_REUSEADDR=$reuse: $(tail -n 1 "$DIR/bind.err")"
	fi
done
# Its timer runs on CLOCK_BOOTTIME (7), as the module's SA lifetimes do.
clocks=$(grep -h '^clockid' /proc/"$last_pid"/fdinfo/* 2>/dev/null | sort -u | tr '\n' ' ')
echo "# the daemon's timerfd clocks: $clocks"
[ "$clocks" = "clockid: 7 " ] || miss "the daemon's timer is not on CLOCK_BOOTTIME"
result "an unprivileged user cannot bind UDP 4500 beside the daemon; its timer is on CLOCK_BOOTTIME"

# The kernel makes the algorithms a configuration names while the daemon
# starts (warmup.c), not at the first SA, whose request would hold up the
# daemon while modules load and self-test. One not yet made, to see it come.
made() { awk -v n="$1" '$1 == "name" && $3 == n { f = 1 } END { exit !f }' /proc/crypto; }
ok=1
echo "# case: ESP algorithms made at the daemon's start"
alg=
for a in "aes192-sha384 authenc(hmac(sha384),cbc(aes))" \
	"3des-sha512 authenc(hmac(sha512),cbc(des3_ede))" \
	"aes128-sha1 authenc(hmac(sha1),cbc(aes))"; do
	made "${a#* }" || { alg=$a; break; }
done
if [ -z "$alg" ]; then
	echo "# skip: every candidate algorithm was in /proc/crypto before the daemon started"
else
	daemon ib b 10.0.0.2 10.0.0.1 "k" aes256-sha256-modp2048 "${alg%% *}" respond
	for _ in $(seq 120); do made "${alg#* }" && break; sleep 0.5; done
	made "${alg#* }" || miss "${alg#* } not in /proc/crypto 60 s after the start"
	grep -A3 "^name *: ${alg#* }" /proc/crypto | sed 's/^/# /'
	result "the daemon has the kernel make its ESP algorithms before any SA"
fi

ike_done
