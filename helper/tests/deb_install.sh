#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb, then both packages installed on this host as a user would:
# DKMS builds and installs esptun.ko for every Debian kernel with headers,
# the helper, unit and man page land, a VM guest loads the module from
# where DKMS put it, and a purge leaves nothing behind. Needs root; it
# changes the host's packages, so it skips where esptun is already
# installed (an admin's copy is not ours to purge). Run by make -C helper
# check; the purge runs on failure too.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../../selftests/lib/tap.sh
. "$top/selftests/lib/tap.sh"
start=$SECONDS
pkgs="esptun esptun-dkms"

skip_all() {
	tap_skip "deb: build, install, purge" "$1"
	tap_summary
	exit 0
}
[ "$(id -u)" = 0 ] || skip_all "needs root"
if ! command -v dkms >/dev/null || ! command -v dpkg-buildpackage >/dev/null; then
	skip_all "no dkms or dpkg-buildpackage (run make deps)"
fi
for p in $pkgs; do
	! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		skip_all "$p is installed on this host"
done
dkms status esptun 2>/dev/null | grep -q . && skip_all "dkms already has esptun"

# The Debian kernels with headers: those make builds for, and DKMS must.
kvers=
for d in /usr/src/linux-headers-*-amd64; do
	[ -d "$d" ] && kvers="$kvers ${d#/usr/src/linux-headers-}"
done
[ -n "${kvers// }" ] || skip_all "no kernel headers (run make deps)"

if out=$(make -s -C "$top" deb 2>&1); then
	tap_ok "deb: make deb"
else
	tap_fail "deb: make deb" "$(echo "$out" | tail -n 1)"
	tap_summary
	exit 1
fi
debs=$(ls "$top"/build/deb/esptun_*.deb "$top"/build/deb/esptun-dkms_*.deb)
version=$(dpkg-deb -f "$top"/build/deb/esptun-dkms_*.deb Version)

# shellcheck disable=SC2086
trap 'dpkg --purge $pkgs >/dev/null 2>&1' EXIT
# shellcheck disable=SC2086
if out=$(dpkg -i $debs 2>&1); then
	tap_ok "deb: dpkg -i esptun esptun-dkms ($((SECONDS - start)) s so far)"
else
	tap_fail "deb: dpkg -i esptun esptun-dkms"
	echo "$out" | tail -n 20 | sed 's/^/# /'
fi

# installed_ko KVER: the module DKMS installed for KVER (compressed on
# kernels whose own modules are).
installed_ko() {
	local f
	for f in /lib/modules/"$1"/updates/dkms/esptun.ko*; do
		[ -f "$f" ] && echo "$f" && return
	done
}
for k in $kvers; do
	ko=$(installed_ko "$k")
	if dkms status "esptun/$version" -k "$k" 2>/dev/null | grep -q ': installed' &&
		[ -n "$ko" ] && [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$k" ]; then
		tap_ok "deb: DKMS built and installed $ko"
	else
		tap_fail "deb: DKMS built and installed esptun.ko for $k" \
			"$(dkms status esptun -k "$k" 2>&1)"
	fi
done

if [ -x /usr/sbin/esptun ] && /usr/sbin/esptun --version | grep -q "esptun $version" &&
	[ -f /lib/systemd/system/esptun.service ] && [ -f /usr/share/man/man8/esptun.8.gz ] &&
	[ "$(stat -c %a /etc/esptun)" = 700 ]; then
	tap_ok "deb: helper, unit, man page and /etc/esptun (0700) installed"
else
	tap_fail "deb: helper, unit, man page and /etc/esptun (0700) installed"
fi

# The guest shares this host's root, so it sees the installed tree: one
# short test per kernel loads the module from where DKMS put it.
for k in $kvers; do
	ko=$(installed_ko "$k")
	[ -n "$ko" ] || continue # its DKMS check above failed
	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*) tap_line "deb vm $k: " "$line" ;;
		*) echo "# $line" ;;
		esac
	done < <(cd "$top/selftests" &&
		vm/run-vm.sh -n deb -m "$ko" -T 300 -t 120 "$k" esptun/module_load.sh 2>&1 ||
		echo "not ok - run-vm.sh exited $?")
done

# shellcheck disable=SC2086
if out=$(dpkg --purge $pkgs 2>&1); then
	tap_ok "deb: dpkg --purge esptun esptun-dkms"
else
	tap_fail "deb: dpkg --purge esptun esptun-dkms"
	echo "$out" | tail -n 20 | sed 's/^/# /'
fi
trap - EXIT
left=$(dkms status esptun 2>&1; ls -d /usr/src/esptun-* /var/lib/dkms/esptun \
	/lib/modules/*/updates/dkms/esptun.ko* /usr/sbin/esptun /etc/esptun \
	/lib/systemd/system/esptun.service /usr/share/man/man8/esptun.8.gz 2>/dev/null)
if [ -z "$left" ]; then
	tap_ok "deb: nothing left after purge"
else
	tap_fail "deb: nothing left after purge" "$(echo "$left" | head -n 3 | tr '\n' ' ')"
fi
echo "# deb: build, install, VM and purge took $((SECONDS - start)) s"
tap_summary
