#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Crafts ESP tunnel-mode packets with rfc4106(gcm(aes)), valid or broken
on purpose, for the hostile-input and replay tests, and sends them from a
raw IPv4 socket, or in UDP from port 4500. The inner packet is an ICMP echo
request.

usage: esp_inject.py DST SPI KEY SEQ [SEQ...] [--esn] [--icv-bits N]
       [--corrupt-icv] [--bad-pad] [--next-header N] [--truncate N]
       [--src-inner A --dst-inner B] [--save FILE]
       esp_inject.py DST SPI KEY --batch FILE
       esp_inject.py DST --send FILE [--udp PORT]
       esp_inject.py DST --udp PORT --hex HEX
SEQ is the full (64-bit with --esn) sequence number. Importing the crypto
library takes long under an emulated CPU, so --save writes the packets to
FILE instead, --batch reads lines "OUTFILE SEQ... [OPTIONS]" and saves each
in one run, and --send sends a saved file without crypto. --hex sends one
UDP datagram holding HEX (keepalives, non-ESP markers, garbage).
"""
import argparse
import socket
import struct
import sys



def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def inner_icmp(src, dst, ident):
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, 1) + b"esptun-hostile"
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), ident, 0, 64, 1, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + icmp


def esp(args, seq):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = bytes.fromhex(args.key[2:] if args.key.startswith("0x") else args.key)
    aes, salt = key[:-4], key[-4:]
    spi = int(args.spi, 0)
    iv = struct.pack("!Q", seq ^ 0x5A5A)
    seq_lo, seq_hi = seq & 0xFFFFFFFF, seq >> 32
    payload = inner_icmp(args.src_inner, args.dst_inner, seq & 0xFFFF)
    padlen = (-(len(payload) + 2)) % 4
    pad = bytes(range(1, padlen + 1))
    if args.bad_pad:
        padlen += 4
        pad = bytes([1, 2, 3, 9]) + bytes(range(5, padlen + 1))
    pt = payload + pad + bytes([padlen, args.next_header])
    aad = struct.pack("!II", spi, seq_hi) if args.esn else struct.pack("!I", spi)
    aad += struct.pack("!I", seq_lo)
    # A shorter ICV is the full tag truncated.
    ct = AESGCM(aes).encrypt(salt + iv, pt, aad)[: len(pt) + args.icv_bits // 8]
    pkt = struct.pack("!II", spi, seq_lo) + iv + ct
    if args.corrupt_icv:
        pkt = pkt[:-1] + bytes([pkt[-1] ^ 1])
    if args.truncate:
        pkt = pkt[: args.truncate]
    return pkt


def save(args):
    with open(args.save, "wb") as f:
        for seq in args.seq:
            pkt = esp(args, seq)
            f.write(struct.pack("!H", len(pkt)) + pkt)


def send(dst, packets, udp_port=0, from_port=4500):
    """As IP protocol 50, or with udp_port as ESP-in-UDP from from_port
    (RFC 3948), each datagram's payload exactly as given."""
    if udp_port:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", from_port))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ESP)
    for pkt in packets:
        s.sendto(pkt, (dst, udp_port))


def main():
    # DST --send FILE [--udp PORT [--from-port PORT]]: send saved packets.
    if len(sys.argv) in (4, 6, 8) and sys.argv[2] == "--send":
        with open(sys.argv[3], "rb") as f:
            data = f.read()
        packets = []
        while data:
            n = struct.unpack("!H", data[:2])[0]
            packets.append(data[2:2 + n])
            data = data[2 + n:]
        udp = int(sys.argv[5]) if len(sys.argv) >= 6 else 0
        send(sys.argv[1], packets, udp, int(sys.argv[7]) if len(sys.argv) == 8 else 4500)
        return 0
    # DST --udp PORT --hex HEX: one UDP datagram, for keepalives and markers.
    if len(sys.argv) == 6 and sys.argv[2] == "--udp" and sys.argv[4] == "--hex":
        send(sys.argv[1], [bytes.fromhex(sys.argv[5])], int(sys.argv[3]))
        return 0
    p = argparse.ArgumentParser()
    p.add_argument("dst")
    p.add_argument("spi")
    p.add_argument("key")
    p.add_argument("seq", nargs="+", type=lambda s: int(s, 0))
    p.add_argument("--esn", action="store_true")
    p.add_argument("--icv-bits", type=int, default=128)
    p.add_argument("--corrupt-icv", action="store_true")
    p.add_argument("--bad-pad", action="store_true")
    p.add_argument("--next-header", type=int, default=4)
    p.add_argument("--truncate", type=int, default=0)
    p.add_argument("--src-inner", default="192.168.99.2")
    p.add_argument("--dst-inner", default="192.168.99.1")
    p.add_argument("--save")
    if len(sys.argv) == 6 and sys.argv[4] == "--batch":
        with open(sys.argv[5]) as f:
            for line in f:
                words = line.split()
                if words:
                    save(p.parse_args(sys.argv[1:4] + words[1:] + ["--save", words[0]]))
        return 0
    args = p.parse_args()
    if args.save:
        save(args)
    else:
        send(args.dst, [esp(args, seq) for seq in args.seq])
    return 0


if __name__ == "__main__":
    sys.exit(main())
