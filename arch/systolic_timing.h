#pragma once
// Tile-level timing of the systolic array: one documented formula per dataflow (DESIGN.md 2,
// "fast" fidelity). The detailed PE-level model must reproduce these counts exactly.
//
// A GEMM C[M][N] = A[M][K] * B[K][N] (M output pixels, K = C/groups * kh * kw, N filters) is cut
// into folds: the stationary operand is mapped onto the R x C array in pieces of at most R x C,
// the other operand streams through. Mapping per dataflow:
//   ws: weights K x N stationary (K on rows, N on columns), M input vectors stream;
//   os: outputs M x N stationary (M on rows, N on columns), K operand pairs stream;
//   is: inputs  K x M stationary (K on rows, M on columns), N weight vectors stream.
// Folds run back to back; each fold is fill (skew) + stream + drain, and the next fold's
// stationary data is preloaded while the current fold computes (double-buffered registers).
#include <cstdint>
#include <vector>

#include "arch/cycles.h"
#include "arch/npu_config.h"

namespace npu {

struct ArrayShape {
    int64_t rows = 0;
    int64_t cols = 0;
};

struct GemmDims {
    int64_t m = 0;  // output pixels
    int64_t k = 0;  // reduction length
    int64_t n = 0;  // output channels
    int64_t macs() const { return m * k * n; }
};

// How one GEMM splits into folds: the stationary tile is `row_dim` x `col_dim` cut into
// row_folds x col_folds pieces, and each fold streams `streamed` vectors.
struct FoldPlan {
    int64_t row_dim = 0, col_dim = 0, streamed = 0;
    int64_t row_folds = 0, col_folds = 0;
    int64_t folds() const { return row_folds * col_folds; }
};

FoldPlan plan_folds(Dataflow dataflow, GemmDims gemm, ArrayShape array);

// Cycles of one fold from its first operand entering the array to its last result leaving it,
// with `rows_used` x `cols_used` PEs holding stationary data:
//   ws: streamed + R + cols_used - 2   (input m enters row k at cycle m + k, moves right one PE
//       per cycle, its partial sums move down all R rows: output (m, n) leaves the bottom at
//       cycle m + (R - 1) + n);
//   is: the same with inputs and weights exchanged;
//   os: streamed + rows_used + cols_used - 2  (operand pair k reaches PE(i, j) at cycle
//       k + i + j; the last MAC is at PE(rows_used - 1, cols_used - 1)).
Cycles fold_compute_cycles(Dataflow dataflow, int64_t rows_used, int64_t cols_used, int64_t streamed, ArrayShape array);

// Preload of the first fold's stationary operand (ws, is): one row of PEs per cycle from the
// top, rows_used cycles; later preloads hide behind the previous fold (a fold computes for at
// least R cycles, and a preload takes at most R). os has no preload.
Cycles first_preload_cycles(Dataflow dataflow, const FoldPlan& plan, ArrayShape array);

// os drain: finished outputs shift down their column into the accumulator, R cycles, while the
// next fold computes; a fold shorter than R exposes the difference, the last drain is exposed.
constexpr int64_t os_drain_cycles(ArrayShape array) { return array.rows; }

// Total cycles of a GEMM with the fold order: column folds outer, row folds inner. Closed form:
//   ws: min(K, R) + folds * (M + R - 2) + row_folds * N
//   is: min(K, R) + folds * (N + R - 2) + row_folds * M
//   os: sum_i C_i + sum_{i >= 1} max(0, R - C_i) + R,  C_i = K + rows_i + cols_i - 2
Cycles gemm_cycles(Dataflow dataflow, GemmDims gemm, ArrayShape array);

// Sparse arrays (arch/npu_config.h ArraySparsity). Both modes that save cycles shorten K, the
// rows of the stationary weights (ws) or the streamed steps (os), so they reuse the dense folds:
//   nm: N:M weights compressed along K, whose groups of m the compiler never splits, keep
//       K' = n * floor(K / m) + min(n, K mod m) rows; the GEMM costs gemm_cycles(M, K', N).
//   zero_skip: column fold j (output channels j*C .. j*C + cols_j - 1) keeps the K_j rows whose
//       weights are not zero in all its columns, packed onto the array's rows:
//       ws: min(K_f, R) + sum_j ceil(K_j / R) * (M + R - 2 + cols_j), K_f the first nonzero K_j
//           (the dense closed form with each column fold's own row folds);
//       os: the dense sum over folds with fold (i, j) streaming K_j instead of K;
//       a column fold with K_j = 0 is skipped whole (its outputs are zero).
// With every K_j = K both are exactly gemm_cycles. Where the weights have no zero rows across C
// columns (unstructured pruning spreads them: a row of C weights at density d is all zero with
// probability (1 - d)^C) zero_skip saves nothing; it pays on narrow arrays and on filters
// pruned in blocks.
Cycles zero_skip_gemm_cycles(Dataflow dataflow, int64_t m, const std::vector<int64_t>& kept_rows, int64_t n,
                             ArrayShape array);

// SRAM accesses of one GEMM, in elements (operands) and entries (accumulator).
struct GemmTraffic {
    int64_t ifmap_reads = 0;
    int64_t weight_reads = 0;
    int64_t acc_reads = 0;
    int64_t acc_writes = 0;
};
// `accumulate`: the GEMM adds onto partial sums already in the accumulator.
GemmTraffic gemm_traffic(Dataflow dataflow, GemmDims gemm, ArrayShape array, bool accumulate);

}  // namespace npu
