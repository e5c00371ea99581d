#!/usr/bin/env bash
# Installs what is missing, builds, and runs the tests. Usage: tools/test.sh [all|release|debug|asan]
#   all (default, what CI runs): every suite on the release build, then the unit, command-line
#       and fuzz-replay suites again under AddressSanitizer + UndefinedBehaviorSanitizer;
#   release | debug: every suite on that build;  asan: the sanitized suites only.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-all}"

sanitized() {
  # The SystemC testbenches (sc:) run the same code as the command line and take longest under
  # ASan; the command-line suite drives the sanitized npusim binary through every command.
  tools/build.sh asan npusim npusim_unit_tests npusim_e2e_tests \
    fuzz_design_yaml fuzz_model_yaml fuzz_onnx_model fuzz_idx_file fuzz_scalesim_cfg fuzz_scalesim_topology
  ctest --preset asan -j "$(nproc)" -R '^(unit|e2e|fuzz):'
}

case "$mode" in
  all)
    tools/setup.sh
    tools/format.sh --check
    tools/build.sh release
    ctest --preset release -j "$(nproc)"
    sanitized ;;
  asan) sanitized ;;
  release|debug)
    tools/build.sh "$mode"
    ctest --preset "$mode" -j "$(nproc)" ;;
  *) echo "test.sh: unknown mode '$mode' (all, release, debug, asan)" >&2; exit 2 ;;
esac
