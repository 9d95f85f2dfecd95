#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Prints a device's SAs with the selectors the kernel holds for them, one
line each, read over genl (ESPTUN_CMD_GET_DEVICE), so that a test sees
what was installed without the CLI:
    in 0x1234abcd 10.10.1.0/24 10.10.2.0/24 packets 5 selector-drops 0
    out 0xabcd1234 any packets 5 selector-drops 0
then "no-sa-drops N" for the device. SRC comes before DST; a protocol and
ports follow the prefixes as "proto 17 sport 0 dport 53" when set.

usage: sa_selectors.py DEV"""
import socket
import struct
import sys

from genl import Genl, attr, parse_attrs, string
import esptun_uapi as u


def prefix(sel, addr, length):
    raw = sel[addr]
    family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
    return "%s/%d" % (socket.inet_ntop(family, raw), sel[length][0])


def describe(sa):
    a = dict(parse_attrs(sa))
    stats = dict(parse_attrs(a.get(u.STATS, b"")))
    line = "%s 0x%08x" % ("in" if a[u.DIR][0] == u.IN else "out",
                          struct.unpack("=I", a[u.SPI])[0])
    if u.SA_SELECTOR in a:
        sel = dict(parse_attrs(a[u.SA_SELECTOR]))
        line += " %s %s" % (prefix(sel, u.SEL_SRC, u.SEL_SRC_LEN),
                            prefix(sel, u.SEL_DST, u.SEL_DST_LEN))
        if u.SEL_PROTO in sel:
            line += " proto %d sport %d dport %d" % (
                sel[u.SEL_PROTO][0],
                *(struct.unpack("=H", sel[k])[0] if k in sel else 0
                  for k in (u.SEL_SPORT, u.SEL_DPORT)))
    else:
        line += " any"
    for name, key in (("packets", u.STATS_PACKETS),
                      ("selector-drops", u.STATS_SELECTOR_DROPS)):
        line += " %s %d" % (name, struct.unpack("=Q", stats.get(key, bytes(8)))[0])
    return line


def main():
    g = Genl("esptun")
    err, msgs = g.request(u.GET_DEVICE, attr(u.IFNAME, string(sys.argv[1])))
    if err or not msgs:
        sys.exit("GET_DEVICE %s: %s %s" % (sys.argv[1], err, g.extack))
    dev = dict(parse_attrs(msgs[0]))
    for t, sa in parse_attrs(dev.get(u.SAS, b"")):
        if t == u.SA:
            print(describe(sa))
    print("no-sa-drops %d" % struct.unpack("=Q", dev.get(u.DEV_NO_SA_DROPS, bytes(8)))[0])


if __name__ == "__main__":
    main()
