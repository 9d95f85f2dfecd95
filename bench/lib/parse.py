#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turns one tool's output (stdin) into one benchmark record (stdout, JSON).

usage: parse.py iperf-tcp|iperf-udp|ping|tcrypt-aead|tcrypt-hash KEY=VALUE...
KEY=VALUE pairs are copied into the record (numbers stay numbers).
"""
import json
import re
import statistics
import sys


def iperf(text, udp):
    # iperf3 may print a warning before its JSON.
    end = json.JSONDecoder().raw_decode(text[text.index("{"):])[0]["end"]
    rec = {"mbps": end["sum_received"]["bits_per_second"] / 1e6}
    if udp:
        rec["sent_mbps"] = end["sum_sent"]["bits_per_second"] / 1e6
        rec["loss_pct"] = end["sum"]["lost_percent"]
    return rec


def ping(text):
    rtts = sorted(float(t) for t in re.findall(r"time=([0-9.]+) ms", text))
    if not rtts:
        raise ValueError("no replies")
    p99 = rtts[min(len(rtts) - 1, int(round(0.99 * (len(rtts) - 1))))]
    return {"median_ms": statistics.median(rtts), "p99_ms": p99, "replies": len(rtts)}


# dmesg of "modprobe tcrypt mode=211 sec=1": a heading per algorithm and
# direction, then one line per key size and block size.
AEAD_HEAD = re.compile(r"testing speed of (?:\w+ )?(\S+) \((\S+)\) (encryption|decryption)")
AEAD_LINE = re.compile(r"\((\d+) bit key, (\d+) byte blocks\): (\d+) operations in (\d+) seconds")
HASH_HEAD = re.compile(r"testing speed of (?:async )?(\S+) \((\S+)\)$")
HASH_LINE = re.compile(r"\(\s*(\d+) byte blocks,\s*(\d+) bytes per update,\s*(\d+) updates\):\s*(\d+) opers/sec,\s*(\d+) bytes/sec")


def tcrypt(text, hash_mode):
    out, head = [], None
    for line in text.splitlines():
        m = (HASH_HEAD if hash_mode else AEAD_HEAD).search(line)
        if m:
            head = m.groups()
            continue
        if hash_mode:
            m = HASH_LINE.search(line)
            if m and head and m.group(1) == m.group(2):
                out.append({"alg": head[0], "driver": head[1], "dir": "hash",
                            "bytes": int(m.group(1)), "mbps": int(m.group(5)) * 8 / 1e6})
        else:
            m = AEAD_LINE.search(line)
            if m and head:
                ops, secs, size = int(m.group(3)), int(m.group(4)), int(m.group(2))
                out.append({"alg": head[0], "driver": head[1], "dir": head[2][:3],
                            "key_bits": int(m.group(1)), "bytes": size,
                            "mbps": ops * size * 8 / secs / 1e6})
    if not out:
        raise ValueError("no tcrypt results in the kernel log")
    return {"results": out}


def main():
    kind, extra = sys.argv[1], {}
    for kv in sys.argv[2:]:
        k, v = kv.split("=", 1)
        try:
            extra[k] = int(v)
        except ValueError:
            extra[k] = v
    text = sys.stdin.read()
    try:
        rec = {"iperf-tcp": lambda: iperf(text, False),
               "iperf-udp": lambda: iperf(text, True),
               "ping": lambda: ping(text),
               "tcrypt-aead": lambda: tcrypt(text, False),
               "tcrypt-hash": lambda: tcrypt(text, True)}[kind]()
    except (ValueError, KeyError, TypeError) as e:
        print(f"parse.py {kind}: {e!r}", file=sys.stderr)
        return 1
    print(json.dumps({**extra, **rec}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
