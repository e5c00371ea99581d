#pragma once
// CUDA status codes as GpuError naming the call (for .cu files only).
#include <cuda_runtime.h>

#include <string>

#include "kernels/cuda/gpu_runtime.h"

namespace npu {

inline void cuda_check(cudaError_t e, const char* what) {
    if (e != cudaSuccess) throw GpuError(std::string(what) + ": " + cudaGetErrorString(e));
}

}  // namespace npu
