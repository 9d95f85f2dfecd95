#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Controlling a running esptun daemon: esptun show lists its IKE SAs and
# their ESP pairs; esptun down NAME DELETEs a tunnel's SAs on both sides
# and keeps it down (no renegotiation, the peer's refused); esptun -j show
# gives the same as JSON, also without a daemon or devices; esptun up NAME
# brings it back, even a start = respond tunnel; esptun reload renegotiates a changed tunnel and leaves an
# unchanged one alone, and a broken file changes nothing; unknown names
# and a namespace without a daemon give clear errors.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
esptun_load

ike_scratch ike_control
SHOW_JSON=$(dirname "$0")/../lib/show_json.py

# vpn0 runs over 10.0.0.x, vpn1 over 10.0.1.x: one peer address per tunnel.
wire ia 10.0.0.1/24 ib 10.0.0.2/24 veth0
ip -n ia addr add 10.0.1.1/24 dev veth0
ip -n ib addr add 10.0.1.2/24 dev veth0
netns_add ic # no daemon there

# conf NAME ME PEER START VPN0_ESP
conf() {
	cat >"$DIR/$1.conf" <<-EOF
	[vpn0]
	local = 10.0.0.$2
	remote = 10.0.0.$3
	psk = k0
	ike = aes256-sha256-modp2048
	esp = $5
	start = $4
	[vpn1]
	local = 10.0.1.$2
	remote = 10.0.1.$3
	psk = k1
	ike = aes128-sha256-ecp256
	esp = aes256-sha256
	start = $4
	EOF
}

ctl() { # NS ARGS...: esptun in NS, its output and exit code in $out and $rc
	local ns=$1
	shift
	out=$(ip netns exec "$ns" "$ESPTUN" "$@" 2>&1)
	rc=$?
	echo "# $ns: esptun $*: exit $rc"
	printf '%s\n' "$out" | sed 's/^/#   /'
}

expect() { # RC PATTERN WHAT: the last ctl exited RC and printed PATTERN
	[ "$rc" = "$1" ] || { miss "$3: exit $rc, not $1"; return; }
	echo "$out" | grep -Eq "$2" || miss "$3: no /$2/ in its output"
}

# wait_after FILE LINES PATTERN SECONDS: wait_log on what FILE got after its first LINES lines.
wait_after() {
	for _ in $(seq $(($4 * 2))); do
		tail -n +$(($2 + 1)) "$1" | grep -Eq "$3" && return 0
		sleep 0.5
	done
	echo "# no line /$3/ in $(basename "$1") after $4 s"
	return 1
}

# spis NS DEV: the device's kernel SAs, "dir spi cipher" per line, sorted (none before
# the daemon made the device).
spis() { ip netns exec "$1" "$ESPTUN" show "$2" dump 2>/dev/null | awk '{ print $2, $3, $4 }' | sort; }

pings() { # NS SRC DST: true when a ping gets through
	ip netns exec "$1" ping -q -c 2 -W 2 -I "$2" "$3" >/dev/null
}

# installed NS DEV SECONDS: until DEV has an inbound and an outbound SA.
installed() {
	for _ in $(seq $(($3 * 2))); do
		[ "$(spis "$1" "$2" | awk '{ print $1 }' | sort -u | tr '\n' ' ')" = "in out " ] &&
			return 0
		sleep 0.5
	done
	echo "# $2 in $1: no SA pair after $3 s"
	return 1
}

conf a 1 2 initiate aes128gcm16
conf b 2 1 respond "aes128gcm16, aes256-sha256"
ike_daemon_start ib b
ike_daemon_start ia a
a_pid=$last_pid

ok=1
for dev in vpn0 vpn1; do
	installed ia $dev 120 || ok=0
	installed ib $dev 30 || ok=0
done
[ $ok = 1 ] || { ike_result "both tunnels come up" a.log b.log; fail "no tunnels to control"; }
ike_inner ia ib
ip -n ia addr add 10.20.1.1/32 dev vpn1
ip -n ib addr add 10.20.2.1/32 dev vpn1
ip -n ia route add 10.20.2.0/24 dev vpn1
ip -n ib route add 10.20.1.0/24 dev vpn1

