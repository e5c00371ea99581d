#pragma once
// bfloat16 (the upper 16 bits of an IEEE binary32: 8 exponent bits, 7 fraction bits), the
// format of TPU v2+ training (Kalamkar et al. 2019, "A Study of BFLOAT16 for Deep Learning
// Training", arXiv:1905.12322). It keeps FP32's range, so training in BF16 needs no loss scaling.
// Conversion rounds to nearest, ties to even; NaN stays a quiet NaN.
#include <cstdint>

#include "kernels/numerics/host_device.h"

namespace npu {

NPU_HD inline uint16_t float_to_bf16_bits(float f) {
    const uint32_t u = float_to_bits(f);
    if ((u & 0x7F800000u) == 0x7F800000u && (u & 0x007FFFFFu)) return uint16_t((u >> 16) | 0x0040u);  // NaN
    const uint32_t rounding = 0x7FFFu + ((u >> 16) & 1u);                                             // ties to even
    return uint16_t((u + rounding) >> 16);
}

NPU_HD inline float bf16_bits_to_float(uint16_t b) { return bits_to_float(uint32_t(b) << 16); }

// Round a float through bfloat16 and back: what a store to a BF16 buffer does.
NPU_HD inline float round_to_bf16(float f) { return bf16_bits_to_float(float_to_bf16_bits(f)); }

// A bfloat16 element as a type of its own (like Half), where buffers of either are passed.
struct Bf16 {
    uint16_t bits = 0;
};
NPU_HD inline float bf16_to_float(Bf16 b) { return bf16_bits_to_float(b.bits); }
NPU_HD inline Bf16 float_to_bf16(float f) { return Bf16{float_to_bf16_bits(f)}; }

}  // namespace npu
