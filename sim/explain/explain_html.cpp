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
<div id="legend"></div>
<div id="outputs"></div>
<script id="data" type="application/json">@DATA@</script>
<script>
const data = JSON.parse(document.getElementById('data').textContent);
// Numbers as the text view prints them: integers, or 4 significant digits.
const num = v => data.integer ? String(Math.trunc(v)) : String(parseFloat(v.toPrecision(4)));
// The second register: loading before the first fold, the next fold's value while a fold
// computes (double buffering), nothing in the last fold.
function shadow(c, what) {
  if (c.phase === 'preload') return `loading ${what}=`;
  return c.fold < data.last_fold ? `next ${what}=` : '';
}
// Labels as in the text view: x[m,k] inputs, w[k,n] weights, p[m,n] partial sums.
function labels(c, r, q, i) {
  const k = c.row_base + r, col = c.col_base + q, out = [];
  const fmt = (cls, text) => out.push(`<span class="${cls}">${text}</span>`);
  if (data.dataflow === 'ws' || data.dataflow === 'is') {
    const held = data.dataflow === 'ws' ? 'w' : 'x';
    if (c.dv[i] && shadow(c, held)) fmt('d', shadow(c, held) + num(c.d[i]));
    if (c.sv[i]) fmt('s', `${held}=${num(c.s[i])}`);
    if (data.dataflow === 'ws') {
      if (c.hv[i]) fmt('h', `x[${c.ht[i]},${k}]=${num(c.h[i])}`);
      if (c.vv[i]) fmt('v', `p[${c.vt[i]},${col}]=${num(c.v[i])}`);
    } else {
      if (c.hv[i]) fmt('h', `w[${k},${c.ht[i]}]=${num(c.h[i])}`);
      if (c.vv[i]) fmt('v', `p[${col},${c.vt[i]}]=${num(c.v[i])}`);
    }
  } else {
    if (c.hv[i]) fmt('h', `x[${k},${c.ht[i]}]=${num(c.h[i])}`);
    if (c.vv[i]) fmt('v', `w[${c.vt[i]},${col}]=${num(c.v[i])}`);
    if (c.sv[i]) fmt('s', `acc=${num(c.s[i])}`);
    if (c.dv[i]) fmt('d', `out=${num(c.d[i])}`);
  }
  return out;
}
const legends = {
  ws: ['s', 'w=: the weight W[k,n] held in PE(k, n)'], is: ['s', 'x=: the input x[m,k] held in PE(k, m)'],
  os: ['s', 'acc=: the sum C[i,j] PE(i, j) accumulates'],
};
document.getElementById('legend').innerHTML =
  `<p><b>Notation.</b> The layer is the GEMM C = X W: m an output pixel (a row of the im2col matrix X),
  k the reduction index (input channel x kernel tap), n an output channel. PE(r, c) is row r, column c.</p>
  <p><span class="s">${legends[data.dataflow][1]}</span><br>` +
  (data.dataflow === 'os'
     ? `<span class="h">x[m,k]: an input moving right</span><br><span class="v">w[k,n]: a weight moving down</span><br>
        <span class="d">out=: a finished sum draining down</span>`
     : `<span class="h">${data.dataflow === 'ws' ? 'x[m,k]: an input' : 'w[k,n]: a weight'} moving right</span><br>
        <span class="v">p[m,n]: a partial sum moving down, into the accumulator below the array</span><br>
        <span class="d">loading / next: the second register, filled with the next fold's
        ${data.dataflow === 'ws' ? 'weights' : 'inputs'} while this fold computes (double buffering)</span>`) +
  `<br>grey: PEs this fold does not use; blue: a PE holding a value this cycle.</p>`;
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
    for (const o of data.cycles[j].outputs) log += `cycle ${data.cycles[j].cycle}: C[${o.m},${o.n}] ${data.dataflow === 'os' ? '=' : '+='} ${num(o.value)}\n`;
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
    data["integer"] = p.integer;
    data["last_fold"] = log.cycles.empty() ? 0 : log.cycles.back().fold;
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
