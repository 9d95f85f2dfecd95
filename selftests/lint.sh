#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch.pl from Debian's linux-source-6.1 (extracted into
# the cache, never committed) over kmod/ and uapi/, and clang-format over
# helper/. Prints TAP and the summary line.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/tap.sh
. "$top/selftests/lib/tap.sh"
tools=${CACHE:-/var/cache/esptun}/tools
src_tar=/usr/src/linux-source-6.1.tar.xz

if [ ! -x "$tools/scripts/checkpatch.pl" ]; then
	mkdir -p "$tools"
	tar -C "$tools" --strip-components=1 -xJf "$src_tar" \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch ||
		{ tap_fail "extract checkpatch.pl from $src_tar"; tap_summary; exit 1; }
fi

# FILE_PATH_CHANGES: there is no MAINTAINERS file. compat.h is the one
# place an out-of-tree module must compare LINUX_VERSION_CODE, and it names
# the callback argument type that differs between 6.1 and 6.3+ (typedef).
cd "$top" || exit 1
for f in kmod/*.c kmod/*.h uapi/linux/*.h; do
	ignore=FILE_PATH_CHANGES
	[ "$f" = kmod/compat.h ] && ignore=$ignore,LINUX_VERSION_CODE,CONSTANT_COMPARISON,NEW_TYPEDEFS
	if out=$("$tools/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore "$ignore" -f "$f" 2>&1); then
		tap_ok "checkpatch $f"
	else
		tap_fail "checkpatch $f"
		echo "$out" | sed "s/^/# /" | head -n 40
	fi
done

if out=$(make -s -C helper format-check 2>&1); then
	tap_ok "clang-format helper/"
else
	tap_fail "clang-format helper/"
	echo "$out" | sed 's/^/# /' | head -n 60
fi
tap_summary
