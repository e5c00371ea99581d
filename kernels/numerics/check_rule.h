#pragma once
// The one rule every backend's output is judged by (the NPU model, the CUDA kernels), against
// the CPU reference computed on the same inputs. INT8: bit-exact. FP16: within 2 units in the
// last place of binary16, the unit taken at the larger of the value and the layer's RMS: FP32
// sums in a different order round differently, and where a sum cancels to near zero that
// difference is large next to the result but small next to the layer's values. FP32: 1e-5
// relative, measured the same way.
#include <string>

#include "kernels/numerics/precision.h"

namespace npu {

constexpr int kFp16Ulps = 2;
constexpr float kFp32RelativeTolerance = 1e-5f;

// Whether two float results agree, measured at max(|a|, |b|, floor_magnitude). NaN never agrees.
bool float_close(float a, float b, Precision p, float floor_magnitude = 0.0f);
// The rule in words, for reports.
std::string check_rule(Precision p);

}  // namespace npu
