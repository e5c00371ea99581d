#pragma once
// One GEMM instruction as the array's sparsity mode runs it (arch/npu_config.h ArraySparsity,
// formulas in arch/systolic_timing.h): its cycles, the MACs it executes, skips and gates, and
// its SRAM traffic. The one place the modes differ; the array thread only adds the figures up.
#include <cstdint>

#include "arch/isa.h"
#include "arch/npu_config.h"
#include "arch/systolic_timing.h"

namespace npu {

struct GemmCost {
    Cycles cycles;
    int64_t folds = 0;
    int64_t macs = 0;          // executed (gated ones included: they hold a PE for the cycle)
    int64_t skipped_macs = 0;  // of the dense GEMM, not executed (nm, zero_skip)
    int64_t gated_macs = 0;    // of `macs`, on a zero weight or input, the multiplier gated (zero_gate)
    GemmTraffic traffic;       // elements; weight_bytes below counts the packed form
    int64_t weight_read_bytes = 0;
};

// `weights`, `inputs`: the instruction's weight and input tiles in SRAM, or nullptr (timing-only:
// zero_gate and zero_skip then cost what a dense GEMM costs, the operands assumed dense). Only
// zero_gate reads the inputs: no mode skips cycles on zero activations, so cycles never depend on
// them. Conv-window GEMMs only; matrix-form GEMMs (the backward passes) run dense.
GemmCost gemm_cost(const isa::Gemm& g, Dataflow dataflow, ArrayShape array, ArraySparsity sparsity,
                   const uint8_t* weights, const uint8_t* inputs);

}  // namespace npu
