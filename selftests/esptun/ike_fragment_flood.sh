#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile IKE fragments at an esptun daemon with an established tunnel
# (issue 18): from the peer's own address with the IKE SA's cookies, every
# shape reassembly must survive (duplicates, contradictions, gaps, no last
# piece, pieces past the last, oversize totals, a new fragment ID each
# time, whole messages of garbage), then the same from spoofed sources.
# The daemon must stay up with its tunnel (no new negotiation, a ping
# still crosses), its resident memory may not grow by more than 2 MiB, and
# it may send no more datagrams than the complete messages it received.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
esptun_load
FRAGS="$(dirname "$0")/../lib/ike_fragments.py"
COUNT=${COUNT:-6000}

ike_scratch ike_fragment_flood
wire ia 10.0.0.1/24 ib 10.0.0.2/24 veth0
ike_conf a vpn0 10.0.0.1 10.0.0.2 start=respond fragmentation=yes
ike_conf b vpn0 10.0.0.2 10.0.0.1 start=initiate fragmentation=yes
ike_daemon_start ia a
a_pid=$last_pid
ike_daemon_start ib b
wait_log "$DIR/a.log" 'installed inbound' 90 || { ike_stop; fail "no tunnel: $(tail -20 "$DIR/a.log")"; }
ike_inner ia ib
ip netns exec ib ping -c 2 -W 2 -I 10.10.2.1 10.10.1.1 >/dev/null || fail "no ping before the flood"

# The responder's MM6 names both cookies.
cookies=$(sed -n 's/.*MM6 -> .* I-SPI \([0-9a-f]*\) R-SPI \([0-9a-f]*\) .*/\1 \2/p' "$DIR/a.log" | head -1)
icookie=${cookies% *}
rcookie=${cookies#* }
[ -n "$rcookie" ] || fail "no MM6 line in a.log"
echo "# IKE SA $icookie $rcookie"

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$a_pid/status"; }
out_datagrams() { ip netns exec ia awk '/^Udp:/ { if (n++) print $5 }' /proc/net/snmp; }

reassembled() { grep -c 'reassembled a\|IKE fragment dropped' "$DIR/a.log"; }

# flood NAME [--spoof]: COUNT fragments from ib, then the checks.
flood_case() {
	local name=$1 ok=1 rss0 rss1 out0 out1 said sent whole seen
	shift
	seen=$(reassembled)
	rss0=$(rss)
	out0=$(out_datagrams)
	said=$(ip netns exec ib python3 "$FRAGS" 10.0.0.1 "$icookie" "$rcookie" "$COUNT" "$@")
	sent=$(echo "$said" | awk '{ print $2 }')
	whole=$(echo "$said" | awk '{ print $4 }')
	sleep 2
	kill -0 "$a_pid" 2>/dev/null || { miss "the daemon died"; ok=0; }
	rss1=$(rss)
	out1=$(out_datagrams)
	echo "# $name: sent $sent fragments ($whole whole messages); VmRSS ${rss0} -> ${rss1:-?} KiB; datagrams out $((out1 - out0))"
	[ -n "$rss1" ] && [ $((rss1 - rss0)) -le 2048 ] || miss "VmRSS grew from $rss0 to $rss1 KiB"
	[ $((out1 - out0)) -le "${whole:-0}" ] || miss "answered $((out1 - out0)) datagrams for $whole whole messages"
	ip netns exec ib ping -c 2 -W 2 -I 10.10.2.1 10.10.1.1 >/dev/null || miss "no ping after the flood"
	[ "$(grep -c 'IKE SA established' "$DIR/a.log")" = 1 ] || miss "a new IKE SA was negotiated"
	# Proof the fragments were looked at (the peer's) or not even kept (spoofed).
	seen=$(($(reassembled) - seen))
	echo "# $name: $seen reassemblies logged as done or dropped"
	if [ -n "${1:-}" ]; then
		[ "$seen" = 0 ] || miss "fragments from spoofed sources were reassembled"
	else
		[ "$seen" -ge "$whole" ] || miss "only $seen fragments reached the reassembly"
	fi
	[ -z "$missed" ] || ok=0
	ike_result "$name" a.log
}

flood_case "hostile fragments from the peer's address"
flood_case "hostile fragments from spoofed sources" --spoof
ike_stop
ike_done
