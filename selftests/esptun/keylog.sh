#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# keylog-dir: daemon <-> daemon in two namespaces (Main Mode, Quick Mode
# with PFS, pings through the tunnel) with keylog-dir on the initiator
# only, captured on the wire with dumpcap. tshark decrypts the capture with
# the directory as its configuration (WIRESHARK_CONFIG_DIR, the one-liner
# of README): MM5, MM6 and QM1..QM3 show their payloads (HASH, ID, NONCE)
# and ICMP both ways is seen inside ESP; without the keys it shows
# neither. The directory is made 0700, the tables 0600; the side without
# keylog-dir writes none, and its log has no warning. For AES-GCM and for
# AES-CBC with HMAC-SHA-256 (the ICV checked by tshark too), and over IPv6
# outer addresses. keylog-dir added by esptun reload takes effect without
# touching the SAs (a rekey's pair is written); a table others may read
# refuses the reload, or stops the daemon at start, naming file:line.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
need_esptun_cli
command -v tshark >/dev/null || skip "tshark not installed"
command -v dumpcap >/dev/null || skip "dumpcap not installed"
esptun_load

ike_scratch keylog

wire ka 10.0.0.1/24 kb 10.0.0.2/24 veth0

# decoded [KEYDIR]: one line per IKE or ESP frame of the capture as tshark
# shows it, with KEYDIR as its configuration (an empty one without):
# frame, IPv4 source, exchange type, encryption flag, HASH, ID type, nonce,
# ICMP type, ESP ICV bad, IPv6 source. An ICMP error quoting an IKE
# datagram (port unreachable: MM1 came before the peer's daemon bound its
# port) is no IKE or ESP frame of ours.
decoded() {
	local conf=${1:-$DIR/noconf}
	mkdir -p "$DIR/noconf"
	WIRESHARK_CONFIG_DIR=$conf tshark -r "$DIR/cap.pcap" \
		-o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE \
		-Y '(isakmp || esp) && !(icmp.type == 3) && !(icmpv6.type == 1)' -T fields -E separator='|' -E occurrence=f \
		-e frame.number -e ip.src -e isakmp.exchangetype -e isakmp.flag_e -e isakmp.hash \
		-e isakmp.id.type -e isakmp.nonce -e icmp.type -e esp.icv_bad -e ipv6.src \
		2>"$DIR/tshark.err"
}

# count PATTERN FILE: lines of FILE (decoded's) that awk PATTERN matches;
# yes(x) is a boolean field's truth, however this tshark prints it, and
# from(a) and from(b) whether the frame came from $a or $b.
count() {
	awk -F'|' -v a="$a" -v b="$b" "function yes(x) { return x == \"1\" || x == \"True\" }
		function from(x) { return \$2 == x || \$10 == x }
		$1 { n++ } END { print n + 0 }" "$2"
}

