#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, SystemC testbenches, command
# line). Usage: tools/test.sh [release|debug|asan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
tools/build.sh "$preset"
ctest --preset "$preset" -j "$(nproc)"
