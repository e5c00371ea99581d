#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "sim/explain/explain.h"

namespace npu {
namespace {

// The page: data in a JSON block, a small renderer, play / pause / step controls. No network.
const char* kPage = R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>@TITLE@</title>
<style>
body { font-family: sans-serif; margin: 1.5em; color: #222; }
table.grid { border-collapse: collapse; margin: 1em 0; }
table.grid td { border: 1px solid #888; width: 9em; height: 4.2em; vertical-align: top; font: 12px monospace; padding: 3px; }
td.unused { background: #eee; color: #999; }
td.busy { background: #e8f4ff; }
span.h { color: #b35900; } span.v { color: #006b3c; } span.s { color: #333; font-weight: bold; } span.d { color: #7a00a8; }
#outputs { font: 13px monospace; white-space: pre; }
button { font-size: 1em; margin-right: .4em; }
</style></head><body>
<h2>@TITLE@</h2>
<p id="about"></p>
<div><button id="first">|&lt;</button><button id="prev">&lt; step</button><button id="play">play</button>
<button id="next">step &gt;</button><button id="last">&gt;|</button>
<input id="slider" type="range" min="0" value="0" style="width:30em"> <span id="label"></span></div>
<table class="grid" id="grid"></table>
<div id="outputs"></div>
<script id="data" type="application/json">@DATA@</script>
<script>
const data = JSON.parse(document.getElementById('data').textContent);
// Labels as in the text view: x[m,k] inputs, w[k,n] weights, p[m,n] partial sums.
function labels(c, r, q, i) {
  const k = c.row_base + r, col = c.col_base + q, out = [];
  const fmt = (cls, text) => out.push(`<span class="${cls}">${text}</span>`);
  if (data.dataflow === 'ws') {
    if (c.dv[i] && c.phase === 'preload') fmt('d', `loading w=${c.d[i]}`);
    if (c.sv[i]) fmt('s', `w=${c.s[i]}`);
    if (c.hv[i]) fmt('h', `x[${c.ht[i]},${k}]=${c.h[i]}`);
    if (c.vv[i]) fmt('v', `p[${c.vt[i]},${col}]=${c.v[i]}`);
  } else if (data.dataflow === 'is') {
    if (c.dv[i] && c.phase === 'preload') fmt('d', `loading x=${c.d[i]}`);
    if (c.sv[i]) fmt('s', `x=${c.s[i]}`);
    if (c.hv[i]) fmt('h', `w[${k},${c.ht[i]}]=${c.h[i]}`);
    if (c.vv[i]) fmt('v', `p[${col},${c.vt[i]}]=${c.v[i]}`);
  } else {
    if (c.hv[i]) fmt('h', `x[${k},${c.ht[i]}]=${c.h[i]}`);
    if (c.vv[i]) fmt('v', `w[${c.vt[i]},${col}]=${c.v[i]}`);
    if (c.sv[i]) fmt('s', `acc=${c.s[i]}`);
    if (c.dv[i]) fmt('d', `out=${c.d[i]}`);
  }
  return out;
}
let at = 0, timer = null;
const slider = document.getElementById('slider');
slider.max = data.cycles.length - 1;
document.getElementById('about').textContent = data.about;
function show(i) {
  at = Math.max(0, Math.min(data.cycles.length - 1, i));
  slider.value = at;
  const c = data.cycles[at];
  document.getElementById('label').textContent = `cycle ${c.cycle} / ${data.cycles.length - 1}: ${c.phase}, fold ${c.fold}`;
  const grid = document.getElementById('grid');
  grid.innerHTML = '';
  for (let r = 0; r < data.rows; r++) {
    const tr = grid.insertRow();
    for (let q = 0; q < data.cols; q++) {
      const td = tr.insertCell();
      const i = r * data.cols + q;
      const used = r < c.rows_used && q < c.cols_used;
      const parts = labels(c, r, q, i);
      td.innerHTML = `PE(${r},${q})<br>` + parts.join('<br>');
      td.className = used ? (parts.length ? 'busy' : '') : 'unused';
    }
  }
  let log = '';
  for (let j = 0; j <= at; j++)
    for (const o of data.cycles[j].outputs) log += `cycle ${data.cycles[j].cycle}: C[${o.m},${o.n}] ${data.dataflow === 'os' ? '=' : '+='} ${o.value}\n`;
  document.getElementById('outputs').textContent = 'results leaving the array:\n' + log;
}
function play() {
  if (timer) { clearInterval(timer); timer = null; document.getElementById('play').textContent = 'play'; return; }
  document.getElementById('play').textContent = 'pause';
  timer = setInterval(() => { if (at >= data.cycles.length - 1) play(); else show(at + 1); }, 600);
}
document.getElementById('first').onclick = () => show(0);
document.getElementById('prev').onclick = () => show(at - 1);
document.getElementById('next').onclick = () => show(at + 1);
document.getElementById('last').onclick = () => show(data.cycles.length - 1);
document.getElementById('play').onclick = play;
slider.oninput = () => show(+slider.value);
show(location.hash ? +location.hash.slice(1) : 0);
</script></body></html>
)HTML";

void replace(std::string& text, const std::string& key, const std::string& value) {
    const size_t at = text.find(key);
    if (at != std::string::npos) text.replace(at, key.size(), value);
}

}  // namespace

std::string explain_html(const ExplainProblem& p, const ExplainLog& log, const std::string& title) {
    nlohmann::json data;
    data["dataflow"] = dataflow_name(log.dataflow);
    data["rows"] = log.rows;
    data["cols"] = log.cols;
    data["about"] = fmt::format("Layer '{}' as C[{}][{}] = X[{}][{}] x W[{}][{}] on a {}x{} {} array: {} cycles.",
                                p.layer, p.dims.m, p.dims.n, p.dims.m, p.dims.k, p.dims.k, p.dims.n, log.rows, log.cols,
                                dataflow_name(log.dataflow), log.cycles.size());
    nlohmann::json cycles = nlohmann::json::array();
    for (const CycleRecord& r : log.cycles) {
        nlohmann::json c;
        c["cycle"] = r.cycle;
        c["phase"] = r.phase;
        c["fold"] = r.fold;
        c["rows_used"] = r.rows_used;
        c["row_base"] = r.row_base;
        c["col_base"] = r.col_base;
        c["ht"] = r.horizontal_tag;
        c["vt"] = r.vertical_tag;
        c["cols_used"] = r.cols_used;
        c["h"] = r.horizontal;
        c["hv"] = r.horizontal_valid;
        c["v"] = r.vertical;
        c["vv"] = r.vertical_valid;
        c["s"] = r.stationary;
        c["sv"] = r.stationary_valid;
        c["d"] = r.shadow;
        c["dv"] = r.shadow_valid;
        nlohmann::json outs = nlohmann::json::array();
        for (const PeOutput& o : r.outputs) outs.push_back({{"m", o.m}, {"n", o.n}, {"value", o.value}});
        c["outputs"] = outs;
        cycles.push_back(c);
    }
    data["cycles"] = cycles;
    std::string page = kPage;
    std::string json = json_text(data);
    // A JSON string cannot close the script element early.
    for (size_t at = json.find("</"); at != std::string::npos; at = json.find("</", at + 2))
        json.replace(at, 2, "<\\/");
    replace(page, "@TITLE@", title);
    replace(page, "@TITLE@", title);
    replace(page, "@DATA@", json);
    return page;
}

}  // namespace npu
