# SPDX-License-Identifier: GPL-2.0
#
# The target of the ESP injection tests: namespace ea holds esptun device
# t0 (10.0.0.1) with one inbound GCM SA, SPI 0x2002; namespace xb
# (10.0.0.2) is where crafted packets are sent from (lib/esp_inject.py).
# Source after common.sh.

python3 -c 'import cryptography' 2>/dev/null || skip "python3 cryptography missing"
INJECT=$ESPTUN_TOP/selftests/lib/esp_inject.py
KEY=0x0102030405060708090a0b0c0d0e0f1011121314

# inject_target SA_OPTION...: build both namespaces; the options are added
# to the inbound SA (replay window, ESN, starting sequence number).
inject_target() {
	netns_add ea
	netns_add xb
	ip link add va netns ea type veth peer vb netns xb || fail "veth"
	ip -n ea addr add 10.0.0.1/24 dev va
	ip -n xb addr add 10.0.0.2/24 dev vb
	ip -n ea link set va up
	ip -n xb link set vb up
	ip -n ea link add t0 type esptun
	ip -n ea link set t0 addrgenmode none
	ip netns exec ea "$ESPTUN" set t0 local 10.0.0.1 remote 10.0.0.2 || fail "esptun set"
	ip netns exec ea "$ESPTUN" sa add t0 in spi 0x2002 aead 'rfc4106(gcm(aes))' $KEY 128 \
		"$@" || fail "sa add in $*"
	ip -n ea addr add 192.168.99.1/32 peer 192.168.99.2 dev t0
	ip -n ea link set t0 up
}

# inject NAME: send the prebuilt packet file $pkts/NAME from xb, and give
# the receive path a moment before counters are read.
inject() {
	ip netns exec xb python3 "$INJECT" 10.0.0.1 --send "$pkts/$1" || fail "inject $1"
	sleep 0.5
}

# expect WHAT PACKETS [REPLAY [ICV [OTHER]]]: the inbound SA's counters
# (packets, replay drops, ICV failures, other drops) are as given.
expect() {
	local what=$1 got
	shift
	got=$(ip netns exec ea "$ESPTUN" show t0 dump | awk -v n=$# '
		$2 == "in" && $3 == "0x00002002" {
			split($10 " " $12 " " $13 " " $14, c, " ")
			s = c[1]; for (i = 2; i <= n; i++) s = s " " c[i]; print s
		}')
	[ "$got" = "$*" ] || fail "$what: packets/replay/icv/other are $got, want $*"
	echo "ok: $what ($got)"
}
