#pragma once
// `npusim report`: one self-contained HTML page (inline SVG, no network) for a sweep's results:
// the latency-energy Pareto front coloured by area, energy breakdowns of the front, per-layer
// utilization, energy and a roofline for the fastest design, and a sortable table of all rows.
#include <string>

namespace npu {

// Reads <dir>/results.json and the point records; throws Error naming a missing file.
std::string sweep_report_html(const std::string& results_dir);

}  // namespace npu
