#pragma once
// Layer fusion: which conv/fc layers hand their output tiles straight to the layer after them
// (a residual add, or a pool whose windows stay inside output tiles), so that the conv's output
// never makes a round trip (through DRAM, or through the resident partition on chip).
//
// A conv or fc layer p fuses with layer p + 1 when p has no other reader, its output is not an
// int32 sum (an imported ConvInteger), and p + 1 is
// * an add reading p once: its other operand was produced before p, so each of p's output
//   tiles loads the matching box of it, adds (the add's rescale and activation, in place on p's
//   tile) and stores the add's output;
// * a max or average pool of p without padding or dilation whose window is no larger than its
//   stride (kernel 2 stride 2 in VGG and LeNet; not ResNet's 3x3 stride 2, whose windows cross
//   any tile edge): each of p's output tiles, its rows and columns cut at multiples of the
//   stride, pools on the vector unit into the pooled tile, which is stored.
// The fused layer's instructions carry its own layer tag, in p's program order. Training
// compiles without fusion (its backward programs read every forward output).
#include <cstdint>
#include <vector>

#include "arch/npu_config.h"
#include "kernels/model/prepared_model.h"
#include "sim/compiler/conv_tiler.h"

namespace npu {

struct FusionPlan {
    std::vector<int32_t> next_of;    // per layer: the add or pool a conv/fc computes (-1: none)
    std::vector<int32_t> into_conv;  // per layer: the conv a fused add or pool is computed by (-1: none)

    bool fused_conv(int layer) const { return next_of[size_t(layer)] >= 0; }
    bool computed_by_conv(int layer) const { return into_conv[size_t(layer)] >= 0; }
    // Runs conv `layer` and the layer after it apart after all.
    void unfuse(int layer) {
        into_conv[size_t(next_of[size_t(layer)])] = -1;
        next_of[size_t(layer)] = -1;
    }
};

// Empty fusions (all -1) when `config.memory.fusion` is off.
FusionPlan plan_fusion(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config);

// What the tiler needs to know of a pool fused into the conv before it.
FusedPool fused_pool(const Layer& pool);

}  // namespace npu
