#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interop with the kernel's own ESP: esptun in namespace "ea", native xfrm
# (states, policies and an xfrm interface) in "xb", over a veth pair, with
# the same SPIs and keys. For each algorithm and outer family, with and
# without ESN and UDP encapsulation, inner IPv4 and IPv6 pings go both ways,
# both sides count the same packets and bytes, and TCP flows both ways.
# Cases: all five RFC 4106 and RFC 4868 variants the module offers, 3DES,
# and the SHA-256-96 truncation some peers use.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
ESPTUN=$ESPTUN_TOP/helper/esptun
[ -x "$ESPTUN" ] || skip "helper/esptun not built (make -C helper)"

netns_add ea
netns_add xb
ip link add va netns ea type veth peer vb netns xb || fail "veth"
ip -n ea addr add 10.0.0.1/24 dev va
ip -n xb addr add 10.0.0.2/24 dev vb
ip -n ea addr add fd00::1/64 dev va nodad
ip -n xb addr add fd00::2/64 dev vb nodad
ip -n ea link set va up
ip -n xb link set vb up

# ESP-in-UDP is received through sockets whose owner (normally the IKE
# daemon) set UDP_ENCAP_ESPINUDP; these stand in for it on both sides.
encap_sockets ea 4500
encap_sockets xb 4500
trap 'stop_encap_sockets; cleanup_netns' EXIT

KEY_GCM=0x0102030405060708090a0b0c0d0e0f1011121314
KEY_AES=0x00112233445566778899aabbccddeeff
KEY_SHA=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
KEY_GCM256=0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324

# Both tools take the same algorithm syntax.
alg() {
	case $1 in
	gcm128) echo "aead rfc4106(gcm(aes)) $KEY_GCM 128" ;;
	gcm256-64) echo "aead rfc4106(gcm(aes)) $KEY_GCM256 64" ;;
	aes-sha256) echo "enc cbc(aes) $KEY_AES auth-trunc hmac(sha256) $KEY_SHA 128" ;;
	aes-sha1) echo "enc cbc(aes) $KEY_AES auth-trunc hmac(sha1) ${KEY_SHA:0:42} 96" ;;
	gcm192) echo "aead rfc4106(gcm(aes)) ${KEY_GCM256:0:58} 96" ;;
	aes256-sha384) echo "enc cbc(aes) ${KEY_SHA} auth-trunc hmac(sha384) ${KEY_SHA}0011223344556677 192" ;;
	aes-sha512) echo "enc cbc(aes) $KEY_AES auth-trunc hmac(sha512) ${KEY_SHA}${KEY_SHA:2} 256" ;;
	aes-sha256-96) echo "enc cbc(aes) $KEY_AES auth-trunc hmac(sha256) $KEY_SHA 96" ;;
	des3-sha1) echo "enc cbc(des3_ede) ${KEY_GCM256:0:50} auth-trunc hmac(sha1) ${KEY_SHA:0:42} 96" ;;
	esac
}

# "BYTES PACKETS" of one xfrm state.
xfrm_count() {
	ip -n xb -s xfrm state get src "$1" dst "$2" proto esp spi "$3" |
		sed -n 's/^[[:space:]]*\([0-9]*\)(bytes), \([0-9]*\)(packets).*/\1 \2/p'
}

# "BYTES PACKETS" of one esptun SA (dump columns 10 and 11).
esptun_count() {
	ip netns exec ea "$ESPTUN" show t0 dump |
		awk -v d="$1" -v s="$(printf 0x%08x "$2")" '$2 == d && $3 == s { print $11, $10 }'
}

# A TCP transfer each way: segmentation, checksums and sizes that pings
# do not reach.
tcp_both_ways() {
	local dir srv try

	for dir in "" -R; do
		ip netns exec xb timeout 60 iperf3 -s -1 >/dev/null 2>&1 &
		srv=$!
		for try in 1 2 3 4 5 6 7 8 9 10; do
			ip netns exec ea iperf3 -c 192.168.99.2 -n 512K $dir >/dev/null 2>&1 && break
			sleep 0.5
		done
		wait $srv || fail "$1: TCP transfer ${dir:-esptun -> xfrm} failed"
	done
}

