#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# esptun daemon <-> strongSwan charon with RSA signatures and X.509
# certificates (auth = rsa; charon's auth = pubkey), IKEv1, in two
# namespaces joined through a router namespace:
#   swan 10.0.1.1 --- rt --- 10.0.2.2 ike
# A CA made at test time (lib/pki.sh) signs both hosts, "a" (ours) and
# "b" (charon's). Cases, one charon restarted per case:
# - Main Mode with each side initiating, Aggressive Mode with each side
#   initiating: both logs show the IKE SA and the CHILD SA, our log that
#   charon's certificate was trusted, and a ping crosses the tunnel; also
#   with ECDSA keys on P-256 (our auth = ecdsa) with each side initiating;
# - a 576-byte path (rt's link to ike at MTU 576, every namespace dropping
#   IP fragments so that only IKE fragments can carry a certificate), each
#   side initiating: the tunnel comes up and both logs show IKE fragments;
# - charon initiating with a certificate that has expired, is from a CA we
#   do not trust, is revoked (our crl), or names another host than our
#   remote-id: our log says why (INVALID-CERTIFICATE / INVALID-ID-
#   INFORMATION) and neither side has an IKE SA or an ESP SA.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/ike.sh"
. "$(dirname "$0")/../lib/strongswan.sh"
. "$(dirname "$0")/../lib/pki.sh"
need_esptun_cli
swan_require
command -v openssl >/dev/null || skip "openssl CLI not installed (make deps)"
command -v nft >/dev/null || skip "nft not installed (make deps)"
esptun_load

ike_scratch ike_cert
t_start=$SECONDS

# Certificates: one RSA key per host, shared by charon's bad certificates.
pki_init "$DIR/pki"
pki_ca ca
pki_ca rogue
pki_cert ca a ip=10.0.2.2
pki_cert ca b ip=10.0.1.1
pki_cert ca b-expired cn=b key=b expired=1
pki_cert rogue b-rogue cn=b key=b
pki_cert ca b-revoked cn=b key=b
pki_cert ca c key=b
pki_cert ca ec-a cn=a ec=1
pki_cert ca ec-b cn=b ec=1
pki_revoke ca b-revoked
echo "# certificates made in $((SECONDS - t_start)) s"

wire swan 10.0.1.1/24 rt 10.0.1.254/24 w1
netns_add ike
ip link add w2 netns rt type veth peer name w2 netns ike || fail "veth rt - ike"
ip -n rt addr add 10.0.2.254/24 dev w2
ip -n ike addr add 10.0.2.2/24 dev w2
ip -n rt link set w2 up
ip -n ike link set w2 up
ip -n swan route add default via 10.0.1.254
ip -n ike route add default via 10.0.2.254
ip netns exec rt sysctl -qw net.ipv4.ip_forward=1
# charon's side of the route-based tunnel: an xfrm interface (if_id 42).
swan_xfrm_if swan w1 10.10.1.1/32 10.10.2.0/24

# narrow_path: rt's link to ike at MTU 576, and IP fragments dropped
# before reassembly (priority -500, ahead of conntrack's defrag) wherever
# they arrive, so an IKE message over 576 bytes only passes in IKE fragments.
narrow_path() {
	local ns
	ip -n rt link set w2 mtu 576
	ip -n ike link set w2 mtu 576
	for ns in swan rt ike; do
		ip netns exec $ns nft -f - <<-EOF || fail "nft in $ns"
		table ip nofrag {
			chain pre {
				type filter hook prerouting priority -500;
				ip frag-off & 0x3fff != 0 counter drop
			}
		}
		EOF
	done
}

# charon_start CERT START_ACTION AGGRESSIVE: charon in swan presenting
# $PKI/CERT.crt (key b), trusting ca, expecting our subject; it sends its
# certificate $swan_send_cert (default always).
charon_start() {
	local sw=$DIR/swanctl
	rm -rf "$sw"
	for d in x509 x509ca x509ocsp x509aa x509ac x509crl pubkey private rsa ecdsa bliss pkcs8 pkcs12; do
		mkdir -p "$sw/$d"
	done
	cp "$PKI/$1.crt" "$sw/x509/"
	cp "$PKI/${swan_key:-b}.key" "$sw/private/"
	cp "$PKI/ca.crt" "$sw/x509ca/"
	swan_conn="aggressive = $3
		fragmentation = yes
		send_cert = ${swan_send_cert:-always}"
	swan_local="auth = pubkey
		certs = $1.crt"
	swan_remote='auth = pubkey
		id = "C=CH, O=esptun, CN=a"'
	swan_conf "$DIR" 10.0.1.1 10.0.2.2 aes128gcm16-modp2048 "$2"
	swan_start swan "$DIR"
}

