#pragma once
// What every convolution kernel does with an output's sum (FP32, or int32 for INT8): add the
// bias, clamp to the activation's range, and round to the output's format, or requantize it
// exactly as the NPU does (direct_conv.h's requantize_output). `index` is the output element
// (NCHW), `channel` its output channel.
#include "kernels/cuda/direct_conv.h"

namespace npu {

__device__ inline float clamp_float(float v, float lo, float hi) { return fminf(fmaxf(v, lo), hi); }

struct FloatOut {
    float* y;
    const float* bias;
    float lo, hi;
    __device__ void operator()(float sum, int64_t index, int64_t channel) const {
        y[index] = clamp_float(sum + bias[channel], lo, hi);
    }
};
struct HalfOut {
    Half* y;
    const float* bias;
    float lo, hi;
    __device__ void operator()(float sum, int64_t index, int64_t channel) const {
        y[index] = float_to_half(clamp_float(sum + bias[channel], lo, hi));
    }
};
struct Bf16Out {
    Bf16* y;
    const float* bias;
    float lo, hi;
    __device__ void operator()(float sum, int64_t index, int64_t channel) const {
        y[index] = float_to_bf16(clamp_float(sum + bias[channel], lo, hi));
    }
};
struct Int8Out {
    int8_t* y;
    const int32_t* bias;
    const QuantMultiplier* requant;
    Int8Clamp clamp;
    __device__ void operator()(int32_t sum, int64_t index, int64_t channel) const {
        y[index] = requantize_output(sum, bias[channel], requant[channel], clamp);
    }
};

}  // namespace npu
