#pragma once
// The order in which a systolic array adds a floating-point dot product, as one definition the
// NPU model (arch/gemm_datapath) and the CPU reference trainer in the NPU's order share.
//
// An array that holds the reduction dimension K on its rows (weight and input stationary) adds
// a fold of at most `rows` products in row order into a partial sum that starts at zero; the
// partial sum then goes to the accumulator (written by the first fold, added after). The
// compiler cuts K into tiles that each start a new fold (a conv's channel blocks, a matrix
// GEMM's K tiles). Output stationary streams a whole tile into one PE, one fold per tile.
// FP32 addition is not associative, so this order is part of the result's bits.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace npu {

struct SumOrder {
    int64_t tile_k = 0;  // K per compiler tile (0: the whole K in one tile)
    int64_t fold = 0;    // products per fold within a tile (0: the whole tile in one fold)
};

// One tile: c[m][n] (= or +=) a[m][0..k) . b[0..k)[n], row-major with leading dimensions, in
// folds of `fold` products. `overwrite`: the first fold writes c. Vectorized over n, which
// keeps each dot product's order.
inline void fold_gemm_tile(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
                           int64_t m_size, int64_t k_size, int64_t n_size, int64_t fold, bool overwrite) {
    if (fold <= 0) fold = std::max<int64_t>(1, k_size);
    std::vector<float> partial(static_cast<size_t>(n_size));
    for (int64_t k0 = 0; k0 < k_size; k0 += fold) {
        const int64_t k1 = std::min(k_size, k0 + fold);
        const bool write = overwrite && k0 == 0;
        for (int64_t m = 0; m < m_size; ++m) {
            std::fill(partial.begin(), partial.end(), 0.0f);
            for (int64_t k = k0; k < k1; ++k) {
                const float x = a[m * lda + k];
                const float* bk = b + k * ldb;
                for (int64_t n = 0; n < n_size; ++n) partial[size_t(n)] += x * bk[n];
            }
            float* out = c + m * ldc;
            for (int64_t n = 0; n < n_size; ++n) out[n] = write ? partial[size_t(n)] : out[n] + partial[size_t(n)];
        }
    }
}

// C[M][N] = A[M][K] B[K][N] (row-major, dense) in `order`: tiles of order.tile_k in K order.
inline void ordered_gemm(const float* a, const float* b, float* c, int64_t m_size, int64_t k_size, int64_t n_size,
                         const SumOrder& order) {
    const int64_t tile = order.tile_k > 0 ? order.tile_k : std::max<int64_t>(1, k_size);
    if (k_size == 0) std::fill(c, c + m_size * n_size, 0.0f);
    for (int64_t k0 = 0; k0 < k_size; k0 += tile)
        fold_gemm_tile(a + k0, k_size, b + k0 * n_size, n_size, c, n_size, m_size, std::min(tile, k_size - k0), n_size,
                       order.fold, k0 == 0);
}

}  // namespace npu
