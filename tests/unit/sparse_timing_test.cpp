// The sparse arrays' arithmetic (arch/systolic_timing.h, arch/sparse_gemm.h, arch/operand_zeros.h,
// sim/compiler/packed_weights.h): hand-worked cycles on a 4x4 array, the dense formula recovered
// when nothing is skipped, MACs skipped and gated, and the packed N:M storage in bits and bytes.
#include <catch2/catch.hpp>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "arch/operand_zeros.h"
#include "arch/sparse_gemm.h"
#include "arch/systolic_timing.h"
#include "sim/compiler/packed_weights.h"

using namespace npu;

namespace {
const ArrayShape k4x4{4, 4};
constexpr Dataflow ws = Dataflow::WeightStationary, os = Dataflow::OutputStationary;

// A 1x1-kernel conv-window GEMM: M output pixels, K channels, N filters.
isa::Gemm window_gemm(int64_t m, int64_t k, int64_t n) {
    isa::Gemm g;
    g.out_extent = {1, 1, m};
    g.channels = k;
    g.filters = n;
    g.input.extent = {1, k, 1, m};  // the input box [1][K][1][M]
    g.input.tensor_w = m;
    return g;
}
}  // namespace

TEST_CASE("N:M kept rows and metadata bits", "[timing][sparsity]") {
    const NmPattern two_four{2, 4}, one_four{1, 4}, two_eight{2, 8};
    // LeNet-5's K: 25 = 6 groups + 1 -> 12 + 1; 150 = 37 groups + 2 -> 74 + 2.
    CHECK(two_four.kept_rows(25) == 13);
    CHECK(two_four.kept_rows(150) == 76);
    CHECK(two_four.kept_rows(400) == 200);
    CHECK(one_four.kept_rows(9) == 3);
    CHECK(two_eight.kept_rows(9) == 3);
    CHECK(NmPattern{}.kept_rows(9) == 9);  // no pattern: dense
    CHECK(two_four.index_bits() == 2);
    CHECK(one_four.index_bits() == 2);
    CHECK(two_eight.index_bits() == 3);
}

TEST_CASE("zero_skip cycles: hand-worked ws and os cases on 4x4", "[timing][sparsity]") {
    // ws M=5, N=6 (column folds of 4 and 2). Dense K=9: preload 4, three row folds per column
    // fold of 5 + 4 + cols - 2: 4 + 3 x 11 + 3 x 9 = 64.
    CHECK(gemm_cycles(ws, {5, 9, 6}, k4x4) == Cycles(64));
    CHECK(zero_skip_gemm_cycles(ws, 5, {9, 9}, 6, k4x4) == Cycles(64));
    // K_j = {5, 0}: preload min(5, 4) = 4, two row folds of 11; the second column fold skipped.
    CHECK(zero_skip_gemm_cycles(ws, 5, {5, 0}, 6, k4x4) == Cycles(4 + 2 * 11));
    // K_j = {0, 2}: the first nonzero fold preloads 2, then one fold of 5 + 4 + 2 - 2 = 9.
    CHECK(zero_skip_gemm_cycles(ws, 5, {0, 2}, 6, k4x4) == Cycles(2 + 9));
    // os M=6, N=5 (column folds of 4 and 1). K_j = {3, 0}: folds (4,4) C = 9, (2,4) C = 7
    // hiding the drain of 4, last drain 4: 20.
    CHECK(zero_skip_gemm_cycles(os, 6, {3, 0}, 5, k4x4) == Cycles(20));
    // K_j = {3, 1} adds (4,1) C = 4 and (2,1) C = 2, each waiting for the drain of 4: 28.
    CHECK(zero_skip_gemm_cycles(os, 6, {3, 1}, 5, k4x4) == Cycles(28));
    // All weights zero: nothing runs.
    CHECK(zero_skip_gemm_cycles(ws, 5, {0, 0}, 6, k4x4) == Cycles(0));
    CHECK(zero_skip_gemm_cycles(os, 6, {0, 0}, 5, k4x4) == Cycles(0));
    CHECK_THROWS_AS(zero_skip_gemm_cycles(ws, 5, {9}, 6, k4x4), std::logic_error);
}