# daemon_start START MODE [KEY=VALUE...]: our daemon in ike, with a's
# certificate, trusting ca, expecting $remote_id (default charon's subject).
daemon_start() {
	local start=$1 mode=$2
	shift 2
	ike_auth="auth = ${our_auth:-rsa}
cert = $PKI/${our_cert:-a}.crt
key = $PKI/${our_cert:-a}.key
ca = $PKI/ca.crt" ike_conf esptun vpn0 10.0.2.2 10.0.1.1 \
		"remote-id=${remote_id:-asn1dn:C=CH, O=esptun, CN=b}" "start=$start" "mode=$mode" "$@"
	ike_daemon_start ike esptun
}

# case_end NAME: the verdict, then everything stopped and cleared.
case_end() {
	ike_result "$1 ($((SECONDS - t_case)) s)" esptun.log charon.log
	ike_stop
	ip -n ike link del vpn0 2>/dev/null
	ip -n swan xfrm state flush
}

# up_case NAME ROLE MODE [KEY=VALUE...]: the tunnel comes up with us as
# ROLE (initiator or responder) in MODE (main or aggressive); the daemon
# gets the KEY=VALUEs; $expect_ours and $expect_swan, when set, must be in
# our and charon's log.
up_case() {
	local name=$1 role=$2 mode=$3 aggr=no ok=1 re
	shift 3
	t_case=$SECONDS
	echo "# case: $name"
	[ "$mode" = aggressive ] && aggr=yes
	if [ "$role" = initiator ]; then
		charon_start "${swan_cert:-b}" none $aggr
		daemon_start initiate "$mode" "$@"
	else
		daemon_start respond "$mode" "$@"
		charon_start "${swan_cert:-b}" start $aggr
	fi
	wait_log "$DIR/esptun.log" 'CHILD SA established' 60 || miss "our CHILD SA"
	wait_log "$DIR/charon.log" 'CHILD_SA net\{[0-9]+\} established' 20 || miss "charon's CHILD SA"
	grep -E 'certificate|IKE SA established|CHILD SA established|fragment' "$DIR/esptun.log"
	grep -Eq "IKE SA established \\($mode mode" -i "$DIR/esptun.log" || miss "our IKE SA in $mode mode"
	grep -q 'the peer.s certificate "C=CH, O=esptun, CN=b" is trusted, and signed' "$DIR/esptun.log" ||
		miss "charon's certificate trusted in our log"
	grep -E "IKE_SA esptun\[[0-9]+\] established|CHILD_SA net\{[0-9]+\} established|fragment" "$DIR/charon.log"
	grep -Eq "IKE_SA esptun\[[0-9]+\] established between 10.0.1.1\[C=CH, O=esptun, CN=b\]...10.0.2.2\[C=CH, O=esptun, CN=a\]" \
		"$DIR/charon.log" || miss "charon's IKE SA between our subjects"
	for re in ${expect_ours:-}; do
		grep -Eq "${re//_/ }" "$DIR/esptun.log" || miss "our log: ${re//_/ }"
	done
	for re in ${expect_swan:-}; do
		grep -Eq "${re//_/ }" "$DIR/charon.log" || miss "charon's log: ${re//_/ }"
	done
	if [ "$ok" = 1 ]; then
		ip -n ike addr add 10.10.2.1/32 dev vpn0
		ip -n ike link set vpn0 up
		ip -n ike route add 10.10.1.0/24 dev vpn0
		ip netns exec ike ping -q -c 3 -W 2 -I 10.10.2.1 10.10.1.1 >"$DIR/ping.out" 2>&1 ||
			{ cat "$DIR/ping.out"; miss "ping through the tunnel"; }
	fi
	case_end "$name"
}

