#pragma once
// What a GEMM kernel (mma_conv.cuh) multiplies, as index math: per group, C[m][n] = sum_k
// A[m][k] B[k][n], with each operand element's place in its buffer (-1: a zero) and each C
// element's output index and channel (for the epilogue's bias). ConvView is the implicit GEMM
// of a convolution (direct_conv.h: A the im2col view of the NCHW input, read in place, B the
// weights, C the NCHW output); GemmView a plain row-major GEMM C [M][N] = op(A) op(B), each
// operand stored as given or transposed (A [M][K] or [K][M]; B [K][N] or, like the weights,
// [N][K]), one group. `a_along_m` and `b_along_k` say which way each operand is contiguous, so
// that a kernel's loads run along it.
#include "kernels/cuda/direct_conv.h"

namespace npu {

struct ConvView {
    DirectConvShape s;
    NPU_HD bool a_along_m() const { return true; }  // NCHW: neighbouring pixels are neighbours
    NPU_HD bool b_along_k() const { return true; }  // [F][C/groups][KH][KW]

    NPU_HD int64_t groups() const { return s.groups; }
    NPU_HD int64_t m() const { return implicit_m(s); }
    NPU_HD int64_t k() const { return implicit_k(s); }
    NPU_HD int64_t n() const { return s.out_per_group(); }
    NPU_HD int64_t a_index(int64_t g, int64_t m, int64_t k) const { return implicit_a_index(s, g, m, k); }
    NPU_HD int64_t b_index(int64_t g, int64_t k, int64_t n) const { return implicit_b_index(s, g, k, n); }
    NPU_HD int64_t c_index(int64_t g, int64_t m, int64_t n) const { return implicit_c_index(s, g, m, n); }
    NPU_HD int64_t channel(int64_t g, int64_t n) const { return g * s.out_per_group() + n; }
};

struct GemmView {
    int64_t rows = 0, depth = 0, cols = 0;  // M, K, N
    bool a_transposed = false;              // A stored [K][M]
    bool b_transposed = true;               // B stored [N][K]

    NPU_HD bool a_along_m() const { return a_transposed; }
    NPU_HD bool b_along_k() const { return b_transposed; }
    NPU_HD int64_t groups() const { return 1; }
    NPU_HD int64_t m() const { return rows; }
    NPU_HD int64_t k() const { return depth; }
    NPU_HD int64_t n() const { return cols; }
    NPU_HD int64_t a_index(int64_t, int64_t m, int64_t k) const { return a_transposed ? k * rows + m : m * depth + k; }
    NPU_HD int64_t b_index(int64_t, int64_t k, int64_t n) const { return b_transposed ? n * depth + k : k * cols + n; }
    NPU_HD int64_t c_index(int64_t, int64_t m, int64_t n) const { return m * cols + n; }
    NPU_HD int64_t channel(int64_t, int64_t n) const { return n; }
};

}  // namespace npu
