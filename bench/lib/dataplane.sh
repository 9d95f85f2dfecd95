# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # $tmp is the caller's scratch directory
#
# Data-plane contenders, each in its own pair of namespaces joined by a veth
# ("wire", 10.0.0.1 <-> 10.0.0.2), all up at once so that the runs can take
# turns: drift on a shared host then spreads over every contender alike.
# The tunnel's inner addresses are 192.168.9.1 (client side) and
# 192.168.9.2 (iperf3 server side). Needs common.sh and record.sh.

INNER_A=192.168.9.1 INNER_B=192.168.9.2

hexkey() { # BYTES: a fresh random key, never printed
	echo "0x$(od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n')"
}

# One key set per algorithm, shared by esptun and xfrm: the same work per packet.
KEY_GCM=$(hexkey 20) KEY_CBC=$(hexkey 32) KEY_HMAC=$(hexkey 32) KEY_3DES=$(hexkey 24)

# alg gcm128|cbc256|3des: the algorithm arguments; esptun and ip xfrm take the same syntax.
alg() {
	case $1 in
	gcm128) echo "aead rfc4106(gcm(aes)) $KEY_GCM 128" ;;
	cbc256) echo "enc cbc(aes) $KEY_CBC auth-trunc hmac(sha256) $KEY_HMAC 128" ;;
	3des) echo "enc cbc(des3_ede) $KEY_3DES auth-trunc hmac(sha256) $KEY_HMAC 128" ;;
	esac
}

ns_a() { echo "b${1//-/_}a"; }
ns_b() { echo "b${1//-/_}b"; }

# Where the client sends and which device carries it, per contender.
target() { [ "$1" = veth ] && echo 10.0.0.2 || echo $INNER_B; }
tun_dev() {
	case $1 in
	veth) echo wire ;; esptun-*) echo t0 ;; xfrm-*) echo x0 ;; wireguard) echo wg0 ;;
	esac
}

# Every tunnel device gets MTU 1428: the largest inner packet that each of
# them (ESP with AES-CBC-256 + HMAC-SHA256-128 pads 1428 to exactly 1500
# outside; WireGuard too) sends over IPv4 without fragmenting, and it fits
# iperf3's 1400-byte UDP datagrams whole. Same packets for all contenders.
TUN_MTU=1428

# inner_addrs NS_A NS_B DEV [ADDR_A ADDR_B]: notes the device's own MTU in
# $tmp/default_mtu.
inner_addrs() {
	local ia=${4:-$INNER_A} ib=${5:-$INNER_B}
	ip netns exec "$1" cat "/sys/class/net/$3/mtu" >"$tmp/default_mtu"
	ip -n "$1" link set "$3" mtu $TUN_MTU && ip -n "$2" link set "$3" mtu $TUN_MTU || return 1
	ip -n "$1" addr add "$ia/32" peer "$ib" dev "$3"
	ip -n "$2" addr add "$ib/32" peer "$ia" dev "$3"
	ip -n "$1" link set "$3" up
	ip -n "$2" link set "$3" up
}

# esptun_pair NS_A NS_B ALG SPI_AB SPI_BA [DEV ADDR_A ADDR_B]
esptun_pair() {
	local a d=${6:-t0}
	read -r -a a <<<"$(alg "$3")"
	ip -n "$1" link add "$d" type esptun && ip -n "$2" link add "$d" type esptun || return 1
	ip netns exec "$1" "$ESPTUN" set "$d" local 10.0.0.1 remote 10.0.0.2 &&
		ip netns exec "$2" "$ESPTUN" set "$d" local 10.0.0.2 remote 10.0.0.1 &&
		ip netns exec "$1" "$ESPTUN" sa add "$d" in spi "$5" "${a[@]}" &&
		ip netns exec "$1" "$ESPTUN" sa add "$d" out spi "$4" "${a[@]}" &&
		ip netns exec "$2" "$ESPTUN" sa add "$d" in spi "$4" "${a[@]}" &&
		ip netns exec "$2" "$ESPTUN" sa add "$d" out spi "$5" "${a[@]}" || return 1
	inner_addrs "$1" "$2" "$d" "${7:-}" "${8:-}"
}

