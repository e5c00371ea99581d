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

// The block's corner of C and of K being staged, and this thread's warp.
struct MmaPlace {
    int64_t group, m0, n0;
    int warp, warp_m, warp_n;
};

// The A and B tiles of K step k0 into shared memory; consecutive threads load neighbouring
// elements, each operand along its contiguous direction; zeros past the edges and on padding.
template <class T, class View, class E>
__device__ void mma_stage(const View& v, const T* x, const T* w, const MmaPlace& p, int64_t k0,
                          E (&a_tile)[kMmaChunks][kMmaTileM][kMmaFragment],
                          E (&b_tile)[kMmaChunks][kMmaTileN][kMmaFragment]) {
    using Op = MmaOperand<T>;
    for (int e = int(threadIdx.x); e < kMmaTileM * kMmaTileK; e += kMmaThreads) {
        const int mm = v.a_along_m() ? e % kMmaTileM : e / kMmaTileK;
        const int kk = v.a_along_m() ? e / kMmaTileM : e % kMmaTileK;
        const int64_t m = p.m0 + mm, k = k0 + kk;
        const int64_t i = m < v.m() && k < v.k() ? v.a_index(p.group, m, k) : -1;
        a_tile[kk / kMmaFragment][mm][kk % kMmaFragment] = i >= 0 ? Op::load(x, i) : Op::zero();
    }
    for (int e = int(threadIdx.x); e < kMmaTileN * kMmaTileK; e += kMmaThreads) {
        const int kk = v.b_along_k() ? e % kMmaTileK : e / kMmaTileN;
        const int nn = v.b_along_k() ? e / kMmaTileK : e % kMmaTileN;
        const int64_t n = p.n0 + nn, k = k0 + kk;
        b_tile[kk / kMmaFragment][nn][kk % kMmaFragment] =
            n < v.n() && k < v.k() ? Op::load(w, v.b_index(p.group, k, n)) : Op::zero();
    }
}

// Fragment (i, j) of the warp through its staging tile to the epilogue, inside C only.
template <class View, class Acc, class Fragment, class Epilogue>
__device__ void mma_drain(const View& v, const MmaPlace& p, int i, int j, const Fragment& acc,
                          Acc (&staging)[kMmaFragment][kMmaFragment], Epilogue& out) {
    nvcuda::wmma::store_matrix_sync(&staging[0][0], acc, kMmaFragment, nvcuda::wmma::mem_row_major);
    __syncwarp();
    for (int e = int(threadIdx.x) % 32; e < kMmaFragment * kMmaFragment; e += 32) {
        const int r = e / kMmaFragment, q = e % kMmaFragment;
        const int64_t m = p.m0 + p.warp_m + i * kMmaFragment + r, n = p.n0 + p.warp_n + j * kMmaFragment + q;
        if (m < v.m() && n < v.n()) out(staging[r][q], v.c_index(p.group, m, n), v.channel(p.group, n));
    }
    __syncwarp();
}

template <class T, class View, class Epilogue>
__global__ void __launch_bounds__(kMmaThreads) mma_kernel(View v, const T* x, const T* w, Epilogue out) {
    namespace wmma = nvcuda::wmma;
    using E = typename MmaOperand<T>::Element;
    using Acc = typename MmaOperand<T>::Acc;
    __shared__ __align__(32) E a_tile[kMmaChunks][kMmaTileM][kMmaFragment];  // A rows
    __shared__ __align__(32) E b_tile[kMmaChunks][kMmaTileN][kMmaFragment];  // B columns
    __shared__ __align__(32) Acc staging[kMmaThreads / 32][kMmaFragment][kMmaFragment];
    const int warp = int(threadIdx.x) / 32;
    const MmaPlace p{int64_t(blockIdx.z),    int64_t(blockIdx.x) * kMmaTileM, int64_t(blockIdx.y) * kMmaTileN, warp,
                     (warp / 4) * kMmaWarpM, (warp % 4) * kMmaWarpN};
    wmma::fragment<wmma::accumulator, 16, 16, 16, Acc> acc[kMmaFragsM][kMmaFragsN];
#pragma unroll
    for (int i = 0; i < kMmaFragsM; ++i)
#pragma unroll
        for (int j = 0; j < kMmaFragsN; ++j) wmma::fill_fragment(acc[i][j], Acc(0));
    for (int64_t k0 = 0; k0 < v.k(); k0 += kMmaTileK) {
        mma_stage(v, x, w, p, k0, a_tile, b_tile);
        __syncthreads();
#pragma unroll
        for (int c = 0; c < kMmaChunks; ++c) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, E, wmma::row_major> a[kMmaFragsM];
            wmma::fragment<wmma::matrix_b, 16, 16, 16, E, wmma::col_major> b[kMmaFragsN];
#pragma unroll
            for (int i = 0; i < kMmaFragsM; ++i)
                wmma::load_matrix_sync(a[i], &a_tile[c][p.warp_m + i * kMmaFragment][0], kMmaFragment);
#pragma unroll
            for (int j = 0; j < kMmaFragsN; ++j)
                wmma::load_matrix_sync(b[j], &b_tile[c][p.warp_n + j * kMmaFragment][0], kMmaFragment);
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
        for (int j = 0; j < kMmaFragsN; ++j) mma_drain(v, p, i, j, acc[i][j], staging[warp], out);
}

template <class View>
dim3 mma_grid(const View& v) {
    return dim3(unsigned((v.m() + kMmaTileM - 1) / kMmaTileM), unsigned((v.n() + kMmaTileN - 1) / kMmaTileN),
                unsigned(v.groups()));
}

}  // namespace npu
