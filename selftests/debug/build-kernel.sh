#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds, once, the debug kernel for make check-debug from Debian's
# linux-source-6.1 and caches it outside the repository. Prints the
# directory holding bzImage and the build tree (for building esptun.ko).
# The cache key covers the source package version and this directory, so
# a config change rebuilds; older builds are removed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${CACHE:-/var/cache/esptun}
src_tar=/usr/src/linux-source-6.1.tar.xz
[ -r "$src_tar" ] || { echo "no $src_tar: run make deps" >&2; exit 1; }

ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( (echo "$ver"; cat "$here/config" "$here/build-kernel.sh") | sha256sum | cut -c1-12)
dir=$cache/debug-6.1-$key
if [ -e "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache"
for old in "$cache"/debug-6.1-*; do
	[ "$old" = "$dir" ] || rm -rf "$old"
done
mkdir -p "$dir"
log=$dir/build.log
echo "building the debug kernel in $dir (log: $log)" >&2
start=$(date +%s)
{
	tar -C "$dir" -xJf "$src_tar"
	cd "$dir/linux-source-6.1"
	make -s defconfig
	make -s kvm_guest.config
	scripts/kconfig/merge_config.sh -m .config "$here/config"
	make -s olddefconfig
	# Report any requested option that did not survive olddefconfig.
	grep -E '^CONFIG_[A-Z0-9_]+=[ym]$' "$here/config" | while read -r opt; do
		grep -qx "$opt" .config || echo "debug config: $opt did not stick" >&2
	done
	make -s -j"$(nproc)" bzImage modules
	make -s -j"$(nproc)" modules_prepare
} >"$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }
echo "debug kernel built in $(($(date +%s) - start))s" >&2
touch "$dir/done"
echo "$dir"
