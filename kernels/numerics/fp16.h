#pragma once
// IEEE 754 binary16 storage type and conversions, the one FP16 contract of every backend
// (DESIGN.md section 3): operands are binary16, products and sums are FP32, results are
// rounded back to binary16 with round-to-nearest-even.
#include <cstdint>

namespace npu {

struct Half {
    uint16_t bits = 0;
};

// Exact: every binary16 value (normal, subnormal, inf, NaN) is representable in binary32.
float half_to_float(Half h);

// Round to nearest, ties to even; overflow goes to inf; NaN stays NaN (quiet).
Half float_to_half(float f);

// Round a float through binary16 and back: what a store to an FP16 buffer does.
inline float round_to_half(float f) { return half_to_float(float_to_half(f)); }

}  // namespace npu
