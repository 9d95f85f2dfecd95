#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turns the guest's benchmark records into the results JSON, a markdown
report on stdout and a PNG of the throughput table (gnuplot).

usage: report.py --json FILE [--png FILE] [--wall S] [--commit ID] <records
Each input line is one JSON record from bench/bench.sh (kind: meta, mtu,
tcp, tcp8, udp, ping, tcrypt, setup, error). Exits 1 when the records are not
a complete bench: a missing section or any error record.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile

THROUGHPUT = ["veth", "esptun-gcm128", "esptun-gcm128-1cpu", "esptun-gcm128-nogso", "xfrm-gcm128",
              "esptun-cbc256", "xfrm-cbc256", "wireguard"]
# The isolation part: pings through a GCM tunnel, alone and beside a 3DES flood.
PINGS_ONLY = ["esptun-gcm128-alone", "esptun-gcm128-beside-3des"]
# The baseline part (BENCH_BASE): one tunnel through this tree's module and an older one's.
BASELINE = ["esptun-gcm128-now", "esptun-gcm128-base"]
# The many part: 8 tunnels with one TCP stream each (tcp, their sum); the
# one-tunnel contenders also carry 8 streams at once (tcp8).
MANY = ["esptun-gcm128-x8", "xfrm-gcm128-x8"]
CONTENDERS = THROUGHPUT + PINGS_ONLY + BASELINE + MANY
KIB_TARGET = 16  # issue 5: at most 16 KiB per tunnel, helper and kernel each


def median(xs):
    return statistics.median(xs) if xs else None


def ratio(a, b):
    return a / b if a is not None and b else None


def build(records, args):
    meta = next((r for r in records if r["kind"] == "meta"), {})
    data = {c: {"tcp_mbps": [], "tcp8_mbps": [], "udp": []} for c in CONTENDERS}
    for r in records:
        d = data.get(r.get("contender"))
        if d is None:
            continue
        if r["kind"] == "mtu":
            d["mtu"] = r["mtu"]
        elif r["kind"] in ("tcp", "tcp8"):
            d[r["kind"] + "_mbps"].append(r["mbps"])
        elif r["kind"] == "udp":
            d["udp"].append({k: r[k] for k in ("mbps", "sent_mbps", "loss_pct")})
        elif r["kind"] == "ping":
            d["ping"] = {k: r[k] for k in ("median_ms", "p99_ms", "replies")}
    for d in data.values():
        d["tcp_median_mbps"] = median(d["tcp_mbps"])
        d["tcp8_median_mbps"] = median(d["tcp8_mbps"])
        d["udp_median_mbps"] = median([u["mbps"] for u in d["udp"]])
        d["udp_median_loss_pct"] = median([u["loss_pct"] for u in d["udp"]])

    def tcp(c):
        return data[c]["tcp_median_mbps"]

    def udp(c):
        return data[c]["udp_median_mbps"]

    ratios = {}
    for alg in ("gcm128", "cbc256"):
        e = "esptun-" + alg
        ratios[alg] = {"tcp_esptun/xfrm": ratio(tcp(e), tcp("xfrm-" + alg)),
                       "tcp_esptun/wireguard": ratio(tcp(e), tcp("wireguard")),
                       "udp_esptun/xfrm": ratio(udp(e), udp("xfrm-" + alg)),
                       "udp_esptun/wireguard": ratio(udp(e), udp("wireguard"))}
    # What spreading the crypto over the CPUs bought: the same module, switched off.
    ratios["gcm128"]["tcp_esptun/esptun-1cpu"] = ratio(tcp("esptun-gcm128"), tcp("esptun-gcm128-1cpu"))
    ratios["gcm128"]["udp_esptun/esptun-1cpu"] = ratio(udp("esptun-gcm128"), udp("esptun-gcm128-1cpu"))
    # What taking GSO packets whole bought: the same module, offloads off on that device.
    ratios["gcm128"]["tcp_esptun/esptun-nogso"] = ratio(tcp("esptun-gcm128"), tcp("esptun-gcm128-nogso"))
    ratios["gcm128"]["udp_esptun/esptun-nogso"] = ratio(udp("esptun-gcm128"), udp("esptun-gcm128-nogso"))

    def tcp8(c):
        return data[c]["tcp8_median_mbps"]

    ratios["many"] = {"tcp8_esptun/xfrm": ratio(tcp8("esptun-gcm128"), tcp8("xfrm-gcm128")),
                      "tcp8_esptun/wireguard": ratio(tcp8("esptun-gcm128"), tcp8("wireguard")),
                      "x8_esptun/xfrm": ratio(tcp("esptun-gcm128-x8"), tcp("xfrm-gcm128-x8"))}

    base = next((r for r in records if r["kind"] == "baseline"), {})
    if base.get("base"):
        ratios["baseline"] = {"base": base["base"],
                              "tcp_now/base": ratio(tcp("esptun-gcm128-now"), tcp("esptun-gcm128-base")),
                              "udp_now/base": ratio(udp("esptun-gcm128-now"), udp("esptun-gcm128-base"))}

    tcrypt = []
    for r in records:
        if r["kind"] == "tcrypt":
            tcrypt.extend(r.get("results", []))

    setup = []
    for r in median_setups([r for r in records if r["kind"] == "setup"]):
        s = dict(r)
        n = r["n"]
        s["wall_ms_per_tunnel"] = 1000 * r["wall_s"] / n
        s["cpu_ms_per_tunnel"] = 1000 * r["cpu_s"] / n  # both daemons together
        s["helper_kib_per_tunnel"] = max(r["rss_kib"]) / n  # one daemon's whole RSS
        # Both ends live in the one kernel: 2n tunnel ends (devices with SAs).
        s["kernel_kib_per_tunnel"] = r["kernel_kib_delta"] / (2 * n)
        setup.append(s)

    marginal(setup)
    out = {"date": args.date, "commit": args.commit, "wall_s": args.wall, "meta": meta,
           "dataplane": data, "ratios": ratios, "tcrypt": tcrypt, "setup": setup,
           "errors": [r for r in records if r["kind"] == "error"]}
    out["targets"] = targets(out)
    return out


