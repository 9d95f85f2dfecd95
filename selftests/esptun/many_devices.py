#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""many_devices.py PREFIX N: gives esptun devices PREFIX1..PREFIXN endpoints
and one inbound and one outbound SA each, over one genl socket (a CLI run
per SA would take minutes under TCG). Exits 1 on the first refusal."""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from genl import Genl, attr, u32  # noqa: E402
from esptun_uapi import SET_DEVICE, NEW_SA, IFINDEX, LOCAL, REMOTE, IN, OUT, gcm  # noqa: E402

KEY = bytes(range(20))


def main():
    prefix, count = sys.argv[1], int(sys.argv[2])
    g = Genl("esptun")
    for i in range(1, count + 1):
        dev = attr(IFINDEX, u32(socket.if_nametoindex(prefix + str(i))))
        for cmd, payload in (
                (SET_DEVICE, dev + attr(LOCAL, socket.inet_aton("10.9.0.1")) +
                 attr(REMOTE, socket.inet_aton("10.9.%d.%d" % (i // 250, i % 250 + 2)))),
                (NEW_SA, dev + gcm(IN, 0x1000 + i, KEY)),
                (NEW_SA, dev + gcm(OUT, 0x2000 + i, KEY))):
            err, _ = g.request(cmd, payload)
            if err:
                print("FAIL: %s%d command %d: %s (%s)" %
                      (prefix, i, cmd, os.strerror(-err), g.extack))
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