keylog_case() { # IKE ESP [A B]: ka's and kb's outer addresses (default 10.0.0.1 and .2)
	local keys=$DIR/keys n mm5 mm6 qm1 qm2 qm3 req rep bad a=${3:-10.0.0.1} b=${4:-10.0.0.2}
	echo "# case: ike $1, esp $2, $a <-> $b"
	ok=1
	rm -rf "$keys"
	ike_conf a vpn0 "$a" "$b" "ike=$1" "esp=$2" start=initiate
	sed -i "1i keylog-dir = $keys" "$DIR/a.conf"
	ike_conf b vpn0 "$b" "$a" "ike=$1" "esp=$2" start=respond
	capture_start ka veth0 "$DIR/cap.pcap" 120
	ike_daemon_start kb b
	ike_daemon_start ka a
	if wait_log "$DIR/a.log" 'installed outbound' 90 &&
		wait_log "$DIR/b.log" 'installed outbound' 30; then
		ike_inner ka kb
		ip netns exec ka ping -c 3 -W 2 -I 10.10.1.1 10.10.2.1 >/dev/null ||
			miss "no ping through the tunnel"
		sleep 2 # for dumpcap to have the last reply
	fi
	kill "$cap_pid" 2>/dev/null
	wait "$cap_pid" 2>/dev/null

	grep -q 'WARNING: keylog-dir' "$DIR/a.log" || miss "no warning in a.log"
	grep -q 'keylog' "$DIR/b.log" && miss "b.log speaks of a keylog"
	n=$(stat -c %a "$keys" "$keys/ikev1_decryption_table" "$keys/esp_sa" 2>&1 | xargs)
	echo "# modes of $keys, its ikev1_decryption_table and esp_sa: $n"
	[ "$n" = "700 600 600" ] || miss "modes $n, expected 700 600 600"
	# The keys' only copies: none where b's daemon runs or keeps its state.
	n=$(find /tmp /run/esptun -name esp_sa -o -name ikev1_decryption_table 2>/dev/null |
		grep -vc "^$keys/")
	[ "$n" = 0 ] || miss "$n key tables outside keylog-dir"
	n=$(grep -vc '^#' "$keys/ikev1_decryption_table")
	[ "$n" = 1 ] || miss "$n IKE SA lines, expected 1"
	n=$(grep -vc '^#' "$keys/esp_sa")
	[ "$n" = 2 ] || miss "$n ESP SA lines, expected 2"
	sed -n '/^[^#]/s/\(0x[0-9a-f]\{4\}\)[0-9a-f]*/\1.../gp' "$keys/esp_sa" | sed 's/^/# esp_sa: /'

	decoded "$keys" >"$DIR/keys.txt"
	decoded >"$DIR/nokeys.txt"
	[ -s "$DIR/tshark.err" ] && sed 's/^/# tshark: /' "$DIR/tshark.err"
	# Main Mode (2) and Quick Mode (32) messages with the E flag that show
	# their payloads: MM5 (from a) and MM6 a HASH and an ID, QM1 (from a)
	# and QM2 a HASH and a nonce, QM3 a HASH alone. A retransmission is
	# not decrypted: Wireshark chains the CBC IV through every copy.
	mm5=$(count 'from(a) && $3 == 2 && yes($4) && $5 != "" && $6 != ""' "$DIR/keys.txt")
	mm6=$(count 'from(b) && $3 == 2 && yes($4) && $5 != "" && $6 != ""' "$DIR/keys.txt")
	qm1=$(count 'from(a) && $3 == 32 && $5 != "" && $7 != ""' "$DIR/keys.txt")
	qm2=$(count 'from(b) && $3 == 32 && $5 != "" && $7 != ""' "$DIR/keys.txt")
	qm3=$(count 'from(a) && $3 == 32 && $5 != "" && $7 == ""' "$DIR/keys.txt")
	req=$(count '$8 == 8' "$DIR/keys.txt")
	rep=$(count '$8 == 0' "$DIR/keys.txt")
	bad=$(count 'yes($9)' "$DIR/keys.txt")
	echo "# with the keys, decrypted: MM5 $mm5, MM6 $mm6, QM1 $qm1, QM2 $qm2, QM3 $qm3;" \
		"ICMP in ESP: $req requests, $rep replies, $bad bad ICVs"
	[ "$mm5" -ge 1 ] && [ "$mm6" -ge 1 ] || miss "MM5/MM6 not decrypted"
	[ "$qm1" -ge 1 ] && [ "$qm2" -ge 1 ] && [ "$qm3" -ge 1 ] || miss "QM1..QM3 not decrypted"
	[ "$req" -ge 3 ] && [ "$rep" -ge 3 ] || miss "ICMP not seen both ways inside ESP"
	[ "$bad" = 0 ] || miss "$bad ESP ICVs tshark found bad"
	# The control: the same capture without the keys shows none of it.
	mm5=$(count 'yes($4) && ($5 != "" || $6 != "")' "$DIR/nokeys.txt")
	req=$(count '$8 != ""' "$DIR/nokeys.txt")
	echo "# without the keys: $mm5 encrypted IKE messages decrypted, $req ICMP"
	[ "$mm5" = 0 ] && [ "$req" = 0 ] || miss "tshark decrypted without the keys"
	if [ "$ok" != 1 ]; then
		sed 's/^/# keys: /' "$DIR/keys.txt" | head -40
	fi
	ike_result "keylog-dir decrypts ike $1 esp $2 over $a <-> $b in tshark" a.log b.log
	ike_stop
	ip -n ka link del vpn0 2>/dev/null
	ip -n kb link del vpn0 2>/dev/null
}

