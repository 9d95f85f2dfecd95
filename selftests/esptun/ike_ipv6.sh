#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IKE and ESP over IPv6 outer addresses (2001:db8::1 and ::2 on a veth):
# daemon <-> daemon in Main and Aggressive Mode (IPV6_ADDR identities),
# with IPv4 and IPv6 pings through the tunnel; encap = always over IPv6
# (NAT-T's float to UDP 4500 and ESP in UDP, counted by nftables on the
# responder: UDP 4500 and no plain ESP); daemon <-> strongSwan charon in
# both roles (pings of the one inner family IKEv1's single selector pair
# gives charon's policies).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
command -v nft >/dev/null || skip "nft (nftables) not installed"
esptun_load

ike_scratch ike_ipv6

netns_add v6a
netns_add v6b
ip link add wire netns v6a type veth peer name wire netns v6b || fail "veth"
ip -n v6a addr add 2001:db8::1/64 dev wire nodad
ip -n v6b addr add 2001:db8::2/64 dev wire nodad
ip -n v6a link set wire up
ip -n v6b link set wire up
# What reaches b: ESP in UDP 4500, and plain ESP.
ip netns exec v6b nft -f - <<EOF || fail "nft counters"
table ip6 seen {
	counter udp4500 {
	}
	counter plain_esp {
	}
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport 4500 counter name udp4500
		meta l4proto esp counter name plain_esp
	}
}
EOF
seen() { # COUNTER: packets so far
	ip netns exec v6b nft list counter ip6 seen "$1" | awk '/packets/ { print $2 }'
}

# daemon NS NAME LOCAL REMOTE START [MODE]; $extra holds more lines.
daemon() {
	cat >"$DIR/$2.conf" <<-EOF
	[vpn0]
	local = $3
	remote = $4
	psk = six
	ike = aes256-sha256-modp2048
	esp = aes128gcm16-modp2048
	start = $5
	mode = ${6:-main}
	${extra:-}
	EOF
	ike_daemon_start "$1" "$2"
}

result() { # NAME LOGS...
	ike_result "$@"
	ike_stop
	ip -n v6a link del vpn0 2>/dev/null
	ip -n v6b link del vpn0 2>/dev/null
	ip -n v6a link del xfrm0 2>/dev/null
	ip -n v6a xfrm state flush 2>/dev/null
}

# inner NS DEV ME: addresses 10.10.ME.1 and fd00:10:ME::1, routes to the other side's.
inner() {
	local peer=$((3 - $3))
	ip -n "$1" addr add "10.10.$3.1/32" dev "$2"
	ip -n "$1" addr add "fd00:10:$3::1/128" dev "$2" nodad
	ip -n "$1" link set "$2" up
	ip -n "$1" route replace "10.10.$peer.0/24" dev "$2"
	ip -n "$1" route replace "fd00:10:$peer::/64" dev "$2"
}

pings() { # NS ME [4|6]: IPv4 and IPv6 through the tunnel, or only the one given
	local peer=$((3 - $2))
	if [ "${3:-4}" = 4 ]; then
		ip netns exec "$1" ping -q -c 3 -W 2 -I "10.10.$2.1" "10.10.$peer.1" >/dev/null ||
			miss "no IPv4 ping from $1"
	fi
	if [ "${3:-6}" = 6 ]; then
		ip netns exec "$1" ping -6 -q -c 3 -W 2 -I "fd00:10:$2::1" "fd00:10:$peer::1" \
			>/dev/null || miss "no IPv6 ping from $1"
	fi
}

