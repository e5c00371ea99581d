#include "kernels/cpu/ops/calibration.h"

#include <algorithm>
#include <cmath>

#include "kernels/numerics/vector_math.h"

namespace npu {

float choose_scale(const float* values, size_t count) {
    float max_abs = 0.0f;
    for (size_t i = 0; i < count; ++i) max_abs = std::max(max_abs, std::fabs(values[i]));
    if (max_abs <= 127.0f &&
        std::all_of(values, values + count, [](float v) { return v == std::nearbyint(v); }))  // stops early
        return 1.0f;
    return max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
}

Int8Clamp activation_clamp(Activation act, float out_scale) {
    Int8Clamp c;
    if (act != Activation::None) c.lo = 0;
    if (act == Activation::Relu6) c.hi = int32_t(std::min<long>(127, std::lround(6.0 / out_scale)));
    return c;
}

float activate(float v, Activation act) {
    if (act == Activation::Relu) return activate_relu(v);
    if (act == Activation::Relu6) return activate_relu6(v);
    return v;
}

}  // namespace npu
