#include <fmt/format.h>

#include <sstream>

#include "sim/explain/explain.h"

namespace npu {
namespace {

std::string number(double v, bool integer) {
    return integer ? fmt::format("{}", int64_t(v)) : fmt::format("{:.4g}", v);
}

// What register contents mean, per dataflow: "x[m,k]" is an input (row m of the im2col matrix,
// column k), "w[k,n]" a weight, "p[m,n]" a partial sum.
// While a fold computes, each PE's second register takes the next fold's weight (ws) or input
// (is): double buffering, so the array does not stop between folds. The last fold has none.
std::string shadow_label(const CycleRecord& r, int64_t last_fold, const char* what) {
    if (r.phase == "preload") return fmt::format("loading {}=", what);
    return r.fold < last_fold ? fmt::format("next {}=", what) : "";
}

std::string cell(const ExplainLog& log, const CycleRecord& r, int64_t row, int64_t col, bool integer) {
    const size_t i = size_t(row * log.cols + col);
    std::string text;
    auto add = [&](const std::string& s) { text += (text.empty() ? "" : " ") + s; };
    const int64_t k = r.row_base + row;  // reduction index held by this row (ws, is)
    const int64_t last_fold = log.cycles.empty() ? 0 : log.cycles.back().fold;
    auto add_shadow = [&](const char* what) {
        const std::string label = shadow_label(r, last_fold, what);
        if (r.shadow_valid[i] && !label.empty()) add(label + number(r.shadow[i], integer));
    };
    switch (log.dataflow) {
        case Dataflow::WeightStationary:
            add_shadow("w");
            if (r.stationary_valid[i]) add(fmt::format("w={}", number(r.stationary[i], integer)));
            if (r.horizontal_valid[i])
                add(fmt::format("x[{},{}]={}", r.horizontal_tag[i], k, number(r.horizontal[i], integer)));
            if (r.vertical_valid[i])
                add(fmt::format("p[{},{}]={}", r.vertical_tag[i], r.col_base + col, number(r.vertical[i], integer)));
            break;
        case Dataflow::InputStationary:
            add_shadow("x");
            if (r.stationary_valid[i]) add(fmt::format("x={}", number(r.stationary[i], integer)));
            if (r.horizontal_valid[i])
                add(fmt::format("w[{},{}]={}", k, r.horizontal_tag[i], number(r.horizontal[i], integer)));
            if (r.vertical_valid[i])
                add(fmt::format("p[{},{}]={}", r.col_base + col, r.vertical_tag[i], number(r.vertical[i], integer)));
            break;
        case Dataflow::OutputStationary:
            if (r.horizontal_valid[i])
                add(fmt::format("x[{},{}]={}", r.row_base + row, r.horizontal_tag[i],
                                number(r.horizontal[i], integer)));
            if (r.vertical_valid[i])
                add(fmt::format("w[{},{}]={}", r.vertical_tag[i], r.col_base + col, number(r.vertical[i], integer)));
            if (r.stationary_valid[i]) add(fmt::format("acc={}", number(r.stationary[i], integer)));
            if (r.shadow_valid[i]) add(fmt::format("out={}", number(r.shadow[i], integer)));
            break;
    }
    return text.empty() ? "." : text;
}

}  // namespace

std::string explain_text(const ExplainProblem& p, const ExplainLog& log) {
    std::ostringstream out;
    const bool ws = log.dataflow == Dataflow::WeightStationary;
    const bool os = log.dataflow == Dataflow::OutputStationary;
    out << fmt::format("layer '{}' as a GEMM: C[M={}][N={}] = X[M][K={}] x W[K][N] on a {}x{} {} array\n", p.layer,
                       p.dims.m, p.dims.n, p.dims.k, log.rows, log.cols, dataflow_name(log.dataflow));
    out << (ws   ? "  weights W[k,n] stay in PE(k, n); inputs x[m,k] enter row k at cycle m + k and move right;\n"
                   "  partial sums p[m,n] move down and leave the bottom row into the accumulator;\n"
                   "  'next w' is the next fold's weight, loading behind the current one (double buffering).\n"
            : os ? "  outputs stay: PE(i, j) accumulates C[i,j]; x[m,k] enters row m at cycle k + m from the left,\n"
                   "  w[k,n] enters column n at cycle k + n from the top; results drain down at the end.\n"
                 : "  inputs stay: PE(k, m) holds x[m,k]; weights w[k,n] enter row k at cycle n + k and move right;\n"
                   "  partial sums p[m,n] move down and leave the bottom row into the accumulator;\n"
                   "  'next x' is the next fold's input, loading behind the current one (double buffering).\n");
    std::vector<size_t> widths(size_t(log.cols), 1);
    for (const CycleRecord& r : log.cycles)
        for (int64_t row = 0; row < log.rows; ++row)
            for (int64_t col = 0; col < log.cols; ++col)
                widths[size_t(col)] = std::max(widths[size_t(col)], cell(log, r, row, col, p.integer).size());
    for (const CycleRecord& r : log.cycles) {
        out << fmt::format("\ncycle {:>3}  {:<8} fold {} (rows from {}, columns from {}, {}x{} PEs used)\n", r.cycle,
                           r.phase, r.fold, r.row_base, r.col_base, r.rows_used, r.cols_used);
        for (int64_t row = 0; row < log.rows; ++row) {
            out << fmt::format("  row {:>2} |", row);
            for (int64_t col = 0; col < log.cols; ++col)
                out << fmt::format(" {:<{}} |", cell(log, r, row, col, p.integer), widths[size_t(col)]);
            out << "\n";
        }
        for (const PeOutput& o : r.outputs)
            out << fmt::format("  -> C[{},{}] {} {} leaves the array\n", o.m, o.n,
                               os ? "=" : "+=", number(o.value, p.integer));
    }
    out << fmt::format("\n{} cycles; {} MACs on {} PEs: utilization {:.1f}%\n", log.cycles.size(), p.dims.macs(),
                       log.rows * log.cols,
                       100.0 * double(p.dims.macs()) / (double(log.cycles.size()) * double(log.rows * log.cols)));
    out << "result C (one row per output channel, pixels as the output image):\n";
    for (int64_t n = 0; n < p.dims.n; ++n) {
        for (int64_t m = 0; m < p.dims.m; ++m) {
            out << fmt::format("{:>6}", number(log.result[size_t(m * p.dims.n + n)], p.integer));
            if ((m + 1) % p.out_w == 0) out << "\n";
        }
        if (p.dims.m % p.out_w) out << "\n";
    }
    return out.str();
}

}  // namespace npu
