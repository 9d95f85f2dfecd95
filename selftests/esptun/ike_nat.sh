#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NAT traversal (RFC 3947 / RFC 3948) through a router namespace doing
# nftables masquerade (UDP source ports rewritten to 40000-40999):
#
#   nat_a (192.168.1.2, "behind NAT") -- nat_r (router) -- nat_b (10.0.0.2)
#
# daemon <-> daemon with the NAT'd side initiating (Main Mode, then
# Aggressive Mode): both detect the NAT (in the log and in esptun show),
# ESP travels in UDP 4500 (dumpcap + tshark on nat_b's wire) and no plain
# ESP, keepalives (one 0xFF byte) are seen, pings cross both ways. The
# router's outside address changes mid-tunnel (masquerade drops its
# mappings): traffic resumes and the responder's daemon, told by the
# module, follows the new address and port. Junk at UDP 4500 (0xFF streams, short packets, a
# malformed NAT-D and NAT-OA) changes nothing. daemon <-> strongSwan charon
# through the NAT, each on either side. encap = always without NAT: UDP
# 4500 on the wire, no plain ESP.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
command -v nft >/dev/null || skip "nft (nftables) not installed"
esptun_load

ike_scratch ike_nat

netns_add nat_a
netns_add nat_r
netns_add nat_b
ip link add lan netns nat_a type veth peer name lan netns nat_r || fail "veth lan"
ip link add wan netns nat_r type veth peer name wan netns nat_b || fail "veth wan"
ip -n nat_a addr add 192.168.1.2/24 dev lan
ip -n nat_r addr add 192.168.1.1/24 dev lan
ip -n nat_r addr add 10.0.0.1/24 dev wan
ip -n nat_b addr add 10.0.0.2/24 dev wan
for l in "nat_a lan" "nat_r lan" "nat_r wan" "nat_b wan"; do
	# shellcheck disable=SC2086
	set -- $l
	ip -n "$1" link set "$2" up
done
ip -n nat_a route add default via 192.168.1.1
ip netns exec nat_r sysctl -qw net.ipv4.ip_forward=1
# A second outside address survives the first one's removal (the mapping change).
ip netns exec nat_r sysctl -qw net.ipv4.conf.wan.promote_secondaries=1

masquerade() {
	ip netns exec nat_r nft -f - <<-EOF
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "wan" meta l4proto udp masquerade to :40000-40999
			oifname "wan" masquerade
		}
	}
	EOF
}
masquerade || fail "nft masquerade"

# daemon NS NAME LOCAL REMOTE START; $extra holds more lines.
daemon() {
	cat >"$DIR/$2.conf" <<-EOF
	[vpn0]
	local = $3
	remote = $4
	psk = nat secret
	ike = aes256-sha256-modp2048
	esp = aes128gcm16-modp2048
	start = $5
	${extra:-}
	EOF
	ike_daemon_start "$1" "$2"
}

stop_all() {
	ike_stop
	for ns in nat_a nat_b; do
		ip -n $ns link del vpn0 2>/dev/null
		ip -n $ns link del xfrm0 2>/dev/null
		ip -n $ns xfrm state flush 2>/dev/null
	done
}

logs=
result() { # NAME: the case's verdict, with the tails of $logs when it failed
	# shellcheck disable=SC2086
	ike_result "$1" $logs
}

# inner NS DEV ME PEER: tunnel addresses 10.10.ME.1 and a route to the peer's.
inner() {
	ip -n "$1" addr add "10.10.$3.1/32" dev "$2"
	ip -n "$1" link set "$2" up
	ip -n "$1" route replace "10.10.$4.0/24" dev "$2"
}

ping_ok() { # NS ME PEER
	ip netns exec "$1" ping -q -c 3 -W 2 -I "10.10.$2.1" "10.10.$3.1" >/dev/null
}

# capture NS SECONDS: dumpcap on NS's link to the router, in the background.
capture() {
	capture_start "$1" wan "$DIR/cap.pcap" "$2"
}

