#include "kernels/numerics/check_rule.h"

#include <algorithm>
#include <cmath>

namespace npu {

bool float_close(float a, float b, Precision p, float floor_magnitude) {
    if (std::isnan(a) || std::isnan(b)) return false;
    if (a == b) return true;
    const float magnitude = std::max({std::fabs(a), std::fabs(b), floor_magnitude});
    if (p == Precision::Fp32) return std::fabs(a - b) <= kFp32RelativeTolerance * magnitude;
    // bfloat16 has 7 fraction bits (and FP32's exponent range, so no subnormals in practice).
    if (p == Precision::Bf16) return std::fabs(a - b) <= float(kFp16Ulps) * std::ldexp(1.0f, std::ilogb(magnitude) - 7);
    // binary16 has 10 fraction bits; below 2^-14 the spacing is the subnormal 2^-24.
    const float ulp = magnitude < 6.103515625e-05f ? 5.9604645e-08f : std::ldexp(1.0f, std::ilogb(magnitude) - 10);
    return std::fabs(a - b) <= float(kFp16Ulps) * ulp;
}

std::string check_rule(Precision p) {
    switch (p) {
        case Precision::Int8: return "INT8 bit-exact vs CPU reference, per layer on the NPU's own inputs";
        case Precision::Fp16:
            return "FP16 within 2 ulp (at max(|x|, layer RMS)) vs CPU reference, per layer on the NPU's own inputs";
        case Precision::Bf16:
            return "BF16 within 2 ulp (at max(|x|, layer RMS)) vs CPU reference, per layer on the NPU's own inputs";
        case Precision::Fp32:
            return "FP32 within 1e-5 relative (to max(|x|, layer RMS)) vs CPU reference, per layer on the NPU's "
                   "own inputs";
    }
    return "";
}

}  // namespace npu
