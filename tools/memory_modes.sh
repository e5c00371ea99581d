#!/usr/bin/env bash
# The README's residency table: every shipped design on a model (default ResNet-50, batch 1, the
# design's default precision, timing-only), with the memory planner (residency and fusion) off
# and on: time, DRAM bytes
# moved, energy and its DRAM share, and what stayed on chip. Prints Markdown rows.
#   tools/memory_modes.sh [MODEL] [BATCH]
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-resnet50}
batch=${2:-1}
npusim=build/release/npusim
[[ -x $npusim ]] || { echo "memory_modes.sh: build first (tools/build.sh release npusim)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| design | residency | time | DRAM moved | x weights+input+output | energy | DRAM energy | on-chip peak | tensors on chip |"
echo "|---|---|---|---|---|---|---|---|---|"
for f in configs/arch/*.yaml; do
  d=$(basename "$f" .yaml)
  for r in off on; do
    if ! "$npusim" run --arch "$d" --workload "$model" --batch "$batch" --timing-only --quiet \
         --residency "$r" --fusion "$r" --json "$tmp/$d.$r.json" > /dev/null 2> "$tmp/err"; then
      echo "| \`$d\` | $r | $(head -1 "$tmp/err") | | | | | | |"
      continue
    fi
    python3 - "$tmp/$d.$r.json" "$d" "$r" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); t = j["total"]; m = t["memory"]
moved = t["dram_read_bytes"] + t["dram_write_bytes"]
e = t["energy"]
print(f"| `{sys.argv[2]}` | {sys.argv[3]} | {t['time_ms']:.3f} ms | {moved/1e6:.1f} MB | "
      f"{moved/(m['weight_bytes'] + m['io_bytes']):.2f} | "
      f"{e['total_pj']/1e9:.2f} mJ | {e['dram_pj']/1e9:.2f} mJ | {m['onchip_peak_bytes']/1e6:.2f} MB | "
      f"{m['resident_tensors']} of {m['resident_tensors'] + m['dram_tensors']} |")
PY
  done
done
