#pragma once
// An FP16 GEMM on the GPU, C = A B^T with A [M][K] and B [N][K] row-major binary16, FP32 sums,
// C [M][N] rounded to binary16: by the mma kernel (mma_gemm.cuh over a GemmView) or by
// cuBLASLt (the vendor backend), timed like gpu_conv.h. The pair the mma kernel's speed is
// judged by (tests/bench/gpu_gemm_speed.cpp).
#include <cstdint>
#include <vector>

#include "kernels/cuda/conv_backend.h"
#include "kernels/cuda/gpu_runtime.h"
#include "kernels/numerics/fp16.h"

namespace npu {

// kernel: Mma or Vendor (GpuError otherwise).
std::vector<Half> gpu_gemm_fp16(ConvKernel kernel, int64_t m, int64_t k, int64_t n, const std::vector<Half>& a,
                                const std::vector<Half>& b, GpuTiming& timing);

}  // namespace npu
