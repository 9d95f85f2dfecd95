#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The outer header carries the inner DSCP (RFC 4301 5.1.2.1) and ECN field
# (RFC 6040 normal mode), so QoS and congestion marks work across the
# tunnel; a congestion mark (CE) set on the outer header on the way reaches
# the inner packet, and an inner packet that is not ECN-capable is then
# dropped and counted, as the congested router would have done. nftables
# counts and marks on the wire.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
esptun_pair

ip netns exec b nft -f - <<'EOF' || fail "nft in b"
table ip t {
	counter outer_ef_ect1 {}
	counter inner_ce {}
	chain in {
		type filter hook input priority 0;
		ip protocol esp ip dscp ef ip ecn ect1 counter name outer_ef_ect1
		iifname "t0" ip dscp ef ip ecn ce counter name inner_ce
	}
}
EOF

# count NAME: packets counted by counter NAME in b.
count() {
	ip netns exec b nft list counter ip t "$1" | awk '$1 == "packets" { print $2 }'
}

# ping_tos TOS: three pings from a to b with TOS (DSCP << 2 | ECN).
ping_tos() {
	ip netns exec a ping -q -c 3 -i 0.2 -W 2 -Q "$1" 192.168.99.2 >/dev/null
}

ping_tos 0xb9 || fail "ping with DSCP EF and ECT(1)"
[ "$(count outer_ef_ect1)" -ge 3 ] ||
	fail "outer headers with EF and ECT(1): $(count outer_ef_ect1), want 3"
echo "outer header carries the inner DSCP and ECN: $(count outer_ef_ect1) packets"

# A congested hop on a's side marks every ESP packet CE.
ip netns exec a nft add table ip t
ip netns exec a nft add chain ip t post '{ type filter hook postrouting priority 0; }'
ip netns exec a nft add rule ip t post oifname wire ip protocol esp ip ecn set ce ||
	fail "nft CE marking in a"

ping_tos 0xba || fail "ping with EF and ECT(0) across a CE-marking hop"
[ "$(count inner_ce)" -ge 3 ] || fail "inner packets with CE: $(count inner_ce), want 3"
echo "a CE mark on the outer header reaches the inner one: $(count inner_ce) packets"

before=$(esptun_sa_col b t0 in 0x1001 14)
ping_tos 0xb8 && fail "a not-ECN-capable packet marked CE on the way was delivered"
after=$(esptun_sa_col b t0 in 0x1001 14)
[ $((after - before)) -ge 3 ] || fail "other-drops went from $before to $after, want +3"
echo "CE on a not-ECN-capable packet: dropped and counted ($before -> $after)"
exit 0