run() {
	local name=$1 outer=$2 flags=$3 encap=$4 la lb a ra ea xa
	# shellcheck disable=SC2207
	a=($(alg "$name"))
	if [ "$outer" = 4 ]; then la=10.0.0.1 lb=10.0.0.2; else la=fd00::1 lb=fd00::2; fi
	echo "# $name outer IPv$outer $flags $encap"
	ea= xa=
	if [ "$encap" = udp ]; then
		ea="encap udp 4500 4500"
		xa="encap espinudp 4500 4500 0.0.0.0"
	fi

	ip -n ea link add t0 type esptun || fail "link add"
	ip netns exec ea "$ESPTUN" set t0 local $la remote $lb $ea || fail "esptun set"
	ip netns exec ea "$ESPTUN" sa add t0 out spi 0x1001 "${a[@]}" $flags || fail "sa add out"
	ip netns exec ea "$ESPTUN" sa add t0 in spi 0x2002 "${a[@]}" $flags || fail "sa add in"
	ip -n ea addr add 192.168.99.1/32 peer 192.168.99.2 dev t0
	ip -n ea addr add fd99::1/128 dev t0 nodad

	ra=
	[ -n "$flags" ] && ra="replay-window 128 flag esn"
	ip -n xb link add x0 type xfrm dev vb if_id 7 || fail "xfrm link"
	ip -n xb xfrm state add src $la dst $lb proto esp spi 0x1001 mode tunnel if_id 7 \
		flag af-unspec $ra $xa "${a[@]}" || fail "xfrm state in"
	ip -n xb xfrm state add src $lb dst $la proto esp spi 0x2002 mode tunnel if_id 7 \
		flag af-unspec $ra $xa "${a[@]}" || fail "xfrm state out"
	for sel in 0.0.0.0/0 ::/0; do
		ip -n xb xfrm policy add dir out src $sel dst $sel if_id 7 \
			tmpl src $lb dst $la proto esp mode tunnel || fail "policy out"
		ip -n xb xfrm policy add dir in src $sel dst $sel if_id 7 \
			tmpl src $la dst $lb proto esp mode tunnel || fail "policy in"
	done
	ip -n xb addr add 192.168.99.2/32 peer 192.168.99.1 dev x0
	ip -n xb addr add fd99::2/128 dev x0 nodad
	# Up only now: nothing may be sent before both sides have their SAs.
	ip -n ea link set t0 up
	ip -n ea route add fd99::2/128 dev t0 || fail "IPv6 route into t0"
	ip -n xb link set x0 up
	ip -n xb route add fd99::1/128 dev x0 || fail "IPv6 route into x0"

	ip netns exec ea ping -q -c 3 -i 0.2 -W 2 192.168.99.2 >/dev/null ||
		fail "$name/$outer: ping IPv4 esptun -> xfrm"
	ip netns exec xb ping -q -c 3 -i 0.2 -W 2 192.168.99.1 >/dev/null ||
		fail "$name/$outer: ping IPv4 xfrm -> esptun"
	ip netns exec ea ping -q -c 3 -i 0.2 -W 2 fd99::2 >/dev/null ||
		fail "$name/$outer: ping IPv6 esptun -> xfrm"
	ip netns exec xb ping -q -c 3 -i 0.2 -W 2 -s 1000 fd99::1 >/dev/null ||
		fail "$name/$outer: ping IPv6 xfrm -> esptun"

	# Byte for byte: both count inner bytes. IPv6 autoconfiguration may
	# still be talking, so a difference gets a moment to settle.
	local eo ei xo xi try
	for try in 1 2 3 4; do
		eo=$(esptun_count out 0x1001) ei=$(esptun_count in 0x2002)
		xi=$(xfrm_count $la $lb 0x1001) xo=$(xfrm_count $lb $la 0x2002)
		[ "$eo" = "$xi" ] && [ "$ei" = "$xo" ] && break
		sleep 1
	done
	echo "# bytes/packets: esptun out $eo in $ei, xfrm in $xi out $xo"
	[ "${eo#* }" -ge 12 ] && [ "${ei#* }" -ge 12 ] ||
		fail "$name/$outer: esptun counted $eo out, $ei in, fewer than 12 packets"
	[ "$eo" = "$xi" ] && [ "$ei" = "$xo" ] || fail "$name/$outer: counters disagree"

	# One AEAD and one ENC+AUTH suite carry TCP over each outer variant.
	case $name in gcm128|aes-sha256) tcp_both_ways "$name/$outer" ;; esac

	ip -n ea link del t0
	ip -n xb link del x0
	ip -n xb xfrm state flush
	ip -n xb xfrm policy flush
}

# INTEROP_CASES="alg:outer[:esn[:udp]] ..." runs a subset.
cases=${INTEROP_CASES:-"gcm128:4 aes-sha256:4 aes-sha1:4 gcm256-64:4 gcm128:4:esn
	aes-sha256:4:esn gcm128:6 aes-sha256:6 aes-sha1:6 gcm256-64:6 gcm128:6:esn
	aes-sha256:6:esn gcm128:4::udp aes-sha256:4:esn:udp gcm128:6::udp
	gcm192:4 aes256-sha384:4 aes-sha512:6 aes-sha256-96:4 des3-sha1:4"}
for c in $cases; do
	IFS=: read -r name outer esn encap <<<"$c"
	run "$name" "$outer" "$esn" "$encap"
done
echo "esptun and native xfrm interoperate"
exit 0