TEST_CASE("zero_skip with no zero rows is exactly the dense formula", "[timing][sparsity]") {
    for (const Dataflow d : {ws, os})
        for (const ArrayShape a : {ArrayShape{4, 4}, ArrayShape{8, 3}, ArrayShape{1, 1}})
            for (int64_t m : {1, 5, 17})
                for (int64_t k : {1, 4, 9, 31})
                    for (int64_t n : {1, 5, 16}) {
                        INFO("m " << m << " k " << k << " n " << n << " array " << a.rows << "x" << a.cols);
                        const std::vector<int64_t> all(size_t((n + a.cols - 1) / a.cols), k);
                        REQUIRE(zero_skip_gemm_cycles(d, m, all, n, a) == gemm_cycles(d, {m, k, n}, a));
                    }
}

TEST_CASE("a weight tile's zeros and its kept rows per column fold", "[sparsity]") {
    // 3 filters x K = 4 INT8 with zero point 2: filter 0 keeps rows 0, 1; filter 1 row 1;
    // filter 2 rows 1, 3.
    const std::vector<uint8_t> w = {5, 7, 2, 2, 2, 9, 2, 2, 2, 1, 2, 3};
    const WeightTile tile{w.data(), Precision::Int8, 2, 4, 3};
    CHECK(zero_weights(tile) == 7);
    CHECK(kept_rows_per_column_fold(tile, 4) == std::vector<int64_t>{3});     // rows 0, 1, 3
    CHECK(kept_rows_per_column_fold(tile, 2) == std::vector<int64_t>{2, 2});  // {0,1}, {1,3}
    CHECK(kept_rows_per_column_fold(tile, 1) == std::vector<int64_t>{2, 1, 2});
    // Floats: either sign of zero is zero.
    const uint16_t halves[2] = {0x8000, 0x3c00};  // -0.0, 1.0 in FP16
    uint8_t bytes[4];
    std::memcpy(bytes, halves, 4);
    const WeightTile fp16{bytes, Precision::Fp16, 0, 2, 1};
    CHECK(zero_weights(fp16) == 1);
}

TEST_CASE("gemm_cost per sparsity mode", "[timing][sparsity]") {
    // M = 5, K = 4, N = 3 on 4x4 ws, with the weights of the tile test above (zero point 2).
    isa::Gemm g = window_gemm(5, 4, 3);
    g.weight_zero_point = 2;
    const std::vector<uint8_t> w = {5, 7, 2, 2, 2, 9, 2, 2, 2, 1, 2, 3};
    const GemmCost dense = gemm_cost(g, ws, k4x4, ArraySparsity::None, w.data(), nullptr);
    CHECK(dense.cycles == gemm_cycles(ws, {5, 4, 3}, k4x4));
    CHECK(dense.macs == 60);
    CHECK(dense.weight_read_bytes == 12);
    // zero_gate: the same cycles; each of the 7 zero weights meets M = 5 inputs.
    const GemmCost gate = gemm_cost(g, ws, k4x4, ArraySparsity::ZeroGate, w.data(), nullptr);
    CHECK(gate.cycles == dense.cycles);
    CHECK(gate.macs == 60);
    CHECK(gate.gated_macs == 35);
    // With the inputs: channel 1 has 2 zero inputs of 5, channel 2 all 5. Per K row z_w M +
    // (N - z_w) z_a with z_w = 2, 0, 3, 2: 10 + 6 + 15 + 10 = 41.
    const std::vector<uint8_t> in = {1, 2, 3, 4, 5, 0, 6, 0, 7, 8, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9};
    CHECK(zero_inputs_per_row(g, 0, in.data()) == std::vector<int64_t>{0, 2, 5, 0});
    CHECK(gemm_cost(g, ws, k4x4, ArraySparsity::ZeroGate, w.data(), in.data()).gated_macs == 41);
    // zero_skip: one column fold keeps rows 0, 1, 3: K' = 3, 5 x 3 x 3 MACs run.
    const GemmCost skip = gemm_cost(g, ws, k4x4, ArraySparsity::ZeroSkip, w.data(), nullptr);
    CHECK(skip.cycles == gemm_cycles(ws, {5, 3, 3}, k4x4));
    CHECK(skip.macs == 45);
    CHECK(skip.skipped_macs == 15);
    // No mode's cycles depend on the inputs' zeros.
    CHECK(gemm_cost(g, ws, k4x4, ArraySparsity::ZeroSkip, w.data(), in.data()).cycles == skip.cycles);
    // Timing-only (no values): zero_skip and zero_gate cost what dense costs.
    CHECK(gemm_cost(g, ws, k4x4, ArraySparsity::ZeroSkip, nullptr, nullptr).cycles == dense.cycles);
    CHECK(gemm_cost(g, ws, k4x4, ArraySparsity::ZeroGate, nullptr, nullptr).gated_macs == 0);
}

