#include "kernels/numerics/int8.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace npu {

QuantMultiplier make_multiplier(double real_ratio) {
    QuantMultiplier q;
    if (!(real_ratio > 0.0)) return QuantMultiplier{0, 31};
    int exponent = 0;
    const double fraction = std::frexp(real_ratio, &exponent);  // ratio = fraction * 2^exponent
    int64_t multiplier = std::llround(fraction * double(int64_t(1) << 31));
    if (multiplier == (int64_t(1) << 31)) {  // fraction rounded up to 1.0
        multiplier /= 2;
        ++exponent;
    }
    int shift = 31 - exponent;
    if (shift < 1) return QuantMultiplier{int32_t((int64_t(1) << 31) - 1), 1};  // clamp: huge ratio
    while (shift > 62) {  // tiny ratio: give up precision rather than range
        multiplier >>= 1;
        --shift;
    }
    q.multiplier = int32_t(multiplier);
    q.shift = shift;
    return q;
}

int8_t requantize_round_even(int32_t acc, float scale, int32_t zero_point) {
    const float scaled = float(acc) * scale;
    return saturate_int8(int64_t(std::nearbyint(scaled)) + zero_point);  // default mode: ties to even
}

int8_t quantize_int8(float value, float scale) { return scale > 0.0f ? quantize_int8_at(value, scale) : int8_t(0); }

// Cloned for AVX2, whose operations round exactly as the baseline's: the loop vectorizes.
[[gnu::target_clones("avx2", "default")]] void quantize_int8(const float* values, size_t count, float scale,
                                                             int8_t* out) {
    if (!(scale > 0.0f)) {
        std::fill(out, out + count, int8_t(0));
        return;
    }
    const double s = scale;
    for (size_t i = 0; i < count; ++i) out[i] = quantize_int8_at(values[i], s);
}

}  // namespace npu

namespace npu {

AddRescale make_add_rescale(double ratio_a, double ratio_b) {
    // The larger ratio sets the shared shift, exactly as make_multiplier would for it alone.
    const QuantMultiplier larger = make_multiplier(ratio_a > ratio_b ? ratio_a : ratio_b);
    const double scale = std::ldexp(1.0, larger.shift);
    AddRescale r;
    r.shift = larger.shift;
    r.mult_a = int32_t(std::min<double>(std::llround(ratio_a * scale), 2147483647.0));
    r.mult_b = int32_t(std::min<double>(std::llround(ratio_b * scale), 2147483647.0));
    return r;
}

}  // namespace npu
