#pragma once
// The GPU backend's element-wise, pooling, concat and softmax arithmetic as NPU_HD functions,
// one output element (or one softmax row) per call: the CUDA kernels (gpu_ops.cu) run them one
// per thread, and the CPU tests run them against the CPU reference (kernels/cpu/reference_ops),
// whose formulas they follow one for one: the same window order, the same INT8 rescaling and
// rounding (int8.h), FP32 arithmetic rounded to the storage format on store. Tensors are flat
// NCHW buffers in their storage precision.
//
// Softmax is the one op that calls a transcendental: exp is computed in binary64 and rounded to
// binary32 (softmax_exp), the same expression on the host and the device. The CPU reference's
// std::exp in binary32 agrees with it except where the exact value lies within a hair of a
// binary32 rounding midpoint; the check rule judges every output either way.
#include <cmath>
#include <cstdint>

#include "common/op_attributes.h"
#include "common/shape.h"
#include "kernels/numerics/bf16.h"
#include "kernels/numerics/fp16.h"
#include "kernels/numerics/int8.h"
#include "kernels/numerics/layer_norm.h"
#include "kernels/numerics/precision.h"
#include "kernels/numerics/vector_math.h"

namespace npu {

NPU_HD inline float load_value(const void* base, int64_t i, Precision p) {
    switch (p) {
        case Precision::Int8: return float(static_cast<const int8_t*>(base)[i]);
        case Precision::Fp16: return half_to_float(static_cast<const Half*>(base)[i]);
        case Precision::Bf16: return bf16_to_float(static_cast<const Bf16*>(base)[i]);
        case Precision::Fp32: break;
    }
    return static_cast<const float*>(base)[i];
}

// Float precisions only (INT8 results are computed in integers).
NPU_HD inline void store_value(void* base, int64_t i, float v, Precision p) {
    if (p == Precision::Fp16)
        static_cast<Half*>(base)[i] = float_to_half(v);
    else if (p == Precision::Bf16)
        static_cast<Bf16*>(base)[i] = float_to_bf16(v);
    else
        static_cast<float*>(base)[i] = v;
}

NPU_HD inline int8_t* int8_at(void* base) { return static_cast<int8_t*>(base); }
NPU_HD inline const int8_t* int8_at(const void* base) { return static_cast<const int8_t*>(base); }
NPU_HD inline int8_t clamp_to(int64_t v, Int8Clamp c) { return int8_t(v < c.lo ? c.lo : (v > c.hi ? c.hi : v)); }
NPU_HD inline float clamp_real(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }
NPU_HD inline float activate(float v, Activation a) {  // as vector_math.h's activate_relu / _relu6
    if (a == Activation::Relu) return v > 0.0f ? v : 0.0f;
    if (a == Activation::Relu6) return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v);
    return v;
}

// Relu, relu6 or clip: INT8 in the int8 domain, floats to [lo, hi].
NPU_HD inline void clamp_element(Precision p, const void* in, void* out, int64_t i, Int8Clamp bounds, float lo,
                                 float hi) {
    if (p == Precision::Int8)
        int8_at(out)[i] = clamp_to(int8_at(in)[i], bounds);
    else
        store_value(out, i, clamp_real(load_value(in, i, p), lo, hi), p);
}

// Residual add: INT8 rescaled to the output scale and rounded once (add_requantize), then the
// fused activation's clamp; floats summed in FP32, then the fused activation.
NPU_HD inline void add_element(Precision p, const void* a, const void* b, void* out, int64_t i, AddRescale r,
                               Int8Clamp bounds, Activation act) {
    if (p == Precision::Int8)
        int8_at(out)[i] = clamp_to(add_requantize(int8_at(a)[i], int8_at(b)[i], r), bounds);
    else
        store_value(out, i, activate(load_value(a, i, p) + load_value(b, i, p), act), p);
}

// Sigmoid, hard sigmoid, tanh: INT8 through the layer's table; floats with vector_math.h's
// binary64 expression.
NPU_HD inline void unary_element(Precision p, const void* in, void* out, int64_t i, UnaryAttrs u, const int8_t* table) {
    if (p == Precision::Int8)
        int8_at(out)[i] = unary_int8(int8_at(in)[i], table);
    else
        store_value(out, i, unary_value(u, load_value(in, i, p)), p);
}

