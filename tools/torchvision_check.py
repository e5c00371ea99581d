#!/usr/bin/python3
"""Runs torchvision CNNs in PyTorch and on npusim's simulated NPU on the same input and compares
the outputs: the class (top-1), and the largest difference of the logits relative to the
largest logit. Random weights (nothing is downloaded): the weights travel inside the exported
ONNX file, so both sides compute the same network.

    tools/torchvision_check.py mobilenet_v3_small efficientnet_b0 --arch train_128_fp16
    tools/torchvision_check.py resnet18 --precision int8 --arch tpu_v1

Needs python3-torch, python3-torchvision and python3-numpy (Debian) and a built npusim
(build/release/npusim, or --npusim PATH). Prints one line per model; exits 1 if a class differs
(or the logits by more than --max-difference).
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def compare(name, args, work):
    import numpy as np
    import torch
    sys.path.insert(0, HERE)
    from export_torchvision import build, export_model
    torch.manual_seed(args.seed)
    model, size = build(name)
    path = export_model(model, size, os.path.join(work, name + ".onnx"), 13)
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(args.seed))
    with torch.no_grad():
        reference = model(x).numpy().reshape(-1)
    model_input = os.path.join(work, name + "_input.npy")
    np.save(model_input, x.numpy().astype(np.float32))
    out = os.path.join(work, name + "_npu.npy")
    cmd = [args.npusim, "run", "--arch", args.arch, "--precision", args.precision, "--workload", path, "--input",
           model_input, "--output", out, "--quiet"]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode not in (0, 4):
        last = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else str(run.returncode)
        return f"{name}: npusim failed: {last}", False
    npu = np.load(out).reshape(-1)
    check = "check PASS" if "check: PASS" in run.stdout else "check FAIL"
    error = float(np.abs(npu - reference).max() / max(1e-30, float(np.abs(reference).max())))
    same = int(npu.argmax()) == int(reference.argmax()) and (args.max_difference is None or error <= args.max_difference)
    return (f"{name}: top-1 PyTorch {int(reference.argmax())}, npusim {int(npu.argmax())} "
            f"({'same' if same else 'DIFFERENT'}), max |difference| / max |logit| {error:.2e}, {check}"), same


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+", help="torchvision model names")
    parser.add_argument("--arch", default="train_128_fp16", help="npusim design (default train_128_fp16)")
    parser.add_argument("--precision", default="fp32", help="npusim precision (default fp32)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the weights and the input")
    parser.add_argument("--npusim", default=os.path.join(HERE, "..", "build", "release", "npusim"))
    parser.add_argument("--max-difference", type=float, default=None,
                        help="also fail when max |difference| / max |logit| exceeds this")
    parser.add_argument("--skip-without-torch", action="store_true",
                        help="exit 77 (a skipped test) when python3-torch is absent")
    args = parser.parse_args()
    try:
        import numpy  # noqa: F401
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as e:
        print(f"torchvision_check.py: needs python3-torch, python3-torchvision and python3-numpy ({e})")
        return 77 if args.skip_without_torch else 2
    all_same = True
    with tempfile.TemporaryDirectory() as work:
        for name in args.models:
            line, same = compare(name, args, work)
            print(line, flush=True)
            all_same = all_same and same
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
