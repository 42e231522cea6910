#!/usr/bin/env python3
"""Reads ordo-one/benchmark's JMH export and prints per-operation figures.

    compare.py codec <FIXCodecBenchmarks.jmh.json> <quickfix-peer output>
    compare.py table <Target.jmh.json>
    compare.py before-after <swift package benchmark's output of EchoBenchmarks>

Codec benchmarks run `scaledIterations` (1,000) operations per sample, so a sample's wall
clock divided by 1,000 is the time per message; the median sample is reported.
"""
import json
import re
import sys

SCALE = 1000
# Wellhead benchmark name -> the QuickFIX peer's RESULT key for the same operation.
PEERS = {
    "parse NewOrderSingle": "parse_nos",
    "parse+validate NewOrderSingle": "parse_validate_nos",
    "parse+validate ExecutionReport+Parties": "parse_validate_er",
    "encode ExecutionReport+Parties": "encode_er",
    "encode ExecutionReport+Parties (group inline)": "encode_er",
    "encode ExecutionReport+Parties (one buffer)": "encode_er",
    "frame stream": "frame_stream_offset",
    "frame+parse stream": "frame_parse_stream",
}


def load(path):
    results = {}
    for entry in json.load(open(path)):
        name = entry["benchmark"].split(".", 3)[-1].replace("_", " ")
        metrics = {"primary": entry["primaryMetric"], **entry.get("secondaryMetrics", {})}
        results[name] = metrics
    return results


def median(metric):
    return metric["scorePercentiles"]["50.0"] if "scorePercentiles" in metric else metric["score"]


def wall_nanoseconds(metrics):
    wall = metrics["Time (wall clock)"]
    unit = wall["scoreUnit"]
    factor = {"ns": 1, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}[unit]
    percentiles = wall.get("scorePercentiles", {})
    return {p: v * factor for p, v in percentiles.items()} or {"50.0": wall["score"] * factor}


def codec(jmh, peer_path):
    ours = load(jmh)
    theirs = {}
    for line in open(peer_path):
        if line.startswith("RESULT "):
            _, key, ns, allocs = line.split()
            theirs[key] = (float(ns), float(allocs))
    print(f"{'operation':46} {'Wellhead ns/msg':>15} {'allocs':>7} {'QuickFIX ns/msg':>16} {'allocs':>7} {'speed-up':>9}")
    for name, metrics in sorted(ours.items()):
        ns = wall_nanoseconds(metrics)["50.0"] / SCALE
        allocs = median(metrics.get("Malloc (total)", {"score": 0})) / SCALE
        peer = theirs.get(PEERS.get(name, ""))
        peer_text = f"{peer[0]:16.1f} {peer[1]:7.2f} {peer[0] / ns:8.1f}x" if peer else f"{'':16} {'':7} {'':9}"
        print(f"{name:46} {ns:15.1f} {allocs:7.2f} {peer_text}")


def table(jmh):
    for name, metrics in sorted(load(jmh).items()):
        wall = wall_nanoseconds(metrics)
        line = f"{name:50} p50 {wall.get('50.0', 0):12.0f} ns  p99 {wall.get('99.0', 0):12.0f} ns  p99.9 {wall.get('99.9', 0):12.0f} ns"
        if metrics["primary"].get("scoreUnit") == "# / s":
            line += f"  {median(metrics['primary']):,.0f} samples/s"
        print(line)


AFTER, BEFORE = " Wellhead appliance", " Wellhead baseline"
# "order to New (resting limit) Wellhead appliance: 20000 round trips, p50 317.6 µs, p99 1340.0 µs, …"
ROUND_TRIPS = re.compile(r"(order to .*?): (\d+) round trips, p50 ([\d.]+) µs, p99 ([\d.]+) µs, p99\.9 ([\d.]+) µs")


def before_after(log):
    """Each "<name> Wellhead appliance" beside its "<name> Wellhead baseline" (the build
    WELLHEAD_BASELINE_BINARY named), from the lines the benchmarks print on standard error from
    their own timings of the measured iterations (the JMH export leaves out benchmarks without a
    throughput metric, as these are): p50, p99 and p99.9 in µs, and after / before."""
    runs = {m.group(1): (int(m.group(2)), *map(float, m.group(3, 4, 5))) for m in map(ROUND_TRIPS.search, open(log)) if m}
    print(f"{'benchmark':32} {'':6} {'samples':>8} {'p50 µs':>9} {'p99 µs':>9} {'p99.9 µs':>9}")
    for name in sorted(runs):
        if not name.endswith(AFTER):
            continue
        base = name[: -len(AFTER)]
        after, before = runs[name], runs.get(base + BEFORE)
        if before is None:
            print(f"{base:32} no baseline result")
            continue
        for label, row in (("before", before), ("after", after)):
            print(f"{base:32} {label:6} {row[0]:8d} {row[1]:9.1f} {row[2]:9.1f} {row[3]:9.1f}")
        print(f"{base:32} {'ratio':6} {'':8} {after[1] / before[1]:9.2f} {after[2] / before[2]:9.2f} {after[3] / before[3]:9.2f}")


if __name__ == "__main__":
    if sys.argv[1] == "codec":
        codec(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "before-after":
        before_after(sys.argv[2])
    else:
        table(sys.argv[2])
