# SPDX-License-Identifier: GPL-2.0
"""Just enough generic netlink to send esptun requests the CLI would never
build (malformed, oversized, unknown attributes) and read back the error
and its extack message. Attribute values are raw bytes."""
import os
import socket
import struct

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG = 1


def attr(t, payload):
    hdr = struct.pack("=HH", 4 + len(payload), t)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def nest(t, *attrs):
    return attr(t | NLA_F_NESTED, b"".join(attrs))


def u8(v):
    return struct.pack("=B", v)


def u16(v):
    return struct.pack("=H", v)


def u32(v):
    return struct.pack("=I", v)


def u64(v):
    return struct.pack("=Q", v)


def string(s):
    return s.encode() + b"\0"


def parse_attrs(data):
    out = []
    while len(data) >= 4:
        ln, t = struct.unpack_from("=HH", data)
        if ln < 4:
            break
        out.append((t & ~NLA_F_NESTED, data[4:ln]))
        data = data[(ln + 3) & ~3:]
    return out


class Genl:
    def __init__(self, family):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.seq = 0
        self.family = 0x10
        err, msgs = self.request(3, attr(2, string(family)), version=1)
        if err:
            raise OSError(-err, "resolving genl family " + family)
        self.family = [v for t, v in parse_attrs(msgs[0]) if t == 1][0]
        self.family = struct.unpack("=H", self.family)[0]

    def request(self, cmd, payload=b"", dump=False, version=1):
        """Returns (negative errno or 0, [reply payloads], extack message)."""
        self.seq += 1
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        body = struct.pack("=BBH", cmd, version, 0) + payload
        self.sock.send(struct.pack("=IHHII", 16 + len(body), self.family, flags,
                                   self.seq, 0) + body)
        msgs, self.extack = [], ""
        while True:
            data = self.sock.recv(65536)
            while len(data) >= 16:
                ln, typ, fl, seq, _ = struct.unpack_from("=IHHII", data)
                msg, data = data[16:ln], data[(ln + 3) & ~3:]
                if typ == NLMSG_ERROR:
                    err = struct.unpack_from("=i", msg)[0]
                    self.last_error = msg
                    for t, v in parse_attrs(msg[20:]):
                        if t == NLMSGERR_ATTR_MSG:
                            self.extack = v.rstrip(b"\0").decode(errors="replace")
                    return err, msgs
                if typ == NLMSG_DONE:
                    return 0, msgs
                msgs.append(msg[4:])
