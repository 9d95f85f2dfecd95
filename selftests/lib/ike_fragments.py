#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile IKE fragments (payload 132, fragment.c's format) at DST:500.

ike_fragments.py DST ICOOKIE RCOOKIE COUNT
  From this namespace's own address (the IKE peer's, so the daemon's
  reassembly for the IKE SA of those cookies takes them), COUNT fragments in
  rounds of every hostile shape: duplicates, contradicting duplicates, gaps,
  a missing last piece, pieces past the last, a second last, number 0,
  oversize totals, a new fragment ID every datagram, and whole messages of
  garbage (number 1, last).
ike_fragments.py DST ICOOKIE RCOOKIE COUNT --spoof
  The same shapes from random sources in DST's /24 (a raw socket), half
  with those cookies and half with random ones.
Prints "sent N whole M": datagrams sent, and how many of them were complete
messages (the most the daemon may answer).
"""
import os
import random
import socket
import struct
import sys


def frag(icookie, rcookie, frag_id, number, last, data):
    payload = struct.pack("!BBHHBB", 0, 0, 8 + len(data), frag_id, number, 1 if last else 0) + data
    # ISAKMP header: next payload 132, version 1.0, Main Mode (2), no flags, Message ID 0.
    return icookie + rcookie + struct.pack("!BBBBII", 132, 0x10, 2, 0, 0, 28 + len(payload)) + payload


def shapes(icookie, rcookie):
    """Endless hostile fragments as (datagram, whole message?)."""
    while True:
        fid = random.randrange(1 << 16)
        piece = os.urandom(random.randrange(1, 300))
        yield frag(icookie, rcookie, fid, 1, False, piece), False  # duplicate
        yield frag(icookie, rcookie, fid, 1, False, piece), False
        yield frag(icookie, rcookie, fid, 1, False, os.urandom(40)), False  # contradicts it
        for n in range(2, 16, 2):  # gaps, never a last piece
            yield frag(icookie, rcookie, fid + 1, n, False, os.urandom(200)), False
        yield frag(icookie, rcookie, fid + 2, 2, True, os.urandom(50)), False  # last, 1 missing
        yield frag(icookie, rcookie, fid + 2, 5, False, os.urandom(50)), False  # past the last
        yield frag(icookie, rcookie, fid + 2, 3, True, os.urandom(50)), False  # a second last
        yield frag(icookie, rcookie, fid + 3, 0, False, os.urandom(20)), False  # number 0
        yield frag(icookie, rcookie, fid + 3, 255, True, os.urandom(20)), False
        for n in range(1, 17):  # 16 pieces of 300 bytes: more than 4096 in all
            yield frag(icookie, rcookie, fid + 4, n, n == 16, os.urandom(300)), False
        for _ in range(8):  # a new fragment ID every datagram
            yield frag(icookie, rcookie, random.randrange(1 << 16), 1, False, os.urandom(64)), False
        yield frag(icookie, rcookie, fid + 5, 1, True, os.urandom(random.randrange(1, 200))), True


def udp_ip(src, dst, payload):
    udp = struct.pack("!HHHH", 500, 500, 8 + len(payload), 0) + payload
    # The kernel fills in the total length, the ID and the checksum (IP_HDRINCL).
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 0, 0, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    return ip + udp


def main():
    dst, icookie, rcookie, count = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3]), int(sys.argv[4])
    spoof = "--spoof" in sys.argv[5:]
    if spoof:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        prefix = dst.rsplit(".", 1)[0]
        gens = [shapes(icookie, rcookie), shapes(os.urandom(8), os.urandom(8))]
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        gens = [shapes(icookie, rcookie)]
    whole = 0
    for i in range(count):
        data, is_whole = next(gens[i % len(gens)])
        whole += is_whole
        if spoof:
            src = "%s.%d" % (prefix, random.randrange(100, 250))
            s.sendto(udp_ip(src, dst, data), (dst, 0))
        else:
            s.sendto(data, (dst, 500))
    print("sent %d whole %d" % (count, whole))


if __name__ == "__main__":
    main()
