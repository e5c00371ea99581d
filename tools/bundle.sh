#!/usr/bin/env bash
# Packs what a GPU host needs into bundle/ (git-ignored, relocatable, well under 64 MiB): the
# npusim binary and the GPU test suite from the release build, their shared libraries that are
# not the C/C++ runtime or the NVIDIA driver (SystemC, yaml-cpp, fmt, protobuf, ONNX, ...: the
# GPU host has none of Debian's -dev packages), the shipped designs, models and GPU measurement
# files, and gpu_check.sh. CUDA's runtime is linked statically; cuDNN and cuBLASLt are the host's,
# opened at run time (kernels/cuda/vendor_libs.h).
# Usage: tools/bundle.sh   (after tools/build.sh release), then on the GPU host:
#        bundle/gpu_check.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
for binary in npusim tests/npusim_gpu_tests npusim_bench_gpu_gemm; do
  [ -x "$build/$binary" ] || { echo "bundle.sh: $build/$binary missing (tools/build.sh release, with CUDA)" >&2; exit 1; }
done
rm -rf bundle
mkdir -p bundle/lib bundle/configs bundle/workloads bundle/tests/data
cp "$build/npusim" "$build/tests/npusim_gpu_tests" "$build/npusim_bench_gpu_gemm" bundle/
cp -r configs/arch configs/dram configs/energy configs/gpu bundle/configs/
cp -r workloads/models bundle/workloads/
cp -r tests/data/gpu bundle/tests/data/
cp tools/gpu_check.sh tools/torch_baseline.py tools/gpu_ratio.py bundle/
# Fashion-MNIST (30 MiB, Debian's dataset-fashion-mnist) for the GPU training run, where it is here.
if [ -d /usr/share/datasets/fashion-mnist ]; then
  mkdir -p bundle/data && cp -r /usr/share/datasets/fashion-mnist bundle/data/
fi
# Every shared library the two binaries load, except the C/C++ runtime and the driver, which
# the host provides (a newer libstdc++ runs binaries built against an older one).
system='^(linux-vdso|ld-linux|libc\.|libm\.|libdl\.|libpthread\.|librt\.|libgcc_s\.|libstdc\+\+\.|libcuda\.|libnvidia)'
ldd bundle/npusim bundle/npusim_gpu_tests bundle/npusim_bench_gpu_gemm | awk '/=> \// {print $1, $3}' | sort -u | while read -r name path; do
  if ! [[ "$name" =~ $system ]]; then cp -L "$path" bundle/lib/; fi
done
size=$(du -sm bundle | cut -f1)
echo "bundle.sh: bundle/ holds $(ls bundle/lib | wc -l) libraries, ${size} MiB"
[ "$size" -lt 64 ] || { echo "bundle.sh: ${size} MiB is over the 64 MiB a device run carries" >&2; exit 1; }
