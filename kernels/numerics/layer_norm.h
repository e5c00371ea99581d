#pragma once
// Layer normalization of one row (the channels of one pixel): the arithmetic every backend runs,
// NPU_HD so that the CUDA kernel compiles the same expression. In binary32, each operation
// rounded once (add_rn / mul_rn: no fused multiply-add on the device either), sums in order:
//   mean = (x_0 + ... + x_{n-1}) / n
//   var  = ((x_0 - mean)^2 + ... ) / n          (the biased variance, as PyTorch's LayerNorm)
//   y_k  = (x_k - mean) / sqrt(var + epsilon)
// `load(k)` gives x_k as a float (INT8: q_k times the input scale), `store(k, y)` writes y_k.
#include <cmath>
#include <cstdint>

#include "kernels/numerics/host_device.h"

namespace npu {

// The learned per-channel scale and shift after the normalization.
NPU_HD inline float layer_norm_affine(float normalized, float gamma, float beta) {
    return add_rn(mul_rn(normalized, gamma), beta);
}

template <class Load, class Store>
NPU_HD inline void layer_norm_row(int64_t count, float epsilon, const Load& load, const Store& store) {
    if (count <= 0) return;
    const float n = float(count);
    float sum = 0.0f;
    for (int64_t k = 0; k < count; ++k) sum = add_rn(sum, load(k));
    const float mean = sum / n;
    float squares = 0.0f;
    for (int64_t k = 0; k < count; ++k) {
        const float d = add_rn(load(k), -mean);
        squares = add_rn(squares, mul_rn(d, d));
    }
    const float root = sqrtf(add_rn(squares / n, epsilon));
    for (int64_t k = 0; k < count; ++k) store(k, add_rn(load(k), -mean) / root);
}

}  // namespace npu
