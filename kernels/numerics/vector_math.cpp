#include "kernels/numerics/vector_math.h"

#include "kernels/numerics/layer_norm.h"

#include <cmath>

namespace npu {

QuantMultiplier average_multiplier(int64_t count) { return make_multiplier(1.0 / double(count)); }

void softmax_int8(const int8_t* in, int8_t* out, int64_t count, int64_t stride, float scale) {
    int8_t max_q = in[0];
    for (int64_t i = 1; i < count; ++i) max_q = in[i * stride] > max_q ? in[i * stride] : max_q;
    float sum = 0.0f;
    for (int64_t i = 0; i < count; ++i) sum += std::exp(float(in[i * stride] - max_q) * scale);
    for (int64_t i = 0; i < count; ++i) {
        const float p = std::exp(float(in[i * stride] - max_q) * scale) / sum;
        out[i * stride] = quantize_int8(p, kSoftmaxInt8OutputScale);
    }
}

void softmax_real(const uint8_t* in, uint8_t* out, int64_t first, int64_t count, int64_t stride, Precision p) {
    float max_v = load_real(in, first, p);
    for (int64_t i = 1; i < count; ++i) max_v = std::fmax(max_v, load_real(in, first + i * stride, p));
    float sum = 0.0f;
    for (int64_t i = 0; i < count; ++i) sum += std::exp(load_real(in, first + i * stride, p) - max_v);
    for (int64_t i = 0; i < count; ++i)
        store_real(out, first + i * stride, std::exp(load_real(in, first + i * stride, p) - max_v) / sum, p);
}

void layer_norm_row(Precision p, const uint8_t* in, uint8_t* out, int64_t first, int64_t count, int64_t stride,
                    const LayerNormParams& lp) {
    const auto at = [&](int64_t k) { return first + k * stride; };
    const auto affine = [&](int64_t k, float v) {
        return layer_norm_affine(v, lp.gamma[k * lp.param_stride], lp.beta[k * lp.param_stride]);
    };
    if (p == Precision::Int8) {
        const auto* q = reinterpret_cast<const int8_t*>(in);
        auto* y = reinterpret_cast<int8_t*>(out);
        layer_norm_row(
            count, lp.epsilon, [&](int64_t k) { return mul_rn(float(q[at(k)]), lp.in_scale); },
            [&](int64_t k, float v) { y[at(k)] = quantize_int8_at(affine(k, v), double(lp.out_scale)); });
        return;
    }
    layer_norm_row(
        count, lp.epsilon, [&](int64_t k) { return load_real(in, at(k), p); },
        [&](int64_t k, float v) { store_real(out, at(k), affine(k, v), p); });
}

std::vector<int8_t> unary_table(const UnaryAttrs& u, float in_scale, float out_scale) {
    std::vector<int8_t> table(kUnaryTableSize);
    for (int q = -128; q < 128; ++q)
        table[size_t(q + 128)] = quantize_int8(unary_value(u, float(q) * in_scale), out_scale);
    return table;
}

}  // namespace npu
