#!/usr/bin/env bash
# Configures and builds one preset (default: release) after making sure the packages are there.
# Usage: tools/build.sh [release|debug|asan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
tools/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
