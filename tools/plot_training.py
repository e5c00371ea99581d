#!/usr/bin/python3
"""Loss and accuracy curves of `npusim train --csv` files, with matplotlib (python3-matplotlib).

    tools/plot_training.py run.csv [more.csv ...] [--out curves.png] [--smooth STEPS]

One line per file (labelled by the file name): the training loss per step (a moving average over
--smooth steps, default 50) on the left, the test accuracy after every epoch on the right.
"""
import argparse
import csv
import os
import sys


def fail(message):
    print(f"plot_training: {message}", file=sys.stderr)
    sys.exit(1)


def read_curve(path):
    steps, losses, epochs, accuracy = [], [], [], []
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    if not rows or "phase" not in rows[0]:
        fail(f"{path}: not an npusim train CSV (no 'phase' column)")
    for row in rows:
        try:
            if row["phase"] == "train":
                steps.append(int(row["step"]))
                losses.append(float(row["loss"]))
            elif row["phase"] == "test":
                epochs.append(int(row["epoch"]))
                accuracy.append(100.0 * float(row["accuracy"]))
        except (KeyError, ValueError):
            fail(f"{path}: malformed row {row}")
    return steps, losses, epochs, accuracy


def moving_average(values, window):
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="+")
    parser.add_argument("--out", default="training_curves.png")
    parser.add_argument("--smooth", type=int, default=50)
    args = parser.parse_args()
    if args.smooth < 1:
        fail("--smooth: must be >= 1")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        fail("matplotlib is missing (apt-get install python3-matplotlib)")
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11, 4))
    for path in args.csv:
        steps, losses, epochs, accuracy = read_curve(path)
        label = os.path.splitext(os.path.basename(path))[0]
        loss_ax.plot(steps, moving_average(losses, args.smooth), label=label)
        acc_ax.plot(epochs, accuracy, marker="o", label=label)
    loss_ax.set(xlabel="step", ylabel=f"training loss (mean of {args.smooth} steps)", yscale="log")
    acc_ax.set(xlabel="epoch", ylabel="test accuracy (%)")
    for ax in (loss_ax, acc_ax):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print(f"plot_training: wrote {args.out}")


if __name__ == "__main__":
    main()
