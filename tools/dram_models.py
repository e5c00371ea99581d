#!/usr/bin/python3
"""The simple and the banked DRAM model on the same run, in total and layer by layer.

    tools/dram_models.py DESIGN "BANKED DRAM LINE" [--workload resnet50] [--layers N] [--residency on|off]

Runs `npusim run --timing-only --json` on a shipped design as it is (its simple DRAM) and on a
copy whose `dram:` line is replaced by the banked one given, e.g.
    tools/dram_models.py tpu_v1 "{type: ddr3, model: banked, preset: ddr3_1600, channels: 3}"
and prints Markdown: one row per model (time, DRAM bytes, energy, DRAM energy, row hits /
misses / conflicts, wall time), then the N layers whose time differs most between the two
(default 8), with their cycles and the banked model's row-hit rate.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NPUSIM = os.path.join(ROOT, "build", "release", "npusim")


def run(arch, args, out):
    start = time.time()
    subprocess.run([NPUSIM, "run", "--arch", arch, "--timing-only", "--quiet", "--json", out] + args,
                   check=True, stdout=subprocess.DEVNULL)
    wall = time.time() - start
    with open(out) as f:
        return json.load(f), wall


def counter(report, name):
    return report["stats"]["counters"]["npu.core0.dma." + name]


def hit_rates(report, tag=None):
    parts = [counter(report, k) for k in ("dram_row_hits", "dram_row_misses", "dram_row_conflicts")]
    values = [p["total"] if tag is None else p["by_tag"][tag] for p in parts]
    total = sum(values)
    return [100.0 * v / total for v in values] if total else None


def total_row(label, report, wall):
    t = report["total"]
    rates = hit_rates(report)
    rows = " / ".join(f"{r:.1f}%" for r in rates) if rates else "-"
    moved = (t["dram_read_bytes"] + t["dram_write_bytes"]) / 1e6
    return (f"| {label} | {t['time_ms']:.3f} ms | {moved:.1f} MB | {t['energy']['total_pj'] / 1e9:.2f} mJ | "
            f"{t['energy']['dram_pj'] / 1e9:.2f} mJ | {rows} | {wall:.2f} s |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("design")
    p.add_argument("banked")
    p.add_argument("--workload", default="resnet50")
    p.add_argument("--layers", type=int, default=8)
    p.add_argument("--residency", choices=["on", "off"], default="on")
    a = p.parse_args()
    source = os.path.join(ROOT, "configs", "arch", a.design + ".yaml")
    if not os.path.exists(source) or not os.access(NPUSIM, os.X_OK):
        sys.exit(f"dram_models.py: needs {source} and a built {NPUSIM}")
    text = open(source).read()
    if not re.search(r"^dram: \{.*\}", text, re.M):
        sys.exit(f"dram_models.py: {source}: no one-line 'dram: {{...}}' to replace")
    with tempfile.TemporaryDirectory() as tmp:
        banked = os.path.join(tmp, a.design + "_banked.yaml")
        with open(banked, "w") as f:
            f.write(re.sub(r"^dram: \{.*\}.*$", "dram: " + a.banked, text, count=1, flags=re.M))
        args = ["--workload", a.workload, "--residency", a.residency]
        simple, simple_wall = run(a.design, args, os.path.join(tmp, "simple.json"))
        rich, rich_wall = run(banked, args, os.path.join(tmp, "banked.json"))
    print("| DRAM | time | DRAM bytes | energy | DRAM energy | row hits / misses / conflicts | wall |")
    print("|---|---|---|---|---|---|---|")
    print(total_row("simple", simple, simple_wall))
    print(total_row("banked " + a.banked, rich, rich_wall))
    tags = rich["stats"]["tags"]
    layers = []
    for s, b in zip(simple["layers"], rich["layers"]):
        tag = tags.index(s["name"])
        layers.append((abs(b["cycles"] - s["cycles"]), s, b, hit_rates(rich, tag)))
    layers.sort(key=lambda x: -x[0])
    print()
    print("| layer | DRAM bytes | simple cycles | banked cycles | difference | banked row hits |")
    print("|---|---|---|---|---|---|")
    for _, s, b, rates in layers[: a.layers]:
        moved = (s["dram_read_bytes"] + s["dram_write_bytes"]) / 1e3
        diff = 100.0 * (b["cycles"] - s["cycles"]) / s["cycles"] if s["cycles"] else 0.0
        hits = f"{rates[0]:.1f}%" if rates else "-"
        print(f"| {s['name']} | {moved:.1f} kB | {s['cycles']} | {b['cycles']} | {diff:+.1f}% | {hits} |")


if __name__ == "__main__":
    main()
