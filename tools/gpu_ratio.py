#!/usr/bin/python3
"""Compares two GPU measurement files (the CSV format of tests/data/gpu: `npusim gpu --csv`,
tools/torch_baseline.py) layer by layer, matched by shape, in time or in energy: the ratio A / B
per layer, how many layers lie within a factor (both ways), the geometric mean and the totals.
gpu_check.sh uses it for the vendor backend against PyTorch (target: within 1.1x) and for the
repeatability of energy across two runs (target: within 10%).

    tools/gpu_ratio.py A.csv B.csv [--metric ms|energy_uj] [--within 1.1] [--label-a A --label-b B]

Exit status: 0 when every matched layer lies within the factor, 4 when some do not, 1 on bad
input (a missing file or column, no layer in common).
"""
import argparse
import csv
import math
import sys

KEY = ("kind", "input", "out", "kernel", "stride", "pad", "groups")


def fail(message):
    print(f"gpu_ratio: {message}", file=sys.stderr)
    sys.exit(1)


def read(path, metric):
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    layers = {}
    for number, row in enumerate(rows, start=2):
        missing = [c for c in KEY + (metric,) if c not in row]
        if missing:
            fail(f"{path}: line {number}: no column {missing[0]}")
        try:
            value = float(row[metric])
        except ValueError:
            fail(f"{path}: line {number}: {metric} '{row[metric]}' is not a number")
        # Layers of the same shape (ResNet repeats them) are one entry: their mean.
        layers.setdefault(tuple(row[c] for c in KEY), []).append(value)
    return {k: sum(v) / len(v) for k, v in layers.items()}, rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--metric", default="ms", choices=["ms", "energy_uj"])
    p.add_argument("--within", type=float, default=1.1)
    p.add_argument("--label-a", default="A")
    p.add_argument("--label-b", default="B")
    args = p.parse_args()
    if not args.within >= 1.0:
        fail(f"--within: must be >= 1, got {args.within}")
    a, _ = read(args.a, args.metric)
    b, _ = read(args.b, args.metric)
    common = [k for k in a if k in b and a[k] > 0 and b[k] > 0]
    if not common:
        fail(f"{args.a} and {args.b} have no layer shape in common with a positive {args.metric}")
    print(f"{args.metric}: {args.label_a} / {args.label_b}, per layer shape")
    outside = 0
    logs = []
    for k in common:
        ratio = a[k] / b[k]
        logs.append(math.log(ratio))
        inside = 1.0 / args.within <= ratio <= args.within
        outside += not inside
        print(f"  {k[0]} in {k[1]} out {k[2]} kernel {k[3]} stride {k[4]}: {a[k]:.6g} / {b[k]:.6g} = "
              f"{ratio:.3f}{'' if inside else '  (outside)'}")
    total_a, total_b = sum(a[k] for k in common), sum(b[k] for k in common)
    print(f"{len(common) - outside} of {len(common)} layer shapes within {args.within}x; geometric mean "
          f"{math.exp(sum(logs) / len(logs)):.3f}; totals {total_a:.6g} / {total_b:.6g} = {total_a / total_b:.3f}")
    sys.exit(4 if outside else 0)


if __name__ == "__main__":
    main()