echo "# case: show lists the IKE SAs"
ok=1
# The status is written when the SAs change; give the last change a moment.
sleep 1
ip netns exec ia "$ESPTUN" show vpn0 | tee "$DIR/show-a" | sed 's/^/# a: /'
ip netns exec ib "$ESPTUN" show vpn0 >"$DIR/show-b"
ike_a=$(sed -n 's/^ *ike sa: i-spi \([0-9a-f]\{16\}\) r-spi \([0-9a-f]\{16\}\)$/\1 \2/p' "$DIR/show-a")
ike_b=$(sed -n 's/^ *ike sa: i-spi \([0-9a-f]\{16\}\) r-spi \([0-9a-f]\{16\}\)$/\1 \2/p' "$DIR/show-b")
[ -n "$ike_a" ] || miss "no IKE SA with both SPIs in a's show"
[ "$(echo "$ike_a" | wc -l)" = 1 ] || miss "not one IKE SA in a's show: $ike_a"
[ "${ike_a#* }" != 0000000000000000 ] || miss "no responder SPI"
[ "$ike_a" = "$ike_b" ] || miss "the two sides show other SPIs: '$ike_a' and '$ike_b'"
grep -q '^    main mode, initiator, established, peer 10\.0\.0\.2:500$' "$DIR/show-a" ||
	miss "a's show lacks mode, role, state and peer"
grep -q '^    main mode, responder, established, peer 10\.0\.0\.1:500$' "$DIR/show-b" ||
	miss "b's show lacks mode, role, state and peer"
grep -Eq '^    age [0-9]+ s, lifetime [0-9]+ s, [0-9]+ s left$' "$DIR/show-a" ||
	miss "no age, lifetime and time left"
in_spi=$(spis ia vpn0 | awk '$1 == "in" { print $2 }')
out_spi=$(spis ia vpn0 | awk '$1 == "out" { print $2 }')
grep -Eq "^    esp sa: spi in $in_spi out $out_spi \\(active\\), [0-9]+ s left$" "$DIR/show-a" ||
	miss "no child SA $in_spi/$out_spi (active) with its time left"
ike_result "show lists the IKE SA with both SPIs, mode, role, state, peer, age and its ESP pair" \
	a.log b.log

echo "# case: esptun -j show"
ok=1
ip netns exec ia "$ESPTUN" -j show vpn0 >"$DIR/json-before" || miss "esptun -j show vpn0 failed"
pings ia 10.10.1.1 10.10.2.1 || miss "no ping through vpn0"
ip netns exec ia "$ESPTUN" --json show vpn0 >"$DIR/json-after" || miss "esptun --json show vpn0 failed"
sed 's/^/# a: /' "$DIR/json-after"
"$SHOW_JSON" tunnel "$DIR/json-before" "$DIR/json-after" vpn0 10.0.0.2 \
	"$in_spi" "$out_spi" 10.0.0.2:500 || ok=0
# ic: no daemon, no device; then a device with a hostile name and no SA.
ip netns exec ic "$ESPTUN" -j show >"$DIR/json-none" || miss "esptun -j show without devices failed"
"$SHOW_JSON" plain "$DIR/json-none" || ok=0
hostile='q"\x'
ip -n ic link add "$hostile" type esptun || miss "no device named $hostile"
ip netns exec ic "$ESPTUN" -j show >"$DIR/json-plain" || miss "esptun -j show of $hostile failed"
sed 's/^/# c: /' "$DIR/json-plain"
"$SHOW_JSON" plain "$DIR/json-plain" "$hostile" || ok=0
ip -n ic link del "$hostile"
ike_result "esptun -j show is JSON with the device, endpoint, IKE SA, ESP SPIs and growing counters" \
	a.log b.log

