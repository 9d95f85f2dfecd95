#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifetimes and events: soft and hard expiry by packets, bytes and seconds
# raise events on the "events" group (seen with "esptun monitor"), a hard
# expired SA carries nothing and is removed, traffic without an outbound SA
# raises ACQUIRE, and an SA near the end of its sequence space raises
# SEQ_EXHAUSTED. "esptun sa set" changes the limits of a live SA.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
K1=0x0102030405060708090a0b0c0d0e0f1011121314
K2=0x1112131415161718191a1b1c1d1e1f2021222324
GCM="aead rfc4106(gcm(aes))"

wire a 10.0.0.1/24 b 10.0.0.2/24
for side in a b; do
	me=1 peer=2
	[ $side = b ] && me=2 peer=1
	ip -n $side link add t0 type esptun || fail "link add"
	ip -n $side link set t0 addrgenmode none
	ip netns exec $side "$ESPTUN" set t0 local 10.0.0.$me remote 10.0.0.$peer || fail "set"
	ip -n $side addr add 192.168.99.$me/32 peer 192.168.99.$peer dev t0
	ip -n $side link set t0 up
done
ip netns exec b "$ESPTUN" sa add t0 out spi 0x2002 $GCM $K2 128 || fail "sa b out"
ip netns exec b "$ESPTUN" sa add t0 in spi 0x1001 $GCM $K1 128 || fail "sa b in"

events=$(mktemp)
ip netns exec a "$ESPTUN" monitor >"$events" &
mon=$!
trap 'kill $mon 2>/dev/null; rm -f "$events"; cleanup_netns' EXIT
sleep 1

ping_a() {
	ip netns exec a ping -q -c "$1" -i 0.2 -W 1 192.168.99.2 >/dev/null 2>&1
}

# No outbound SA yet: ACQUIRE. Only with the carrier kept on: without an
# SA it is off by default, and the kernel drops the packet before esptun
# sees it (carrier.sh).
ip netns exec a "$ESPTUN" set t0 carrier on || fail "carrier on"
ping_a 1
ip netns exec a "$ESPTUN" sa add t0 out spi 0x1001 $GCM $K1 128 \
	lifetime soft packets 3 lifetime hard packets 5 || fail "sa a out"
ip netns exec a "$ESPTUN" sa add t0 in spi 0x2002 $GCM $K2 128 \
	lifetime soft seconds 2 lifetime hard seconds 4 || fail "sa a in"
ping_a 7
sleep 5
kill $mon; wait $mon 2>/dev/null
cat "$events"

grep -q "^acquire t0" "$events" || fail "no acquire event"
grep -q "^soft-expire t0 out spi 0x0*1001" "$events" || fail "no soft expiry by packets"
grep -q "^hard-expire t0 out spi 0x0*1001" "$events" || fail "no hard expiry by packets"
grep -q "^soft-expire t0 in spi 0x0*2002" "$events" || fail "no soft expiry by seconds"
grep -q "^hard-expire t0 in spi 0x0*2002" "$events" || fail "no hard expiry by seconds"
[ "$(grep -c "expire t0 out spi 0x0*1001" "$events")" = 2 ] || fail "expiry events repeated"
[ -z "$(esptun_sa_col a t0 out 0x1001 10)" ] || fail "hard-expired outbound SA still listed"
[ -z "$(esptun_sa_col a t0 in 0x2002 10)" ] || fail "hard-expired inbound SA still listed"
[ "$(esptun_sa_col b t0 in 0x1001 10)" = 5 ] ||
	fail "peer received $(esptun_sa_col b t0 in 0x1001 10) packets, want the 5 of the hard limit"
echo "packets and seconds expire"

# Bytes, on b's inbound SA (84-byte pings): soft at 300, hard at 1000.
events=$(mktemp)
ip netns exec b "$ESPTUN" monitor >"$events" &
mon=$!
sleep 1
ip netns exec a "$ESPTUN" sa add t0 out spi 0x1003 $GCM $K1 128 || fail "sa a out 2"
ip netns exec b "$ESPTUN" sa add t0 in spi 0x1003 $GCM $K1 128 \
	lifetime soft bytes 300 lifetime hard bytes 1000 || fail "sa b in 2"
ping_a 14
sleep 1
kill $mon; wait $mon 2>/dev/null
cat "$events"
grep -q "^soft-expire t0 in spi 0x0*1003" "$events" || fail "no soft expiry by bytes"
grep -q "^hard-expire t0 in spi 0x0*1003" "$events" || fail "no hard expiry by bytes"
echo "bytes expire"

# Sequence numbers: an SA within the margin of 2^32 - 1 warns once.
events=$(mktemp)
ip netns exec a "$ESPTUN" monitor >"$events" &
mon=$!
sleep 1
ip netns exec a "$ESPTUN" sa add t0 out spi 0x1004 $GCM $K1 128 seq $((0xffffffff - 1000)) ||
	fail "sa a out 3"
ping_a 2
sleep 1
kill $mon; wait $mon 2>/dev/null
cat "$events"
[ "$(grep -c "^seq-exhausted t0 out spi 0x0*1004" "$events")" = 1 ] || fail "no single seq-exhausted"

