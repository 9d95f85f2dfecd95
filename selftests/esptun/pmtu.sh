#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PMTU: with a 1400-byte outer path, an esptun device set to MTU 1500
# refuses oversized DF packets with ICMP Fragmentation Needed or ICMPv6
# Packet Too Big carrying the largest inner size that fits one ESP packet,
# and packets of that size pass; IPv4 without DF is fragmented outside. The default MTU leaves room for the
# worst-case ESP overhead. Over IPv6 a - r - b with r - b narrower, r's
# Packet Too Big about our ESP lowers the outer path MTU, and TCP and DF
# pings get through.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
K1=0x0102030405060708090a0b0c0d0e0f1011121314
K2=0x1112131415161718191a1b1c1d1e1f2021222324

netns_add a
netns_add b
ip link add va netns a mtu 1400 type veth peer vb netns b mtu 1400 || fail "veth"
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
for side in a b; do
	me=1 peer=2 out=$K1 in=$K2 spo=0x1001 spi=0x2002
	[ $side = b ] && me=2 peer=1 out=$K2 in=$K1 spo=0x2002 spi=0x1001
	ip -n $side link add t0 type esptun || fail "link add"
	mtu=$(ip -n $side -j link show t0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["mtu"])')
	[ "$mtu" -le $((1500 - 40 - 8 - 8 - 16 - 15 - 2 - 32)) ] || fail "default MTU $mtu leaves no room"
	ip -n $side link set t0 mtu 1500
	ip netns exec $side "$ESPTUN" set t0 local 10.0.0.$me remote 10.0.0.$peer || fail "set"
	ip netns exec $side "$ESPTUN" sa add t0 out spi $spo aead 'rfc4106(gcm(aes))' $out 128 || fail "sa"
	ip netns exec $side "$ESPTUN" sa add t0 in spi $spi aead 'rfc4106(gcm(aes))' $in 128 || fail "sa"
	ip -n $side addr add 192.168.99.$me/32 peer 192.168.99.$peer dev t0
	ip -n $side addr add fd99::$me/128 dev t0 nodad
	ip -n $side link set t0 up
	ip -n $side route add fd99::$peer/128 dev t0
done
echo "default MTU $mtu"

# 1400 - IPv4 20 - ESP 8 - IV 8 - ICV 16 = 1348, in 4-byte blocks, - 2.
want=1346
out=$(ip netns exec a ping -c 2 -i 0.5 -W 1 -M do -s 1400 192.168.99.2 2>&1)
echo "$out" | grep -Eq "mtu[ =:]*$want" || fail "no Fragmentation Needed with mtu $want: $out"
ip -n a route get 192.168.99.2 | grep -q "mtu $want" || fail "IPv4 route MTU not lowered to $want"
ip netns exec a ping -q -c 2 -W 2 -M do -s $((want - 28)) 192.168.99.2 >/dev/null ||
	fail "a packet of exactly $want bytes does not pass"
out=$(ip netns exec a ping -6 -c 2 -i 0.5 -W 1 -M do -s 1400 fd99::2 2>&1)
echo "$out" | grep -Eq "mtu[ =:]*$want" || fail "no Packet Too Big with mtu $want: $out"
ip netns exec a ping -6 -q -c 2 -W 2 -M do -s $((want - 48)) fd99::2 >/dev/null ||
	fail "an IPv6 packet of exactly $want bytes does not pass"
# Without DF, IPv4 is carried in outer fragments.
ip netns exec a ping -q -c 2 -W 2 -M dont -s 1400 192.168.99.2 >/dev/null ||
	fail "a non-DF packet larger than the path does not pass"
echo "PMTU signalled with mtu $want"

# A narrower hop further on: a - r - b over IPv6, r - b at MTU 1300, bare
# ESP. a learns the outer path MTU only from r's Packet Too Big about its
# ESP (IPv6 routers do not fragment), and then tells its inner senders.
netns_add pa
netns_add pr
netns_add pb
ip link add pa0 netns pa type veth peer pr0 netns pr || fail "veth a-r"
ip link add pr1 netns pr mtu 1300 type veth peer pb1 netns pb mtu 1300 || fail "veth r-b"
ip netns exec pr sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n pa addr add fd00:1::1/64 dev pa0 nodad
ip -n pr addr add fd00:1::2/64 dev pr0 nodad
ip -n pr addr add fd00:2::1/64 dev pr1 nodad
ip -n pb addr add fd00:2::2/64 dev pb1 nodad
for l in pa:pa0 pr:pr0 pr:pr1 pb:pb1; do ip -n "${l%:*}" link set "${l#*:}" up; done
ip -n pa route add fd00:2::/64 via fd00:1::2
ip -n pb route add fd00:1::/64 via fd00:2::1
for side in pa pb; do
	me=1 peer=2 out=$K1 in=$K2 spo=0x1001 spi=0x2002 lo=fd00:1::1 re=fd00:2::2
	[ $side = pb ] && me=2 peer=1 out=$K2 in=$K1 spo=0x2002 spi=0x1001 lo=fd00:2::2 re=fd00:1::1
	ip -n $side link add t0 mtu 1500 type esptun || fail "link add"
	ip netns exec $side "$ESPTUN" set t0 local $lo remote $re || fail "set"
	ip netns exec $side "$ESPTUN" sa add t0 out spi $spo aead 'rfc4106(gcm(aes))' $out 128 || fail "sa"
	ip netns exec $side "$ESPTUN" sa add t0 in spi $spi aead 'rfc4106(gcm(aes))' $in 128 || fail "sa"
	ip -n $side addr add 192.168.98.$me/32 peer 192.168.98.$peer dev t0
	ip -n $side addr add fd98::$me/128 dev t0 nodad
	ip -n $side link set t0 up
	ip -n $side route add fd98::$peer/128 dev t0
done
ip netns exec pa ping -6 -q -c 2 -W 2 fd98::2 >/dev/null || fail "no small ping over a-r-b"

# 1300 - IPv6 40 - ESP 8 - IV 8 - ICV 16 = 1228, in 4-byte blocks, - 2.
want=1226
# TCP first, from a fresh route: its full-sized segments meet r's limit.
ip netns exec pb iperf3 -s -1 -B fd98::2 >/dev/null 2>&1 &
srv=$!
sleep 1
if ! timeout 60 ip netns exec pa iperf3 -6 -c fd98::2 -n 1M >/dev/null 2>&1; then
	kill $srv 2>/dev/null
	fail "a TCP transfer does not get through a path narrower than the first hop"
fi
wait $srv
ip -n pa -6 route get fd00:2::2 | grep -q "mtu 1300" ||
	fail "outer route MTU not lowered to 1300: $(ip -n pa -6 route get fd00:2::2)"
out=$(ip netns exec pa ping -c 2 -i 0.5 -W 1 -M do -s 1300 192.168.98.2 2>&1)
echo "$out" | grep -Eq "mtu[ =:]*$want" || fail "no Fragmentation Needed with mtu $want: $out"
ip netns exec pa ping -q -c 2 -W 2 -M do -s $((want - 28)) 192.168.98.2 >/dev/null ||
	fail "an IPv4 DF packet of $want bytes does not pass a-r-b"
ip netns exec pa ping -6 -q -c 2 -W 2 -M do -s $((want - 48)) fd98::2 >/dev/null ||
	fail "an IPv6 packet of $want bytes does not pass a-r-b"
echo "a Packet Too Big from a later hop lowers the outer PMTU to 1300 (inner $want)"
exit 0
