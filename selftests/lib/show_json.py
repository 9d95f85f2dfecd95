#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks the output of esptun -j show against what a test knows, printing
"# missed: ..." for each difference; exit 1 when there is one.

usage: show_json.py tunnel BEFORE AFTER DEV REMOTE IN_SPI OUT_SPI IKE_PEER
    BEFORE and AFTER are esptun -j show DEV around a ping through DEV: one
    device DEV to REMOTE, kernel SAs IN_SPI and OUT_SPI (hex), the daemon's
    established IKE SA with IKE_PEER and that ESP pair, counters that grew.
usage: show_json.py plain FILE [DEV]
    FILE holds no device but DEV, and DEV (if any) has no daemon section."""
import json
import sys

missed = []


def miss(what):
    missed.append(what)
    print("# missed: " + what)


def load(path):
    with open(path, "rb") as f:
        doc = json.loads(f.read().decode("utf-8"))
    if not isinstance(doc.get("devices"), list):
        raise ValueError("no devices array")
    return doc


def keys(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from keys(v)
    elif isinstance(node, list):
        for v in node:
            yield from keys(v)


def sa(dev, direction):
    found = [s for s in dev["sas"] if s["direction"] == direction]
    return found[0] if len(found) == 1 else None


def tunnel(before_path, after_path, name, remote, in_spi, out_spi, peer):
    before, after = load(before_path), load(after_path)
    in_spi, out_spi = int(in_spi, 16), int(out_spi, 16)
    for doc in before, after:
        if [d["name"] for d in doc["devices"]] != [name]:
            miss("not one device %s: %s" % (name, doc["devices"]))
            return
        if any("key" in k for k in keys(doc)):
            miss("a key-like member in %s" % sorted(set(keys(doc))))
    dev, old = after["devices"][0], before["devices"][0]
    if dev.get("remote") != remote:
        miss("remote %s, not %s" % (dev.get("remote"), remote))
    sa_in, sa_out = sa(dev, "in"), sa(dev, "out")
    if not sa_in or sa_in["spi"] != in_spi or not sa_out or sa_out["spi"] != out_spi:
        miss("kernel SAs are not in %#x out %#x: %s" % (in_spi, out_spi, dev["sas"]))
        return
    for direction in "in", "out":
        for counter in "packets", "bytes":
            n0, n1 = sa(old, direction)[counter], sa(dev, direction)[counter]
            if not isinstance(n1, int) or n1 <= n0:
                miss("%s %s did not grow with a ping: %s -> %s" % (direction, counter, n0, n1))
    # The kernel's stamp of each SA's last packet (whole seconds), just now.
    for direction, key in ("in", "last_rx_seconds_ago"), ("out", "last_tx_seconds_ago"):
        ago = sa(dev, direction).get(key)
        if not isinstance(ago, int) or ago > 5:
            miss("%s SA: %s %s after a ping" % (direction, key, ago))
    ike = dev.get("daemon", {}).get("ike_sas", [])
    if len(ike) != 1:
        miss("not one IKE SA: %s" % ike)
        return
    ike = ike[0]
    if ike["state"] != "established" or ike["peer"] != peer:
        miss("IKE SA not established with %s: %s" % (peer, ike))
    if ike["responder_spi"] == "0" * 16 or len(ike["initiator_spi"]) != 16:
        miss("IKE SA SPIs: %s %s" % (ike["initiator_spi"], ike["responder_spi"]))
    if not isinstance(ike.get("seconds_left"), int) or ike["seconds_left"] <= 0:
        miss("IKE SA time left: %s" % ike.get("seconds_left"))
    pairs = [(c["spi_in"], c["spi_out"], c["active"]) for c in ike["esp_sas"]]
    if (in_spi, out_spi, True) not in pairs:
        miss("no active ESP pair %#x/%#x in %s" % (in_spi, out_spi, pairs))


def plain(path, name=None):
    doc = load(path)
    names = [d["name"] for d in doc["devices"]]
    if names != ([name] if name else []):
        miss("devices %s, not %s" % (names, [name] if name else []))
    elif name and "daemon" in doc["devices"][0]:
        miss("a daemon section for a device no daemon runs")


try:
    {"tunnel": tunnel, "plain": plain}[sys.argv[1]](*sys.argv[2:])
except (ValueError, KeyError, TypeError, IndexError, OSError) as e:
    miss("%s: %r" % (" ".join(sys.argv[1:]), e))
sys.exit(1 if missed else 0)
