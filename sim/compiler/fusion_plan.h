#pragma once
// Layer fusion: which conv/fc layers hand their output tiles straight to the residual add that
// follows them, so that the conv's output never makes a round trip (through DRAM, or through
// the resident partition on chip).
//
// A conv or fc layer p fuses with layer p + 1 when that layer is an add reading p once, p has
// no other reader, and p's output is not an int32 sum (an imported ConvInteger). The add's
// other operand was produced before p, so each of p's output tiles loads the matching box of it,
// adds (the add's rescale and activation, in place on p's tile) and stores the add's output:
// the add's instructions carry the add's layer tag, in p's program order. Training compiles
// without fusion (its backward programs read every forward output).
#include <cstdint>
#include <vector>

#include "arch/npu_config.h"
#include "kernels/model/prepared_model.h"

namespace npu {

struct FusionPlan {
    std::vector<int32_t> add_of;     // per layer: the add a conv/fc feeds fused (-1: none)
    std::vector<int32_t> into_conv;  // per layer: the conv a fused add is computed by (-1: none)

    bool fused_conv(int layer) const { return add_of[size_t(layer)] >= 0; }
    bool fused_add(int layer) const { return into_conv[size_t(layer)] >= 0; }
    // Runs conv `layer` and its add apart after all.
    void unfuse(int layer) {
        into_conv[size_t(add_of[size_t(layer)])] = -1;
        add_of[size_t(layer)] = -1;
    }
};

// Empty fusions (all -1) when `config.memory.fusion` is off.
FusionPlan plan_fusion(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config);

}  // namespace npu
