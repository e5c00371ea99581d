#pragma once
// Scale and clamp choices shared by the ops' INT8 calibrations.
#include <cstddef>

#include "common/op_attributes.h"
#include "kernels/numerics/int8.h"
#include "kernels/numerics/vector_math.h"

namespace npu {

// Scale for a set of real values: 1 if they are all integers that fit int8, else max|x| / 127.
float choose_scale(const float* values, size_t count);
// The int8 clamp of a fused activation at the output scale.
Int8Clamp activation_clamp(Activation act, float out_scale);
inline float activate(float v, Activation act) {  // inline: called per element in loops
    if (act == Activation::Relu) return activate_relu(v);
    if (act == Activation::Relu6) return activate_relu6(v);
    return v;
}

}  // namespace npu
