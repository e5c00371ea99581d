#pragma once
// Graph -> NPU program: places tensors in DRAM, then lowers every layer in order (conv/fc to
// GEMM tiles on the array, the rest to the vector unit). Flatten and the input produce no
// instructions.
#include <array>
#include <functional>
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
    // Per layer: its instructions, and the end of the highest region they touch in each buffer
    // (indexed by isa::Buffer), as the compiler appended them (also for a streamed program).
    std::vector<int64_t> layer_instructions;
    std::vector<std::array<int64_t, 5>> tile_high_water;
};

// `quant` holds one QuantLayer per graph layer (clamps, rescales, softmax scale); timing-only
// runs may pass default-constructed ones. Tensors are placed with `dram` after what it holds
// (nullptr: from address 0). Throws CompileError if the design cannot run it.
CompiledModel compile(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                      Precision precision, const Limits& limits = Limits{}, DramAllocator* dram = nullptr);

// The same program, streamed (timing-only runs, whose programs grow with the batch): this plans
// it and lowers every layer once, counting the instructions and validating them without keeping
// any (its program holds none, and its streamed_layer_instructions say how many will come); run
// it with feed_program as the controller's feed (Controller::start_streamed), which lowers it
// again into compiled.program, calling `pace` after each instruction. The inputs must outlive
// the run.
CompiledModel compile_streamed(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                               Precision precision, const Limits& limits = Limits{}, DramAllocator* dram = nullptr);
void feed_program(const Graph& graph, const std::vector<QuantLayer>& quant, const NpuConfig& config,
                  CompiledModel& compiled, std::function<void()> pace);

}  // namespace npu
