#pragma once
// The `tiled` kernel: a GEMM on CUDA cores over a view (gemm_views.h), for a convolution its
// implicit GEMM (direct_conv.h's implicit_* view). Each block computes a 64 x 64 tile of C (for
// a convolution: output pixels x filters of one group) and walks K in steps of 16: the block's
// 256 threads copy the A tile (for a convolution the im2col values, read from the input in place,
// zeros on the padding) and the B tile into shared memory, synchronize, and each
// thread adds 16 products into its 4 x 4 outputs. Reused tiles replace the naive kernel's
// repeated global reads: each input value is read once per tile instead of once per filter.
// Beside it the `naive` GEMM over a view (the training GEMMs of the naive backend).
#include "kernels/cuda/gemm_views.h"

namespace npu {

constexpr int kTileM = 64, kTileN = 64, kTileK = 16, kTileThreads = 256;

// Epilogue: output element `index` (filter f) from its sum.
template <class T, class Acc, class View, class Widen, class Epilogue>
__global__ void tiled_kernel(View v, const T* x, const T* w, Widen widen, Epilogue out) {
    __shared__ Acc a_tile[kTileK][kTileM];
    __shared__ Acc b_tile[kTileK][kTileN];
    const int64_t group = blockIdx.z;
    const int64_t m_size = v.m(), k_size = v.k(), n_size = v.n();
    const int64_t m0 = int64_t(blockIdx.x) * kTileM, n0 = int64_t(blockIdx.y) * kTileN;
    const int tx = int(threadIdx.x) % 16, ty = int(threadIdx.x) / 16;  // this thread's 4 x 4 outputs
    Acc sum[4][4] = {};
    for (int64_t k0 = 0; k0 < k_size; k0 += kTileK) {
        for (int e = int(threadIdx.x); e < kTileK * kTileM; e += kTileThreads) {
            const int kk = e / kTileM, mm = e % kTileM;
            const int64_t m = m0 + mm, k = k0 + kk;
            const int64_t i = m < m_size && k < k_size ? v.a_index(group, m, k) : -1;
            a_tile[kk][mm] = i >= 0 ? widen(x, i) : Acc(0);
        }
        for (int e = int(threadIdx.x); e < kTileK * kTileN; e += kTileThreads) {
            const int kk = e / kTileN, nn = e % kTileN;
            const int64_t n = n0 + nn, k = k0 + kk;
            b_tile[kk][nn] = n < n_size && k < k_size ? widen(w, v.b_index(group, k, n)) : Acc(0);
        }
        __syncthreads();
        for (int kk = 0; kk < kTileK; ++kk)
            for (int i = 0; i < 4; ++i)
                for (int j = 0; j < 4; ++j) sum[i][j] += a_tile[kk][ty * 4 + i] * b_tile[kk][tx * 4 + j];
        __syncthreads();
    }
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) {
            const int64_t m = m0 + ty * 4 + i, n = n0 + tx * 4 + j;
            if (m < m_size && n < n_size) out(sum[i][j], v.c_index(group, m, n), v.channel(group, n));
        }
}

template <class View>
dim3 tiled_grid(const View& v) {
    return dim3(unsigned((v.m() + kTileM - 1) / kTileM), unsigned((v.n() + kTileN - 1) / kTileN), unsigned(v.groups()));
}

// The `naive` GEMM: one thread per element of C, its sum over k in order.
template <class T, class Acc, class View, class Widen, class Epilogue>
__global__ void naive_gemm_kernel(View v, const T* a, const T* b, Widen widen, Epilogue out) {
    const int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (e >= v.groups() * v.m() * v.n()) return;
    const int64_t n = e % v.n(), m = (e / v.n()) % v.m(), group = e / (v.n() * v.m());
    Acc sum = Acc(0);
    for (int64_t k = 0; k < v.k(); ++k) {
        const int64_t i = v.a_index(group, m, k);
        if (i >= 0) sum += widen(a, i) * widen(b, v.b_index(group, k, n));
    }
    out(sum, v.c_index(group, m, n), v.channel(group, n));
}

}  // namespace npu
