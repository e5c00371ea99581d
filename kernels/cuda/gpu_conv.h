#pragma once
// Convolution on the GPU by one of the four backends (conv_backend.h: naive, tiled, mma,
// vendor). In FP32, FP16 and BF16 (binary16 or bfloat16 operands and results, FP32 sums) and
// INT8 (int32 sums, then the NPU's integer requantization and clamp, bit-exact with the CPU
// reference). Each call uploads the operands, runs one warm-up call, then `timed_calls` calls
// between two CUDA events, and downloads the output. A backend without the precision throws
// GpuError (conv_kernel_supports says which), as does any CUDA, cuDNN or cuBLASLt failure.
#include <cstdint>
#include <string>
#include <vector>

#include "common/op_attributes.h"
#include "kernels/cuda/conv_backend.h"
#include "kernels/cuda/direct_conv.h"
#include "kernels/cuda/gpu_runtime.h"

namespace npu {

// bias: one per output channel (FP32, or int32 in the INT8 case); `act_min`/`act_max` clamp
// the float results (relu: 0 and +inf).
std::vector<float> gpu_conv_fp32(ConvKernel kernel, const DirectConvShape& s, const std::vector<float>& x,
                                 const std::vector<float>& w, const std::vector<float>& bias, float act_min,
                                 float act_max, GpuTiming& timing);
std::vector<Half> gpu_conv_fp16(ConvKernel kernel, const DirectConvShape& s, const std::vector<Half>& x,
                                const std::vector<Half>& w, const std::vector<float>& bias, float act_min,
                                float act_max, GpuTiming& timing);
std::vector<Bf16> gpu_conv_bf16(ConvKernel kernel, const DirectConvShape& s, const std::vector<Bf16>& x,
                                const std::vector<Bf16>& w, const std::vector<float>& bias, float act_min,
                                float act_max, GpuTiming& timing);
// The clamp of a fused activation as gpu_conv_* take it: relu [0, inf], relu6 [0, 6], none all.
struct ActivationRange {
    float lo, hi;
};
ActivationRange activation_range(Activation a);

// A float convolution (FP32, FP16 or BF16) of float operands already rounded to `p`: encoded to
// p's storage, computed by the gpu_conv_* of that precision, the results decoded.
std::vector<float> gpu_conv_float(ConvKernel kernel, Precision p, const DirectConvShape& s, const std::vector<float>& x,
                                  const std::vector<float>& w, const std::vector<float>& bias, ActivationRange clamp,
                                  GpuTiming& timing);

std::vector<int8_t> gpu_conv_int8(ConvKernel kernel, const DirectConvShape& s, const std::vector<int8_t>& x,
                                  const std::vector<int8_t>& w, const std::vector<int32_t>& bias,
                                  const std::vector<QuantMultiplier>& requant, Int8Clamp clamp, GpuTiming& timing);

}  // namespace npu