# xfrm_side NS LOCAL REMOTE ALG SPI_OUT SPI_IN [DEV IF_ID]: states,
# policies and an xfrm interface (x0, if_id 7), as charon sets up a
# route-based tunnel.
xfrm_side() {
	local ns=$1 l=$2 r=$3 a d=${7:-x0} id=${8:-7}
	read -r -a a <<<"$(alg "$4")"
	ip -n "$ns" link add "$d" type xfrm dev wire if_id "$id" &&
		ip -n "$ns" xfrm state add src "$l" dst "$r" proto esp spi "$5" mode tunnel \
			if_id "$id" replay-window 64 "${a[@]}" &&
		ip -n "$ns" xfrm state add src "$r" dst "$l" proto esp spi "$6" mode tunnel \
			if_id "$id" replay-window 64 "${a[@]}" &&
		ip -n "$ns" xfrm policy add dir out src 0.0.0.0/0 dst 0.0.0.0/0 if_id "$id" \
			tmpl src "$l" dst "$r" proto esp mode tunnel &&
		ip -n "$ns" xfrm policy add dir in src 0.0.0.0/0 dst 0.0.0.0/0 if_id "$id" \
			tmpl src "$r" dst "$l" proto esp mode tunnel
}

xfrm_pair() { # NS_A NS_B ALG SPI_AB SPI_BA [DEV IF_ID ADDR_A ADDR_B]
	xfrm_side "$1" 10.0.0.1 10.0.0.2 "$3" "$4" "$5" "${6:-}" "${7:-}" &&
		xfrm_side "$2" 10.0.0.2 10.0.0.1 "$3" "$5" "$4" "${6:-}" "${7:-}" || return 1
	inner_addrs "$1" "$2" "${6:-x0}" "${8:-}" "${9:-}"
}

# wireguard_pair NS_A NS_B (private keys go to $tmp, mode 0600).
wireguard_pair() {
	local ns peer ip
	for ns in "$1" "$2"; do
		(umask 077 && wg genkey >"$tmp/$ns.key") && wg pubkey <"$tmp/$ns.key" >"$tmp/$ns.pub" || return 1
	done
	for ns in "$1" "$2"; do
		if [ "$ns" = "$1" ]; then peer=$2 ip=10.0.0.2; else peer=$1 ip=10.0.0.1; fi
		ip -n "$ns" link add wg0 type wireguard &&
			ip netns exec "$ns" wg set wg0 private-key "$tmp/$ns.key" listen-port 51820 \
				peer "$(cat "$tmp/$peer.pub")" endpoint $ip:51820 allowed-ips 0.0.0.0/0 || return 1
	done
	inner_addrs "$1" "$2" wg0
}

# contender_up NAME: build it, start its iperf3 server, check that
# a ping crosses it. Non-zero (and an error record) when it does not work.
contender_up() {
	local c=$1 a b default_mtu
	a=$(ns_a "$c") b=$(ns_b "$c")
	rm -f "$tmp/default_mtu"
	wire "$a" 10.0.0.1/24 "$b" 10.0.0.2/24
	case $c in
	veth) true ;;
	esptun-gcm128) esptun_pair "$a" "$b" gcm128 0x1101 0x1102 ;;
	# The baseline part's: the same tunnel through this tree's module and an older one's.
	esptun-gcm128-now | esptun-gcm128-base) esptun_pair "$a" "$b" gcm128 0x1601 0x1602 ;;
	esptun-cbc256) esptun_pair "$a" "$b" cbc256 0x1201 0x1202 ;;
	esptun-gcm128-1cpu) esptun_pair "$a" "$b" gcm128 0x1301 0x1302 ;;
	esptun-3des) esptun_pair "$a" "$b" 3des 0x1401 0x1402 ;;
	# The same with the offloads off on the sending side: the stack
	# segments and checksums before esptun sees the packets.
	esptun-gcm128-nogso) esptun_pair "$a" "$b" gcm128 0x1501 0x1502 &&
		ip netns exec "$a" ethtool -K t0 sg off tx off tso off gso off >/dev/null ;;
	xfrm-gcm128) xfrm_pair "$a" "$b" gcm128 0x2101 0x2102 ;;
	xfrm-cbc256) xfrm_pair "$a" "$b" cbc256 0x2201 0x2202 ;;
	wireguard) wireguard_pair "$a" "$b" ;;
	esac || { record_error "$c" "setting up the tunnel failed"; return 1; }
	default_mtu=$(cat "$tmp/default_mtu" 2>/dev/null || echo null)
	ip netns exec "$b" iperf3 -s >/dev/null 2>&1 &
	server_pids="$server_pids $!"
	ip netns exec "$a" ping -q -c 3 -i 0.3 -W 2 "$(target "$c")" >/dev/null ||
		{ record_error "$c" "no ping through the tunnel"; return 1; }
	record "{\"kind\": \"mtu\", \"contender\": \"$c\", \"mtu\": $(ip netns exec "$a" cat "/sys/class/net/$(tun_dev "$c")/mtu"), \"default_mtu\": $default_mtu}"
}
