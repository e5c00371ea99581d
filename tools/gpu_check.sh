#!/usr/bin/env bash
# The GPU suite and measurements in one call, on a GPU host, from a bundle (tools/bundle.sh):
# the device's description, every GPU test (each backend x precision against the CPU
# reference), whole networks on the GPU checked layer by layer (`npusim gpu --network`), the mma
# FP16 GEMM against cuBLASLt at 4096^3, LeNet-5 trained on the GPU (npusim train --device gpu),
# ResNet-50 measured with `npusim
# gpu` on every backend and precision, the vendor backend against PyTorch (tools/torch_baseline.py,
# where python3 has torch) and its energy against a second run (tools/gpu_ratio.py), and `npusim
# compare` for ResNet-50 on tpu_v1. Everything goes to OUT_DIR; a summary is printed at the end.
# Meant to finish in well under 8 minutes on an H100/H200.
# Usage: gpu_check.sh OUT_DIR   (run from the bundle folder or the repository's bundle/)
set -uo pipefail
out="${1:?usage: gpu_check.sh OUT_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$here/npusim_gpu_tests" ] || here="$here/../bundle"  # run as tools/gpu_check.sh
[ -x "$here/npusim_gpu_tests" ] || { echo "gpu_check.sh: no bundle next to it (tools/bundle.sh)" >&2; exit 1; }
mkdir -p "$out"
# cuDNN and cuBLASLt are opened at run time: the host's, wherever its loader or PyTorch keeps them.
extra="$here/lib:/usr/local/cuda/lib64"
for d in $(python3 -c "import nvidia, os; print(' '.join(os.path.join(p, q, 'lib') for p in nvidia.__path__ for q in os.listdir(p)))" 2>/dev/null); do
  extra="$extra:$d"
done
export LD_LIBRARY_PATH="$extra${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
status=0
summary="$out/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem,power.limit,memory.total \
    --format=csv 2>&1 || echo "nvidia-smi: not available"
} > "$out/device.txt"
cat "$out/device.txt"
echo "== GPU tests (every backend x precision against the CPU reference)"
timeout 300 "$here/npusim_gpu_tests" -r junit -o "$out/gpu_tests.xml" > /dev/null 2>&1 || status=1
timeout 300 "$here/npusim_gpu_tests" -s > "$out/gpu_tests_full.txt" 2>&1
note "gpu tests: $(grep -E "^(All tests passed|test cases:)" "$out/gpu_tests_full.txt" | tail -1)" \
  "($(grep -c NPUSIM_SKIPPED "$out/gpu_tests_full.txt") skipped)"
grep -B3 -A12 "FAILED" "$out/gpu_tests_full.txt" | head -60 > "$out/gpu_test_failures.txt"
echo "== whole networks on the GPU (every op), each layer against the CPU reference"
for run in "resnet50 int8 vendor" "resnet50 int8 mma" "resnet50 int8 tiled" "resnet50 int8 naive" \
           "resnet50 fp16 vendor" "resnet50 bf16 mma" "mobilenetv2 fp32 tiled" "mobilenetv2 int8 mma"; do
  set -- $run
  timeout 120 "$here/npusim" gpu --workload "$1" --network --precision "$2" --backend "$3" \
    > "$out/network_$1_$2_$3.txt" 2>&1 || status=1
  note "network $1 $2 $3: $(grep -E "network check|error" "$out/network_$1_$2_$3.txt" | tail -1)"
done
echo "== training on the GPU: LeNet-5 on Fashion-MNIST, FP16 mixed precision, the CPU reference alongside"
if [ -d "$here/data/fashion-mnist" ]; then
  timeout 200 "$here/npusim" train --model lenet5 --dataset "$here/data/fashion-mnist" --device gpu \
    --gpu-backend tiled --precision fp16 --epochs 1 --train-images 8000 --test-images 2000 --reference-every 50 \
    --quiet --json "$out/train_gpu_fp16.json" > "$out/train_gpu_fp16.txt" 2>&1 || status=1
  note "train on the GPU: $(grep -E "^epoch|largest relative|error" "$out/train_gpu_fp16.txt" | tr '\n' ' ')"
