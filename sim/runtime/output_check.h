#pragma once
// Checks a functional run: every layer's output in the NPU's DRAM against the CPU reference
// computed on the same inputs (the NPU's own outputs of the layers before it), so each layer is
// judged on its own. INT8: bit-exact. FP16: within 2 units in the last place of binary16, the
// unit taken at the larger of the value and the layer's RMS: FP32 sums in a different order
// round differently, and where a sum cancels to near zero that difference is large next to the
// result but small next to the layer's values.
#include <cstdint>
#include <string>

#include "kernels/cpu/quantized_model.h"
#include "sim/compiler/dram_plan.h"
#include "sim/runtime/run_result.h"

namespace npu {

void check_layer_outputs(const QuantModel& model, const DramPlan& plan, const uint8_t* dram, RunResult& result);

constexpr int kFp16Ulps = 2;
constexpr float kFp32RelativeTolerance = 1e-5f;

// Whether two float results agree: FP16 within kFp16Ulps units in the last place of binary16,
// FP32 within kFp32RelativeTolerance, both measured at max(|a|, |b|, floor_magnitude).
bool float_close(float a, float b, Precision p, float floor_magnitude = 0.0f);
std::string check_rule(Precision p);

}  // namespace npu
