#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ESP-in-UDP (RFC 3948) against hostile and odd datagrams at port 4500,
# whose socket (the IKE daemon's, stood in for here) has UDP_ENCAP_ESPINUDP:
# valid ESP in UDP is decrypted and counted; NAT keepalives (one 0xFF byte)
# and short datagrams are never taken for ESP; IKE behind the non-ESP
# marker reaches the socket; truncated and unknown-SPI ESP are dropped,
# and only the former is counted against the SA.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
. "$(dirname "$0")/../lib/inject.sh"
inject_target
ip netns exec ea "$ESPTUN" set t0 encap udp 4500 4500 || fail "encap udp"

pkts=$(mktemp -d)
trap 'kill $owner 2>/dev/null; rm -rf "$pkts"; cleanup_netns' EXIT
# The socket's owner writes each datagram it is given, in hex, to a file.
ip netns exec ea python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 4500))
s.setsockopt(socket.IPPROTO_UDP, 100, 2)  # UDP_ENCAP, UDP_ENCAP_ESPINUDP
with open(sys.argv[1], "w") as log:
    while True:
        log.write(s.recv(65536).hex() + "\n")
        log.flush()' "$pkts/owner" &
owner=$!
sleep 2

cat >"$pkts/batch" <<EOB
$pkts/s1 1
$pkts/s2trunc12 2 --truncate 12
$pkts/s2trunc24 2 --truncate 24
EOB
python3 "$INJECT" 10.0.0.1 0x2002 $KEY --batch "$pkts/batch" || fail "building packets"
python3 "$INJECT" 10.0.0.1 0x9999 $KEY 3 --save "$pkts/unknown" || fail "building packets"

udp() {
	ip netns exec xb python3 "$INJECT" 10.0.0.1 "$@" || fail "send $*"
	sleep 0.5
}

udp --send "$pkts/s1" --udp 4500;	expect "ESP in UDP" 1 0 0 0
udp --udp 4500 --hex ff;		expect "NAT keepalive" 1 0 0 0
udp --udp 4500 --hex 00000000;		expect "bare non-ESP marker" 1 0 0 0
ike=00000000$(printf '%016x' 42)000000000000000001100200
udp --udp 4500 --hex "$ike";		expect "IKE behind the non-ESP marker" 1 0 0 0
udp --udp 4500 --hex 0102;		expect "two bytes" 1 0 0 0
udp --udp 4500 --hex 00002002000000;	expect "seven bytes" 1 0 0 0
udp --send "$pkts/unknown" --udp 4500;	expect "unknown SPI" 1 0 0 0
# The kernel's UDP decapsulation drops ESP shorter than an IPv4 header
# before any handler sees it; 24 bytes reach esptun and are counted.
udp --send "$pkts/s2trunc12" --udp 4500;	expect "ESP in UDP cut to 12 bytes" 1 0 0 0
udp --send "$pkts/s2trunc24" --udp 4500;	expect "ESP in UDP cut to 24 bytes" 1 0 0 1
udp --send "$pkts/s1" --udp 4500;	expect "replayed ESP in UDP" 1 1 0 1

grep -qx "$ike" "$pkts/owner" || fail "IKE behind the marker did not reach the socket: $(cat "$pkts/owner")"
grep -qx ff "$pkts/owner" && fail "the keepalive reached the socket as data"
echo "socket owner got: $(tr '\n' ' ' <"$pkts/owner")"
echo "hostile datagrams at port 4500 dropped or passed on as they should"
exit 0
