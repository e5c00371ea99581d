#pragma once
// Convolution on the GPU, by one of the own CUDA-core kernels: `naive` (one thread per output
// element, the direct sum of direct_conv.h) or `tiled` (an implicit GEMM through shared memory,
// tiled_conv.cuh). In FP32, FP16 (binary16 operands and results, FP32 sums) and INT8 (int32 sums,
// then the NPU's integer requantization and clamp, bit-exact with the CPU reference). Each call
// uploads the operands, runs one warm-up launch, then `timed_calls` launches between two CUDA
// events, and downloads the output.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kernels/cuda/direct_conv.h"

namespace npu {

enum class ConvKernel { Naive, Tiled };
const char* conv_kernel_name(ConvKernel k);
bool parse_conv_kernel(const std::string& name, ConvKernel& out);  // false if unknown

struct GpuTiming {
    int timed_calls = 1;  // launches between the two events (at least 1)
    double ms_per_call = 0.0;
    // Called just before the timed loop starts and just after it has finished (energy readings).
    std::function<void()> on_start, on_stop;
};

// bias: one per output channel (FP32, or int32 in the INT8 case); `act_min`/`act_max` clamp
// the float results (relu: 0 and +inf).
std::vector<float> gpu_conv_fp32(ConvKernel kernel, const DirectConvShape& s, const std::vector<float>& x,
                                 const std::vector<float>& w, const std::vector<float>& bias, float act_min,
                                 float act_max, GpuTiming& timing);
std::vector<Half> gpu_conv_fp16(ConvKernel kernel, const DirectConvShape& s, const std::vector<Half>& x,
                                const std::vector<Half>& w, const std::vector<float>& bias, float act_min,
                                float act_max, GpuTiming& timing);
std::vector<int8_t> gpu_conv_int8(ConvKernel kernel, const DirectConvShape& s, const std::vector<int8_t>& x,
                                  const std::vector<int8_t>& w, const std::vector<int32_t>& bias,
                                  const std::vector<QuantMultiplier>& requant, Int8Clamp clamp, GpuTiming& timing);

}  // namespace npu
