#!/usr/bin/env bash
# Configures and builds one preset (default: release) after making sure the packages are there.
# Usage: tools/build.sh [release|debug|asan|fuzz] [target ...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
tools/setup.sh
cmake --preset "$preset" >/dev/null
if [ $# -gt 0 ]; then
  cmake --build --preset "$preset" -j "$(nproc)" --target "$@"
else
  cmake --build --preset "$preset" -j "$(nproc)"
fi
