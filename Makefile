# SPDX-License-Identifier: GPL-2.0
#
# esptun: build the module (for every installed Debian kernel, or KVER=...),
# the helper, and run the test tiers. See README.md.

SHELL := /bin/bash
TOP := $(CURDIR)
CACHE ?= /var/cache/esptun

# Kernels to build for: the running kernel when it has a build tree (a real
# host), plus every installed Debian amd64 header set. KVER=... picks one.
DEBIAN_KVERS := $(patsubst /usr/src/linux-headers-%,%,$(wildcard /usr/src/linux-headers-*-amd64))
RUNNING_KVER := $(shell uname -r)
ifeq ($(origin KVER),undefined)
KVERS := $(sort $(if $(wildcard /lib/modules/$(RUNNING_KVER)/build/Makefile),$(RUNNING_KVER)) $(DEBIAN_KVERS))
else
KVERS := $(KVER)
endif
kdir = $(or $(wildcard /lib/modules/$(1)/build),/usr/src/linux-headers-$(1))

KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h uapi/linux/*.h) kmod/Kbuild
MODULES := $(foreach k,$(KVERS),build/$(k)/esptun.ko)

# libreswan, the second IKEv1 test peer, conflicts with strongSwan's
# packages: it is unpacked (dpkg -x) into $(CACHE)/libreswan-VERSION, not
# installed; the tests run pluto from there (selftests/lib/libreswan.sh).
# What it links against beyond DEPS (apt-cache depends libreswan, checked
# with ldd on the unpacked pluto) comes in through DEPS, which expands it
# at once (:=), so it is set first.
LIBRESWAN_LIBS := libldns3 libevent-core-2.1-7 libevent-pthreads-2.1-7 \
	libunbound8 libcurl3-nss libcap-ng0 libnspr4 libnss3

# Everything the build, the demo and the tests use, from Debian 12's
# default apt sources (6.12 comes from bookworm-security). INITRD=No skips
# Debian's initramfs for the kernels: the VM runner boots its own.
DEPS := linux-image-amd64 linux-headers-amd64 \
	linux-image-6.12.115+deb12-amd64 linux-headers-6.12.115+deb12-amd64 \
	linux-source-6.1 qemu-system-x86 busybox-static \
	build-essential bc bison flex libelf-dev libssl-dev kmod cpio xz-utils \
	rsync sparse clang clang-format libclang-rt-14-dev \
	libnl-genl-3-dev pkg-config iproute2 iputils-ping iperf3 nftables \
	strongswan-charon strongswan-swanctl libstrongswan-standard-plugins \
	tshark procps psmisc openssl \
	libnss3-tools $(LIBRESWAN_LIBS) \
	python3 python3-cryptography wireguard-tools gnuplot-nox ethtool frr \
	dkms dh-dkms debhelper lintian

.PHONY: all module helper deps check check-host check-vm check-debug lint demo bench clean \
	install uninstall install-dkms deb

all: module helper

module: $(MODULES)

# Each kernel gets its own output directory of symlinks to kmod/, so one
# source tree builds for several kernels side by side. W=1 and sparse run
# on every build; any warning from them fails it.
build/%/esptun.ko: $(KMOD_SRCS)
	@test -n "$(KVERS)" || { echo "no kernel headers: run 'make deps'" >&2; exit 1; }
	@mkdir -p build/$*
	@ln -sf $(TOP)/kmod/* build/$*/
	@set -o pipefail; $(MAKE) -C $(or $(KDIR),$(call kdir,$*)) M=$(TOP)/build/$* \
		ESPTUN_UAPI=$(TOP)/uapi W=1 C=1 modules 2>&1 | tee build/$*/build.log
	@! grep -E '(warning|error):' build/$*/build.log

helper:
	$(MAKE) -C helper

deps:
	@missing=; for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing$$missing"; \
		[ "$$(id -u)" = 0 ] || { echo "make deps: run as root to apt-get install$$missing" >&2; exit 1; }; \
		export DEBIAN_FRONTEND=noninteractive INITRD=No; \
		apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@ver=$$(apt-cache show --no-all-versions libreswan 2>/dev/null | sed -n 's/^Version: //p'); \
	dir=$(CACHE)/libreswan-$$ver; \
	[ -n "$$ver" ] || { echo "make deps: apt knows no libreswan" >&2; exit 1; }; \
	[ -x "$$dir/usr/libexec/ipsec/pluto" ] && exit 0; \
	[ "$$(id -u)" = 0 ] || { echo "make deps: run as root to unpack libreswan into $$dir" >&2; exit 1; }; \
	echo "make deps: unpacking libreswan $$ver into $$dir"; \
	set -e; mkdir -p $(CACHE); tmp=$$(mktemp -d $(CACHE)/libreswan.XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	(cd "$$tmp" && apt-get download -q "libreswan=$$ver"); \
	dpkg -x "$$tmp"/libreswan_*.deb "$$tmp/root"; \
	if ldd "$$tmp/root/usr/libexec/ipsec/pluto" | grep 'not found'; then \
		echo "make deps: pluto misses libraries: add them to LIBRESWAN_LIBS" >&2; exit 1; \
	fi; \
	chmod 0755 "$$tmp/root"; mv "$$tmp/root" "$$dir"

# The README's test command: every tier, one TAP stream, one summary line.
check: deps
	$(MAKE) all
	selftests/check.sh

check-debug: deps
	$(MAKE) helper
	selftests/debug/check-debug.sh

