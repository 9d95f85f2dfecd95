#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, inside the VM: an IKEv1 tunnel between "esptun daemon" and a
# strongSwan charon, each in its own network namespace over a veth "wire".
#
#   ns left:  vpn0 (esptun) 10.1.0.1 -- 192.0.2.1 ==wire== 192.0.2.2 --
#   ns right: xfrm0 (charon's route-based xfrm interface) 10.2.0.1
#
# esptun initiates Main Mode + Quick Mode (PSK, aes256-sha256-modp2048,
# ESP aes128gcm16 with PFS), installs the SAs into vpn0, and traffic routed
# into vpn0 crosses the wire as ESP.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
need_esptun_cli
esptun_load

dir=$(mktemp -d /tmp/esptun-demo.XXXXXX) || fail "mktemp"
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
	swan_stop
	cleanup_netns
}
trap cleanup EXIT
step() { printf '\n==> %s\n' "$*"; }

step "two namespaces joined by a veth wire"
wire left 192.0.2.1/24 right 192.0.2.2/24
ip -n right link add xfrm0 type xfrm dev wire if_id 42 || fail "xfrm interface"
ip -n right addr add 10.2.0.1/32 dev xfrm0
ip -n right link set xfrm0 up
ip -n right route add 10.1.0.0/24 dev xfrm0

step "strongSwan charon (IKEv1 responder) in ns right"
mkdir -p "$dir/swanctl"
cat >"$dir/swanctl/swanctl.conf" <<EOF
connections {
	demo {
		version = 1
		local_addrs = 192.0.2.2
		remote_addrs = 192.0.2.1
		proposals = aes256-sha256-modp2048
		local {
			auth = psk
			id = 192.0.2.2
		}
		remote {
			auth = psk
			id = 192.0.2.1
		}
		children {
			net {
				local_ts = 0.0.0.0/0
				remote_ts = 0.0.0.0/0
				esp_proposals = aes128gcm16-modp2048
				if_id_in = 42
				if_id_out = 42
			}
		}
	}
}
secrets {
	ike-demo {
		id-1 = 192.0.2.1
		id-2 = 192.0.2.2
		secret = "demo shared secret"
	}
}
EOF
swan_start right "$dir"
swan_ctl --list-conns

step "esptun daemon (IKEv1 initiator) in ns left"
(umask 077 && echo "demo shared secret" >"$dir/psk")
cat >"$dir/esptun.conf" <<EOF
[vpn0]
local = 192.0.2.1
remote = 192.0.2.2
mode = main
auth = psk
psk-file = $dir/psk
ike = aes256-sha256-modp2048
esp = aes128gcm16-modp2048
start = initiate
EOF
cat "$dir/esptun.conf"
ip netns exec left "$ESPTUN" daemon -c "$dir/esptun.conf" >"$dir/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 120); do
	grep -q 'installed inbound SA' "$dir/daemon.log" && break
	sleep 0.5
done
cat "$dir/daemon.log"
grep -q 'installed inbound SA' "$dir/daemon.log" || fail "the tunnel did not come up"

step "route traffic into vpn0"
ip -n left addr add 10.1.0.1/32 dev vpn0
ip -n left link set vpn0 up
ip -n left route add 10.2.0.0/24 dev vpn0
ip -n left route show dev vpn0

step "ping 10.2.0.1 through the tunnel while tshark watches the wire"
ip netns exec right timeout 90 tshark -l -n -i wire -c 6 -f 'ip proto 50' \
	>"$dir/wire.txt" 2>"$dir/tshark.err" &
tshark_pid=$!
for _ in $(seq 120); do
	grep -q 'Capturing on' "$dir/tshark.err" && break
	sleep 0.5
done
ip netns exec left ping -c 5 -i 0.3 -I 10.1.0.1 10.2.0.1 || fail "no reply through the tunnel"
wait "$tshark_pid"
cat "$dir/wire.txt"

step "esptun show (left)"
ip netns exec left "$ESPTUN" show
step "swanctl --list-sas (right)"
swan_ctl --list-sas
step "the tunnel works"
