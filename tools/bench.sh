#!/usr/bin/env bash
# The simulator's speed on one core, in one table: each speed target (issue #18) with today's
# figure, and every figure also as a multiple of this machine's own one-thread float32 GEMM of
# ResNet-50's layers (npusim_bench_gemm_baseline, measured in the same run), so the ratios hold
# across machines; then how the cost grows with the work. A benchmark, not a test: it prints
# figures and judges nothing. Whole-process figures are wall time and peak memory (/usr/bin/time).
# Usage: tools/bench.sh [--build DIR] [--vgg16 FILE.onnx]
#   --vgg16: a VGG-16 ONNX file for the large-file row (default: exported once with
#   tools/export_torchvision.py into ~/.cache/npusim when python3-torchvision is there).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release vgg16=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="${2:?--build needs a directory}"; shift 2 ;;
    --vgg16) vgg16="${2:?--vgg16 needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for b in npusim npusim_bench_gemm_baseline npusim_bench_speed npusim_bench_pe_array; do
  [ -x "$build/$b" ] || { echo "bench.sh: $build/$b is missing: build first (tools/build.sh release)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench.sh: /usr/bin/time is missing (Debian package 'time': tools/setup.sh)" >&2; exit 1; }
[ -z "$vgg16" ] || [ -r "$vgg16" ] || { echo "bench.sh: --vgg16: cannot read '$vgg16'" >&2; exit 1; }
pin=()
command -v taskset > /dev/null && pin=(taskset -c 0)
npusim="$build/npusim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best_of N CMD...: the fastest of N whole-process runs as "seconds peak_MB"
best_of() {
  local n=$1 best="" line
  shift
  for _ in $(seq "$n"); do
    /usr/bin/time -f "%e %M" -o "$tmp/time" "${pin[@]}" "$@" > "$tmp/out" 2> "$tmp/err" ||
      { echo "bench.sh: failed: $* ($(tail -1 "$tmp/err"))" >&2; exit 1; }
    line=$(awk '{printf "%s %.0f", $1, $2 / 1024}' "$tmp/time")
    if [ -z "$best" ] || awk -v a="${line% *}" -v b="${best% *}" 'BEGIN {exit !(a < b)}'; then best=$line; fi
  done
  echo "$best"
}
ratio() { awk -v t="$1" -v g="$gemm_s" 'BEGIN {printf "%.1fx", t / g}'; }

echo "measuring (one core$([ ${#pin[@]} -gt 0 ] && echo ", taskset -c 0")) ..." >&2
gemm_line=$("${pin[@]}" "$build/npusim_bench_gemm_baseline" resnet50 5)
gemm_s=$(sed -E 's/.*G MAC\): ([0-9.]+) s.*/\1/' <<< "$gemm_line")
gemm_rate=$(sed -E 's/.*, ([0-9.]+) G MAC\/s.*/\1/' <<< "$gemm_line")
int8=$(best_of 3 "$npusim" run --arch tpu_v1 --workload resnet50)
fp16=$(best_of 3 "$npusim" run --arch train_128_fp16 --precision fp16 --workload resnet50)
prepare=$(for _ in 1 2 3; do "${pin[@]}" "$build/npusim_bench_speed" tpu_v1 resnet50 functional 1; done |
  sed -E 's/.*prepare ([0-9.]+) s.*/\1/' | sort -n | head -1)
timing1=$(best_of 5 "$npusim" run --arch tpu_v1 --workload resnet50 --timing-only)
timing1024=$(best_of 1 "$npusim" run --arch tpu_v1 --workload resnet50 --timing-only --batch 1024)
if [ -z "$vgg16" ] && /usr/bin/python3 -c "import torchvision" 2> /dev/null; then
  vgg16="${XDG_CACHE_HOME:-$HOME/.cache}/npusim/vgg16.onnx"
  [ -f "$vgg16" ] || tools/export_torchvision.py vgg16 --out "$(dirname "$vgg16")" > /dev/null
fi
vgg="" && [ -n "$vgg16" ] && vgg=$(best_of 3 "$npusim" run --arch tpu_v1 --workload "$vgg16" --timing-only)
"${pin[@]}" "$build/npusim_bench_pe_array" 0.3 16 32 64 128 256 > "$tmp/pe"
pe_range() {  # the slowest and fastest case of one side, in G PE-updates/s
  awk -v s="$1" '$1 == s "x" s {v = $(NF-5) / 1000; if (min == "" || v < min) min = v; if (v > max) max = v}
                 END {printf "%.2f-%.2f", min, max}' "$tmp/pe"
}

row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }
echo
echo "float32 GEMM baseline: ResNet-50's conv and fc layers as GEMMs, $gemm_s s ($gemm_rate G MAC/s, one thread)"
echo
echo "| figure | measured | target | / GEMM baseline |"
echo "|---|---|---|---|"
row "ResNet-50 b1 functional INT8, tpu_v1, whole run with the check" "${int8% *} s, ${int8#* } MB" "<= 1.5 s, <= 15x" "$(ratio "${int8% *}")"
row "ResNet-50 b1 functional FP16, train_128_fp16, whole run with the check" "${fp16% *} s, ${fp16#* } MB" "<= 2 s" "$(ratio "${fp16% *}")"
row "ResNet-50 preparation (weights, calibration, INT8 quantization)" "$prepare s" "< 0.5 s" "$(ratio "$prepare")"
row "ResNet-50 b1 timing-only, whole run" "${timing1% *} s, ${timing1#* } MB" "<= 0.03 s" "$(ratio "${timing1% *}")"
row "ResNet-50 b1024 timing-only, whole run" "${timing1024% *} s, ${timing1024#* } MB" "< 2 s, < 500 MB" "$(ratio "${timing1024% *}")"
if [ -n "$vgg" ]; then
  row "VGG-16 ONNX ($(du -m "$vgg16" | cut -f1) MB) timing-only, whole run" "${vgg% *} s, ${vgg#* } MB" "< 1 s" "$(ratio "${vgg% *}")"
else
  row "VGG-16 ONNX timing-only" "skipped: no file (--vgg16) and no python3-torchvision" "< 1 s" ""
fi
row "detailed PE grid, 128x128, slowest-fastest of ws/os/is x INT8/FP16" "$(pe_range 128) G PE-updates/s" ">= 2 G/s" ""
echo
echo "| work | cost | / GEMM baseline |"
echo "|---|---|---|"
for b in 1 4 16 64 256 1024; do
  t=$([ "$b" = 1 ] && echo "$timing1" || { [ "$b" = 1024 ] && echo "$timing1024" || best_of 1 "$npusim" run --arch tpu_v1 --workload resnet50 --timing-only --batch "$b"; })
  printf '| ResNet-50 timing-only, batch %s | %s s, %s MB | %s |\n' "$b" "${t% *}" "${t#* }" "$(ratio "${t% *}")"
done
for b in 1 2 4 8; do
  t=$([ "$b" = 1 ] && echo "$int8" || best_of 1 "$npusim" run --arch tpu_v1 --workload resnet50 --batch "$b")
  printf '| ResNet-50 functional INT8 with the check, batch %s | %s s, %s MB | %s |\n' "$b" "${t% *}" "${t#* }" "$(ratio "${t% *}")"
done
for side in 16 32 64 128 256; do
  printf '| detailed PE grid, %sx%s | %s G PE-updates/s | |\n' "$side" "$side" "$(pe_range "$side")"
done
