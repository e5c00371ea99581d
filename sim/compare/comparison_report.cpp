#include "sim/compare/comparison_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/csv_text.h"
#include "common/json_text.h"
#include "sim/explore/svg_plot.h"

namespace npu {
namespace {

std::string row_text(const ComparedLayer& l, size_t name_width) {
    return fmt::format("{:<{}} {:>9.4f} {:>9.4f} {:>8.2f}x {:>9.3f} {:>9.3f} {:>8.2f}x {:>6.1f}% {:>6.1f}%\n", l.name,
                       name_width, l.npu.ms, l.gpu.ms, l.speedup(), l.npu.mj, l.gpu.mj, l.energy_ratio(),
                       100.0 * l.npu.peak_fraction, 100.0 * l.gpu.peak_fraction);
}

nlohmann::ordered_json figures_json(const DeviceFigures& f) {
    return {{"ms", f.ms},
            {"mj", f.mj},
            {"tops", f.tops()},
            {"peak_fraction", f.peak_fraction},
            {"ops_per_byte", f.ops_per_byte}};
}

nlohmann::ordered_json layer_json(const ComparedLayer& l) {
    return {{"name", l.name},
            {"shape", l.shape.text()},
            {"macs", l.macs},
            {"npu", figures_json(l.npu)},
            {"gpu", figures_json(l.gpu)},
            {"speedup", l.speedup()},
            {"energy_ratio", l.energy_ratio()}};
}

// One device's roofline (peak TOPS, bandwidth GB/s) with every layer's achieved TOPS on it.
std::string roofline(const DeviceComparison& c, bool npu, const std::string& device) {
    const double peak = npu ? c.npu_peak_tops : c.gpu_peak_tops, gbps = npu ? c.npu_dram_gbps : c.gpu_memory_gbps;
    std::vector<ScatterPoint> points;
    double lo = 1e30, hi = 0.0;
    for (const ComparedLayer& l : c.layers) {
        const DeviceFigures& f = npu ? l.npu : l.gpu;
        if (f.ops_per_byte <= 0 || f.tops() <= 0) continue;
        points.push_back({f.ops_per_byte, f.tops(), 0.5, false,
                          fmt::format("{}: {:.1f} ops/B, {:.2f} TOPS", l.name, f.ops_per_byte, f.tops())});
        lo = std::min(lo, f.ops_per_byte), hi = std::max(hi, f.ops_per_byte);
    }
    ScatterOptions o;
    o.title = fmt::format("{}: roofline ({:.0f} TOPS, {:.0f} GB/s)", device, peak, gbps);
    o.x_label = "operations per DRAM byte";
    o.y_label = "achieved TOPS";
    o.log_x = o.log_y = true;
    if (points.empty()) return svg_scatter(points, o);
    lo = std::min(lo, peak * 1e3 / gbps) / 2, hi = std::max(hi, peak * 1e3 / gbps) * 2;
    for (double x = lo; x <= hi * 1.0001; x *= 1.25) o.line.push_back({x, std::min(peak, x * gbps / 1e3)});
    return svg_scatter(points, o);
}

}  // namespace

std::string comparison_table(const DeviceComparison& c, const ComparisonTitle& t) {
    size_t width = 12;
    for (const ComparedLayer& l : c.layers) width = std::max(width, l.name.size());
    std::string out = fmt::format("npusim compare: {} batch {}\n  NPU: {}\n  GPU: {}\n", t.workload, t.batch,
                                  t.npu_source, t.gpu_source);
    out += fmt::format("{:<{}} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}\n", "layer", width, "NPU ms", "GPU ms",
                       "speed-up", "NPU mJ", "GPU mJ", "energy", "NPU pk", "GPU pk");
    for (const ComparedLayer& l : c.layers) out += row_text(l, width);
    const ComparedLayer total = c.total();
    out += row_text(total, width);
    out += fmt::format(
        "{} conv/fc layers matched by shape. speed-up: GPU time / NPU time; energy: GPU energy / NPU energy (> 1: "
        "the NPU takes less); pk: achieved MAC rate / the device's peak ({:.1f} TOPS NPU {}, {:.1f} TOPS GPU {}).\n",
        c.layers.size(), c.npu_peak_tops, precision_name(c.npu_precision), c.gpu_peak_tops,
        precision_name(c.gpu_precision));
    out += fmt::format(
        "NPU's other layers (pools, adds, softmax on the vector unit; not in the GPU file): {:.4f} ms, "
        "{:.3f} mJ; whole network on the NPU: {:.4f} ms, {:.3f} mJ\n",
        c.npu_other_ms, c.npu_other_mj, total.npu.ms + c.npu_other_ms, total.npu.mj + c.npu_other_mj);
    for (const std::string& s : c.npu_unmatched) out += "unmatched NPU layer (no GPU row of its shape): " + s + "\n";
    for (const std::string& s : c.gpu_unmatched) out += "unmatched GPU row (no NPU layer of its shape): " + s + "\n";
    return out;
}

std::string comparison_csv(const DeviceComparison& c) {
    std::string out =
        "layer,shape,macs,npu_ms,gpu_ms,speedup,npu_mj,gpu_mj,energy_ratio,npu_peak_fraction,gpu_peak_fraction\n";
    std::vector<ComparedLayer> rows = c.layers;
    rows.push_back(c.total());
    for (const ComparedLayer& l : rows)
        out += fmt::format("{},{},{},{:.9g},{:.9g},{:.6g},{:.9g},{:.9g},{:.6g},{:.6g},{:.6g}\n", csv_field(l.name),
                           csv_field(l.name == "total" ? "" : l.shape.text()), l.macs, l.npu.ms, l.gpu.ms, l.speedup(),
                           l.npu.mj, l.gpu.mj, l.energy_ratio(), l.npu.peak_fraction, l.gpu.peak_fraction);
    return out;
}

std::string comparison_json(const DeviceComparison& c, const ComparisonTitle& t) {
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (const ComparedLayer& l : c.layers) layers.push_back(layer_json(l));
    nlohmann::ordered_json j{{"workload", t.workload},
                             {"batch", t.batch},
                             {"npu",
                              {{"design", c.design},
                               {"precision", precision_name(c.npu_precision)},
                               {"peak_tops", c.npu_peak_tops},
                               {"source", t.npu_source}}},
                             {"gpu",
                              {{"name", c.gpu},
                               {"precision", precision_name(c.gpu_precision)},
                               {"peak_tops", c.gpu_peak_tops},
                               {"source", t.gpu_source}}},
                             {"layers", layers},
                             {"total", layer_json(c.total())},
                             {"npu_other_layers", {{"ms", c.npu_other_ms}, {"mj", c.npu_other_mj}}},
                             {"unmatched_npu", c.npu_unmatched},
                             {"unmatched_gpu", c.gpu_unmatched}};
    return json_text(j, 2) + "\n";
}

std::string comparison_html(const DeviceComparison& c, const ComparisonTitle& t) {
    std::vector<std::string> names;
    BarSeries npu_ms{"NPU", {}}, gpu_ms{"GPU", {}}, npu_mj{"NPU", {}}, gpu_mj{"GPU", {}};
    for (const ComparedLayer& l : c.layers) {
        names.push_back(l.name);
        npu_ms.values.push_back(l.npu.ms), gpu_ms.values.push_back(l.gpu.ms);
        npu_mj.values.push_back(l.npu.mj), gpu_mj.values.push_back(l.gpu.mj);
    }
    std::string html =
        "<!doctype html><meta charset=\"utf-8\"><title>npusim compare</title>\n"
        "<style>body{font-family:sans-serif;margin:2em}pre{font-size:12px}</style>\n";
    html += fmt::format("<h1>{} batch {}: NPU vs GPU</h1>\n<pre>{}</pre>\n", html_escape(t.workload), t.batch,
                        html_escape(comparison_table(c, t)));
    html += roofline(c, true, "NPU " + c.design) + roofline(c, false, "GPU " + c.gpu) + "\n";
    // One chart per device and quantity: the bar helper stacks series, and these must not stack.
    html += svg_stacked_bars(names, {npu_ms}, "NPU time per layer", "ms");
    html += svg_stacked_bars(names, {gpu_ms}, "GPU time per layer", "ms");
    html += svg_stacked_bars(names, {npu_mj}, "NPU energy per layer", "mJ");
    html += svg_stacked_bars(names, {gpu_mj}, "GPU energy per layer", "mJ") + "\n";
    return html;
}

}  // namespace npu