// a * b, b one value per channel when `pixels` (H x W of a) > 0: element i reads b[i / pixels].
NPU_HD inline void mul_element(Precision p, const void* a, const void* b, void* out, int64_t i, int64_t pixels,
                               QuantMultiplier m) {
    const int64_t j = pixels > 0 ? i / pixels : i;
    if (p == Precision::Int8)
        int8_at(out)[i] = mul_int8(int8_at(a)[i], int8_at(b)[j], m);
    else
        store_value(out, i, mul_rn(load_value(a, i, p), load_value(b, j, p)), p);
}

// A standalone batchnorm: y = x * scale[c] + shift[c] (floats).
NPU_HD inline void affine_element(Precision p, const void* in, void* out, int64_t i, int64_t pixels, int64_t channels,
                                  const float* scale, const float* shift) {
    const int64_t c = (i / pixels) % channels;
    store_value(out, i, add_rn(mul_rn(load_value(in, i, p), scale[c]), shift[c]), p);  // no FMA: the host's bits
}

struct PoolGeometry {
    int64_t in_h = 1, in_w = 1, out_h = 1, out_w = 1;
    int64_t kh = 1, kw = 1, stride_h = 1, stride_w = 1, pad_top = 0, pad_left = 0, dilation_h = 1, dilation_w = 1;
    bool count_include_pad = false;
};

// A pool's geometry from its shapes and window (host side).
inline PoolGeometry pool_geometry(const Shape& in, const Shape& out, const Window2d& w, bool count_include_pad) {
    PoolGeometry g;
    g.in_h = in.h, g.in_w = in.w, g.out_h = out.h, g.out_w = out.w;
    g.kh = w.kernel_h, g.kw = w.kernel_w, g.stride_h = w.stride_h, g.stride_w = w.stride_w;
    g.pad_top = w.pad_top, g.pad_left = w.pad_left, g.dilation_h = w.dilation_h, g.dilation_w = w.dilation_w;
    g.count_include_pad = count_include_pad;
    return g;
}

// Input element (r, s) of output o's window, or -1 outside the input.
NPU_HD inline int64_t pool_source(const PoolGeometry& g, int64_t o, int64_t r, int64_t s) {
    const int64_t x0 = (o % g.out_w) * g.stride_w - g.pad_left, y0 = ((o / g.out_w) % g.out_h) * g.stride_h - g.pad_top;
    const int64_t plane = o / (g.out_w * g.out_h);
    const int64_t y = y0 + r * g.dilation_h, x = x0 + s * g.dilation_w;
    if (y < 0 || y >= g.in_h || x < 0 || x >= g.in_w) return -1;
    return (plane * g.in_h + y) * g.in_w + x;
}

// The window's first largest element, copied as it is.
NPU_HD inline void max_pool_element(const PoolGeometry& g, Precision p, const void* in, void* out, int64_t o) {
    float best = 0.0f;
    int64_t best_index = -1;
    for (int64_t r = 0; r < g.kh; ++r)
        for (int64_t s = 0; s < g.kw; ++s) {
            const int64_t i = pool_source(g, o, r, s);
            if (i >= 0 && (best_index < 0 || load_value(in, i, p) > best)) best = load_value(in, i, p), best_index = i;
        }
    if (p == Precision::Int8)
        int8_at(out)[o] = int8_at(in)[best_index];
    else if (p == Precision::Fp32)
        static_cast<float*>(out)[o] = static_cast<const float*>(in)[best_index];
    else
        static_cast<uint16_t*>(out)[o] = static_cast<const uint16_t*>(in)[best_index];
}

// INT8: the window sum times `by_count[count]` (average_multiplier(count)), rounded once;
// floats: the FP32 sum divided by the count. The count is the window's size or its cells
// inside the input.
NPU_HD inline void avg_pool_element(const PoolGeometry& g, Precision p, const void* in, void* out, int64_t o,
                                    const QuantMultiplier* by_count) {
    int64_t sum_q = 0, valid = 0;
    float sum_f = 0.0f;
    for (int64_t r = 0; r < g.kh; ++r)
        for (int64_t s = 0; s < g.kw; ++s) {
            const int64_t i = pool_source(g, o, r, s);
            if (i < 0) continue;
            ++valid;
            if (p == Precision::Int8)
                sum_q += int8_at(in)[i];
            else
                sum_f += load_value(in, i, p);
        }
    const int64_t count = g.count_include_pad ? g.kh * g.kw : valid;
    if (p == Precision::Int8)
        int8_at(out)[o] = saturate_int8(rounding_scale(sum_q, by_count[count]));
    else
        store_value(out, o, sum_f / float(count), p);
}

