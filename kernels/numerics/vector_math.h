#pragma once
// Element-wise and reduction arithmetic of the vector unit, one definition for every backend.
#include <cstdint>

#include "kernels/numerics/element.h"
#include "kernels/numerics/int8.h"

namespace npu {

// Average pooling in INT8: the window sum times make_multiplier(1 / count), rounded by the one
// requantization rule. The input and output scales are equal.
QuantMultiplier average_multiplier(int64_t count);

// Softmax over `count` int8 logits `stride` elements apart, input scale `scale`; output scale
// 1/127 (1.0 maps to 127). Computed in FP32 with std::exp, the same code on every backend.
void softmax_int8(const int8_t* in, int8_t* out, int64_t count, int64_t stride, float scale);
constexpr float kSoftmaxInt8OutputScale = 1.0f / 127.0f;

// Softmax over `count` float elements from `first`, `stride` apart, in FP32; results rounded
// to the storage precision.
void softmax_real(const uint8_t* in, uint8_t* out, int64_t first, int64_t count, int64_t stride, Precision p);

// Fused activation in FP32 before rounding.
inline float activate_relu(float v) { return v > 0.0f ? v : 0.0f; }
inline float activate_relu6(float v) { return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v); }

}  // namespace npu