else
  note "train on the GPU: no Fashion-MNIST in the bundle (skipped)"
fi
echo "== the mma FP16 GEMM against cuBLASLt, 4096 x 4096 x 4096"
timeout 120 "$here/npusim_bench_gpu_gemm" 4096 4096 4096 500 > "$out/gemm_bench.txt" 2>&1 || status=1
cat "$out/gemm_bench.txt"
note "gemm: $(grep -E "mma / cuBLASLt|no usable GPU|npusim_bench_gpu_gemm:" "$out/gemm_bench.txt" | head -1)"
echo "== npusim gpu: ResNet-50's conv and fc layers on every backend and precision"
measure() {  # backend precision [suffix]
  local name="resnet50_$1_$2_b1${3:-}"
  timeout 150 "$here/npusim" gpu --workload resnet50 --backend "$1" --precision "$2" --min-ms 150 \
    --csv "$out/$name.csv" --json "$out/$name.json" > "$out/gpu_$name.txt" 2>&1 || status=1
  note "npusim gpu $1 $2: $(tail -1 "$out/gpu_$name.txt")"
}
for run in "vendor fp16" "vendor bf16" "vendor int8" "vendor fp32" "mma fp16" "mma bf16" "mma int8" \
           "tiled fp16" "tiled int8" "naive fp16" "naive int8"; do
  measure $run
done
measure vendor fp16 _again
timeout 30 python3 "$here/gpu_ratio.py" "$out/resnet50_vendor_fp16_b1.csv" "$out/resnet50_vendor_fp16_b1_again.csv" \
  --metric energy_uj --within 1.1 --label-a "run 1" --label-b "run 2" > "$out/energy_repeat.txt" 2>&1
note "energy repeatability: $(tail -1 "$out/energy_repeat.txt")"
echo "== the PyTorch (cuDNN) baseline of the same layers, where python3 has torch"
if python3 -c "import torch, torchvision" 2>/dev/null; then
  timeout 240 python3 "$here/torch_baseline.py" --model resnet50 --precision fp16 --min-ms 150 \
    --out "$out/resnet50_torch_fp16_b1.csv" > "$out/torch_baseline.txt" 2>&1 || status=1
  timeout 30 python3 "$here/gpu_ratio.py" "$out/resnet50_vendor_fp16_b1.csv" "$out/resnet50_torch_fp16_b1.csv" \
    --within 1.1 --label-a vendor --label-b torch > "$out/vendor_vs_torch.txt" 2>&1
  note "vendor vs torch (time): $(tail -1 "$out/vendor_vs_torch.txt")"
  timeout 60 "$here/npusim" compare --arch tpu_v1 --workload resnet50 --precision fp16 \
    --gpu-results "$out/resnet50_torch_fp16_b1.csv" > "$out/compare_torch.txt" 2>&1 || status=1
else
  note "python3 has no torch/torchvision: baseline skipped"
fi
echo "== npusim compare: the NPU side against this GPU (vendor, FP16) and against the shipped H100 file"
timeout 60 "$here/npusim" compare --arch tpu_v1 --workload resnet50 --precision fp16 \
  --gpu-results "$out/resnet50_vendor_fp16_b1.csv" --json "$out/compare_vendor.json" \
  --html "$out/compare_vendor.html" > "$out/compare_vendor.txt" 2>&1 || status=1
timeout 60 "$here/npusim" compare --arch tpu_v1 --workload resnet50 --precision fp16 \
  --gpu-results "$here/tests/data/gpu/resnet50_fp16_b1.csv" --json "$out/compare.json" --html "$out/compare.html" \
  > "$out/compare.txt" 2>&1 || status=1
note "compare (this GPU, vendor): $(grep -E "^total|error" "$out/compare_vendor.txt" | head -1)"
echo "== summary"
cat "$summary"
echo "gpu_check.sh: results in $out (status $status)"
exit $status
