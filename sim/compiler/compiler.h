#pragma once
// Graph -> NPU program: places tensors in DRAM, then lowers every layer in order (conv/fc to
// GEMM tiles on the array, the rest to the vector unit). Flatten and the input produce no
// instructions.
#include <vector>

#include "arch/isa.h"
#include "arch/npu_config.h"
#include "common/limits.h"
#include "kernels/model/prepared_model.h"
#include "sim/compiler/conv_tiler.h"
#include "sim/compiler/dram_plan.h"
#include "sim/compiler/fusion_plan.h"
#include "sim/compiler/residency_plan.h"

namespace npu {

struct CompiledModel {
    isa::Program program;
    DramPlan dram;
    ResidencyPlan residency;                // which activations stayed on chip
    FusionPlan fusion;                      // which convs fed their residual add directly
    std::vector<TilingChoice> tilings;      // per layer: the conv/fc tiling and why (fitting 0: none)
    Precision precision = Precision::Int8;  // of its tensors and instructions
};

// `quant` holds one QuantLayer per graph layer (clamps, rescales, softmax scale); timing-only
// runs may pass default-constructed ones. Tensors are placed with `dram` after what it holds
// (nullptr: from address 0). Throws CompileError if the design cannot run it.
CompiledModel compile(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                      Precision precision, const Limits& limits = Limits{}, DramAllocator* dram = nullptr);

}  // namespace npu
