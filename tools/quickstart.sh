#!/usr/bin/env bash
# The main demo: builds Release and simulates ResNet-18 on the TPU v1-like design, functionally
# (INT8, checked bit-exact against the CPU reference), printing the per-layer report.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh release
exec build/release/npusim run --arch tpu_v1 --workload resnet18 "$@"
