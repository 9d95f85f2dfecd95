#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Asynchronous crypto: with pcrypt(rfc4106(gcm(aes))) registered above the
# synchronous implementations, every encryption and decryption completes
# through the callback (-EINPROGRESS first). A ping flood and a TCP
# transfer arrive whole and counted; deleting SAs and the device, and
# rmmod, with requests in flight are clean.
. "$(dirname "$0")/../lib/common.sh"
esptun_load
need_esptun_cli
if ! modprobe -q pcrypt 2>/dev/null || ! modprobe -q crypto_user 2>/dev/null; then
	# make check-debug's kernel has no modules directory: both are built
	# in there, and pcrypt_instance.py below fails if they are not.
	[ -d "/lib/modules/$(uname -r)" ] &&
		skip "this kernel has no pcrypt or crypto_user module to force asynchronous crypto"
fi

# "PRIORITY DRIVER REFCNT" of each rfc4106(gcm(aes)) in /proc/crypto.
gcm_drivers() {
	awk '/^name/ { n = $3 } /^driver/ { d = $3 } /^priority/ { p = $3 } /^refcnt/ { r = $3 }
	     /^$/ { if (n == "rfc4106(gcm(aes))") print p, d, r }' /proc/crypto
}
pcrypt_refs() {
	gcm_drivers | awk '$2 ~ /^pcrypt\(/ { print $3 }'
}

# An SA makes the crypto API instantiate the best rfc4106(gcm(aes)); pcrypt
# then wraps that one, by its driver name.
netns_add scratch
ip -n scratch link add t0 type esptun || fail "link add"
ip netns exec scratch "$ESPTUN" sa add t0 in spi 1 aead 'rfc4106(gcm(aes))' "$ESPTUN_KEY_AB" 128 ||
	fail "sa add"
inner=$(gcm_drivers | sort -n | tail -n 1 | cut -d' ' -f2)
ip netns del scratch
"$(dirname "$0")/pcrypt_instance.py" add "$inner" || fail "pcrypt instance over $inner"
# Tests after this one in the same guest, and xfrm, must get the usual
# implementation again.
trap 'cleanup_netns; "$(dirname "$0")/pcrypt_instance.py" del "$inner"' EXIT
before=$(pcrypt_refs)
[ -n "$before" ] || fail "no pcrypt(rfc4106(gcm(aes))) in /proc/crypto"

esptun_pair
after=$(pcrypt_refs)
[ "$after" -ge $((before + 4)) ] || fail "the SAs do not use pcrypt (refcnt $before -> $after)"
echo "4 SAs on pcrypt (refcnt $before -> $after)"

ip netns exec a ping -q -f -c 2000 192.168.99.2 >/dev/null || fail "ping flood lost packets"
tcp_transfer a b 192.168.99.2 2M
[ "$(esptun_sa_col b t0 in 0x1001 13)" = 0 ] && [ "$(esptun_sa_col b t0 in 0x1001 14)" = 0 ] ||
	fail "receive drops: $(ip netns exec b "$ESPTUN" show t0 dump)"
echo "flood and TCP through asynchronous crypto"

flood a 192.168.99.2
ip netns exec a "$ESPTUN" sa flush t0 || fail "sa flush under traffic"
ip -n b link del t0 || fail "link del under traffic"
stop_flood
echo "SAs and device deleted with requests in flight"

cleanup_netns
esptun_pair
flood a 192.168.99.2
rmmod esptun || fail "rmmod under traffic"
stop_flood
esptun_load
echo "rmmod with requests in flight"
trap - EXIT
cleanup_netns
"$(dirname "$0")/pcrypt_instance.py" del "$inner" || fail "the pcrypt instance cannot be removed"
[ -z "$(pcrypt_refs)" ] || fail "pcrypt(rfc4106(gcm(aes))) is still registered"
exit 0
