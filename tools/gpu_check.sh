#!/usr/bin/env bash
# The GPU suite and measurements in one call, on a GPU host, from a bundle (tools/bundle.sh):
# the device's description, every GPU test (each op x backend x precision against the CPU
# reference), ResNet-50 measured with `npusim gpu` (FP16 and INT8), and `npusim compare` for
# ResNet-50 on tpu_v1 against that measurement and against the shipped H100 file.
# Everything goes to OUT_DIR. Meant to finish in well under 8 minutes on an H100/H200.
# Usage: gpu_check.sh OUT_DIR   (run from the bundle folder or the repository's bundle/)
set -uo pipefail
out="${1:?usage: gpu_check.sh OUT_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$here/npusim_gpu_tests" ] || here="$here/../bundle"  # run as tools/gpu_check.sh
[ -x "$here/npusim_gpu_tests" ] || { echo "gpu_check.sh: no bundle next to it (tools/bundle.sh)" >&2; exit 1; }
mkdir -p "$out"
export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
status=0
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem,power.limit,memory.total \
    --format=csv 2>&1 || echo "nvidia-smi: not available"
} > "$out/device.txt"
cat "$out/device.txt"
echo "== GPU tests"
timeout 300 "$here/npusim_gpu_tests" -r junit -o "$out/gpu_tests.xml" || status=1
timeout 300 "$here/npusim_gpu_tests" -s 2>&1 | grep -E "NPUSIM_SKIPPED|passed|failed" | tail -5 | tee "$out/gpu_tests.txt"
echo "== npusim gpu: ResNet-50's conv and fc layers on this GPU (naive and tiled kernels, FP16 and INT8)"
for b in naive tiled; do
  for p in fp16 int8; do
    timeout 150 "$here/npusim" gpu --workload resnet50 --backend $b --precision $p --min-ms 150 \
      --csv "$out/resnet50_${b}_${p}_b1.csv" > "$out/gpu_resnet50_${b}_${p}.txt" 2>&1 || status=1
    tail -1 "$out/gpu_resnet50_${b}_${p}.txt"
  done
done
timeout 60 "$here/npusim" compare --arch tpu_v1 --workload resnet50 --precision fp16 \
  --gpu-results "$out/resnet50_tiled_fp16_b1.csv" > "$out/compare_tiled.txt" 2>&1 || status=1
echo "== the PyTorch (cuDNN) baseline of the same layers, where python3 has torch"
if python3 -c "import torch, torchvision" 2>/dev/null; then
  timeout 240 python3 "$here/torch_baseline.py" --model resnet50 --precision fp16 --min-ms 200 \
    --out "$out/resnet50_torch_fp16_b1.csv" > "$out/torch_baseline.txt" 2>&1 || status=1
  timeout 60 "$here/npusim" compare --arch tpu_v1 --workload resnet50 --precision fp16 \
    --gpu-results "$out/resnet50_torch_fp16_b1.csv" > "$out/compare_torch.txt" 2>&1 || status=1
  tail -1 "$out/torch_baseline.txt"
else
  echo "python3 has no torch/torchvision: baseline skipped" | tee "$out/torch_baseline.txt"
fi
echo "== npusim compare (the NPU side and the shipped H100 measurement)"
timeout 120 "$here/npusim" compare --arch tpu_v1 --workload resnet50 --precision fp16 \
  --gpu-results "$here/tests/data/gpu/resnet50_fp16_b1.csv" --json "$out/compare.json" --html "$out/compare.html" \
  > "$out/compare.txt" 2>&1 || status=1
tail -3 "$out/compare.txt"
echo "gpu_check.sh: results in $out (status $status)"
exit $status
