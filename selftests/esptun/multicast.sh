#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Link-local multicast crosses a tunnel unchanged, as OSPF's hellos to
# 224.0.0.5 and ff02::5 must: a datagram sent to each group out of t0 in a
# reaches a socket that joined the group on t0 in b.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
esptun_pair
ip -n a addr add fe80::1/64 dev t0
ip -n b addr add fe80::2/64 dev t0

ip netns exec b python3 - <<'PY' &
import socket, struct, sys
idx = socket.if_nametoindex("t0")
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s4.bind(("224.0.0.5", 8989))
s4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
              struct.pack("4s4si", socket.inet_aton("224.0.0.5"), b"\0" * 4, idx))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.bind(("ff02::5", 8989, 0, idx))
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
              socket.inet_pton(socket.AF_INET6, "ff02::5") + struct.pack("@I", idx))
for s in (s4, s6):
    s.settimeout(20)
    data, peer = s.recvfrom(100)
    print("b received %r from %s" % (data, peer[0]))
PY
rx=$!
sleep 2
ip netns exec a python3 - <<'PY' || fail "sending to the groups"
import socket, struct, time
idx = socket.if_nametoindex("t0")
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s4.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
              struct.pack("4s4si", b"\0" * 4, b"\0" * 4, idx))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
for _ in range(5):
    s4.sendto(b"hello 4", ("224.0.0.5", 8989))
    s6.sendto(b"hello 6", ("ff02::5", 8989, 0, idx))
    time.sleep(0.5)
PY
wait $rx || fail "a multicast datagram did not cross the tunnel"
exit 0
