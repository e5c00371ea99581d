#pragma once
// IEEE 754 binary16 storage type and conversions, the one FP16 contract of every backend
// (DESIGN.md section 3): operands are binary16, products and sums are FP32, results are
// rounded back to binary16 with round-to-nearest-even. Inline (and NPU_HD: the CUDA kernels use
// them too): every element of an FP16 buffer passes through them.
#include <cstdint>

#include "kernels/numerics/host_device.h"

namespace npu {

struct Half {
    uint16_t bits = 0;
};

// Exact: every binary16 value (normal, subnormal, inf, NaN) is representable in binary32.
NPU_HD inline float half_to_float(Half h) {
    const uint32_t sign = uint32_t(h.bits & 0x8000u) << 16;
    const uint32_t exponent = (h.bits >> 10) & 0x1Fu;
    const uint32_t mantissa = h.bits & 0x3FFu;
    if (exponent == 0x1F) return bits_to_float(sign | 0x7F800000u | (mantissa << 13));  // inf/NaN
    if (exponent != 0) return bits_to_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
    // Subnormal (or zero): value = mantissa * 2^-24, exact in binary32.
    const float magnitude = float(mantissa) * bits_to_float(0x33800000u);  // 2^-24
    return sign ? -magnitude : magnitude;
}

// Round to nearest, ties to even; overflow goes to inf; NaN stays NaN (quiet).
NPU_HD inline Half float_to_half(float f) {
    const uint32_t u = float_to_bits(f);
    const uint16_t sign = uint16_t((u >> 16) & 0x8000u);
    const uint32_t abs = u & 0x7FFFFFFFu;
    if (abs >= 0x7F800000u) {  // inf or NaN
        const uint16_t nan_payload = abs > 0x7F800000u ? uint16_t(0x200u | ((abs >> 13) & 0x3FFu)) : 0;
        return Half{uint16_t(sign | 0x7C00u | nan_payload)};
    }
    // 65520 = largest value that still rounds to 65504 (max half) is just below; at or above
    // it the result overflows to inf under round-to-nearest-even.
    if (abs >= 0x477FF000u) return Half{uint16_t(sign | 0x7C00u)};
    if (abs >= 0x38800000u) {  // normal half range (>= 2^-14)
        const uint32_t exponent = (abs >> 23) - 112;
        const uint32_t mantissa = abs & 0x7FFFFFu;
        uint32_t half = (exponent << 10) | (mantissa >> 13);
        const uint32_t rest = mantissa & 0x1FFFu;                        // 13 dropped bits
        if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;  // carries into exponent
        return Half{uint16_t(sign | half)};
    }
    // Subnormal half: value / 2^-24 rounded to an integer mantissa, ties to even.
    const uint32_t exponent = abs >> 23;
    if (exponent < 102) return Half{sign};  // below half of the smallest subnormal: +-0
    const uint32_t mantissa = (abs & 0x7FFFFFu) | 0x800000u;
    const uint32_t shift = 126 - exponent;  // so that result = mantissa >> shift
    uint32_t half = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1u);
    const uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1u))) ++half;
    return Half{uint16_t(sign | half)};
}

// Round a float through binary16 and back: what a store to an FP16 buffer does.
NPU_HD inline float round_to_half(float f) { return half_to_float(float_to_half(f)); }

}  // namespace npu
