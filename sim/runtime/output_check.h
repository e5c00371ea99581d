#pragma once
// Checks a functional run: every layer's output in the NPU's DRAM against the CPU reference
// computed on the same inputs (the NPU's own outputs of the layers before it), so each layer is
// judged on its own, by the rule every backend shares (kernels/numerics/check_rule.h). A conv
// fused with its residual add has no output of its own: the add after it is checked on the
// reference's conv output.
#include <cstdint>
#include <string>

#include "kernels/model/prepared_model.h"
#include "sim/compiler/compiler.h"
#include "sim/runtime/run_result.h"

namespace npu {

void check_layer_outputs(const QuantModel& model, const CompiledModel& compiled, const uint8_t* dram,
                         RunResult& result);

}  // namespace npu
