#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds, once, the debug kernel for make check-debug from Debian's
# linux-source-6.1 and caches it outside the repository. Prints the
# directory holding bzImage and the build tree (for building esptun.ko).
#
# A build is found by its key (in the file "key"): the source package
# version, the config, the patches (*.patch here, lockdep annotations of
# the kernel's own, each saying why), and RECIPE below, which changes when
# the steps do.
# A changed config rebuilds in the tree of the last build of the same
# source version, where it lies: Kbuild then recompiles only what the
# changed options touch. Moving the tree would rebuild it all (objtool is
# built with absolute paths, and every object depends on it: seen). Other
# builds are removed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${CACHE:-/var/cache/esptun}
src_tar=/usr/src/linux-source-6.1.tar.xz
[ -r "$src_tar" ] || { echo "no $src_tar: run make deps" >&2; exit 1; }
RECIPE=2

ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( (echo "$ver"; echo "$RECIPE"; cat "$here/config" "$here"/*.patch) | sha256sum | cut -c1-12)
for d in "$cache"/debug-6.1-*; do
	if [ -e "$d/done" ] && [ "$(cat "$d/key" 2>/dev/null)" = "$key" ]; then
		echo "$d"
		exit 0
	fi
done

mkdir -p "$cache"
dir=
for d in "$cache"/debug-6.1-*; do
	if [ -z "$dir" ] && [ -d "$d/linux-source-6.1" ] &&
		[ "$(cat "$d/source-version" 2>/dev/null)" = "$ver" ]; then
		dir=$d
	else
		rm -rf "$d"
	fi
done
if [ -n "$dir" ]; then
	echo "rebuilding in the tree of the last build, $dir" >&2
	rm -f "$dir/done" "$dir/key"
else
	dir=$cache/debug-6.1-$key
	mkdir -p "$dir"
fi
log=$dir/build.log
echo "building the debug kernel in $dir (log: $log)" >&2
start=$(date +%s)
{
	if [ ! -d "$dir/linux-source-6.1" ]; then
		tar -C "$dir" -xJf "$src_tar"
		echo "$ver" >"$dir/source-version"
	fi
	cd "$dir/linux-source-6.1"
	for p in "$here"/*.patch; do
		# A tree rebuilt in place may have it already.
		patch -p1 -R -s -f --dry-run <"$p" >/dev/null || patch -p1 -s <"$p"
	done
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
echo "$key" >"$dir/key"
touch "$dir/done"
echo "$dir"
