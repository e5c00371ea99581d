#include "kernels/numerics/vector_math.h"

#include <cmath>

namespace npu {

QuantMultiplier average_multiplier(int64_t count) { return make_multiplier(1.0 / double(count)); }

void softmax_int8(const int8_t* in, int8_t* out, int64_t count, float scale) {
    int8_t max_q = in[0];
    for (int64_t i = 1; i < count; ++i) max_q = in[i] > max_q ? in[i] : max_q;
    float sum = 0.0f;
    for (int64_t i = 0; i < count; ++i) sum += std::exp(float(in[i] - max_q) * scale);
    for (int64_t i = 0; i < count; ++i) {
        const float p = std::exp(float(in[i] - max_q) * scale) / sum;
        out[i] = quantize_int8(p, kSoftmaxInt8OutputScale);
    }
}

void softmax_fp16(const Half* in, Half* out, int64_t count) {
    float max_v = half_to_float(in[0]);
    for (int64_t i = 1; i < count; ++i) max_v = std::fmax(max_v, half_to_float(in[i]));
    float sum = 0.0f;
    for (int64_t i = 0; i < count; ++i) sum += std::exp(half_to_float(in[i]) - max_v);
    for (int64_t i = 0; i < count; ++i)
        out[i] = float_to_half(std::exp(half_to_float(in[i]) - max_v) / sum);
}

}  // namespace npu
