#!/usr/bin/env bash
# Installs the Debian packages npusim needs, if any are missing. Idempotent: with everything
# present it does nothing. As root it runs apt-get; otherwise it prints the exact command and
# stops with status 1.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsystemc-dev libeigen3-dev libfmt-dev catch2 libyaml-cpp-dev libcli11-dev nlohmann-json3-dev
  libonnx-dev libprotobuf-dev zlib1g-dev libpng-dev
  # the INT8 reference's float GEMMs (opened at run time; without it Eigen runs them, same sums)
  libopenblas0-serial
  # the C++ style (.clang-format), checked by tools/test.sh
  clang-format
  # tests: ONNX conformance data and the model-building tool's python3-onnx; PyTorch for the
  # test that torchvision models exported to ONNX give PyTorch's class on the NPU
  libonnx-testdata python3-onnx python3-torchvision
  # sweeps over MPI ranks (tested with 2 ranks) and the matplotlib plots of sweep results
  libopenmpi-dev openmpi-bin python3-matplotlib
  # npusim train's default data set (the tests write their own small IDX files)
  dataset-fashion-mnist
  # tools/bench.sh: whole-process time and peak memory
  time
  # tools/check_html.sh: explain's and report's pages in a headless browser
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run as root:  apt-get update && $command" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
$command
