#!/usr/bin/env python3
# The python3 on PATH: on the GPU hosts that is the one with PyTorch (pip or conda, not Debian).
"""Times a torchvision model's conv and linear layers with PyTorch (cuDNN) on this machine's GPU
and writes them in the measurement format `npusim compare --gpu-results` reads (the same
columns as tests/data/gpu, whose files were measured this way): the trusted baseline for the
project's own GPU figures.

    tools/torch_baseline.py --model resnet50 [--batch 1] [--precision fp16] [--min-ms 1000] --out F.csv

Each layer runs alone (torch.nn.functional.conv2d / linear, channels-last, cudnn.benchmark):
5 warm-up calls, then a loop of at least --min-ms between two CUDA events, with the board's
energy from NVML's total-energy counter (libnvidia-ml.so.1 through ctypes) read around the same
loop. Random weights (no download): torchvision builds the model only for its layer shapes.
"""
import argparse
import ctypes
import sys


def fail(message):
    print(f"torch_baseline: {message}", file=sys.stderr)
    sys.exit(1)


class Nvml:
    """NVML's energy counter (millijoules) of device 0, or None readings when there is no NVML."""

    def __init__(self):
        self.handle = None
        try:
            self.lib = ctypes.CDLL("libnvidia-ml.so.1")
        except OSError:
            return
        if self.lib.nvmlInit_v2() != 0:
            return
        handle = ctypes.c_void_p()
        if self.lib.nvmlDeviceGetHandleByIndex_v2(0, ctypes.byref(handle)) == 0:
            self.handle = handle

    def energy_mj(self):
        if self.handle is None:
            return None
        mj = ctypes.c_ulonglong()
        if self.lib.nvmlDeviceGetTotalEnergyConsumption(self.handle, ctypes.byref(mj)) != 0:
            return None
        return float(mj.value)


def layer_calls(torch, model, batch, dtype):
    """(kind, input shape, module) of every Conv2d and Linear, in forward order, from hooks."""
    found = []

    def hook(module, inputs, _output):
        found.append((module, tuple(inputs[0].shape)))

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    with torch.no_grad():
        model(torch.zeros(batch, 3, 224, 224, device="cuda", dtype=dtype))
    for h in handles:
        h.remove()
    return found


def time_layer(torch, module, shape, dtype, min_ms, nvml):
    """Milliseconds and microjoules per call of one layer, and the average board power."""
    x = torch.randn(shape, device="cuda", dtype=dtype)
    if x.dim() == 4:
        x = x.to(memory_format=torch.channels_last)
    weight = module.weight.detach()
    bias = None if module.bias is None else module.bias.detach()
    if isinstance(module, torch.nn.Conv2d):
        def call():
            return torch.nn.functional.conv2d(x, weight, bias, module.stride, module.padding, module.dilation,
                                              module.groups)
    else:
        def call():
            return torch.nn.functional.linear(x, weight, bias)
    with torch.no_grad():
        for _ in range(5):
            call()
        torch.cuda.synchronize()
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        call()
        stop.record()
        stop.synchronize()
        calls = max(1, int(min_ms / max(start.elapsed_time(stop), 1e-4)))
        e0 = nvml.energy_mj()
        start.record()
        for _ in range(calls):
            call()
        stop.record()
        stop.synchronize()
        e1 = nvml.energy_mj()
    ms = start.elapsed_time(stop) / calls
    uj = (e1 - e0) * 1e3 / calls if e0 is not None and e1 is not None else 0.0
    watts = (e1 - e0) / (ms * calls) if e0 is not None and e1 is not None else 0.0
    return ms, uj, watts


def macs_of(torch, module, shape):
    if isinstance(module, torch.nn.Linear):
        return shape[0] * module.in_features * module.out_features
    n, _, h, w = shape
    kh, kw = module.kernel_size
    oh = (h + 2 * module.padding[0] - module.dilation[0] * (kh - 1) - 1) // module.stride[0] + 1
    ow = (w + 2 * module.padding[1] - module.dilation[1] * (kw - 1) - 1) // module.stride[1] + 1
    return n * module.out_channels * oh * ow * (module.in_channels // module.groups) * kh * kw


def row(torch, index, module, shape, macs, ms, uj, watts):
    quoted = lambda t: '"(' + ", ".join(str(v) for v in t) + ')"'
    if isinstance(module, torch.nn.Conv2d):
        kind, out = "conv", module.out_channels
        kernel, stride, pad = quoted(module.kernel_size), quoted(module.stride), quoted(module.padding)
        groups = module.groups
    else:
        kind, out, kernel, stride, pad, groups = "fc", module.out_features, "None", "None", "None", 1
    tflops = 2.0 * macs / (ms * 1e9)
    return f"{index},{kind},{quoted(shape)},{out},{kernel},{stride},{pad},{groups},{macs},{ms!r},{tflops!r},{uj!r},{watts!r}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="a torchvision classification model (resnet50, ...)")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--precision", choices=["fp16", "bf16", "fp32"], default="fp16")
    parser.add_argument("--min-ms", type=float, default=1000.0, help="each layer's timed loop (default 1000)")
    parser.add_argument("--out", required=True, help="the measurement CSV to write")
    args = parser.parse_args()
    if args.batch < 1 or args.min_ms <= 0:
        fail("--batch must be >= 1 and --min-ms > 0")
    try:
        import torch
        import torchvision
    except ImportError as e:
        fail(f"needs PyTorch and torchvision ({e})")
    if not torch.cuda.is_available():
        fail("no CUDA GPU visible to PyTorch")
    if not hasattr(torchvision.models, args.model):
        fail(f"--model: torchvision has no model '{args.model}'")
    torch.backends.cudnn.benchmark = True
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}[args.precision]
    model = getattr(torchvision.models, args.model)(weights=None).eval().to("cuda", dtype)
    model = model.to(memory_format=torch.channels_last)
    nvml = Nvml()
    lines = ["idx,kind,input,out,kernel,stride,pad,groups,macs,ms,tflops,energy_uj,avg_w"]
    for index, (module, shape) in enumerate(layer_calls(torch, model, args.batch, dtype)):
        ms, uj, watts = time_layer(torch, module, shape, dtype, args.min_ms, nvml)
        lines.append(row(torch, index, module, shape, macs_of(torch, module, shape), ms, uj, watts))
        print(f"  {index:3d} {shape} {ms:.4f} ms {uj:.1f} uJ", file=sys.stderr)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"torch_baseline: {len(lines) - 1} layers of {args.model} on {torch.cuda.get_device_name(0)} -> {args.out}")


if __name__ == "__main__":
    main()