# New limits on a live SA count what it has carried: 3 packets before,
# a hard limit of 6 set afterwards, so 3 more pass and no more.
events=$(mktemp)
ip netns exec a "$ESPTUN" monitor >"$events" &
mon=$!
sleep 1
ip netns exec a "$ESPTUN" sa add t0 out spi 0x1005 $GCM $K1 128 || fail "sa a out 4"
ip netns exec b "$ESPTUN" sa add t0 in spi 0x1005 $GCM $K1 128 || fail "sa b in 4"
ping_a 3
ip netns exec a "$ESPTUN" sa set t0 out spi 0x1005 \
	lifetime soft packets 4 lifetime hard packets 6 || fail "sa set"
out=$(ip netns exec a "$ESPTUN" sa set t0 out spi 0x7777 lifetime hard packets 6 2>&1) &&
	fail "sa set of a missing SA succeeded"
echo "$out" | grep -q "No such SA" || fail "sa set of a missing SA: $out"
ping_a 5
sleep 1
kill $mon; wait $mon 2>/dev/null
cat "$events"
grep -q "^soft-expire t0 out spi 0x0*1005" "$events" || fail "no soft expiry after sa set"
grep -q "^hard-expire t0 out spi 0x0*1005" "$events" || fail "no hard expiry after sa set"
[ "$(esptun_sa_col b t0 in 0x1005 10)" = 6 ] ||
	fail "peer received $(esptun_sa_col b t0 in 0x1005 10) packets, want 6"
echo "lifetimes and events work, and change on a live SA"

# sa_life NS new|set SPI SOFT HARD: NEW_SA or SET_SA of outbound SA SPI on
# t0 with these limits in seconds (0: none), straight over genl, as the
# CLI refuses a soft limit above the hard one itself. Prints "accepted" or
# the errno name and the extack message.
sa_life() {
	ip netns exec "$1" python3 - "$ESPTUN_TOP/selftests/lib" "${@:2}" <<'PY'
import errno, socket, sys
sys.path.insert(0, sys.argv[1])
from genl import Genl, attr, nest, u8, u32, u64
from esptun_uapi import (NEW_SA, SET_SA, IFINDEX, SA, DIR, SPI, LIFETIME, OUT,
                         SOFT_SECONDS, HARD_SECONDS, gcm)
op, spi, soft, hard = sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4]), int(sys.argv[5])
life = nest(LIFETIME, *([attr(SOFT_SECONDS, u64(soft))] if soft else []) +
            ([attr(HARD_SECONDS, u64(hard))] if hard else []))
dev = attr(IFINDEX, u32(socket.if_nametoindex("t0")))
g = Genl("esptun")
if op == "new":
    err, _ = g.request(NEW_SA, dev + gcm(OUT, spi, bytes(range(20)), life))
else:
    err, _ = g.request(SET_SA, dev + nest(SA, attr(DIR, u8(OUT)), attr(SPI, u32(spi)), life))
print("accepted" if not err else "%s %s" % (errno.errorcode[-err], g.extack))
PY
}

# A soft limit above the hard one is refused, by NEW_SA and SET_SA, and
# changes nothing: it would hold the hard expiry back until the soft one.
# Lowering the hard limit below the SA's age expires it within a second.
events=$(mktemp)
ip netns exec a "$ESPTUN" monitor >"$events" &
mon=$!
sleep 1
out=$(sa_life a new 0x1006 10 2)
echo "NEW_SA soft 10 s hard 2 s: $out"
echo "$out" | grep -q "^EINVAL Soft lifetime limit above the hard one" ||
	fail "NEW_SA with soft 10 s above hard 2 s: $out"
# Its hard limit leaves room for a slow guest: the steps below must happen
# before it, and python starts slowly under an emulated CPU.
out=$(sa_life a new 0x1007 10 120)
[ "$out" = accepted ] || fail "NEW_SA soft 10 s hard 120 s: $out"
added=$SECONDS
sleep 3
[ -z "$(esptun_sa_col a t0 out 0x1006 10)" ] || fail "SA with hard 2 s (soft 10 s) alive after 3 s"
out=$(sa_life a set 0x1007 10 2)
echo "SET_SA soft 10 s hard 2 s at 3 s: $out"
echo "$out" | grep -q "^EINVAL Soft lifetime limit above the hard one" ||
	fail "SET_SA with soft 10 s above hard 2 s: $out"
[ "$(esptun_sa_col a t0 out 0x1007 20)" = 120 ] || fail "refused SET_SA changed the hard limit"
out=$(sa_life a set 0x1007 0 2)
[ "$out" = accepted ] || fail "SET_SA hard 2 s, $((SECONDS - added)) s after NEW_SA: $out"
sleep 1.5
kill $mon; wait $mon 2>/dev/null
cat "$events"
[ -z "$(esptun_sa_col a t0 out 0x1007 10)" ] || fail "SA past its new hard limit alive 1.5 s later"
grep -q "^hard-expire t0 out spi 0x0*1007" "$events" || fail "no hard expiry after SET_SA"
grep -q "spi 0x0*1006" "$events" && fail "events for the refused SA 0x1006"
echo "soft above hard refused; a hard limit already passed expires at once"
exit 0