daemons_case() { # NAME MODE ENCAP
	local udp esp
	echo "# case: $1"
	ok=1
	extra="encap = $3"
	daemon v6b b 2001:db8::2 2001:db8::1 respond "$2"
	daemon v6a a 2001:db8::1 2001:db8::2 initiate "$2"
	extra=
	wait_log "$DIR/a.log" 'installed outbound' 90 || miss "not established"
	wait_log "$DIR/b.log" 'installed outbound' 30 || miss "no outbound SA in b"
	inner v6a vpn0 1
	inner v6b vpn0 2
	udp=$(seen udp4500)
	esp=$(seen plain_esp)
	pings v6a 1
	pings v6b 2
	grep -h 'IKE SA established\|CHILD SA established\|ESP in UDP from' "$DIR/a.log" "$DIR/b.log" |
		sed 's/^/# /'
	echo "# b received $(($(seen udp4500) - udp)) UDP 4500 and $(($(seen plain_esp) - esp)) plain ESP packets during the pings"
	if [ "$3" = always ]; then
		[ $(($(seen udp4500) - udp)) -ge 12 ] || miss "ESP did not arrive in UDP 4500"
		[ "$(seen plain_esp)" = "$esp" ] || miss "plain ESP arrived"
		ip netns exec v6a "$ESPTUN" show vpn0 | grep -q 'encap: udp' || miss "a not in UDP"
	else
		[ $(($(seen plain_esp) - esp)) -ge 12 ] || miss "no plain ESP arrived"
	fi
	ip netns exec v6a "$ESPTUN" show vpn0 | grep -E 'remote|encap|nat' | sed 's/^/# /'
	result "$1" a.log b.log
}

daemons_case "daemon <-> daemon over IPv6, main mode" main auto
daemons_case "daemon <-> daemon over IPv6, aggressive mode" aggressive auto
daemons_case "daemon <-> daemon over IPv6, encap = always: ESP in UDP over IPv6" main always

# charon in v6a behind an xfrm interface (if_id 42), the daemon in v6b.
charon() { # START_ACTION
	mkdir -p "$DIR/swanctl"
	cat >"$DIR/swanctl/swanctl.conf" <<-EOF
	connections {
		esptun {
			version = 1
			local_addrs = 2001:db8::1
			remote_addrs = 2001:db8::2
			proposals = aes256-sha256-modp2048
			local {
				auth = psk
				id = 2001:db8::1
			}
			remote {
				auth = psk
				id = 2001:db8::2
			}
			children {
				net {
					local_ts = 0.0.0.0/0, ::/0
					remote_ts = 0.0.0.0/0, ::/0
					esp_proposals = aes128gcm16-modp2048
					if_id_in = 42
					if_id_out = 42
					start_action = $1
				}
			}
		}
	}
	secrets {
		ike-1 {
			id-1 = 2001:db8::1
			id-2 = 2001:db8::2
			secret = six
		}
	}
	EOF
	swan_start v6a "$DIR"
}

swan_case() { # ROLE: of the daemon
	echo "# case: daemon $1, charon over IPv6"
	ok=1
	ip -n v6a link add xfrm0 type xfrm dev wire if_id 42 || fail "xfrm interface"
	inner v6a xfrm0 1
	if [ "$1" = initiator ]; then
		charon none
		daemon v6b b 2001:db8::2 2001:db8::1 initiate
	else
		daemon v6b b 2001:db8::2 2001:db8::1 respond
		charon start
	fi
	wait_log "$DIR/b.log" 'installed outbound' 90 || miss "the daemon did not install its SAs"
	wait_log "$DIR/charon.log" 'CHILD_SA net\{[0-9]+\} established' 30 ||
		miss "charon did not establish its CHILD_SA"
	inner v6b vpn0 2
	# IKEv1 carries one selector pair per CHILD SA, and charon's xfrm
	# policies follow it: the daemon offers ::/0 over IPv6 (its outer
	# family), charon its first selector, 0.0.0.0/0.
	if [ "$1" = initiator ]; then pings v6b 2 6; else pings v6b 2 4; fi
	grep -h 'IKE SA established\|CHILD SA established' "$DIR/b.log" | sed 's/^/# /'
	result "daemon $1 <-> charon over IPv6" b.log charon.log
}

swan_case initiator
swan_case responder

ike_done
