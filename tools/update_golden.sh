#!/usr/bin/env bash
# Rewrites tests/golden/timing_only.csv from this build: only for a change meant to move the
# timing figures, committed together with it and with the reason in the commit message.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh release npusim npusim_golden_check >/dev/null
out=build/release/test_tmp/golden
mkdir -p "$out"
designs=$(ls configs/arch/*.yaml | xargs -n1 basename | sed 's/\.yaml$//')
printf '%s\n' $designs | xargs -P "$(nproc)" -I{} sh -c \
  "build/release/npusim_golden_check build/release/npusim . {} $out/{}.csv >/dev/null || true"
{
  echo "design,model,dataflow,batch,residency,cycles,compute_cycles,stall_cycles,dram_read_bytes,dram_write_bytes"
  for d in $designs; do cat "$out/$d.csv"; done
} > tests/golden/timing_only.csv
echo "update_golden: $(($(wc -l < tests/golden/timing_only.csv) - 1)) points in tests/golden/timing_only.csv"
