#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kilobyte lifetimes between two esptun daemons: lifetime-bytes = 1M on the
# initiator and 2M on the responder. The shorter is negotiated and becomes
# the SAs' hard byte limit in the kernel, with the soft limit at 90% on the
# side that ran the Quick Mode and 95% on the other. The kernel's
# SOFT_EXPIRE event makes a daemon rekey at once, long before the time
# lifetime (1 h); a stream of 1000-byte pings loses nothing across the
# rekeys, and no SA reaches its hard limit.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
esptun_load

ike_scratch ike_lifebytes

wire ia 10.0.0.1/24 ib 10.0.0.2/24 veth0

# conf NAME LOCAL REMOTE START BYTES
conf() {
	cat >"$DIR/$1.conf" <<-EOF
	[vpn0]
	local = $2
	remote = $3
	psk = s3cret
	ike = aes128-sha256-modp2048
	esp = aes128gcm16
	lifetime = 1h
	lifetime-bytes = $5
	start = $4
	EOF
}

conf b 10.0.0.2 10.0.0.1 respond 2M
conf a 10.0.0.1 10.0.0.2 initiate 1M
ike_daemon_start ib b
sleep 1
ike_daemon_start ia a
wait_log "$DIR/a.log" 'installed outbound' 90 && wait_log "$DIR/b.log" 'installed outbound' 30 ||
	{ cat "$DIR/a.log" "$DIR/b.log"; fail "no tunnel"; }
ike_inner ia ib

ok=1
# Dump columns 15 and 16: soft-bytes, hard-bytes. 1M = 1048576; 90% and 95%
# of it in the daemon's integer arithmetic.
limits() { # NS
	ip netns exec "$1" "$ESPTUN" show vpn0 dump | awk '$2 == "in" { print $15, $16; exit }'
}
[ "$(limits ia)" = "943713 1048576" ] || miss "initiator's limits: $(limits ia)"
[ "$(limits ib)" = "996132 1048576" ] || miss "responder's limits: $(limits ib)"

# 3000 pings of 1000 bytes, 20 ms apart: 3 MB each way, about 60 s.
count=3000
ip netns exec ia ping -D -O -s 1000 -i 0.02 -c $count -W 2 -I 10.10.1.1 10.10.2.1 \
	>"$DIR/ping.log" 2>&1
tail -2 "$DIR/ping.log"
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$DIR/ping.log")
[ "${received:-0}" = $count ] || miss "$((count - ${received:-0})) of $count pings lost"

soft=$(grep -c 'reached its soft limit in the kernel: rekeying now' "$DIR/a.log" "$DIR/b.log" |
	awk -F: '{ s += $2 } END { print s }')
children=$(grep -c 'CHILD SA established' "$DIR/a.log")
echo "# soft-limit rekeys: $soft, CHILD SAs on the initiator: $children"
grep -h 'soft limit\|hard limit\|rekeying\|deleting the old' "$DIR/a.log" "$DIR/b.log" | head -20
[ "$soft" -ge 2 ] || miss "fewer than 2 rekeys on the kernel's soft limit"
[ "$children" -ge 3 ] || miss "fewer than 2 new pairs"
! grep -q 'hard limit' "$DIR/a.log" "$DIR/b.log" || miss "an SA reached its hard limit"
ike_result "rekeying on the kernel's byte limit" a.log b.log
ike_stop
ike_done