# bad_case NAME CERT PATTERN [KEY=VALUE...]: charon initiates Main Mode
# presenting CERT; our log must have a line matching PATTERN (and one
# matching $expect_ours, when set), and neither side an IKE SA or an ESP SA.
bad_case() {
	local name=$1 cert=$2 re=$3 ok=1
	shift 3
	t_case=$SECONDS
	echo "# case: $name"
	daemon_start respond main "$@"
	charon_start "$cert" start no
	wait_log "$DIR/esptun.log" "$re" 60 || miss "our reason"
	[ -z "${expect_ours:-}" ] || grep -Eq "$expect_ours" "$DIR/esptun.log" ||
		miss "our log: $expect_ours"
	grep -E "INVALID|CERT|certificate|remote-id|identity|refused" "$DIR/esptun.log"
	# charon's MM5 was refused: it has nothing to send but retransmits.
	sleep 1
	! grep -q 'IKE SA established' "$DIR/esptun.log" || miss "we established an IKE SA"
	! grep -Eq 'IKE_SA esptun\[[0-9]+\] established' "$DIR/charon.log" ||
		miss "charon established an IKE SA"
	[ -z "$(ip netns exec ike "$ESPTUN" show vpn0 dump 2>/dev/null)" ] || miss "we hold ESP SAs"
	[ "$(swan_states swan)" = 0 ] || miss "charon installed ESP SAs"
	case_end "$name"
}

up_case "Main Mode, esptun initiating" initiator main
up_case "Main Mode, charon initiating" responder main
up_case "Aggressive Mode, esptun initiating" initiator aggressive
up_case "Aggressive Mode, charon initiating" responder aggressive
# charon sends its subject as ID; remote-id names its DNS name, which its
# certificate holds as subjectAltName.
remote_id=fqdn:b up_case "Main Mode, remote-id charon's subjectAltName" initiator main
# ECDSA on P-256 (RFC 4754, auth method 9) both ways.
our_auth=ecdsa our_cert=ec-a swan_cert=ec-b swan_key=ec-b \
	up_case "ECDSA P-256, esptun initiating" initiator main
our_auth=ecdsa our_cert=ec-a swan_cert=ec-b swan_key=ec-b \
	up_case "ECDSA P-256, charon initiating" responder main

bad_case "expired certificate" b-expired 'INVALID-CERTIFICATE.*expired'
bad_case "certificate from an unknown CA" b-rogue 'INVALID-CERTIFICATE.*unknown CA'
bad_case "revoked certificate" b-revoked 'INVALID-CERTIFICATE.*revoked' "crl=$PKI/ca.crl"
# Another host's certificate (CN=c, DNS:c): its subject is not remote-id's
# DN; nor does it hold remote-id's DNS name (checked on the certificate).
expect_ours="remote-id" bad_case "another host's subject than remote-id" c 'INVALID-ID-INFORMATION'
remote_id=fqdn:b bad_case "another host's subjectAltName than remote-id" c \
	'INVALID-ID-INFORMATION.*remote-id'
swan_send_cert=never bad_case "no certificate sent" b 'CERT-UNAVAILABLE'

# Last, as it narrows the path for good. charon fragments what exceeds a
# 576-byte datagram; we split a message on its retransmission (after 2 s).
narrow_path
swan_charon="fragment_size = 576" \
	expect_ours="reassembled_a_[0-9]+-byte_message_from_[0-9]+_fragments sent_a_[0-9]+-byte_message_in_[0-9]+_fragments" \
	expect_swan="reassembled_fragmented_IKE_message" \
	up_case "576-byte path, esptun initiating" initiator main fragmentation=yes
swan_charon="fragment_size = 576" \
	expect_ours="reassembled_a_[0-9]+-byte_message_from_[0-9]+_fragments sent_a_[0-9]+-byte_message_in_[0-9]+_fragments" \
	expect_swan="reassembled_fragmented_IKE_message" \
	up_case "576-byte path, charon initiating" responder main fragmentation=yes
# The path did refuse IP fragments (the first, whole MM5 or MM6 we sent).
ok=1
dropped=$(ip netns exec rt nft list chain ip nofrag pre | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
echo "# IP fragments dropped on the path: $dropped"
[ "${dropped:-0}" -gt 0 ] || miss "no IP fragment met the path's drop rule"
ike_result "576-byte path dropped IP fragments"
echo "# guest time: $((SECONDS - t_start)) s"
ike_done
