#!/usr/bin/env python3
"""Compares two libtorch profiler traces (chrome trace JSON) op by op: self time per operator name, summed
over the traced steps, Java (DJL) against PyTorch. Written by `semiactive bench speed` when the environment
has SEMIACTIVE_BENCH_PROFILE=PREFIX (docs/speed.md, "Profile"):

    bench/profile_compare.py PREFIX-train-djl.json PREFIX-train-pytorch.json [--top 25]

Self time = an event's duration minus that of the events nested in it on the same thread, so the columns
add up to the time spent inside libtorch operators; the rest of a step (JNI, Java, Python) is what the
step's wall time has beyond them.
"""
import argparse
import collections
import json
import sys


def read_events(path):
    """The trace's events; a missing or unreadable file is a one-line error naming it."""
    try:
        with open(path) as f:
            data = json.load(f)
    except OSError as e:
        sys.exit(f"profile_compare: {path}: {e.strerror}; give the traces `semiactive bench speed` wrote with "
                 "SEMIACTIVE_BENCH_PROFILE=PREFIX (PREFIX-train-djl.json, PREFIX-train-pytorch.json)")
    except ValueError as e:
        sys.exit(f"profile_compare: {path} is not JSON ({e}); give a chrome trace written by the profiler")
    events = data.get("traceEvents") if isinstance(data, dict) else data
    if not isinstance(events, list):
        sys.exit(f"profile_compare: {path} holds no traceEvents list; give a chrome trace written by the profiler")
    return events


def self_times(path):
    events = read_events(path)
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            by_thread[(e.get("pid"), e.get("tid"))].append(e)
    totals = collections.Counter()
    calls = collections.Counter()
    for evs in by_thread.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # [end, name, child time]
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and ts >= stack[-1][0] - 1e-9:
                end, name, child, own = stack.pop()
                totals[name] += own - child
            if stack:
                stack[-1][2] += dur
            stack.append([ts + dur, e["name"], 0.0, dur])
            calls[e["name"]] += 1
        while stack:
            end, name, child, own = stack.pop()
            totals[name] += own - child
    return totals, calls


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("djl")
    p.add_argument("pytorch")
    p.add_argument("--top", type=int, default=25)
    a = p.parse_args()
    dt, dc = self_times(a.djl)
    pt, pc = self_times(a.pytorch)
    names = sorted(set(dt) | set(pt), key=lambda n: -max(dt[n], pt[n]))
    print(f"{'operator':40} {'DJL ms':>10} {'calls':>7} {'PyTorch ms':>11} {'calls':>7} {'DJL-PT ms':>10}")
    for n in names[:a.top]:
        print(f"{n[:40]:40} {dt[n] / 1e3:10.1f} {dc[n]:7d} {pt[n] / 1e3:11.1f} {pc[n]:7d} {(dt[n] - pt[n]) / 1e3:10.1f}")
    print(f"{'total (all operators)':40} {sum(dt.values()) / 1e3:10.1f} {sum(dc.values()):7d} {sum(pt.values()) / 1e3:11.1f} "
          f"{sum(pc.values()):7d} {(sum(dt.values()) - sum(pt.values())) / 1e3:10.1f}")


if __name__ == "__main__":
    main()
