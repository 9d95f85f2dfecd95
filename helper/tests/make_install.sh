#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install and make uninstall into a DESTDIR: each file where the FHS
# puts it, with its mode; the config directory 0700 and empty; uninstall
# leaving only directories; and the installed unit passing
# systemd-analyze verify. Run by make -C helper check, after the binary.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../../selftests/lib/tap.sh
. "$top/selftests/lib/tap.sh"
dest=$(mktemp -d /tmp/esptun-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT

# mode PATH WANT: PATH exists with permission bits WANT (octal).
mode() {
	local got
	got=$(stat -c %a "$dest$1" 2>/dev/null)
	if [ "$got" = "$2" ]; then
		tap_ok "install: $1 mode $2"
	else
		tap_fail "install: $1 mode $2" "${got:-missing}"
	fi
}

if out=$(make -s -C "$top" install DESTDIR="$dest" 2>&1); then
	tap_ok "make install DESTDIR=..."
else
	tap_fail "make install DESTDIR=..." "$(echo "$out" | tail -n 1)"
fi
mode /usr/sbin/esptun 755
mode /usr/share/man/man8/esptun.8 644
mode /usr/include/linux/esptun.h 644
mode /lib/systemd/system/esptun.service 644
mode /etc/esptun 700
if cmp -s "$top/helper/esptun" "$dest/usr/sbin/esptun" &&
	cmp -s "$top/uapi/linux/esptun.h" "$dest/usr/include/linux/esptun.h"; then
	tap_ok "install: the binary and header are the built ones"
else
	tap_fail "install: the binary and header are the built ones"
fi
if [ -z "$(ls -A "$dest/etc/esptun")" ]; then
	tap_ok "install: no configuration installed (it would hold keys)"
else
	tap_fail "install: no configuration installed (it would hold keys)"
fi
modules=$(cd "$top" && ls build/*/esptun.ko 2>/dev/null)
if [ -z "$modules" ]; then
	tap_skip "install: the modules" "none built"
else
	for m in $modules; do
		k=${m#build/} k=${k%/esptun.ko}
		# make install's kernels are those with headers here (the top
		# Makefile's KVERS), not a build against another tree, such as
		# make check-debug's kernel.
		[ -e "/usr/src/linux-headers-$k" ] || [ -e "/lib/modules/$k/build/Makefile" ] || continue
		mode "/lib/modules/$k/updates/esptun.ko" 644
	done
fi

# The unit as installed, its commands pointed into DESTDIR so that verify
# finds them; the man page is not in the system's index, so --man=no.
if command -v systemd-analyze >/dev/null; then
	unit=$dest/verify/esptun.service
	mkdir -p "$dest/verify"
	sed "s|=/usr/sbin/esptun|=$dest/usr/sbin/esptun|g" \
		"$dest/lib/systemd/system/esptun.service" >"$unit"
	if out=$(systemd-analyze verify --man=no "$unit" 2>&1) && [ -z "$out" ]; then
		tap_ok "install: systemd-analyze verify esptun.service"
	else
		tap_fail "install: systemd-analyze verify esptun.service"
		while IFS= read -r line; do echo "# $line"; done <<<"$out"
	fi
	rm -r "$dest/verify"
else
	tap_skip "install: systemd-analyze verify esptun.service" "no systemd-analyze"
fi

# A config the admin wrote stays, and uninstall says so.
touch "$dest/etc/esptun/esptun.conf"
out=$(make -s -C "$top" uninstall DESTDIR="$dest" 2>&1)
if [ -e "$dest/etc/esptun/esptun.conf" ] && [[ $out == *"esptun kept"* ]]; then
	tap_ok "uninstall: keeps /etc/esptun with a config in it, and says so"
else
	tap_fail "uninstall: keeps /etc/esptun with a config in it, and says so" "$out"
fi
rm "$dest/etc/esptun/esptun.conf"
if make -s -C "$top" uninstall DESTDIR="$dest" >/dev/null 2>&1 &&
	left=$(find "$dest" ! -type d) && [ -z "$left" ] && [ ! -e "$dest/etc/esptun" ]; then
	tap_ok "uninstall: nothing left but directories"
else
	tap_fail "uninstall: nothing left but directories" "$(echo "$left" | head -n 3)"
fi
tap_summary
