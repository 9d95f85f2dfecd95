#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pcrypt_instance.py add|del DRIVER: instantiates pcrypt(DRIVER), an AEAD, or
removes that instance again (when nothing holds it any more), through
the crypto user API (NETLINK_CRYPTO, CRYPTO_MSG_NEWALG), as crconf would.
The instance takes DRIVER's algorithm name with a priority 100 above it, so
later allocations by that name get it, and pcrypt completes every request
asynchronously (-EINPROGRESS, then the callback). It must be asked for by
driver name: a lookup by algorithm name waits for an instance of that name
and fails, since the instance is named after its inner algorithm."""
import errno
import os
import socket
import struct
import sys

NETLINK_CRYPTO = 21
CRYPTO_MSG_NEWALG, CRYPTO_MSG_DELALG = 0x10, 0x11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
CRYPTO_ALG_TYPE_AEAD, CRYPTO_ALG_TYPE_MASK = 0x3, 0xf


def main():
    cmd = {"add": CRYPTO_MSG_NEWALG, "del": CRYPTO_MSG_DELALG}[sys.argv[1]]
    name = ("pcrypt(%s)" % sys.argv[2]).encode()
    # struct crypto_user_alg: name, driver name, module name, type, mask,
    # refcnt, flags.
    body = struct.pack("=64s64s64sIIII", b"", name, b"", CRYPTO_ALG_TYPE_AEAD,
                       CRYPTO_ALG_TYPE_MASK, 0, 0)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_CRYPTO)
    sock.send(struct.pack("=IHHII", 16 + len(body), cmd,
                          NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body)
    reply = sock.recv(4096)
    _, typ, _, _, _ = struct.unpack_from("=IHHII", reply)
    err = struct.unpack_from("=i", reply, 16)[0] if typ == NLMSG_ERROR else 0
    if err and not (cmd == CRYPTO_MSG_NEWALG and err == -errno.EEXIST):
        print("FAIL: %s %s: %s" % (sys.argv[1], name.decode(), os.strerror(-err)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
