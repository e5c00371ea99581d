#include "arch/systolic_timing.h"

#include <algorithm>
#include <stdexcept>

namespace npu {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The sizes of the pieces a dimension is cut into: `full` pieces of `size`, then one `rest`.
struct Cuts {
    int64_t full = 0, size = 0, rest = 0;
    Cuts(int64_t dim, int64_t piece) : full(dim / piece), size(piece), rest(dim % piece) {}
    int64_t count() const { return full + (rest > 0 ? 1 : 0); }
    int64_t first() const { return full > 0 ? size : rest; }
};

}  // namespace

FoldPlan plan_folds(Dataflow dataflow, GemmDims g, ArrayShape a) {
    FoldPlan p;
    switch (dataflow) {
        case Dataflow::WeightStationary: p = FoldPlan{g.k, g.n, g.m, 0, 0}; break;
        case Dataflow::OutputStationary: p = FoldPlan{g.m, g.n, g.k, 0, 0}; break;
        case Dataflow::InputStationary: p = FoldPlan{g.k, g.m, g.n, 0, 0}; break;
    }
    p.row_folds = ceil_div(p.row_dim, a.rows);
    p.col_folds = ceil_div(p.col_dim, a.cols);
    return p;
}

Cycles fold_compute_cycles(Dataflow dataflow, int64_t rows_used, int64_t cols_used, int64_t streamed, ArrayShape a) {
    if (dataflow == Dataflow::OutputStationary) return Cycles(streamed + rows_used + cols_used - 2);
    return Cycles(streamed + a.rows + cols_used - 2);
}

Cycles first_preload_cycles(Dataflow dataflow, const FoldPlan& plan, ArrayShape a) {
    if (dataflow == Dataflow::OutputStationary) return Cycles(0);
    return Cycles(std::min(plan.row_dim, a.rows));
}

Cycles gemm_cycles(Dataflow dataflow, GemmDims g, ArrayShape a) {
    if (g.macs() == 0) return Cycles(0);
    const FoldPlan p = plan_folds(dataflow, g, a);
    if (dataflow != Dataflow::OutputStationary) {
        // Sum over folds of (streamed + R + cols_i - 2); each column piece appears once per row
        // fold, so the cols_i sum to row_folds * col_dim.
        return first_preload_cycles(dataflow, p, a) +
               Cycles(p.folds() * (p.streamed + a.rows - 2) + p.row_folds * p.col_dim);
    }
    // os: classes of folds by (rows_i, cols_i); at most four distinct fold shapes.
    const Cuts rows(p.row_dim, a.rows), cols(p.col_dim, a.cols);
    const int64_t drain = os_drain_cycles(a);
    int64_t total = 0;
    const int64_t row_sizes[2] = {rows.size, rows.rest}, row_counts[2] = {rows.full, rows.rest ? 1 : 0};
    const int64_t col_sizes[2] = {cols.size, cols.rest}, col_counts[2] = {cols.full, cols.rest ? 1 : 0};
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) {
            const int64_t count = row_counts[i] * col_counts[j];
            if (count == 0) continue;
            const int64_t c = fold_compute_cycles(dataflow, row_sizes[i], col_sizes[j], p.streamed, a).count();
            total += count * std::max(c, drain);  // C_i plus the previous drain's exposed part
        }
    // The first fold has no previous drain to hide: count its own C_0 instead of max(C_0, R).
    const int64_t c0 = fold_compute_cycles(dataflow, rows.first(), cols.first(), p.streamed, a).count();
    total += c0 - std::max(c0, drain);
    return Cycles(total + drain);  // the last fold's drain is exposed
}

Cycles zero_skip_gemm_cycles(Dataflow dataflow, int64_t m, const std::vector<int64_t>& kept_rows, int64_t n,
                             ArrayShape a) {
    const int64_t col_folds = ceil_div(n, a.cols);
    if (int64_t(kept_rows.size()) != col_folds)
        throw std::logic_error("zero_skip_gemm_cycles: one kept-row count per column fold");
    auto cols_of = [&](int64_t j) { return std::min(a.cols, n - j * a.cols); };
    if (m == 0) return Cycles(0);
    int64_t total = 0;
    bool first = true;
    if (dataflow != Dataflow::OutputStationary) {
        for (int64_t j = 0; j < col_folds; ++j) {
            const int64_t k = kept_rows[size_t(j)];
            if (k == 0) continue;
            if (first) total += std::min(k, a.rows);  // the first fold's preload
            first = false;
            total += ceil_div(k, a.rows) * (m + a.rows - 2 + cols_of(j));
        }
        return Cycles(total);
    }
    // os: row folds over M, each of column fold j streaming K_j; a fold hides the previous drain.
    const Cuts rows(m, a.rows);
    const int64_t drain = os_drain_cycles(a);
    for (int64_t j = 0; j < col_folds; ++j) {
        const int64_t k = kept_rows[size_t(j)];
        if (k == 0) continue;
        for (int64_t i = 0; i < rows.count(); ++i) {
            const int64_t rows_i = i < rows.full ? rows.size : rows.rest;
            const int64_t c = fold_compute_cycles(dataflow, rows_i, cols_of(j), k, a).count();
            total += first ? c : std::max(c, drain);
            first = false;
        }
    }
    return Cycles(first ? 0 : total + drain);
}

GemmTraffic gemm_traffic(Dataflow dataflow, GemmDims g, ArrayShape a, bool accumulate) {
    const FoldPlan p = plan_folds(dataflow, g, a);
    const int64_t outputs = g.m * g.n;
    GemmTraffic t;
    switch (dataflow) {
        case Dataflow::WeightStationary:  // inputs re-streamed for every column fold
            t.ifmap_reads = p.col_folds * g.m * g.k;
            t.weight_reads = g.k * g.n;
            t.acc_writes = p.row_folds * outputs;
            t.acc_reads = (p.row_folds - 1 + (accumulate ? 1 : 0)) * outputs;
            break;
        case Dataflow::InputStationary:  // weights re-streamed for every column (M) fold
            t.ifmap_reads = g.k * g.m;
            t.weight_reads = p.col_folds * g.k * g.n;
            t.acc_writes = p.row_folds * outputs;
            t.acc_reads = (p.row_folds - 1 + (accumulate ? 1 : 0)) * outputs;
            break;
        case Dataflow::OutputStationary:  // each operand re-streamed for every fold of the other
            t.ifmap_reads = p.col_folds * g.m * g.k;
            t.weight_reads = p.row_folds * g.k * g.n;
            t.acc_writes = outputs;
            t.acc_reads = accumulate ? outputs : 0;
            break;
    }
    return t;
}

}  // namespace npu
