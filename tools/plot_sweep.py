#!/usr/bin/python3
"""Plots of an `npusim sweep` result directory, with matplotlib (Debian: python3-matplotlib).

    tools/plot_sweep.py resnet18_arrays.sweep [--out DIR] [--point ID] [--workload NAME]

Writes three PNGs (into <results>/plots unless --out says otherwise):
  pareto.png     latency vs energy per point, coloured by area, the Pareto front joined
  layers.png     one point's per-layer MAC utilization and energy breakdown
  roofline.png   that point's layers on its roofline (peak compute, DRAM bandwidth)
The per-layer plots show --point (an id from results.csv), by default the fastest design.
`npusim report` draws the same views into one HTML page without Python.
"""
import argparse
import json
import os
import sys


def fail(message):
    print(f"plot_sweep: {message}", file=sys.stderr)
    sys.exit(1)


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    except json.JSONDecodeError as e:
        fail(f"{path}: not valid JSON ({e})")


def label(row, axis_keys):
    """A short name for a point: its axis values, e.g. '64x64 ws 2048'."""
    o = row["overrides"]
    parts = []
    if "array.rows" in o and "array.cols" in o:
        parts.append(f"{o['array.rows']}x{o['array.cols']}")
    parts += [o[k] for k in axis_keys if k in o and k not in ("array.rows", "array.cols")]
    return " ".join(parts) or row["id"]


def pareto_front(rows):
    """Points no other point beats in both latency and energy, fastest first."""
    front, best_energy = [], float("inf")
    for r in sorted(rows, key=lambda r: (r["latency_ms"], r["energy_mj"])):
        if r["energy_mj"] < best_energy:
            front.append(r)
            best_energy = r["energy_mj"]
    return front


def plot_pareto(matplotlib, plt, rows, axis_keys, title, path):
    fig, ax = plt.subplots(figsize=(8, 5.5))
    sc = ax.scatter([r["latency_ms"] for r in rows], [r["energy_mj"] for r in rows],
                    c=[r["area_mm2"] for r in rows], cmap="viridis", s=36, edgecolors="k", linewidths=0.3)
    fig.colorbar(sc, ax=ax, label="area (mm²)")
    front = pareto_front(rows)
    ax.plot([r["latency_ms"] for r in front], [r["energy_mj"] for r in front], "r-", lw=1.2, label="Pareto front")
    # Front points sit close together: number them on the plot and name them in a box.
    for i, r in enumerate(front, 1):
        ax.annotate(str(i), (r["latency_ms"], r["energy_mj"]), fontsize=8, color="red",
                    xytext=(-3, -12), textcoords="offset points")
    ax.text(0.3, 0.97, "Pareto front, fastest first:\n" +
            "\n".join(f"{i}. {label(r, axis_keys)}" for i, r in enumerate(front, 1)),
            transform=ax.transAxes, fontsize=8, va="top",
            bbox=dict(boxstyle="round", facecolor="white", edgecolor="0.7"))
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1, 2, 5)))
        axis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
        axis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("latency per batch (ms)")
    ax.set_ylabel("energy per batch (mJ)")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def energy_parts(layer):
    """Per-layer energy in µJ by component, SRAMs by name."""
    e = layer["energy"]
    return {k[:-3]: v / 1e6 for k, v in e.items() if k.endswith("_pj") and k != "total_pj"}


