#include "arch/sparse_gemm.h"

#include "arch/operand_zeros.h"

namespace npu {
namespace {

GemmCost dense_cost(const isa::Gemm& g, GemmDims dims, Dataflow dataflow, ArrayShape array) {
    GemmCost c;
    c.cycles = gemm_cycles(dataflow, dims, array) * g.groups;
    c.folds = plan_folds(dataflow, dims, array).folds() * g.groups;
    c.macs = g.groups * dims.m * dims.k * dims.n;  // of the rows mapped (nm maps fewer)
    c.traffic = gemm_traffic(dataflow, dims, array, g.accumulate);
    c.weight_read_bytes = c.traffic.weight_reads * g.groups * int64_t(element_bytes(g.precision));
    return c;
}

// nm: the array maps the kept rows; every activation of K is still read (the muxes pick from
// them), the weights are read packed with their metadata.
GemmCost nm_cost(const isa::Gemm& g, GemmDims dims, Dataflow dataflow, ArrayShape array) {
    const GemmDims kept{dims.m, g.mapped_k(), dims.n};
    GemmCost c = dense_cost(g, kept, dataflow, array);
    c.skipped_macs = g.macs() - c.macs;
    c.traffic.ifmap_reads = gemm_traffic(dataflow, dims, array, g.accumulate).ifmap_reads;
    const int64_t bits = c.traffic.weight_reads * (8 * int64_t(element_bytes(g.precision)) + g.weight_nm.index_bits());
    c.weight_read_bytes = (bits + 7) / 8 * g.groups;
    return c;
}

WeightTile tile_of(const isa::Gemm& g, const uint8_t* weights, int64_t group) {
    const int64_t per_group = g.k() * g.filters;
    return WeightTile{weights + group * per_group * int64_t(element_bytes(g.precision)), g.precision,
                      g.weight_zero_point, g.k(), g.filters};
}

GemmCost zero_skip_cost(const isa::Gemm& g, GemmDims dims, Dataflow dataflow, ArrayShape array,
                        const uint8_t* weights) {
    GemmCost c = dense_cost(g, dims, dataflow, array);
    c.cycles = Cycles(0);
    c.folds = 0;
    c.macs = 0;
    for (int64_t group = 0; group < g.groups; ++group) {
        const std::vector<int64_t> kept = kept_rows_per_column_fold(tile_of(g, weights, group), array.cols);
        c.cycles += zero_skip_gemm_cycles(dataflow, dims.m, kept, dims.n, array);
        for (size_t j = 0; j < kept.size(); ++j) {
            const int64_t cols = std::min(array.cols, dims.n - int64_t(j) * array.cols);
            c.macs += dims.m * kept[j] * cols;
            if (dataflow == Dataflow::OutputStationary)
                c.folds += kept[j] > 0 ? (dims.m + array.rows - 1) / array.rows : 0;
            else
                c.folds += (kept[j] + array.rows - 1) / array.rows;
        }
    }
    c.skipped_macs = g.macs() - c.macs;
    return c;
}

// zero_gate: a MAC with a zero weight or a zero input keeps its multiplier's inputs still. Per K
// row with z_w zero weights (of N) and z_a zero inputs (of M): z_w M + (N - z_w) z_a gated.
GemmCost zero_gate_cost(const isa::Gemm& g, GemmDims dims, Dataflow dataflow, ArrayShape array, const uint8_t* weights,
                        const uint8_t* inputs) {
    GemmCost c = dense_cost(g, dims, dataflow, array);
    for (int64_t group = 0; group < g.groups; ++group) {
        const std::vector<int64_t> zw = zero_weights_per_row(tile_of(g, weights, group));
        const std::vector<int64_t> za =
            inputs ? zero_inputs_per_row(g, group, inputs) : std::vector<int64_t>(zw.size(), 0);
        for (size_t r = 0; r < zw.size(); ++r) c.gated_macs += zw[r] * dims.m + (dims.n - zw[r]) * za[r];
    }
    return c;
}

}  // namespace

GemmCost gemm_cost(const isa::Gemm& g, Dataflow dataflow, ArrayShape array, ArraySparsity sparsity,
                   const uint8_t* weights, const uint8_t* inputs) {
    const GemmDims dims{g.m(), g.k(), g.filters};
    const bool window = g.form == isa::GemmForm::ConvWindow;
    if (sparsity == ArraySparsity::NM && window && g.weight_nm.present()) return nm_cost(g, dims, dataflow, array);
    if (!window || !weights || sparsity == ArraySparsity::None || sparsity == ArraySparsity::NM)
        return dense_cost(g, dims, dataflow, array);
    if (sparsity == ArraySparsity::ZeroSkip) return zero_skip_cost(g, dims, dataflow, array, weights);
    return zero_gate_cost(g, dims, dataflow, array, weights, inputs);
}

}  // namespace npu