def median_setups(runs):
    """One record per implementation and tunnel count: the run with the
    median wall time (the lower one of an even count), with every run's
    wall time beside it. Runs that did not establish every tunnel count as
    the slowest."""
    groups = {}
    for r in runs:
        groups.setdefault((r["impl"], r["n"]), []).append(r)
    out = []
    for group in groups.values():
        ranked = sorted(group, key=lambda r: (r["established"] < r["n"], r["wall_s"]))
        m = dict(ranked[(len(ranked) - 1) // 2])
        m["runs"] = len(group)
        m["wall_s_runs"] = [r["wall_s"] for r in group]
        out.append(m)
    return out


def marginal(setup):
    """Per-tunnel cost between esptun's smallest and largest run: the
    daemon's fixed RSS (libraries, buffers) drops out of the difference."""
    runs = sorted((s for s in setup if s["impl"] == "esptun" and s["established"] == s["n"]),
                  key=lambda s: s["n"])
    if len(runs) < 2 or runs[0]["n"] == runs[-1]["n"]:
        return
    lo, hi = runs[0], runs[-1]
    dn = hi["n"] - lo["n"]
    hi["helper_kib_per_tunnel_marginal"] = (max(hi["rss_kib"]) - max(lo["rss_kib"])) / dn
    hi["kernel_kib_per_tunnel_marginal"] = \
        (hi["kernel_kib_delta"] - lo["kernel_kib_delta"]) / (2 * dn)


def pick_setup(res, impl, n=None):
    runs = [s for s in res["setup"] if s["impl"] == impl and (n is None or s["n"] == n)]
    return max(runs, key=lambda s: s["n"]) if runs else None


def targets(res):
    t = []

    def add(name, value, goal, met):
        t.append({"target": name, "measured": value, "goal": goal,
                  "met": None if value is None else met(value)})

    g = res["ratios"]["gcm128"]
    add("AES-GCM-128 single TCP: esptun/xfrm", g["tcp_esptun/xfrm"], ">= 1.8", lambda v: v >= 1.8)
    add("AES-GCM-128 single TCP: esptun/WireGuard", g["tcp_esptun/wireguard"], ">= 1.0",
        lambda v: v >= 1.0)
    n = res["meta"].get("tunnels", [None])[0]
    e, s = pick_setup(res, "esptun", n), pick_setup(res, "strongswan", n)
    complete = e and s and e["established"] == e["n"] and s["established"] == s["n"]
    add(f"setup of {n} tunnels: strongSwan wall / esptun wall",
        s["wall_s"] / e["wall_s"] if complete else None, ">= 10", lambda v: v >= 10)
    add(f"setup of {n} tunnels: strongSwan CPU / esptun CPU (both daemons)",
        s["cpu_s"] / e["cpu_s"] if complete and e["cpu_s"] else None, ">= 10", lambda v: v >= 10)
    add(f"setup of {n} tunnels: strongSwan wall / esptun IKE-only time (no device creation)",
        s["wall_s"] / e["ike_wall_s"] if complete and e.get("ike_wall_s") else None, ">= 10",
        lambda v: v >= 10)
    add(f"setup of {n} tunnels: esptun wall per tunnel (ms)",
        e["wall_ms_per_tunnel"] if e and e["established"] == e["n"] else None,
        "<= 30 (3x the ~10 ms DH cost)", lambda v: v <= 30)
    # Memory at the largest run that established every tunnel.
    full = [x for x in res["setup"] if x["impl"] == "esptun" and x["established"] == x["n"]]
    big = max(full, key=lambda x: x["n"]) if full else None
    ok = big is not None
    at = big["n"] if big else "?"
    for what, key in (("helper", "helper"), ("kernel (device with SAs)", "kernel")):
        add(f"{what} KiB per tunnel at {at}, whole / N", big[key + "_kib_per_tunnel"] if ok else None,
            f"<= {KIB_TARGET}", lambda v: v <= KIB_TARGET)
        add(f"{what} KiB per tunnel at {at}, marginal over the smaller run",
            big.get(key + "_kib_per_tunnel_marginal") if ok else None,
            f"<= {KIB_TARGET}", lambda v: v <= KIB_TARGET)
    return t


def fmt(v, digits=1):
    if v is None:
        return "-"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def markdown(res):
    m = res["meta"]
    lines = [f"esptun bench {res['date']} (commit {res['commit']}), kernel {m.get('kernel')}, "
             f"{m.get('cpus')} vCPUs (TCG), CPU model {m.get('cpu_model')} "
             f"(AES-NI {'yes' if m.get('aes_ni') else 'no'}, CLMUL {'yes' if m.get('pclmulqdq') else 'no'}, "
             f"mitigations {m.get('mitigations', 'on')}), {m.get('time_s')} s x {m.get('runs')} runs"
             f"{', SMOKE' if m.get('smoke') else ''}, VM wall {res['wall_s']} s", "",
             "| path | MTU | TCP Mbit/s (median) | UDP 1400 B Mbit/s | UDP loss % | ping median ms | ping p99 ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c in THROUGHPUT + PINGS_ONLY + BASELINE:
        d = res["dataplane"][c]
        p = d.get("ping", {})
        lines.append(f"| {c} | {d.get('mtu', '-')} | {fmt(d['tcp_median_mbps'])} | "
                     f"{fmt(d['udp_median_mbps'])} | {fmt(d['udp_median_loss_pct'])} | "
                     f"{fmt(p.get('median_ms'), 3)} | {fmt(p.get('p99_ms'), 3)} |")
    dp = res["dataplane"]
    lines += ["", "| many flows, AES-GCM-128 | TCP Mbit/s (median, sum) |", "| --- | ---: |"]
    for c in ("esptun-gcm128", "xfrm-gcm128", "wireguard"):
        lines.append(f"| {c}, 1 tunnel x 8 streams | {fmt(dp[c]['tcp8_median_mbps'])} |")
    for c in MANY:
        lines.append(f"| {c[:-3]}, 8 tunnels x 1 stream | {fmt(dp[c]['tcp_median_mbps'])} |")
    lines += ["", "| ratio | TCP | UDP |", "| --- | ---: | ---: |"]
    for alg, r in res["ratios"].items():
        if alg == "many":
            lines.append(f"| 1 tunnel x 8 streams esptun/xfrm | {fmt(r['tcp8_esptun/xfrm'], 2)} | - |")
            lines.append(f"| 1 tunnel x 8 streams esptun/wireguard | {fmt(r['tcp8_esptun/wireguard'], 2)} | - |")
            lines.append(f"| 8 tunnels x 1 stream esptun/xfrm | {fmt(r['x8_esptun/xfrm'], 2)} | - |")
            continue
        if alg == "baseline":
            lines.append(f"| gcm128 one-SA path, this tree / {r['base']} | {fmt(r['tcp_now/base'], 2)} | "
                         f"{fmt(r['udp_now/base'], 2)} |")
            continue
        for other in ("xfrm", "wireguard", "esptun-1cpu", "esptun-nogso"):
            if "tcp_esptun/" + other not in r:
                continue
            lines.append(f"| {alg} esptun/{other} | {fmt(r['tcp_esptun/' + other], 2)} | "
                         f"{fmt(r['udp_esptun/' + other], 2)} |")
    if res["tcrypt"]:
        lines += ["", "| tcrypt (one core) | driver | bytes | Mbit/s |", "| --- | --- | ---: | ---: |"]
        for t in res["tcrypt"]:
            wanted = (t["alg"] == "rfc4106(gcm(aes))" and t["bytes"] == 1420) or \
                     (t["dir"] == "hash" and t["bytes"] == 1024)
            if wanted:
                lines.append(f"| {t['alg']} {t['dir']} | {t['driver']} | {t['bytes']} | {fmt(t['mbps'])} |")
    lines += ["", "| setup (median run) | tunnels | established | wall s (every run) | IKE only s | "
              "CPU s (both daemons) | "
              "wall ms/tunnel | daemon RSS KiB | RSS KiB/tunnel | kernel KiB/tunnel end |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in res["setup"]:
        every = ", ".join(fmt(w, 2) for w in s.get("wall_s_runs", [s["wall_s"]]))
        lines.append(f"| {s['impl']} | {s['n']} | {s['established']} | {fmt(s['wall_s'], 2)} "
                     f"({every}) | "
                     f"{fmt(s.get('ike_wall_s'), 2)} | "
                     f"{fmt(s['cpu_s'], 2)} | {fmt(s['wall_ms_per_tunnel'])} | {max(s['rss_kib'])} | "
                     f"{fmt(s['helper_kib_per_tunnel'])} | {fmt(s['kernel_kib_per_tunnel'])} |")
    lines += ["", "| issue 5 target | goal | measured | met |", "| --- | --- | ---: | --- |"]
    for t in res["targets"]:
        met = {True: "yes", False: "NO", None: "not measured"}[t["met"]]
        lines.append(f"| {t['target']} | {t['goal']} | {fmt(t['measured'], 2)} | {met} |")
    for e in res["errors"]:
        lines.append(f"\nerror: {e['what']}: {e['message']}")
    return "\n".join(lines)


def plot(res, png):
    if all(d["tcp_median_mbps"] is None for d in res["dataplane"].values()):
        print("report: no throughput to plot", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        dat = os.path.join(tmp, "tput.dat")
        with open(dat, "w") as f:
            for c in CONTENDERS:
                d = res["dataplane"][c]
                f.write(f"{c} {d['tcp_median_mbps'] or '-'} {d['udp_median_mbps'] or '-'}\n")
        script = f"""
set terminal pngcairo size 900,500
set output '{png}'
set title 'esptun bench {res["date"]}: one guest, {res["meta"].get("kernel")}'
set ylabel 'Mbit/s (log scale: plain veth is far ahead)'
set logscale y
set datafile missing '-'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -20
set key top right
set grid ytics
plot '{dat}' using 2:xtic(1) title 'TCP, one stream (median)', '' using 3 title 'UDP 1400 B received'
"""
        subprocess.run(["gnuplot"], input=script, text=True, check=True)


def complete(res):
    missing = [c for c in THROUGHPUT if res["dataplane"][c]["tcp_median_mbps"] is None]
    impls = {s["impl"] for s in res["setup"]}
    ok = not missing and {"esptun", "strongswan"} <= impls and not res["errors"]
    if missing:
        print(f"report: no throughput for {', '.join(missing)}", file=sys.stderr)
    if not {"esptun", "strongswan"} <= impls:
        print("report: setup benchmark incomplete", file=sys.stderr)
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", required=True)
    ap.add_argument("--png")
    ap.add_argument("--wall", type=int)
    ap.add_argument("--commit", default="unknown")
    ap.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    args = ap.parse_args()
    records = [json.loads(line) for line in sys.stdin if line.strip()]
    res = build(records, args)
    with open(args.json, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    print(markdown(res))
    if args.png:
        plot(res, args.png)
    return 0 if complete(res) else 1


if __name__ == "__main__":
    sys.exit(main())