echo "# case: down"
ok=1
b_lines=$(wc -l <"$DIR/b.log")
ctl ia down vpn0
expect 0 'vpn0 is down: 1 IKE SA deleted' "esptun down"
mm1_before=$(grep -c 'MM1 -> 10\.0\.0\.2' "$DIR/a.log")
wait_after "$DIR/b.log" "$b_lines" 'vpn0: the peer deleted its ESP SA' 30 || ok=0
wait_after "$DIR/b.log" "$b_lines" 'vpn0: the peer deleted the IKE SA' 30 || ok=0
sleep 1
[ -z "$(spis ia vpn0)" ] || miss "SAs left in a's vpn0: $(spis ia vpn0)"
[ -z "$(spis ib vpn0)" ] || miss "SAs left in b's vpn0: $(spis ib vpn0)"
pings ia 10.10.1.1 10.10.2.1 && miss "a ping got through a tunnel that is down"
pings ia 10.20.1.1 10.20.2.1 || miss "vpn1 stopped working"
ip netns exec ia "$ESPTUN" show vpn0 >"$DIR/show-a"
grep -q 'admin: down' "$DIR/show-a" || miss "show does not say the tunnel is down"
grep -q 'ike sa:' "$DIR/show-a" && miss "show still lists an IKE SA"
echo "# waiting 15 s for a renegotiation that must not come"
sleep 15
mm1_after=$(grep -c 'MM1 -> 10\.0\.0\.2' "$DIR/a.log")
[ "$mm1_after" = "$mm1_before" ] || miss "the daemon renegotiated a tunnel that is down"
[ -z "$(spis ia vpn0)" ] || miss "SAs came back in a's vpn0"
ike_result "down deletes the SAs on both sides and keeps the tunnel down" a.log b.log

echo "# case: up"
ok=1
ctl ia up vpn0
expect 0 'vpn0: negotiating Main Mode with 10\.0\.0\.2:500' "esptun up"
installed ia vpn0 60 || ok=0
installed ib vpn0 30 || ok=0
pings ia 10.10.1.1 10.10.2.1 || miss "no ping after up"
ctl ia up vpn0
expect 0 'vpn0 is up already' "a second esptun up"
ike_result "up brings the tunnel back" a.log b.log

echo "# case: reload with a changed tunnel"
ok=1
vpn1_before=$(spis ia vpn1)
vpn0_before=$(spis ia vpn0)
b_lines=$(wc -l <"$DIR/b.log")
conf a 1 2 initiate aes256-sha256
ctl ia reload
expect 0 'reloaded .*a\.conf: 1 unchanged, 1 changed, 0 added, 0 removed' "esptun reload"
wait_after "$DIR/b.log" "$b_lines" 'vpn0: the peer deleted the IKE SA' 30 || ok=0
for _ in $(seq 120); do
	spis ia vpn0 | grep -q '^out .* cbc(aes)$' && break
	sleep 0.5
done
spis ia vpn0 | grep -q '^out .* cbc(aes)$' || miss "vpn0 was not negotiated with aes256-sha256: $(spis ia vpn0)"
installed ib vpn0 30 || ok=0
spis ib vpn0 | grep -q 'rfc4106' && miss "b kept a GCM SA: $(spis ib vpn0)"
[ "$(spis ia vpn0)" != "$vpn0_before" ] || miss "vpn0's SPIs did not change"
[ "$(spis ia vpn1)" = "$vpn1_before" ] || miss "vpn1's SAs changed: $vpn1_before -> $(spis ia vpn1)"
pings ia 10.10.1.1 10.10.2.1 || miss "no ping through vpn0 after reload"
pings ia 10.20.1.1 10.20.2.1 || miss "no ping through vpn1 after reload"
ike_result "reload renegotiates the changed tunnel only" a.log b.log

