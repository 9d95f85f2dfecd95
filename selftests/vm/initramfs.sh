#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the tiny initramfs that boots a Debian kernel with the host's root
# mounted read-only over 9p. usage: initramfs.sh KVER OUTPUT.cpio.gz
# KVER may name a kernel without /lib/modules (a debug build with
# everything built in): then no module is loaded.
set -eu
kver=$1 out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work"/{bin,dev,proc,sys,newroot,mods}
cp /bin/busybox "$work/bin/busybox"
# What 9p over virtio needs, in load order (Debian builds them as modules).
mods="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"
order=
for m in $mods; do
	f=$(find "/lib/modules/$kver/kernel" -name "$m.ko*" 2>/dev/null | head -n 1)
	[ -n "$f" ] || continue
	case $f in
	*.xz) xz -dc "$f" >"$work/mods/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"$work/mods/$m.ko" ;;
	*) cp "$f" "$work/mods/$m.ko" ;;
	esac
	order="$order $m"
done

cat >"$work/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $order; do insmod /mods/\$m.ko || echo "initramfs: insmod \$m failed"; done
o=trans=virtio,version=9p2000.L,msize=512000
# The host's root and the checkout do not change under a run: caching them
# (cache=loose) spares every process start its round trips to the host.
mount -t 9p -o \$o,ro,cache=loose hostroot /newroot || { echo "initramfs: no host root"; echo o >/proc/sysrq-trigger; }
for d in tmp run var/lib var/log var/tmp root; do mount -t tmpfs tmpfs /newroot/\$d; done
mount -t 9p -o \$o out /newroot/mnt || echo "initramfs: no output share"
# The checkout, at its host path: a clone under /tmp is hidden by the tmpfs.
mkdir -p "/newroot\$esptun_top" && mount -t 9p -o \$o,ro,cache=loose top "/newroot\$esptun_top" ||
	echo "initramfs: no checkout share"
for d in proc sys dev; do mount --move /\$d /newroot/\$d; done
exec switch_root /newroot "\$esptun_init"
INIT
chmod +x "$work/init"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
