#!/usr/bin/env bash
# Loads npusim's HTML pages in a headless browser (Debian's chromium) and fails on any
# JavaScript error or console message: `explain --html` (the PE-grid animation, its timers run
# for 3 s of virtual time) on the seed example (weight stationary in INT8, output stationary in
# FP16), and `npusim report` of a two-workload sweep. First it checks itself: a page that throws
# must be reported, so a browser that stopped printing console errors cannot pass the real pages.
# Usage: tools/check_html.sh [--build DIR] [--keep DIR]
# Exit 0 pass, 1 fail, 77 skipped (no chromium, or it cannot start on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="${2:?--build needs a directory}"; shift 2 ;;
    --keep) keep="${2:?--keep needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check_html.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "check_html.sh: chromium is not installed (tools/setup.sh); skipped"; exit 77; }
npusim="$build/npusim"
[ -x "$npusim" ] || { echo "check_html.sh: $npusim is missing: build first (tools/build.sh release)" >&2; exit 1; }
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

# Loads one page; prints its console messages and returns 1 if there are any or the page did
# not render (the DOM dump must hold `marker`).
load() {
  local page=$1 marker=$2
  local err="$work/$(basename "$page").stderr" dom="$work/$(basename "$page").dom"
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --enable-logging=stderr --v=0 \
    --virtual-time-budget=3000 --user-data-dir="$work/profile" --dump-dom "file://$(realpath "$page")" \
    > "$dom" 2> "$err" || { echo "  the browser failed on $page (status $?)"; return 1; }
  if grep -q ':CONSOLE' "$err"; then
    grep ':CONSOLE' "$err" | sed 's/^.*:CONSOLE[^]]*] /  console: /'
    return 1
  fi
  grep -q "$marker" "$dom" || { echo "  $page did not render (no '$marker' in its DOM)"; return 1; }
}

printf '<html><body><p id="p">x</p><script>document.getElementById("p").textContent = "ran"; no_such_function();</script></body></html>\n' \
  > "$work/throws.html"
if load "$work/throws.html" 'id="p">ran' > "$work/self_check.txt"; then
  echo "check_html.sh: the browser reported no error for a page that throws; it cannot check pages" >&2
  exit 1
fi
if grep -q 'the browser failed' "$work/self_check.txt"; then  # installed, but cannot start here
  echo "check_html.sh: $browser does not run on this machine; skipped:"
  tail -n 5 "$work/throws.html.stderr"
  exit 77
fi
grep -q 'no_such_function' "$work/self_check.txt" || { echo "check_html.sh: self-check saw no console error" >&2; exit 1; }

cat > "$work/two_models.yaml" <<'SWEEP'
name: two_models
base: tiny_4x4
workloads: [lenet5, seed]
mode: timing
axes:
  array.rows+array.cols: [4, 8]
  array.dataflow: [ws, os]
SWEEP
make_page() {  # a command that writes a page; its output shown only if it fails
  "$@" > "$work/make.log" 2>&1 || { cat "$work/make.log" >&2; echo "check_html.sh: failed: $*" >&2; exit 1; }
}
make_page "$npusim" explain --arch tiny_4x4 --workload seed --html "$work/seed.html" --quiet
make_page "$npusim" explain --arch tiny_4x4 --workload seed --dataflow os --precision fp16 --html "$work/seed_os.html" --quiet
make_page "$npusim" sweep "$work/two_models.yaml" --out "$work/two_models.sweep" --jobs 2 --quiet
make_page "$npusim" report "$work/two_models.sweep"

status=0
# Markers: the explain page's script writes the cycle label; the report draws inline SVG.
for page in "$work/seed.html:id=\"label\">cycle 0 /" "$work/seed_os.html:id=\"label\">cycle 0 /" \
  "$work/two_models.sweep/report.html:<svg"; do
  if load "${page%:*}" "${page##*:}"; then echo "PASS ${page%:*}"; else echo "FAIL ${page%:*}"; status=1; fi
done
exit $status
