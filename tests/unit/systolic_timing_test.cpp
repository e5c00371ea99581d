#include <catch2/catch.hpp>

#include "arch/systolic_timing.h"

using namespace npu;

// Hand-worked cases on a 4x4 array. Per fold (DESIGN.md / systolic_timing.h):
//   ws: M + R + cols_used - 2 after a first preload of min(K, R) rows;
//   is: N + R + cols_used - 2 after a first preload of min(K, R) rows;
//   os: K + rows_used + cols_used - 2, with an R-cycle drain hidden behind the next fold.
namespace {
const ArrayShape k4x4{4, 4};
}

TEST_CASE("ws: the seed example (M=9, K=9, N=1) on 4x4", "[timing]") {
    // K = 9 -> row folds of 4, 4, 1; N = 1 -> one column fold. Preload 4 rows, then three
    // folds of 9 + 4 + 1 - 2 = 12 cycles: 4 + 36 = 40.
    CHECK(gemm_cycles(Dataflow::WeightStationary, {9, 9, 1}, k4x4) == Cycles(40));
    const FoldPlan p = plan_folds(Dataflow::WeightStationary, {9, 9, 1}, k4x4);
    CHECK(p.row_folds == 3);
    CHECK(p.col_folds == 1);
}

TEST_CASE("ws: partial column folds (M=5, K=3, N=6) on 4x4", "[timing]") {
    // One row fold of 3 rows; column folds of 4 and 2.
    // 3 (preload) + (5 + 4 + 4 - 2) + (5 + 4 + 2 - 2) = 3 + 11 + 9 = 23.
    CHECK(gemm_cycles(Dataflow::WeightStationary, {5, 3, 6}, k4x4) == Cycles(23));
    CHECK(fold_compute_cycles(Dataflow::WeightStationary, 3, 2, 5, k4x4) == Cycles(9));
}

TEST_CASE("is mirrors ws with M and N exchanged", "[timing]") {
    // Stationary inputs K x M = 3 x 6: column folds 4 and 2, streaming N = 5: 23 again.
    CHECK(gemm_cycles(Dataflow::InputStationary, {6, 3, 5}, k4x4) == Cycles(23));
    CHECK(gemm_cycles(Dataflow::InputStationary, {1, 1, 1}, k4x4) == Cycles(1 + (1 + 4 + 1 - 2)));
}

TEST_CASE("os: four fold shapes with the drain hidden (M=6, K=3, N=5) on 4x4", "[timing]") {
    // Folds (rows, cols) in order: (4,4) (2,4) (4,1) (2,1) with C = 3 + r + c - 2 = 9, 7, 6, 4.
    // Each drain of R = 4 hides behind the next fold (C >= 4): 9 + 7 + 6 + 4, plus the last
    // drain 4: 30.
    CHECK(gemm_cycles(Dataflow::OutputStationary, {6, 3, 5}, k4x4) == Cycles(30));
}

TEST_CASE("os: a short fold exposes the previous drain (M=5, K=1, N=1) on 4x4", "[timing]") {
    // Folds: rows 4 then 1. C0 = 1 + 4 + 1 - 2 = 4; C1 = 1 + 1 + 1 - 2 = 1 but the first drain
    // takes 4, so the second fold costs 4; the last drain adds 4: 4 + 4 + 4 = 12.
    CHECK(gemm_cycles(Dataflow::OutputStationary, {5, 1, 1}, k4x4) == Cycles(12));
    CHECK(gemm_cycles(Dataflow::OutputStationary, {4, 1, 4}, k4x4) == Cycles(1 + 4 + 4 - 2 + 4));
}

TEST_CASE("a 1x1 array degenerates to one MAC per cycle plus overheads", "[timing]") {
    const ArrayShape one{1, 1};
    // ws: preload 1, M*K*N folds of M' = ... each fold streams M: folds K*N, each M + 1 + 1 - 2.
    CHECK(gemm_cycles(Dataflow::WeightStationary, {3, 2, 2}, one) == Cycles(1 + 4 * 3));
    CHECK(gemm_cycles(Dataflow::OutputStationary, {3, 2, 2}, one) == Cycles(2 + 5 * 2 + 1));
}

TEST_CASE("cycles never undercut MACs over array size", "[timing]") {
    for (Dataflow d : {Dataflow::WeightStationary, Dataflow::OutputStationary, Dataflow::InputStationary})
        for (int64_t m : {1, 3, 16, 17, 100})
            for (int64_t k : {1, 4, 9, 31})
                for (int64_t n : {1, 5, 16, 40}) {
                    const ArrayShape a{8, 8};
                    const int64_t c = gemm_cycles(d, {m, k, n}, a).count();
                    REQUIRE(c * 64 >= m * k * n);
                }
}

TEST_CASE("SRAM traffic counts of one GEMM", "[timing][traffic]") {
    // ws M=5, K=3, N=6 on 4x4: inputs stream once per column fold (2): 30 reads; each weight is
    // read once; one row fold writes each output once.
    const GemmTraffic t = gemm_traffic(Dataflow::WeightStationary, {5, 3, 6}, k4x4, false);
    CHECK(t.ifmap_reads == 30);
    CHECK(t.weight_reads == 18);
    CHECK(t.acc_writes == 30);
    CHECK(t.acc_reads == 0);
    CHECK(gemm_traffic(Dataflow::WeightStationary, {5, 3, 6}, k4x4, true).acc_reads == 30);
    // K = 9 on 4 rows: three row folds write partial sums three times, reading back twice.
    const GemmTraffic k9 = gemm_traffic(Dataflow::WeightStationary, {9, 9, 1}, k4x4, false);
    CHECK(k9.acc_writes == 27);
    CHECK(k9.acc_reads == 18);
    const GemmTraffic os = gemm_traffic(Dataflow::OutputStationary, {6, 3, 5}, k4x4, false);
    CHECK(os.ifmap_reads == 2 * 6 * 3);   // two column folds
    CHECK(os.weight_reads == 2 * 3 * 5);  // two row folds
    CHECK(os.acc_writes == 30);
}