echo "# case: reload with a broken file"
ok=1
before="$(spis ia vpn0) $(spis ia vpn1)"
cp "$DIR/a.conf" "$DIR/a.good"
printf 'dpd-delay = soon\n' >>"$DIR/a.conf"
line=$(wc -l <"$DIR/a.conf")
ctl ia reload
expect 1 "a\\.conf:$line: " "esptun reload of a broken file"
sleep 2
[ "$(spis ia vpn0) $(spis ia vpn1)" = "$before" ] || miss "SAs changed after a failed reload"
cp "$DIR/a.good" "$DIR/a.conf"
# SIGHUP reloads too; the file is as the daemon has it: nothing changes.
kill -HUP "$a_pid"
wait_log "$DIR/a.log" 'reloaded .*: 2 unchanged, 0 changed' 10 || ok=0
[ "$(spis ia vpn0) $(spis ia vpn1)" = "$before" ] || miss "SAs changed after an idle SIGHUP"
ike_result "a broken file changes nothing and names file:line; SIGHUP reloads" a.log b.log

echo "# case: errors"
ok=1
ctl ia up nosuch
expect 1 'no tunnel nosuch in .*a\.conf' "up of an unknown name"
ctl ia down nosuch
expect 1 'no tunnel nosuch in .*a\.conf' "down of an unknown name"
ctl ic reload
expect 1 'no esptun daemon in this network namespace' "reload without a daemon"
ctl ic up vpn0
expect 1 'no esptun daemon in this network namespace' "up without a daemon"
ctl ia down 'bad/name'
expect 1 "bad device name 'bad/name'" "a bad device name"
ike_result "unknown names and a missing daemon fail clearly" a.log b.log

# Neither side initiates vpn1 any more; up on the responder brings it up, ESP pair included.
echo "# case: up of a start = respond tunnel"
ok=1
sed -i '/^\[vpn1\]/,$ s/^start = initiate$/start = respond/' "$DIR/a.conf"
b_lines=$(wc -l <"$DIR/b.log")
ctl ia reload
expect 0 '1 unchanged, 1 changed, 0 added, 0 removed' "reload making vpn1 start = respond"
wait_after "$DIR/b.log" "$b_lines" 'vpn1: the peer deleted the IKE SA' 30 || ok=0
sleep 12 # longer than the daemon's retry interval: nobody starts it
[ -z "$(spis ia vpn1)" ] || miss "vpn1 came back with both sides start = respond"
b_lines=$(wc -l <"$DIR/b.log")
ctl ib up vpn1
expect 0 'vpn1: negotiating Main Mode with 10\.0\.1\.1:500' "up of a start = respond tunnel"
wait_after "$DIR/b.log" "$b_lines" 'QM1 -> 10\.0\.1\.1' 60 || miss "the responder's up started no Quick Mode"
installed ib vpn1 60 || ok=0
installed ia vpn1 30 || ok=0
pings ia 10.20.1.1 10.20.2.1 || miss "no ping through vpn1 after up on the responder"
ike_result "up negotiates a start = respond tunnel with its ESP pair" a.log b.log

# The peer negotiates a tunnel that is down here: refused, and said why.
echo "# case: a peer's negotiation of a tunnel that is down"
ok=1
ctl ia down vpn0
ctl ib up vpn0 # b is start = respond: up negotiates anyway
expect 0 'vpn0: negotiating Main Mode with 10\.0\.0\.1:500' "up of a start = respond tunnel"
wait_log "$DIR/a.log" 'vpn0: MM1 from 10\.0\.0\.2:500 refused: the tunnel is down' 30 || ok=0
ip netns exec ib "$ESPTUN" show vpn0 | grep -q 'main mode, initiator, MM1 sent' ||
	miss "b's show does not list its IKE SA in MM1 sent"
[ -z "$(spis ia vpn0)" ] || miss "a installed SAs for a tunnel that is down"
ike_result "a tunnel that is down refuses the peer's negotiation" a.log b.log

echo "# case: exit"
ok=1
ike_stop
ctl ia reload
expect 1 'no esptun daemon in this network namespace' "reload after the daemon's exit"
ike_result "the daemon's exit removes its control socket" a.log b.log

ike_done
