#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run by netlink_reject.sh in a namespace with esptun device t0 (and lo):
every malformed request is refused with the right errno and an extack
message and changes nothing; dumps hold no key bytes. The device is filled
to its limits first (16 outbound SAs, 15 of them with selectors, and 32
inbound), so one more of either is refused."""
import errno
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from genl import (Genl, attr, nest, u8, u16, u32, u64, string,  # noqa: E402
                  SOL_NETLINK, NETLINK_CAP_ACK)
from esptun_uapi import (  # noqa: E402
    SET_DEVICE, GET_DEVICE, NEW_SA, DEL_SA, GET_SA, SET_SA, FLUSH_SA,
    IFINDEX, IFNAME, LOCAL, REMOTE, ENCAP, SPORT, SA, SAS, CARRIER,
    DIR, SPI, AEAD, ENC, AUTH, ENC_KEY, AUTH_KEY, ICV_BITS, FLAGS, WINDOW, SEQ,
    LIFETIME, STATS, IN, OUT, SOFT_BYTES, HARD_BYTES, SOFT_PACKETS, HARD_PACKETS,
    SOFT_SECONDS, HARD_SECONDS, DEV_NO_SA_DROPS, SELECTOR, SA_SELECTOR,
    SEL_SRC, SEL_SRC_LEN, SEL_DST, SEL_DST_LEN, SEL_PROTO, SEL_SPORT, SEL_DPORT,
    MAX_INBOUND_SAS, MAX_OUTBOUND_SAS)
from esptun_uapi import gcm as uapi_gcm  # noqa: E402

KEY = bytes(range(0x41, 0x41 + 20))
AUTHKEY = bytes(range(0x61, 0x61 + 32))

idx = socket.if_nametoindex("t0")
lo = socket.if_nametoindex("lo")
dev = attr(IFINDEX, u32(idx))


def gcm(d=IN, spi=0x100, *extra, key=KEY):
    return uapi_gcm(d, spi, key, *extra)


def sa(*attrs):
    return nest(SA, *attrs)


def ip(text):
    return socket.inet_pton(socket.AF_INET6 if ":" in text else socket.AF_INET, text)


def sel(src="10.1.0.0", src_len=16, dst="10.2.0.0", dst_len=16, *extra, nested=True):
    """An SA_SELECTOR nest; None leaves an attribute out."""
    attrs = [a for a in (src is not None and attr(SEL_SRC, ip(src)),
                         src_len is not None and attr(SEL_SRC_LEN, u8(src_len)),
                         dst is not None and attr(SEL_DST, ip(dst)),
                         dst_len is not None and attr(SEL_DST_LEN, u8(dst_len))) if a]
    attrs += extra
    return nest(SA_SELECTOR, *attrs) if nested else attr(SA_SELECTOR, b"".join(attrs))


def sel_sa(selector, d=OUT, spi=0x60):
    """NEW_SA of an SA with SELECTOR: outbound, a new SPI, unless told."""
    return NEW_SA, dev + gcm(d, spi, selector)


EINVAL, ERANGE, ENODEV, EOPNOTSUPP = errno.EINVAL, errno.ERANGE, errno.ENODEV, errno.EOPNOTSUPP
CASES = [
    ("no device", NEW_SA, gcm(), EINVAL),
    ("no such ifindex", NEW_SA, attr(IFINDEX, u32(999999)) + gcm(), ENODEV),
    ("no such ifname", NEW_SA, attr(IFNAME, string("nope0")) + gcm(), ENODEV),
    ("not an esptun device", NEW_SA, attr(IFINDEX, u32(lo)) + gcm(), EOPNOTSUPP),
    ("ifname too long", NEW_SA, attr(IFNAME, string("x" * 20)) + gcm(), EINVAL),
    ("ifindex of the wrong size", NEW_SA, attr(IFINDEX, u16(idx)) + gcm(), EINVAL),
    ("unknown top-level attribute", NEW_SA, dev + gcm() + attr(40, u32(1)), EINVAL),
    ("read-only SAS", NEW_SA, dev + gcm() + nest(SAS), EINVAL),
    ("no SA nest", NEW_SA, dev, EINVAL),
    ("SA not marked nested", NEW_SA, dev + attr(SA, attr(DIR, u8(IN))), EINVAL),
    ("no SPI", NEW_SA, dev + sa(attr(DIR, u8(IN))), EINVAL),
    ("no direction", NEW_SA, dev + sa(attr(SPI, u32(5))), EINVAL),
    ("SPI 0", NEW_SA, dev + gcm(IN, 0), ERANGE),
    ("direction 3", NEW_SA, dev + gcm(3), ERANGE),
    ("unknown SA attribute", NEW_SA, dev + gcm(IN, 5, attr(30, u32(1))), EINVAL),
    ("set SA without a lifetime", SET_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x100))),
     EINVAL),
    ("set SA that does not exist", SET_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x99)),
                                                    nest(LIFETIME)), errno.ENOENT),
    ("set SA with a bad lifetime", SET_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x100)),
                                                    nest(LIFETIME, attr(1, u32(5)))), EINVAL),
    ("soft bytes above hard", NEW_SA,
     dev + gcm(OUT, 5, nest(LIFETIME, attr(SOFT_BYTES, u64(2000)), attr(HARD_BYTES, u64(1000)))),
     EINVAL),
    ("soft packets above hard", NEW_SA,
     dev + gcm(OUT, 5, nest(LIFETIME, attr(SOFT_PACKETS, u64(11)),
                            attr(HARD_PACKETS, u64(10)))), EINVAL),
    ("set SA soft seconds above hard", SET_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x100)),
              nest(LIFETIME, attr(SOFT_SECONDS, u64(60)), attr(HARD_SECONDS, u64(30)))), EINVAL),
    ("SPI as u16", NEW_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u16(5))), EINVAL),
    ("no algorithm", NEW_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)),
                                      attr(ENC_KEY, KEY)), EINVAL),
    ("unknown AEAD", NEW_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)),
                                      attr(AEAD, string("gcm(aes)")), attr(ENC_KEY, KEY)),
     EOPNOTSUPP),
    ("AEAD name not terminated", NEW_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)),
                                                  attr(AEAD, b"rfc4106(gcm(aes))"),
                                                  attr(ENC_KEY, KEY)), EINVAL),
    ("no key", NEW_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)),
                                attr(AEAD, string("rfc4106(gcm(aes))"))), EINVAL),
    ("key of 16 bytes for rfc4106", NEW_SA, dev + gcm(IN, 5, key=KEY[:16]), EINVAL),
    ("oversized key", NEW_SA, dev + gcm(IN, 5, key=bytes(37)), ERANGE),
    ("ICV 100 bits", NEW_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)),
                                      attr(AEAD, string("rfc4106(gcm(aes))")),
                                      attr(ENC_KEY, KEY), attr(ICV_BITS, u32(100))), EINVAL),
    ("unknown flag bit", NEW_SA, dev + gcm(IN, 5, attr(FLAGS, u32(2))), EINVAL),
    ("replay window too large", NEW_SA, dev + gcm(IN, 5, attr(WINDOW, u32(8193))), ERANGE),
    ("replay window on outbound", NEW_SA, dev + gcm(OUT, 5, attr(WINDOW, u32(64))), EINVAL),
    ("SEQ beyond 2^32 without ESN", NEW_SA, dev + gcm(OUT, 5, attr(SEQ, u64(1 << 32))), EINVAL),
    ("read-only STATS", NEW_SA, dev + gcm(IN, 5, nest(STATS)), EINVAL),
    ("unknown lifetime attribute", NEW_SA, dev + gcm(IN, 5, nest(LIFETIME, attr(9, u64(1)))),
     EINVAL),
    ("AEAD with AUTH", NEW_SA, dev + gcm(IN, 5, attr(AUTH, string("hmac(sha256)"))), EINVAL),
    ("ENC without AUTH", NEW_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)),
                                          attr(ENC, string("cbc(aes)")),
                                          attr(ENC_KEY, KEY[:16])), EINVAL),
    ("HMAC truncation above the digest", NEW_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)), attr(ENC, string("cbc(aes)")),
              attr(ENC_KEY, KEY[:16]), attr(AUTH, string("hmac(sha1)")),
              attr(AUTH_KEY, AUTHKEY[:20]), attr(ICV_BITS, u32(192))), EINVAL),
    ("unknown HMAC", NEW_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)), attr(ENC, string("cbc(aes)")),
              attr(ENC_KEY, KEY[:16]), attr(AUTH, string("hmac(md5)")),
              attr(AUTH_KEY, AUTHKEY[:16])), EOPNOTSUPP),
    ("duplicate inbound SPI", NEW_SA, dev + gcm(IN, 0x100), errno.EEXIST),
    ("inbound SA past the maximum", NEW_SA, dev + gcm(IN, 0x999), errno.ENOSPC),
    # Traffic selectors (ESPTUN_A_SA_SELECTOR) and the read-only attributes
    # that came with them.
    ("selector: IPv4 prefix length 33", *sel_sa(sel("10.1.0.0", 33)), EINVAL),
    ("selector: IPv4 destination length 33", *sel_sa(sel(dst_len=33)), EINVAL),
    ("selector: IPv6 prefix length 129", *sel_sa(sel("2001:db8::", 32, "2001:db8:1::", 129)),
     ERANGE),
    ("selector: IPv6 length 33 is fine, host bits not",
     *sel_sa(sel("2001:db8::", 33, "2001:db8:1::", 16)), EINVAL),
    ("selector: host bits set past the IPv4 prefix", *sel_sa(sel("10.1.0.1", 16)), EINVAL),
    ("selector: host bits set past the destination", *sel_sa(sel(dst="10.3.0.0", dst_len=15)),
     EINVAL),
    ("selector: host bits set past the IPv6 prefix",
     *sel_sa(sel("2001:db8::1", 64, "2001:db8:1::", 48)), EINVAL),
    ("selector: any source with host bits", *sel_sa(sel("0.0.0.1", 0)), EINVAL),
    ("selector: mixed families", *sel_sa(sel("10.1.0.0", 16, "2001:db8::", 32)), EINVAL),
    ("selector: mixed families, IPv6 first", *sel_sa(sel("2001:db8::", 32, "10.2.0.0", 16)),
     EINVAL),
    ("selector: SRC without DST", *sel_sa(sel(dst=None, dst_len=None)), EINVAL),
    ("selector: DST without SRC", *sel_sa(sel(src=None, src_len=None)), EINVAL),
    ("selector: SRC without SRC_LEN", *sel_sa(sel(src_len=None)), EINVAL),
    ("selector: DST_LEN without DST", *sel_sa(sel(dst=None)), EINVAL),
    ("selector: empty", *sel_sa(nest(SA_SELECTOR)), EINVAL),
    ("selector: address of 5 bytes", NEW_SA,
     dev + gcm(OUT, 0x60, nest(SA_SELECTOR, attr(SEL_SRC, bytes(5)), attr(SEL_SRC_LEN, u8(8)),
                               attr(SEL_DST, ip("10.2.0.0")), attr(SEL_DST_LEN, u8(16)))),
     EINVAL),
    ("selector: prefix length as u16", NEW_SA,
     dev + gcm(OUT, 0x60, nest(SA_SELECTOR, attr(SEL_SRC, ip("10.1.0.0")),
                               attr(SEL_SRC_LEN, u16(16)), attr(SEL_DST, ip("10.2.0.0")),
                               attr(SEL_DST_LEN, u8(16)))), EINVAL),
    ("selector: DPORT without PROTO", *sel_sa(sel("10.1.0.0", 16, "10.2.0.0", 16,
                                                  attr(SEL_DPORT, u16(80)))), EINVAL),
    ("selector: SPORT with PROTO 0", *sel_sa(sel("10.1.0.0", 16, "10.2.0.0", 16,
                                                 attr(SEL_PROTO, u8(0)),
                                                 attr(SEL_SPORT, u16(80)))), EINVAL),
    ("selector: ports with ICMP", *sel_sa(sel("10.1.0.0", 16, "10.2.0.0", 16,
                                              attr(SEL_PROTO, u8(1)), attr(SEL_DPORT, u16(7)))),
     EINVAL),
    ("selector: ports with GRE", *sel_sa(sel("10.1.0.0", 16, "10.2.0.0", 16,
                                             attr(SEL_PROTO, u8(47)), attr(SEL_SPORT, u16(7)))),
     EINVAL),
    ("selector: DPORT as u32", *sel_sa(sel("10.1.0.0", 16, "10.2.0.0", 16,
                                           attr(SEL_PROTO, u8(6)), attr(SEL_DPORT, u32(80)))),
     EINVAL),
    ("selector: unknown attribute", *sel_sa(sel("10.1.0.0", 16, "10.2.0.0", 16,
                                                attr(8, u8(1)))), EINVAL),
    ("selector: not marked nested", *sel_sa(sel(nested=False)), EINVAL),
    ("selector on an inbound SA past the maximum", *sel_sa(sel(), IN, 0x998), errno.ENOSPC),
    ("outbound SA past the maximum (a new selector)", *sel_sa(sel()), errno.ENOSPC),
    ("outbound SA with the SPI of another selector's",
     *sel_sa(sel("10.77.0.0", 16, "10.2.0.0", 16), OUT, 0x50), errno.EEXIST),
    ("selector in SET_SA", SET_SA,
     dev + sa(attr(DIR, u8(OUT)), attr(SPI, u32(0x51)), nest(LIFETIME), sel()), EINVAL),
    ("read-only DEV_NO_SA_DROPS in SET_DEVICE", SET_DEVICE, dev + attr(DEV_NO_SA_DROPS, u64(0)),
     EINVAL),
    ("read-only DEV_NO_SA_DROPS in NEW_SA", NEW_SA, dev + gcm(OUT, 0x60) +
     attr(DEV_NO_SA_DROPS, u64(0)), EINVAL),
    ("ACQUIRE's SELECTOR in a request", NEW_SA, dev + gcm(OUT, 0x60) +
     nest(SELECTOR, attr(SEL_SRC, ip("10.1.0.0")), attr(SEL_SRC_LEN, u8(16)),
          attr(SEL_DST, ip("10.2.0.0")), attr(SEL_DST_LEN, u8(16))), EINVAL),
    ("ACQUIRE's SELECTOR in GET_DEVICE", GET_DEVICE, dev + nest(SELECTOR), EINVAL),
    ("delete unknown SA", DEL_SA, dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x777))),
     errno.ENOENT),
    ("get unknown SA", GET_SA, dev + sa(attr(DIR, u8(OUT)), attr(SPI, u32(0x100))),
     errno.ENOENT),
    ("address of 5 bytes", SET_DEVICE, dev + attr(LOCAL, bytes(5)), EINVAL),
    ("mixed families", SET_DEVICE, dev + attr(LOCAL, bytes(4)) + attr(REMOTE, bytes(16)),
     EINVAL),
    ("LOCAL alone of another family", SET_DEVICE, dev + attr(LOCAL, bytes(16)), EINVAL),
    ("LOCAL 0.0.0.0", SET_DEVICE,
     dev + attr(LOCAL, bytes(4)) + attr(REMOTE, socket.inet_aton("10.0.0.3")), EINVAL),
    ("LOCAL ::", SET_DEVICE,
     dev + attr(LOCAL, bytes(16)) + attr(REMOTE, socket.inet_pton(socket.AF_INET6, "fd00::2")),
     EINVAL),
    ("UDP encapsulation without ports", SET_DEVICE, dev + attr(ENCAP, u8(1)), EINVAL),
    ("encap 2", SET_DEVICE, dev + attr(ENCAP, u8(2)), ERANGE),
    ("carrier 2", SET_DEVICE, dev + attr(CARRIER, u8(2)), ERANGE),
    ("port 0", SET_DEVICE, dev + attr(SPORT, u16(0)), ERANGE),
    # An attribute the command does not use is refused, not ignored.
    ("SET_DEVICE with an SA nest", SET_DEVICE,
     dev + attr(ENCAP, u8(0)) + sa(attr(DIR, u8(IN)), attr(SPI, u32(5))), EINVAL),
    ("GET_DEVICE with LOCAL", GET_DEVICE, dev + attr(LOCAL, socket.inet_aton("10.0.0.1")),
     EINVAL),
    ("FLUSH_SA with an SA nest", FLUSH_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x100))), EINVAL),
    ("DEL_SA with a lifetime", DEL_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x100)), nest(LIFETIME)), EINVAL),
    ("SET_SA with an ICV length", SET_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x100)), nest(LIFETIME),
              attr(ICV_BITS, u32(96))), EINVAL),
    ("GET_SA with a replay window", GET_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x100)), attr(WINDOW, u32(64))), EINVAL),
    ("NEW_SA with ENCAP", NEW_SA, dev + gcm(IN, 0x5) + attr(ENCAP, u8(0)), EINVAL),
    ("NEW_SA with CARRIER", NEW_SA, dev + gcm(IN, 0x5) + attr(CARRIER, u8(1)), EINVAL),
]


# Refused requests whose key must be wiped before the kernel echoes the
# request back in its error (a socket without NETLINK_CAP_ACK gets the
# whole request in the ack, copied after the command ran).
WIPE_CASES = [
    ("SPI 0 (SA policy)", NEW_SA, dev + gcm(IN, 0)),
    ("no direction (parse error)", NEW_SA, dev + sa(attr(SPI, u32(5)), attr(ENC_KEY, KEY))),
    ("unknown AEAD with the key twice", NEW_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)), attr(ENC_KEY, KEY),
              attr(AEAD, string("gcm(aes)")), attr(ENC_KEY, KEY))),
    ("HMAC key of a refused cipher", NEW_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(5)), attr(ENC, string("cbc(aes)")),
              attr(ENC_KEY, KEY[:16]), attr(AUTH, string("hmac(md5)")),
              attr(AUTH_KEY, AUTHKEY))),
    ("duplicate inbound SPI", NEW_SA, dev + gcm(IN, 0x100)),
    ("key in SET_SA of a missing SA", SET_SA,
     dev + sa(attr(DIR, u8(IN)), attr(SPI, u32(0x99)), attr(ENC_KEY, KEY), nest(LIFETIME))),
    ("selector with host bits", *sel_sa(sel("10.1.0.1", 16))),
    ("selector past the outbound maximum", *sel_sa(sel())),
]


def echoed(g, cmd, payload):
    """The request as the kernel echoes it in its error, or None if accepted."""
    g.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 0)
    try:
        err, _ = g.request(cmd, payload)
    finally:
        g.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    return g.last_error if err else None


def state(g):
    err, msgs = g.request(GET_DEVICE, dev)
    assert not err, err
    return msgs[0]


def main():
    g = Genl("esptun")
    # The baseline: endpoints, the most outbound SAs (one without a
    # selector, the others each with its own) and the most inbound SAs.
    setup = [
        (SET_DEVICE, dev + attr(LOCAL, socket.inet_aton("10.0.0.1")) +
         attr(REMOTE, socket.inet_aton("10.0.0.2"))),
        (NEW_SA, dev + gcm(OUT, 0x50)),
    ] + [(NEW_SA, dev + gcm(OUT, 0x50 + i, sel("10.%d.0.0" % (100 + i), 16)))
         for i in range(1, MAX_OUTBOUND_SAS)] + \
        [(NEW_SA, dev + gcm(IN, 0x100 + i)) for i in range(MAX_INBOUND_SAS)]
    for cmd, payload in setup:
        err, _ = g.request(cmd, payload)
        if err:
            print("FAIL: setup command %d: %s (%s)" % (cmd, os.strerror(-err), g.extack))
            return 1
    before = state(g)
    failed = 0
    for name, cmd, payload, want in CASES:
        err, _ = g.request(cmd, payload)
        ok = err == -want and g.extack
        print("%s: %s: %s, extack '%s'" % ("ok" if ok else "FAIL", name,
                                            os.strerror(-err) if err else "accepted", g.extack))
        failed += not ok
    for name, cmd, payload in WIPE_CASES:
        echo = echoed(g, cmd, payload)
        ok = echo is not None and len(echo) > len(payload) and \
            KEY not in echo and KEY[:16] not in echo and AUTHKEY not in echo
        print("%s: keys wiped from a refused request: %s" % ("ok" if ok else "FAIL", name))
        failed += not ok
    if state(g) != before:
        print("FAIL: refused requests changed the device")
        failed += 1
    for cmd, payload in ((GET_DEVICE, b""), (GET_SA, dev)):
        err, msgs = g.request(cmd, payload, dump=True)
        blob = b"".join(msgs)
        if err or not msgs or KEY in blob or KEY[:16] in blob:
            print("FAIL: dump %d: error %d or key bytes present" % (cmd, err))
            failed += 1
    print("%d failures" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
