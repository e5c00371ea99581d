#pragma once
// The `mma` kernel: a GEMM on tensor cores, through WMMA's m16n16k16 fragments (FP16 or BF16
// operands with FP32 sums, INT8 with exact int32 sums), over a view (gemm_views.h): a
// convolution's implicit GEMM (tiled_gemm.cuh's, on tensor cores) or a plain GEMM. A block of 8
// warps computes a 128 x 128 tile of C (for a convolution: output pixels x filters of one
// group), each warp a 64 x 32 part as 4 x 2 accumulator fragments, and walks K in steps of 32:
// the block copies the A tile (for a convolution the im2col values read in place; zeros on the
// padding and past the edges) and the B tile into shared memory, then each warp multiplies its
// fragments. At the end
// each warp passes its fragments through a 16 x 16 staging tile to the shared epilogue, so
// partial tiles and the NCHW output need no special case. Shared memory holds K in chunks of
// 16 ([chunk][row][16]) so that every fragment starts 32-byte aligned, as WMMA requires.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <mma.h>

#include "kernels/cuda/gemm_views.h"

namespace npu {

// The WMMA element and accumulator type of an operand type; FP32 has none (conv_backend.h).
template <class T>
struct MmaOperand {
    static constexpr bool available = false;
};
template <>
struct MmaOperand<Half> {
    static constexpr bool available = true;
    using Element = __half;
    using Acc = float;
    __device__ static Element load(const Half* p, int64_t i) { return __ushort_as_half(p[i].bits); }
    __device__ static Element zero() { return __ushort_as_half(0); }
};
template <>
struct MmaOperand<Bf16> {
    static constexpr bool available = true;
    using Element = __nv_bfloat16;
    using Acc = float;
    __device__ static Element load(const Bf16* p, int64_t i) { return __ushort_as_bfloat16(p[i].bits); }
    __device__ static Element zero() { return __ushort_as_bfloat16(0); }
};
template <>
struct MmaOperand<int8_t> {
    static constexpr bool available = true;
    using Element = signed char;
    using Acc = int;
    __device__ static Element load(const int8_t* p, int64_t i) { return p[i]; }
    __device__ static Element zero() { return 0; }
};

constexpr int kMmaTileM = 128, kMmaTileN = 128, kMmaTileK = 32, kMmaThreads = 256;
constexpr int kMmaFragment = 16, kMmaChunks = kMmaTileK / kMmaFragment;
constexpr int kMmaWarpM = 64, kMmaWarpN = 32;  // 2 x 4 warps
constexpr int kMmaFragsM = kMmaWarpM / kMmaFragment, kMmaFragsN = kMmaWarpN / kMmaFragment;

template <class T, class View, class Epilogue>
__global__ void __launch_bounds__(kMmaThreads) mma_kernel(View v, const T* x, const T* w, Epilogue out) {
    namespace wmma = nvcuda::wmma;
    using Op = MmaOperand<T>;
    using E = typename Op::Element;
    using Acc = typename Op::Acc;
    __shared__ __align__(32) E a_tile[kMmaChunks][kMmaTileM][kMmaFragment];  // A rows
    __shared__ __align__(32) E b_tile[kMmaChunks][kMmaTileN][kMmaFragment];  // B columns
    __shared__ __align__(32) Acc staging[kMmaThreads / 32][kMmaFragment][kMmaFragment];
    const int64_t group = blockIdx.z;
    const int64_t m_size = v.m(), k_size = v.k(), n_size = v.n();
    const int64_t m0 = int64_t(blockIdx.x) * kMmaTileM, n0 = int64_t(blockIdx.y) * kMmaTileN;
    const int warp = int(threadIdx.x) / 32, lane = int(threadIdx.x) % 32;
    const int warp_m = (warp / 4) * kMmaWarpM, warp_n = (warp % 4) * kMmaWarpN;
    wmma::fragment<wmma::accumulator, 16, 16, 16, Acc> acc[kMmaFragsM][kMmaFragsN];
#pragma unroll
    for (int i = 0; i < kMmaFragsM; ++i)
#pragma unroll
        for (int j = 0; j < kMmaFragsN; ++j) wmma::fill_fragment(acc[i][j], Acc(0));
    for (int64_t k0 = 0; k0 < k_size; k0 += kMmaTileK) {
        // Consecutive threads load neighbouring elements, each operand along its contiguous
        // direction.
        for (int e = int(threadIdx.x); e < kMmaTileM * kMmaTileK; e += kMmaThreads) {
            const int mm = v.a_along_m() ? e % kMmaTileM : e / kMmaTileK;
            const int kk = v.a_along_m() ? e / kMmaTileM : e % kMmaTileK;
            const int64_t m = m0 + mm, k = k0 + kk;
            const int64_t i = m < m_size && k < k_size ? v.a_index(group, m, k) : -1;
            a_tile[kk / kMmaFragment][mm][kk % kMmaFragment] = i >= 0 ? Op::load(x, i) : Op::zero();
        }
        for (int e = int(threadIdx.x); e < kMmaTileN * kMmaTileK; e += kMmaThreads) {
            const int kk = v.b_along_k() ? e % kMmaTileK : e / kMmaTileN;
            const int nn = v.b_along_k() ? e / kMmaTileK : e % kMmaTileN;
            const int64_t n = n0 + nn, k = k0 + kk;
            b_tile[kk / kMmaFragment][nn][kk % kMmaFragment] =
                n < n_size && k < k_size ? Op::load(w, v.b_index(group, k, n)) : Op::zero();
        }
        __syncthreads();
#pragma unroll
        for (int c = 0; c < kMmaChunks; ++c) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, E, wmma::row_major> a[kMmaFragsM];
            wmma::fragment<wmma::matrix_b, 16, 16, 16, E, wmma::col_major> b[kMmaFragsN];
#pragma unroll
            for (int i = 0; i < kMmaFragsM; ++i)
                wmma::load_matrix_sync(a[i], &a_tile[c][warp_m + i * kMmaFragment][0], kMmaFragment);
#pragma unroll
            for (int j = 0; j < kMmaFragsN; ++j)
                wmma::load_matrix_sync(b[j], &b_tile[c][warp_n + j * kMmaFragment][0], kMmaFragment);
#pragma unroll
            for (int i = 0; i < kMmaFragsM; ++i)
#pragma unroll
                for (int j = 0; j < kMmaFragsN; ++j) wmma::mma_sync(acc[i][j], a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < kMmaFragsM; ++i)
#pragma unroll
        for (int j = 0; j < kMmaFragsN; ++j) {
            wmma::store_matrix_sync(&staging[warp][0][0], acc[i][j], kMmaFragment, wmma::mem_row_major);
            __syncwarp();
            for (int e = lane; e < kMmaFragment * kMmaFragment; e += 32) {
                const int r = e / kMmaFragment, q = e % kMmaFragment;
                const int64_t m = m0 + warp_m + i * kMmaFragment + r, n = n0 + warp_n + j * kMmaFragment + q;
                if (m < m_size && n < n_size) out(staging[warp][r][q], v.c_index(group, m, n), v.channel(group, n));
            }
            __syncwarp();
        }
}

template <class View>
dim3 mma_grid(const View& v) {
    return dim3(unsigned((v.m() + kMmaTileM - 1) / kMmaTileM), unsigned((v.n() + kMmaTileN - 1) / kMmaTileN),
                unsigned(v.groups()));
}

}  // namespace npu
