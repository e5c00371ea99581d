#include "kernels/cpu/ops/calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/numerics/vector_math.h"

namespace npu {

namespace {

// max |x| over the values, NaN ignored (as std::max(m, NaN) keeps m). For floats that are not
// NaN, |x|'s bit pattern orders as its value, so the maximum runs on integers: that vectorizes,
// where a float max does not without -ffast-math.
[[gnu::target_clones("avx2", "default")]] float max_abs(const float* values, size_t count) {
    constexpr int32_t inf_bits = 0x7f800000;
    int32_t largest = 0;
    for (size_t i = 0; i < count; ++i) {
        int32_t bits;
        std::memcpy(&bits, &values[i], sizeof bits);
        bits &= 0x7fffffff;
        bits = bits > inf_bits ? 0 : bits;
        largest = bits > largest ? bits : largest;
    }
    float m;
    std::memcpy(&m, &largest, sizeof m);
    return m;
}

}  // namespace

float choose_scale(const float* values, size_t count) {
    const float largest = max_abs(values, count);
    if (largest <= 127.0f &&
        std::all_of(values, values + count, [](float v) { return v == std::nearbyint(v); }))  // stops early
        return 1.0f;
    return largest > 0.0f ? largest / 127.0f : 1.0f;
}

Int8Clamp activation_clamp(Activation act, float out_scale) {
    Int8Clamp c;
    if (act != Activation::None) c.lo = 0;
    if (act == Activation::Relu6) c.hi = int32_t(std::min<long>(127, std::lround(6.0 / out_scale)));
    return c;
}

}  // namespace npu
