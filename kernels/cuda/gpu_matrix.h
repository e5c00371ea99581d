#pragma once
// A matrix product on the GPU in a float precision, for the training GEMMs: the row-major
// C [M][N] = op(A) op(B), A stored [M][K] (or [K][M] with a_transposed), B stored [K][N] (or
// [N][K]); operands converted to the precision (exact for values already rounded to it), FP32
// sums, C rounded to the precision. By any backend: naive (one thread per element), tiled,
// mma (FP16 and BF16) or vendor (cuBLASLt). Throws GpuError (mma in FP32, a CUDA failure).
#include <cstdint>
#include <vector>

#include "kernels/cuda/conv_backend.h"
#include "kernels/numerics/precision.h"

namespace npu {

struct MatrixProduct {
    int64_t m = 0, k = 0, n = 0;
    bool a_transposed = false, b_transposed = false;
};

std::vector<float> gpu_matrix_product(ConvKernel kernel, Precision p, const MatrixProduct& shape,
                                      const std::vector<float>& a, const std::vector<float>& b);

}  // namespace npu
