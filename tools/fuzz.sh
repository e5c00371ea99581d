#!/usr/bin/env bash
# Fuzzes the parsers with libFuzzer (clang, ASan, UBSan; the `fuzz` preset).
#
#   tools/fuzz.sh [--seconds N] [--parallel P] [target ...]
#
# Targets (tests/fuzz): design_yaml model_yaml onnx_model idx_file scalesim_cfg scalesim_topology;
# default all, N seconds each (default 600), P at a time (default 1). Each starts from its seeds
# (tests/fuzz/seeds.cmake) and keeps what it learns in build/fuzz/corpus/<target>. A crash, leak
# or timeout is saved under build/fuzz/artifacts/<target>/: reproduce it with
# build/fuzz/fuzz/fuzz_<target> <file>, fix it, and copy the file into
# tests/fuzz/regressions/<target>/ so every build replays it. The summary (executions and time per
# target) goes to stdout and build/fuzz/summary.txt; the exit status is non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600
parallel=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(design_yaml model_yaml onnx_model idx_file scalesim_cfg scalesim_topology)
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (${all[*]})" >&2; exit 2; }
done

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz.sh: needs clang and libFuzzer: apt-get install -y clang libclang-rt-14-dev" >&2
  exit 1
fi
tools/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

seeds() {  # the seed directories of a target, from tests/fuzz/seeds.cmake
  sed -n "s/^set(NPUSIM_SEEDS_$1 \(.*\))$/\1/p" tests/fuzz/seeds.cmake
}

run_one() {
  local t="$1" corpus="build/fuzz/corpus/$1" artifacts="build/fuzz/artifacts/$1/"
  mkdir -p "$corpus" "$artifacts"
  # The first directory collects new inputs; the seeds are read only. -rss_limit_mb and
  # -timeout turn runaway memory or time into findings.
  build/fuzz/fuzz/fuzz_"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" $(seeds "$t") >"build/fuzz/$t.log" 2>&1
}

export -f run_one seeds
export seconds
echo "fuzzing ${targets[*]} for ${seconds} s each, ${parallel} at a time (logs: build/fuzz/<target>.log)"
status=0
printf '%s\n' "${targets[@]}" | xargs -P "$parallel" -I{} bash -c 'run_one {}' || status=1

{
  printf '%-20s %10s %14s %10s %s\n' target seconds executions exec/s findings
  for t in "${targets[@]}"; do
    log="build/fuzz/$t.log"
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    time_s=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    findings=$(find "build/fuzz/artifacts/$t" -type f | wc -l)
    printf '%-20s %10s %14s %10s %s\n' "$t" "${time_s:-?}" "${runs:-?}" \
      "$([ -n "$runs" ] && [ -n "$time_s" ] && [ "$time_s" -gt 0 ] && echo $((runs / time_s)) || echo ?)" "$findings"
    [ "$findings" -eq 0 ] || status=1
  done
} | tee build/fuzz/summary.txt
exit $status