// Concat: element `src` of input k (viewed [outer][length][inner] around the axis) goes to this
// output index, `offset` along the axis; INT8 rescaled to the output's scale.
NPU_HD inline int64_t concat_destination(int64_t src, int64_t length, int64_t inner, int64_t out_length,
                                         int64_t offset) {
    const int64_t i = src % inner, a = (src / inner) % length, o = src / (inner * length);
    return (o * out_length + offset + a) * inner + i;
}

NPU_HD inline void concat_element(Precision p, const void* in, void* out, int64_t src, int64_t dst,
                                  QuantMultiplier rescale) {
    if (p == Precision::Int8)
        int8_at(out)[dst] = saturate_int8(rounding_scale(int8_at(in)[src], rescale));
    else
        store_value(out, dst, load_value(in, src, p), p);
}

// Slice: the input index of output element `o`, the axis viewed [outer][length][inner] with
// `out_length` of the input's `in_length` taken from `begin`.
NPU_HD inline int64_t slice_source(int64_t o, int64_t out_length, int64_t inner, int64_t in_length, int64_t begin) {
    const int64_t i = o % inner, a = (o / inner) % out_length, n = o / (inner * out_length);
    return (n * in_length + begin + a) * inner + i;
}

// Channel shuffle: the input index of output element `o` of an N x channels x plane tensor.
// Output channel c = j * groups + i reads input channel i * (channels / groups) + j.
NPU_HD inline int64_t shuffle_source(int64_t o, int64_t channels, int64_t plane, int64_t groups) {
    const int64_t x = o % plane, c = (o / plane) % channels, n = o / (plane * channels);
    const int64_t source_channel = (c % groups) * (channels / groups) + c / groups;
    return (n * channels + source_channel) * plane + x;
}

// One element moved as it is (no arithmetic, whatever the precision).
NPU_HD inline void move_element(Precision p, const void* in, void* out, int64_t src, int64_t dst) {
    if (p == Precision::Int8)
        int8_at(out)[dst] = int8_at(in)[src];
    else
        store_value(out, dst, load_value(in, src, p), p);
}

NPU_HD inline float softmax_exp(float x) { return float(exp(double(x))); }
NPU_HD inline bool finite_value(float v) { return v - v == 0.0f; }  // false for inf and NaN

// One softmax row: `count` elements from `first`, `stride` apart. INT8: logits at `scale`, the
// probabilities quantized at the float 1/127 (round half away from zero, as quantize_int8);
// floats in FP32.
NPU_HD inline void softmax_row(Precision p, const void* in, void* out, int64_t first, int64_t count, int64_t stride,
                               float scale) {
    const bool int8 = p == Precision::Int8;
    float top = load_value(in, first, p);
    for (int64_t k = 1; k < count; ++k) top = fmaxf(top, load_value(in, first + k * stride, p));
    const auto shifted = [&](int64_t k) {
        const float d = load_value(in, first + k * stride, p) - top;
        return int8 ? d * scale : d;
    };
    float sum = 0.0f;
    for (int64_t k = 0; k < count; ++k) sum += softmax_exp(shifted(k));
    for (int64_t k = 0; k < count; ++k) {
        const float prob = softmax_exp(shifted(k)) / sum;
        if (int8)
            int8_at(out)[first + k * stride] =
                finite_value(prob) ? saturate_int8(llround(double(prob) / double(1.0f / 127.0f))) : int8_t(0);
        else
            store_value(out, first + k * stride, prob, p);
    }
}

// One layer-norm row (layer_norm.h's arithmetic): `count` channels `stride` apart from `first`,
// then gamma[k] and beta[k]. INT8: values at `in_scale`, quantized at `out_scale` as the host
// quantizes (quantize_int8_at).
struct LayerNormRow {
    float epsilon, in_scale, out_scale;
    const float* gamma;
    const float* beta;
};
NPU_HD inline void layer_norm_pixel(Precision p, const void* in, void* out, int64_t first, int64_t count,
                                    int64_t stride, const LayerNormRow& r) {
    const bool int8 = p == Precision::Int8;
    layer_norm_row(
        count, r.epsilon,
        [&](int64_t k) {
            const float x = load_value(in, first + k * stride, p);
            return int8 ? mul_rn(x, r.in_scale) : x;
        },
        [&](int64_t k, float y) {
            const float v = layer_norm_affine(y, r.gamma[k], r.beta[k]);
            if (int8)
                int8_at(out)[first + k * stride] = quantize_int8_at(v, double(r.out_scale));
            else
                store_value(out, first + k * stride, v, p);
        });
}

}  // namespace npu