keylog_case aes256-sha256-modp2048 aes128gcm16-modp2048
keylog_case aes128-sha1-modp2048 aes256-sha256-modp2048
# IPv6 outside (IPv4 pings inside): esp_sa's IPv6 addresses as Wireshark reads them.
ip -n ka addr add fd00::1/64 dev veth0 nodad
ip -n kb addr add fd00::2/64 dev veth0 nodad
keylog_case aes256-sha256-modp2048 aes128gcm16-modp2048 fd00::1 fd00::2

# A keylog-dir whose esp_sa others may read, for the refusals below.
mkdir -m 700 "$DIR/bad"
: >"$DIR/bad/esp_sa"
chmod 644 "$DIR/bad/esp_sa"

# Reload: keylog-dir added to a running daemon's file starts the tables
# (the SAs stay: no tunnel changed) and a rekey's pair is written; a
# keylog-dir it cannot use refuses the reload, naming file:line, and the
# old one stays.
echo "# case: keylog-dir by reload"
ok=1
ip -n ka addr flush dev veth0 scope global
ip -n kb addr flush dev veth0 scope global
ip -n ka addr add 10.0.0.1/24 dev veth0
ip -n kb addr add 10.0.0.2/24 dev veth0
ike_conf a vpn0 10.0.0.1 10.0.0.2 start=initiate
ike_conf b vpn0 10.0.0.2 10.0.0.1 start=respond
ike_daemon_start kb b
ike_daemon_start ka a
keys=$DIR/reload-keys
if wait_log "$DIR/a.log" 'installed outbound' 90 && wait_log "$DIR/b.log" 'installed outbound' 30; then
	sed -i "1i keylog-dir = $keys" "$DIR/a.conf"
	out=$(ip netns exec ka "$ESPTUN" reload 2>&1) || miss "reload failed: $out"
	echo "# esptun reload: $out"
	case $out in *"1 unchanged, 0 changed"*) ;; *) miss "the reload changed the tunnel" ;; esac
	grep -q "WARNING: keylog-dir $keys" "$DIR/a.log" || miss "no warning on reload"
	n=$(grep -vc '^#' "$keys/esp_sa" 2>/dev/null)
	[ "${n:-0}" = 0 ] || miss "$n ESP lines before any new SA"
	ip netns exec ka "$ESPTUN" rekey vpn0 >/dev/null || miss "esptun rekey failed"
	for _ in $(seq 60); do
		[ "$(grep -vc '^#' "$keys/esp_sa")" = 2 ] && break
		sleep 0.5
	done
	n=$(grep -vc '^#' "$keys/esp_sa")
	echo "# after the rekey: $n lines in esp_sa"
	[ "$n" = 2 ] || miss "$n ESP SA lines after the rekey, expected 2"
	sed -i "1s|.*|keylog-dir = $DIR/bad|" "$DIR/a.conf"
	out=$(ip netns exec ka "$ESPTUN" reload 2>&1) && miss "a reload with a bad keylog-dir succeeded"
	echo "# esptun reload: $out"
	case $out in *"a.conf:1: keylog-dir $DIR/bad/esp_sa: mode 644"*) ;;
	*) miss "no file:line for the bad keylog-dir" ;; esac
	grep -q 'reload refused, nothing changed' "$DIR/a.log" || miss "no refusal in the log"
fi
ike_result "keylog-dir by reload, refused when unusable" a.log b.log
ike_stop
ip -n ka link del vpn0 2>/dev/null
ip -n kb link del vpn0 2>/dev/null

# A table others may read: the daemon refuses to start, naming file:line.
echo "# case: a table others may read"
ok=1
ike_conf c vpn0 10.0.0.1 10.0.0.2
sed -i "1i keylog-dir = $DIR/bad" "$DIR/c.conf"
if ip netns exec ka "$ESPTUN" daemon -c "$DIR/c.conf" -p 501 >"$DIR/c.log" 2>&1; then
	miss "the daemon started"
fi
cat "$DIR/c.log"
grep -q "c.conf:1: keylog-dir $DIR/bad/esp_sa: mode 644" "$DIR/c.log" ||
	miss "no file:line error for the table"
grep -qsv '^#' "$DIR/bad/ikev1_decryption_table" && miss "a key written despite the refusal"
ike_result "a key table others may read stops the daemon with file:line" c.log

ike_done