def plot_layers(plt, report, name, path):
    layers = report["layers"]
    names = [l["name"] for l in layers]
    x = range(len(layers))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(max(8, 0.28 * len(layers)), 7), sharex=True)
    top.bar(x, [100 * l["utilization"] for l in layers], color="tab:blue")
    top.set_ylabel("MAC utilization (%)")
    top.set_ylim(0, 100)
    top.set_title(f"Per layer: {name}")
    top.grid(True, axis="y", alpha=0.3)
    parts = sorted({k for l in layers for k in energy_parts(l)})
    base = [0.0] * len(layers)
    for part in parts:
        values = [energy_parts(l).get(part, 0.0) for l in layers]
        bottom.bar(x, values, bottom=base, label=part)
        base = [b + v for b, v in zip(base, values)]
    bottom.set_ylabel("energy (µJ)")
    bottom.legend(fontsize=7, ncol=3)
    bottom.set_xticks(list(x))
    bottom.set_xticklabels(names, rotation=90, fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_roofline(plt, report, name, path):
    peak_tops = report["peak_tops"]
    bandwidth_gbps = report["dram_bandwidth_gbps"]
    clock_hz = report["clock_mhz"] * 1e6
    points = []
    for l in report["layers"]:
        dram = l["dram_read_bytes"] + l["dram_write_bytes"]
        if l["macs"] == 0 or dram == 0 or l["cycles"] == 0:
            continue  # vector-only layers have no place on a MAC roofline
        intensity = 2 * l["macs"] / dram  # ops per DRAM byte
        tops = 2 * l["macs"] / (l["cycles"] / clock_hz) / 1e12
        points.append((intensity, tops, l["name"]))
    if not points:
        return False
    lo = min(p[0] for p in points) / 4
    hi = max(max(p[0] for p in points) * 4, 4 * peak_tops * 1e3 / bandwidth_gbps)
    xs = [lo * (hi / lo) ** (i / 200) for i in range(201)]
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.plot(xs, [min(peak_tops, bandwidth_gbps * x / 1e3) for x in xs], "k-", lw=1.5,
            label=f"roof: {peak_tops:.3g} TOPS, {bandwidth_gbps:.3g} GB/s")
    ax.scatter([p[0] for p in points], [p[1] for p in points], s=24, color="tab:orange", edgecolors="k",
               linewidths=0.3, label="layers", zorder=3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("operational intensity (ops per DRAM byte)")
    ax.set_ylabel("achieved TOPS")
    ax.set_title(f"Roofline: {name}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a sweep's results directory (holding results.json)")
    parser.add_argument("--out", help="where the PNGs go (default: <results>/plots)")
    parser.add_argument("--point", help="the point id for the per-layer plots (default: the fastest)")
    parser.add_argument("--workload", help="plot only this workload's points (default: the first)")
    args = parser.parse_args()
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker  # noqa: F401 (used through matplotlib.ticker)
    except ImportError:
        fail("matplotlib is missing (apt-get install python3-matplotlib)")

    results = load_json(os.path.join(args.results, "results.json"))
    all_rows = results.get("rows", [])
    workloads = sorted({r["workload"] for r in all_rows}, key=[r["workload"] for r in all_rows].index)
    if not workloads:
        fail(f"{args.results}: the sweep has no results yet")
    workload = args.workload or workloads[0]
    if workload not in workloads:
        fail(f"--workload: '{workload}' is not in the sweep ({', '.join(workloads)})")
    rows = [r for r in all_rows if r["workload"] == workload and r["status"] == "ok"]
    if not rows:
        fail(f"{args.results}: no point of '{workload}' ran successfully")
    axis_keys = []
    for r in rows:
        axis_keys += [k for k in r["overrides"] if k not in axis_keys]

    out = args.out or os.path.join(args.results, "plots")
    os.makedirs(out, exist_ok=True)
    failed = sum(1 for r in all_rows if r["workload"] == workload and r["status"] != "ok")
    title = f"{results['sweep']}: {workload}, {len(rows)} designs" + (f" ({failed} failed)" if failed else "")
    written = [os.path.join(out, "pareto.png")]
    plot_pareto(matplotlib, plt, rows, axis_keys, title, written[0])

    chosen = min(rows, key=lambda r: r["latency_ms"])
    if args.point:
        matches = [r for r in all_rows if r["id"] == args.point]
        if not matches:
            fail(f"--point: no point '{args.point}' in {args.results}/results.json")
        if matches[0]["status"] != "ok":
            fail(f"--point: point '{args.point}' failed: {matches[0]['error']}")
        chosen = matches[0]
    record = load_json(os.path.join(args.results, "points", chosen["id"] + ".json"))
    name = f"{chosen['workload']} on {label(chosen, axis_keys)}"
    written.append(os.path.join(out, "layers.png"))
    plot_layers(plt, record["report"], name, written[-1])
    if plot_roofline(plt, record["report"], name, os.path.join(out, "roofline.png")):
        written.append(os.path.join(out, "roofline.png"))
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