lint: deps
	selftests/lint.sh

demo: deps
	$(MAKE) all
	selftests/demo/run-demo.sh

# Data plane against native xfrm and WireGuard, tunnel setup against
# strongSwan, in one QEMU guest (bench/run-bench.sh). BENCH_SMOKE=1: tiny.
bench: deps
	$(MAKE) all
	bench/run-bench.sh

# make install [DESTDIR=...] [PREFIX=/usr]: what make all built, at the
# FHS paths Debian uses. The configuration directory is made (0700) but
# never filled: esptun.conf holds pre-shared keys, the admin writes it.
# Modules go to updates/, ahead of any in-tree copy; depmod runs only for
# a real install (DESTDIR empty), a staging tree has no module index.
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= /lib/systemd/system
MODDIR ?= /lib/modules
INSTALL ?= install
BUILT_KVERS = $(patsubst build/%/esptun.ko,%,$(wildcard $(MODULES)))

install:
	@test -x helper/esptun || { echo "make install: build first ('make all')" >&2; exit 1; }
	$(INSTALL) -d -m 0755 $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(SYSTEMDUNITDIR)
	$(INSTALL) -m 0755 helper/esptun $(DESTDIR)$(SBINDIR)/esptun
	$(INSTALL) -m 0644 helper/esptun.8 $(DESTDIR)$(MANDIR)/man8/esptun.8
	$(INSTALL) -m 0644 uapi/linux/esptun.h $(DESTDIR)$(INCLUDEDIR)/linux/esptun.h
	sed 's|/usr/sbin/esptun|$(SBINDIR)/esptun|; s|/etc/esptun/|$(SYSCONFDIR)/esptun/|' \
		dist/systemd/esptun.service >$(DESTDIR)$(SYSTEMDUNITDIR)/esptun.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/esptun.service
	$(INSTALL) -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/esptun
	@$(if $(BUILT_KVERS),,echo "make install: no module built, none installed" >&2)
	$(foreach k,$(BUILT_KVERS),$(INSTALL) -D -m 0644 build/$(k)/esptun.ko \
		$(DESTDIR)$(MODDIR)/$(k)/updates/esptun.ko &&) true
	$(if $(DESTDIR),,$(foreach k,$(BUILT_KVERS),depmod -a $(k) &&) true)

# Removes what install put there (a module for each kernel make would
# build for: KVERS). The configuration directory goes only
# when empty: a config left in it is the admin's, kept and said so.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/esptun $(DESTDIR)$(MANDIR)/man8/esptun.8 \
		$(DESTDIR)$(INCLUDEDIR)/linux/esptun.h $(DESTDIR)$(SYSTEMDUNITDIR)/esptun.service
	$(foreach k,$(KVERS),rm -f $(DESTDIR)$(MODDIR)/$(k)/updates/esptun.ko &&) true
	$(if $(DESTDIR),,for k in $(KVERS); do test ! -d $(MODDIR)/$$k || depmod -a $$k || exit 1; done)
	@rmdir $(DESTDIR)$(SYSCONFDIR)/esptun 2>/dev/null || \
		! test -d $(DESTDIR)$(SYSCONFDIR)/esptun || \
		echo "make uninstall: $(DESTDIR)$(SYSCONFDIR)/esptun kept: it holds files" >&2

# The module's source where DKMS looks for it, /usr/src/esptun-VERSION:
# then 'dkms install esptun/VERSION' builds and installs it for a kernel
# (the esptun-dkms package does this for every kernel). One version for
# helper, module source and package: the helper's.
VERSION := $(shell sed -n 's/^\#define ESPTUN_VERSION "\(.*\)"/\1/p' helper/main.c)
DKMSDIR ?= /usr/src/esptun-$(VERSION)

install-dkms:
	$(INSTALL) -d -m 0755 $(DESTDIR)$(DKMSDIR)/uapi/linux
	$(INSTALL) -m 0644 kmod/Kbuild kmod/*.c kmod/*.h $(DESTDIR)$(DKMSDIR)/
	$(INSTALL) -m 0644 uapi/linux/esptun.h $(DESTDIR)$(DKMSDIR)/uapi/linux/
	sed 's/\#MODULE_VERSION\#/$(VERSION)/' dist/dkms/dkms.conf >$(DESTDIR)$(DKMSDIR)/dkms.conf

# make deb: esptun and esptun-dkms in build/deb/, with lintian's verdict.
# dpkg-buildpackage writes beside the source tree, so it builds a copy of
# the tracked files in a temporary directory, never this checkout.
deb:
	@test "$$(dpkg-parsechangelog -S Version)" = "$(VERSION)" || \
		{ echo "make deb: debian/changelog is not at $(VERSION)" >&2; exit 1; }
	@set -e; tmp=$$(mktemp -d /tmp/esptun-deb.XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir "$$tmp/esptun-$(VERSION)"; \
	git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$$tmp/esptun-$(VERSION)"; \
	(cd "$$tmp/esptun-$(VERSION)" && dpkg-buildpackage -us -uc -b) >"$$tmp/build.log" 2>&1 || \
		{ tail -n 30 "$$tmp/build.log" >&2; exit 1; }; \
	rm -rf build/deb; mkdir -p build/deb; \
	cp "$$tmp"/*.deb "$$tmp"/*.changes "$$tmp"/*.buildinfo build/deb/; \
	lintian --info build/deb/*.changes
	@ls build/deb/*.deb

clean:
	rm -rf build
	$(MAKE) -C helper clean
