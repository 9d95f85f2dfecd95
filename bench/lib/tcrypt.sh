# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The kernel crypto API's own speed, one core, as a ceiling for the data
# plane: tcrypt mode 211 (rfc4106(gcm(aes)) and gcm(aes), encrypt and
# decrypt, per block size). The CBC suite has no ceiling yet: tcrypt has
# no mode for cbc(aes) alone short of mode 500, which takes minutes, and
# mode 300 alg=hmac(sha256) printed nothing this parser found (to do).
# tcrypt refuses to stay loaded (-EAGAIN) on purpose: the figures are in
# the kernel log.

# tcrypt_run PARSER NAME MODULE-ARGS...
tcrypt_run() {
	local parser=$1 name=$2 marker rec
	shift 2
	# A marker, not a line count: the kernel log may be full and rotating.
	marker="esptun-bench: tcrypt $name $$ $RANDOM"
	echo "$marker" >/dev/kmsg
	modprobe tcrypt "$@" sec=1 2>/dev/null
	if rec=$(dmesg | sed -n "/$marker/,\$p" |
		python3 "$PARSE" "$parser" kind=tcrypt mode="$name" 2>&1); then
		record "$rec"
	else
		record_error "tcrypt $name" "$rec"
	fi
}

tcrypt_all() {
	tcrypt_run tcrypt-aead gcm mode=211
}