TEST_CASE("gemm_cost on an nm array maps the kept rows and reads the packed weights", "[timing][sparsity]") {
    // K = 9 at 2:4 keeps 2 + 2 + 1 = 5 rows: cycles of K = 5; weights read packed: 5 x 3 kept
    // values of 8 + 2 bits = 150 bits = 19 bytes (rounded up); inputs still all of K.
    isa::Gemm g = window_gemm(5, 9, 3);
    g.weight_nm = NmPattern{2, 4};
    const GemmCost nm = gemm_cost(g, ws, k4x4, ArraySparsity::NM, nullptr, nullptr);
    CHECK(nm.cycles == gemm_cycles(ws, {5, 5, 3}, k4x4));
    CHECK(nm.macs == 5 * 5 * 3);
    CHECK(nm.skipped_macs == 5 * 4 * 3);
    CHECK(nm.weight_read_bytes == 19);
    CHECK(nm.traffic.ifmap_reads == gemm_traffic(ws, {5, 9, 3}, k4x4, false).ifmap_reads);
    // The same pattern on a dense array, or no pattern on an nm array: the dense cost.
    CHECK(gemm_cost(g, ws, k4x4, ArraySparsity::None, nullptr, nullptr).cycles == gemm_cycles(ws, {5, 9, 3}, k4x4));
    g.weight_nm = {};
    CHECK(gemm_cost(g, ws, k4x4, ArraySparsity::NM, nullptr, nullptr).macs == 5 * 9 * 3);
}

TEST_CASE("packed N:M weight storage", "[sparsity][compiler]") {
    const NmPattern two_four{2, 4};
    // INT8 2:4: 2 kept values of 8 + 2 bits per 4 dense bytes = 20 of 32 bits (62.5%); FP16 2:4:
    // 2 x (16 + 2) of 64 (56.25%).
    CHECK(packed_bits(two_four, 2, 1) == 20);
    CHECK(packed_bits(two_four, 2, 2) == 36);
    // A 3x3 conv, 8 -> 16 channels: K = 72 keeps 36; a filter's row is 36 x 10 bits = 45 bytes.
    ConvGeometry g;
    g.input = Shape{1, 8, 6, 6};
    g.output = Shape{1, 16, 4, 4};
    g.window.kernel_h = g.window.kernel_w = 3;
    g.weight_nm = two_four;
    const isa::DramBox all = packed_weight_box(g, two_four, 1, 0x1000, 0, 16, 0, 72);
    CHECK(all.dims[3] == 45);
    CHECK(all.bytes() == 16 * 45);
    // K rows [36, 72) of filters 4..7: kept values 18..35, bits 180..359: bytes 22..44.
    const isa::DramBox half = packed_weight_box(g, two_four, 1, 0x1000, 4, 4, 36, 36);
    CHECK(half.start[3] == 22);
    CHECK(half.extent[3] == 23);
    CHECK(half.start[0] == 4);
    CHECK(half.bytes() == 4 * 23);
    CHECK_THROWS_AS(packed_weight_box(g, two_four, 1, 0, 0, 16, 2, 8), std::logic_error);
}