# Check the last capture: ESP in UDP 4500, no plain ESP, and (KEEPALIVE=1) a
# keepalive (UDP 4500 with one byte of payload). One tshark pass: it is
# slow to start under TCG.
check_wire() { # KEEPALIVE
	local counts udp plain ka
	wait "$cap_pid" 2>/dev/null
	counts=$(tshark -r "$DIR/cap.pcap" -T fields -E separator=, -e ip.proto \
		-e udp.srcport -e udp.dstport -e udp.length -e esp.spi 2>/dev/null | awk -F, '
		$1 == 50 { plain++ }
		$1 == 17 && ($2 == 4500 || $3 == 4500) && $5 != "" { udp++ }
		$1 == 17 && ($2 == 4500 || $3 == 4500) && $4 == 9 { ka++ }
		END { print udp + 0, plain + 0, ka + 0 }')
	read -r udp plain ka <<<"$counts"
	echo "# on the wire: $udp ESP in UDP 4500, $plain plain ESP, $ka keepalives"
	[ "$udp" -gt 0 ] && [ "$plain" = 0 ] && { [ "$1" = 0 ] || [ "$ka" -gt 0 ]; }
}

# --- daemon <-> daemon through the NAT, the NAT'd side initiating.
# nat_pair MODE: bring the pair up in MODE (main or aggressive) and check
# detection, the wire and pings both ways; sets ok.
nat_pair() {
	echo "# case: daemon behind NAT initiates to a daemon, $1 mode"
	logs="a.log b.log"
	extra="mode = $1
	dpd-delay = 2
	dpd-timeout = 60"
	daemon nat_b b 10.0.0.2 10.0.0.1 respond
	# The NAT'd side runs no DPD: after its mapping changes only its ESP
	# reaches b, so b's daemon can learn of the move only from the module.
	extra="mode = $1
	nat-keepalive = 2s"
	daemon nat_a a 192.168.1.2 10.0.0.2 initiate
	extra=
	ok=1
	if ! wait_log "$DIR/a.log" 'installed outbound' 90 ||
		! wait_log "$DIR/b.log" 'installed outbound' 30; then
		ok=0
		return
	fi
	inner nat_a vpn0 1 2
	inner nat_b vpn0 2 1
	grep -hE 'NAT detection|IKE moves|moved IKE|ESP in UDP|established' "$DIR/a.log" "$DIR/b.log" |
		sed 's/^/# /'
	grep -q 'NAT detection: local host behind NAT' "$DIR/a.log" || { echo "# a: no local NAT"; ok=0; }
	grep -q 'NAT detection: peer behind NAT' "$DIR/b.log" || { echo "# b: no peer NAT"; ok=0; }
	capture nat_b 12
	ping_ok nat_a 1 2 || { echo "# ping a -> b failed"; ok=0; }
	ping_ok nat_b 2 1 || { echo "# ping b -> a failed"; ok=0; }
	check_wire 1 || ok=0
	ip netns exec nat_b "$ESPTUN" show vpn0 | grep -E 'remote|encap|nat|peer' | sed 's/^/# /'
	ip netns exec nat_b "$ESPTUN" show vpn0 | grep -q 'encap: udp, source port 4500' || ok=0
	ip netns exec nat_b "$ESPTUN" show vpn0 | grep -q 'nat: peer behind NAT' || ok=0
	ip netns exec nat_a "$ESPTUN" show vpn0 | grep -q 'nat: local host behind NAT' || ok=0
}
nat_pair main
result "daemon <-> daemon through NAT: ESP in UDP 4500, keepalives, pings both ways"
tunnel_up=$ok

echo "# case: the NAT mapping changes mid-tunnel"
ok=$tunnel_up
if [ "$ok" = 1 ]; then
	# Masquerade forgets the mappings of a removed address: new address, new ports.
	ip -n nat_r addr add 10.0.0.3/24 dev wan
	ip -n nat_r addr del 10.0.0.1/24 dev wan
	ip -n nat_r addr show dev wan | grep -q 10.0.0.3 || { echo "# 10.0.0.3 not promoted"; ok=0; }
	resumed=0
	for i in $(seq 30); do
		if ip netns exec nat_a ping -q -c 1 -W 2 -I 10.10.1.1 10.10.2.1 >/dev/null; then
			resumed=1
			echo "# traffic resumed after $i tries"
			break
		fi
	done
	[ $resumed = 1 ] || { echo "# no traffic after the mapping change"; ok=0; }
	# The module follows a's ESP to the new mapping and reports it
	# (EVENT_REMOTE_CHANGED); b's daemon moves its IKE SA there too.
	moved="kernel saw the peer's ESP come from 10.0.0.3:"
	wait_log "$DIR/b.log" "$moved" 30 || { echo "# b's daemon did not follow"; ok=0; }
	grep -hE "$moved" "$DIR/b.log" | sed 's/^/# /'
	ping_ok nat_b 2 1 || { echo "# ping b -> a failed after the change"; ok=0; }
fi
result "a changed NAT mapping is followed and traffic resumes"

echo "# case: junk at UDP 4500"
ok=$tunnel_up
if [ "$ok" = 1 ]; then
	ip netns exec nat_a python3 - <<-'EOF'
	import os, socket, struct
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	dst = ("10.0.0.2", 4500)
	for _ in range(200):
	    s.sendto(b"\xff", dst)
	for n in (1, 2, 3, 4, 5, 8, 27, 31, 32, 33):
	    s.sendto(b"\x00" * 4 + os.urandom(max(0, n - 4)), dst)
	    s.sendto(os.urandom(n), dst)
	# MM3-like message behind the non-ESP marker: NAT-D of a wrong length.
	body = struct.pack("!BBH", 20, 0, 4 + 7) + b"\x01" * 7
	body += struct.pack("!BBH", 0, 0, 4 + 3) + b"\x02" * 3
	hdr = os.urandom(16) + struct.pack("!BBBBII", 20, 0x10, 2, 0, 0, 28 + len(body))
	s.sendto(b"\x00" * 4 + hdr + body, dst)
	# And a NAT-OA whose length runs past the message.
	body = struct.pack("!BBH", 0, 0, 200) + b"\x01\x00\x00\x00\x0a\x00\x00\x01"
	hdr = os.urandom(16) + struct.pack("!BBBBII", 21, 0x10, 32, 1, 1, 28 + len(body))
	s.sendto(b"\x00" * 4 + hdr + body, dst)
	EOF
	sleep 1
	kill -0 "$(echo $pids | awk '{print $1}')" 2>/dev/null || { echo "# responder died"; ok=0; }
	ping_ok nat_a 1 2 || { echo "# ping a -> b failed after the junk"; ok=0; }
fi
result "0xFF streams, short packets and malformed NAT-D/NAT-OA at UDP 4500 change nothing"
stop_all
# The router's first outside address back, which the peers below are configured with.
ip -n nat_r addr add 10.0.0.1/24 dev wan
ip -n nat_r addr del 10.0.0.3/24 dev wan 2>/dev/null

nat_pair aggressive
result "daemon <-> daemon through NAT in Aggressive Mode"
stop_all

# --- daemon <-> charon through the NAT, in both placements.
# swan_case NS_SWAN SWAN_ADDR SWAN_REMOTE NS_DAEMON DAEMON_ADDR DAEMON_REMOTE START_ACTION DAEMON_START
swan_case() {
	local ok=1 sns=$1 saddr=$2 sremote=$3 dns=$4 daddr=$5 dremote=$6 me=1 peer=2
	[ "$sns" = nat_b ] && me=2 peer=1
	mkdir -p "$DIR/swanctl"
	cat >"$DIR/swanctl/swanctl.conf" <<-EOF
	connections {
		esptun {
			version = 1
			encap = no
			local_addrs = $saddr
			remote_addrs = $sremote
			proposals = aes256-sha256-modp2048
			local {
				auth = psk
				id = $saddr
			}
			remote {
				auth = psk
				id = $daddr
			}
			children {
				net {
					local_ts = 0.0.0.0/0
					remote_ts = 0.0.0.0/0
					esp_proposals = aes128gcm16-modp2048
					if_id_in = 42
					if_id_out = 42
					start_action = $7
				}
			}
		}
	}
	secrets {
		ike-1 {
			id-1 = $saddr
			id-2 = $daddr
			secret = "nat secret"
		}
	}
	EOF
	local dev
	dev=$(ip -n "$sns" -o link show | awk -F': ' '$2 ~ /^(lan|wan)@/ {sub(/@.*/, "", $2); print $2}')
	ip -n "$sns" link add xfrm0 type xfrm dev "$dev" if_id 42 || ok=0
	inner "$sns" xfrm0 "$me" "$peer"
	if [ "$8" = respond ]; then
		daemon "$dns" d "$daddr" "$dremote" respond
		sleep 1
		swan_start "$sns" "$DIR"
	else
		swan_start "$sns" "$DIR"
		daemon "$dns" d "$daddr" "$dremote" initiate
	fi
	if wait_log "$DIR/d.log" 'installed outbound' 90 &&
		wait_log "$DIR/charon.log" 'CHILD_SA net\{[0-9]*\} established' 30; then
		inner "$dns" vpn0 "$peer" "$me"
		grep -hE 'NAT detection|ESP in UDP|established' "$DIR/d.log" | sed 's/^/# /'
		grep -hE 'NAT|UDP_ENCAP|established' "$DIR/charon.log" | head -5 | sed 's/^/# /'
		grep -q 'NAT detection: .*behind NAT' "$DIR/d.log" || { echo "# no NAT seen"; ok=0; }
		capture nat_b 10
		ping_ok "$dns" "$peer" "$me" || { echo "# ping daemon -> charon failed"; ok=0; }
		ping_ok "$sns" "$me" "$peer" || { echo "# ping charon -> daemon failed"; ok=0; }
		check_wire 0 || ok=0
	else
		ok=0
	fi
	result "daemon ($8, $dns) <-> charon ($sns) through NAT"
	stop_all
}
logs="d.log charon.log"
swan_case nat_b 10.0.0.2 10.0.0.1 nat_a 192.168.1.2 10.0.0.2 none initiate
swan_case nat_a 192.168.1.2 10.0.0.2 nat_b 10.0.0.2 10.0.0.1 start respond

# --- encap = always without NAT: no masquerade, the peers see each other.
echo "# case: encap = always without NAT"
ip netns exec nat_r nft flush ruleset
ip -n nat_b route add 192.168.1.0/24 via 10.0.0.1
logs="a.log b.log"
daemon nat_b b 10.0.0.2 192.168.1.2 respond
extra="encap = always"
daemon nat_a a 192.168.1.2 10.0.0.2 initiate
extra=
ok=1
if wait_log "$DIR/a.log" 'installed outbound' 90 && wait_log "$DIR/b.log" 'installed outbound' 30; then
	inner nat_a vpn0 1 2
	inner nat_b vpn0 2 1
	grep -hE 'NAT detection|ESP in UDP' "$DIR/a.log" "$DIR/b.log" | sed 's/^/# /'
	grep -q 'NAT detection: no NAT, ESP in UDP forced' "$DIR/a.log" || { echo "# a not forced"; ok=0; }
	grep -q 'NAT detection: peer behind NAT' "$DIR/b.log" || { echo "# b not forced"; ok=0; }
	capture nat_b 12
	ping_ok nat_a 1 2 || { echo "# ping failed"; ok=0; }
	check_wire 0 || ok=0
else
	ok=0
fi
result "encap = always without NAT puts ESP in UDP 4500"
stop_all

ike_done
