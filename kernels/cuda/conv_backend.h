#pragma once
// The four GPU convolution backends, by name, and the precisions each computes. Plain C++ (no
// CUDA header): the CLI and the CPU-side tests use it where no CUDA compiler ran.
//   naive   one thread per output, the direct sum (direct_conv.h): the kernel to read first;
//   tiled   an implicit GEMM through shared memory on CUDA cores (tiled_gemm.cuh);
//   mma     the same implicit GEMM on tensor cores with WMMA (mma_conv.cuh): FP16 and BF16
//           operands with FP32 sums, INT8 with int32 sums; no FP32 (tensor cores would round
//           FP32 operands to TF32, which the FP32 check rule does not allow);
//   vendor  cuDNN's convolution (FP32, FP16, BF16; algorithm chosen by cudnnFind...) and, for
//           INT8, an im2col plus a cuBLASLt int8 GEMM with int32 sums (vendor_conv.cu), the
//           fair baseline the own kernels are measured against.
#include <array>
#include <string>

#include "kernels/numerics/precision.h"

namespace npu {

enum class ConvKernel { Naive, Tiled, Mma, Vendor };

inline constexpr std::array<ConvKernel, 4> kAllConvKernels = {ConvKernel::Naive, ConvKernel::Tiled, ConvKernel::Mma,
                                                              ConvKernel::Vendor};
inline constexpr const char* kConvKernelNames = "naive, tiled, mma, vendor";

inline const char* conv_kernel_name(ConvKernel k) {
    switch (k) {
        case ConvKernel::Tiled: return "tiled";
        case ConvKernel::Mma: return "mma";
        case ConvKernel::Vendor: return "vendor";
        case ConvKernel::Naive: break;
    }
    return "naive";
}

// False if `name` is none of kConvKernelNames.
inline bool parse_conv_kernel(const std::string& name, ConvKernel& out) {
    for (ConvKernel k : kAllConvKernels)
        if (name == conv_kernel_name(k)) {
            out = k;
            return true;
        }
    return false;
}

inline bool conv_kernel_supports(ConvKernel k, Precision p) { return k != ConvKernel::Mma || p != Precision::Fp32; }

// Why `k` cannot compute in `p` (where conv_kernel_supports is false), for every error that says so.
inline std::string missing_precision(ConvKernel k, Precision p) {
    return std::string("the ") + conv_kernel_name(k) + " backend has no " + precision_name(p) +
           " (tensor cores would round FP32 operands to TF32)";
}

}  // namespace npu
