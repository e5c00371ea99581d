#pragma once
// INT8 numerics contract (DESIGN.md section 3), shared by the NPU model, the CPU reference and
// the GPU kernels so that INT8 results are bit-identical everywhere.
//
// A real, positive scale ratio M (for example s_in * s_w / s_out) is represented as an integer
// multiplier and a right shift: M ~= multiplier * 2^-shift, multiplier in [2^30, 2^31).
// Requantization of an int32 accumulator is
//     q = saturate_int8((int64(acc) * multiplier + 2^(shift-1)) >> shift)
// with an arithmetic (flooring) shift, i.e. round half toward +infinity. This is the one rounding
// rule of the project: no floating point touches an INT8 result.
#include <cstddef>
#include <cstdint>

#include "kernels/numerics/host_device.h"

namespace npu {

struct QuantMultiplier {
    int32_t multiplier = 1 << 30;  // 0.5 * 2^31
    int32_t shift = 31;            // M = multiplier * 2^-shift; 1..62
};

// Nearest representable multiplier for a real ratio in (0, 2^31). Ratios too small to represent
// with shift <= 62 come out as multiplier 0 (every input rounds to 0).
QuantMultiplier make_multiplier(double real_ratio);

// Round half up: (value * multiplier + 2^(shift-1)) >> shift, computed in 64 bits (an arithmetic
// shift: floor).
NPU_HD inline int64_t rounding_scale(int64_t value, QuantMultiplier m) {
    return (value * int64_t(m.multiplier) + (int64_t(1) << (m.shift - 1))) >> m.shift;
}

NPU_HD inline int8_t saturate_int8(int64_t v) { return int8_t(v < -128 ? -128 : (v > 127 ? 127 : v)); }

NPU_HD inline int8_t requantize(int32_t acc, QuantMultiplier m) { return saturate_int8(rounding_scale(acc, m)); }

// Symmetric quantization of a real value with a per-tensor scale: round half away from zero
// (std::lround), saturated. Used only when creating INT8 data from real numbers (weights,
// inputs), never inside a layer.
int8_t quantize_int8(float value, float scale);
// One value at a positive scale `scale` as quantize_int8 rounds it, branch-free (so that loops
// over it vectorize) and NPU_HD (the GPU's layer norm quantizes with it). std::lround without
// the library call: beyond +-200 the result saturates anyway, so the quotient is clamped there,
// truncated by a conversion (exact in that range), and its fraction x - trunc(x) is exact too:
// at least one half rounds away from zero. NaN and infinities give 0.
NPU_HD inline int8_t quantize_int8_at(float value, double scale) {
    double x = double(value) / scale;
    x = x < -200.0 ? -200.0 : x;
    x = x > 200.0 ? 200.0 : x;  // NaN passes both and is dropped below
    x = (value < 0.0f ? -value : value) <= 3.40282347e38f ? x : 0.0;
    const int32_t whole = int32_t(x);
    const double fraction = x - double(whole);
    const int32_t q = whole + int32_t(fraction >= 0.5) - int32_t(fraction <= -0.5);
    return int8_t(q < -128 ? -128 : q > 127 ? 127 : q);
}
// The same for `count` values, without a library call per value (calibration's weights).
void quantize_int8(const float* values, size_t count, float scale, int8_t* out);

// Requantization as ONNX defines QLinearConv and QLinearMatMul (asymmetric, imported models
// only): round_half_even(float(acc) * scale) + zero_point, saturated; in FP32 like the ONNX
// reference. npusim's own INT8 models use requantize() above.
int8_t requantize_round_even(int32_t acc, float scale, int32_t zero_point);

// Clamp bounds of a fused activation in the int8 domain, given the output scale.
struct Int8Clamp {
    int32_t lo = -128;
    int32_t hi = 127;
};

}  // namespace npu

namespace npu {

// Residual add of two int8 tensors with different scales into a third:
//     q = saturate_int8((a * mult_a + b * mult_b + 2^(shift-1)) >> shift)
// with one shared shift, so the sum is rounded once.
struct AddRescale {
    int32_t mult_a = 0;
    int32_t mult_b = 0;
    int32_t shift = 31;
};

AddRescale make_add_rescale(double ratio_a, double ratio_b);

NPU_HD inline int8_t add_requantize(int8_t a, int8_t b, AddRescale r) {
    const int64_t sum = int64_t(a) * r.mult_a + int64_t(b) * r.mult_b;
    return saturate_int8((sum + (int64_t(1) << (r.shift - 1))) >> r.shift);
}

}  // namespace npu
