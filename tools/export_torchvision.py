#!/usr/bin/python3
"""Exports torchvision CNNs to ONNX with Debian's python3-torch and python3-torchvision, with
random weights (nothing is downloaded): the models npusim's ONNX importer is measured on.

    tools/export_torchvision.py resnet18 mobilenet_v3_small --out models/
    tools/export_torchvision.py --all --out models/      # every family the README lists
    npusim run --arch tpu_v1 --workload models/resnet18.onnx --timing-only

Each model is built with weights=None in eval mode (dropout off, batchnorm on its running
statistics) and exported at batch 1 (a symbolic batch dimension), opset 13, 3 x 224 x 224 (299
for inception_v3).
"""
import argparse
import os
import sys

FAMILIES = ["resnet18", "resnet50", "vgg16", "alexnet", "squeezenet1_0", "densenet121", "googlenet",
            "inception_v3", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0",
            "shufflenet_v2_x1_0", "mnasnet1_0", "regnet_x_400mf", "regnet_y_400mf", "convnext_tiny"]


def build(name):
    """The torchvision model `name` with random weights in eval mode, and its input size."""
    import torchvision
    builder = getattr(torchvision.models, name, None)
    if builder is None:
        raise SystemExit(f"export_torchvision.py: torchvision {torchvision.__version__} has no model '{name}'")
    kwargs = {"aux_logits": False, "init_weights": True} if name in ("googlenet", "inception_v3") else {}
    return builder(weights=None, **kwargs).eval(), 299 if name == "inception_v3" else 224


def export_model(model, size, path, opset):
    import torch
    torch.onnx.export(model, torch.zeros(1, 3, size, size), path, opset_version=opset, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    return path


def export(name, out_dir, opset):
    model, size = build(name)
    return export_model(model, size, os.path.join(out_dir, name + ".onnx"), opset)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", help="torchvision model names (torchvision.models.<name>)")
    parser.add_argument("--all", action="store_true", help="every family in the README's table")
    parser.add_argument("--out", default=".", help="folder for the .onnx files (default: here)")
    parser.add_argument("--opset", type=int, default=13, help="ONNX opset (default 13)")
    args = parser.parse_args()
    names = FAMILIES if args.all else args.models
    if not names:
        parser.error("name at least one model, or --all")
    try:
        import torch  # noqa: F401  (checked here, so --help works without it)
    except ImportError:
        raise SystemExit("export_torchvision.py: needs python3-torch and python3-torchvision "
                         "(apt-get install python3-torchvision)")
    os.makedirs(args.out, exist_ok=True)
    for name in names:
        print(export(name, args.out, args.opset), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
