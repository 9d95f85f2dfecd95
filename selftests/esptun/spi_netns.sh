#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Inbound SPIs live in one table per network namespace: the same SPI on the
# same local address may be used in two namespaces; within one namespace a
# SET_DEVICE that would make two devices share one is refused (EEXIST) and
# changes nothing; a device moved into a namespace where one of its SPIs is
# taken loses that SA (with a hard-expire event) and keeps the others; and a
# namespace holds at most ESPTUN_MAX_NETNS_INBOUND_SAS inbound SAs.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
netns_add sa
netns_add sb
KEY="aead rfc4106(gcm(aes)) 0x0102030405060708090a0b0c0d0e0f1011121314 128"

# dev NS NAME LOCAL SPI...: a device with LOCAL and an inbound SA per SPI.
dev() {
	local ns=$1 name=$2 local=$3 spi
	shift 3
	ip -n "$ns" link add "$name" type esptun || fail "$ns: link add $name"
	ip netns exec "$ns" "$ESPTUN" set "$name" local "$local" remote 10.9.9.9 ||
		fail "$ns: set $name"
	for spi in "$@"; do
		# shellcheck disable=SC2086
		ip netns exec "$ns" "$ESPTUN" sa add "$name" in spi "$spi" $KEY ||
			fail "$ns: $name in spi $spi"
	done
}

# inbound NS NAME: the device's inbound SPIs, one per line.
inbound() {
	ip netns exec "$1" "$ESPTUN" show "$2" dump | awk '$2 == "in" { print $3 }' | sort
}

dev sa t0 10.0.0.1 0x300
dev sb t0 10.0.0.1 0x300
echo "one SPI on one address in two namespaces"

dev sa t1 10.0.0.2 0x300
out=$(ip netns exec sa "$ESPTUN" set t1 local 10.0.0.1 2>&1) &&
	fail "SET_DEVICE gave t1 t0's local address and SPI"
echo "SET_DEVICE onto a taken SPI: $out"
echo "$out" | grep -q "Another device receives an SPI of this one" ||
	fail "no extack for the refused SET_DEVICE: $out"
ip netns exec sa "$ESPTUN" show t1 | grep -q "10.0.0.2" ||
	fail "the refused SET_DEVICE changed t1: $(ip netns exec sa "$ESPTUN" show t1)"

dev sa t2 10.0.0.1 0x301 0x302
events=$(mktemp)
ip netns exec sb "$ESPTUN" monitor >"$events" &
mon=$!
sleep 1
ip -n sa link set t1 netns sb || fail "move t1"
ip -n sb link del t0 || fail "del t0 in sb"
dev sb t0 10.0.0.1 0x301
ip -n sa link set t2 netns sb || fail "move t2"
sleep 1
kill $mon
wait $mon 2>/dev/null
cat "$events"
[ "$(inbound sb t1)" = 0x00000300 ] || fail "t1 lost its SA moving: $(inbound sb t1)"
[ "$(inbound sb t2)" = 0x00000302 ] || fail "t2 kept $(inbound sb t2), want only 0x302"
grep -q "^hard-expire t2 in spi 0x0*301" "$events" ||
	fail "no hard-expire event for t2's SPI taken in the new namespace"
[ "$(inbound sb t0)" = 0x00000301 ] || fail "the move took t0's SA: $(inbound sb t0)"
echo "a move keeps the SAs whose SPI is free there and deletes the others"

# The limit: 512 devices of 32 inbound SAs fill a namespace; one more SA is
# refused, in a device of its own too. Over genl: 16384 CLI runs take long.
netns_add sc
start=$SECONDS
ip netns exec sc python3 - "$ESPTUN_TOP/selftests/lib" <<'PY' || fail "namespace limit"
import errno, socket, subprocess, sys
sys.path.insert(0, sys.argv[1])
from genl import Genl, attr, u32
from esptun_uapi import NEW_SA, IFINDEX, IN, MAX_INBOUND_SAS, gcm

LIMIT = 16384
devices = LIMIT // MAX_INBOUND_SAS + 1
subprocess.run(["ip", "-batch", "-"], check=True, text=True,
               input="".join("link add t%d type esptun\n" % i for i in range(devices)))
g = Genl("esptun")
key = bytes(range(20))
spi = 0x1000
for d in range(devices):
    dev = attr(IFINDEX, u32(socket.if_nametoindex("t%d" % d)))
    for _ in range(MAX_INBOUND_SAS if d < devices - 1 else 1):
        spi += 1
        err, _ = g.request(NEW_SA, dev + gcm(IN, spi, key))
        if spi - 0x1000 <= LIMIT:
            if err:
                sys.exit("SA %d refused: %s" % (spi - 0x1000, g.extack))
        elif err != -errno.ENOSPC or "maximum of inbound SAs" not in g.extack:
            sys.exit("SA %d past the limit: %d %s" % (spi - 0x1000, err, g.extack))
print("%d inbound SAs accepted, the next refused: %s" % (LIMIT, g.extack))
PY
echo "namespace limit checked in $((SECONDS - start))s"
exit 0
