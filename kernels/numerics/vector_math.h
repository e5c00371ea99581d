#pragma once
// Element-wise and reduction arithmetic of the vector unit, one definition for every backend.
#include <cmath>
#include <cstdint>
#include <vector>

#include "common/op_attributes.h"
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

// Layer norm (layer_norm.h) of the `count` elements `stride` apart from `first` of a buffer in
// precision p, then element k's scale gamma[k * param_stride] and shift beta[k * param_stride]:
// INT8 values q at `in_scale`, the results quantized at `out_scale` (quantize_int8); float
// precisions rounded to p on store.
struct LayerNormParams {
    float epsilon = 1e-5f, in_scale = 1.0f, out_scale = 1.0f;
    const float* gamma = nullptr;
    const float* beta = nullptr;
    int64_t param_stride = 1;  // in floats
};
void layer_norm_row(Precision p, const uint8_t* in, uint8_t* out, int64_t first, int64_t count, int64_t stride,
                    const LayerNormParams& params);

// Sigmoid, hard sigmoid, tanh, GELU, erf and sqrt in binary64, rounded to binary32 once: the same expression on
// the host and the device (float precisions then round to their storage format).
NPU_HD inline float unary_value(const UnaryAttrs& u, float x) {
    const double v = double(x);
    switch (u.fn) {
        case UnaryFn::Sigmoid: return float(1.0 / (1.0 + exp(-v)));
        case UnaryFn::HardSigmoid: {
            const double y = double(u.alpha) * v + double(u.beta);
            return float(y < 0.0 ? 0.0 : (y > 1.0 ? 1.0 : y));
        }
        case UnaryFn::Tanh: return float(tanh(v));
        case UnaryFn::Gelu: return float(0.5 * v * (1.0 + erf(v * 0.70710678118654752440)));
        case UnaryFn::Erf: return float(erf(v));
        case UnaryFn::Sqrt: return float(sqrt(v));
    }
    return x;
}

// INT8 unary functions are a table: entry q + 128 is quantize_int8(f(q * in_scale), out_scale),
// built once on the host at calibration and read by every backend, so INT8 results are exact
// everywhere (no transcendental in a layer's INT8 path).
constexpr int kUnaryTableSize = 256;
std::vector<int8_t> unary_table(const UnaryAttrs& u, float in_scale, float out_scale);
NPU_HD inline int8_t unary_int8(int8_t q, const int8_t* table) { return table[int(q) + 128]; }

// INT8 product of two tensors: the int16 product rescaled once, m = s_a * s_b / s_out.
NPU_HD inline int8_t mul_int8(int8_t a, int8_t b, QuantMultiplier m) {
    return saturate_int8(rounding_scale(int64_t(a) * int64_t(b), m));
}

// Fused activation in FP32 before rounding.
inline float activate_relu(float v) { return v > 0.0f ? v : 0.0f; }
inline float activate_relu6(float v) { return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v); }

}  // namespace npu
