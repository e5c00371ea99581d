#pragma once
// Lowering of a pool's backward pass (max, average, global average) over whole planes: tiles of
// planes of d loss / d output (and, for max pooling, of the pool's input) are loaded, one
// MaxPoolGrad or AvgPoolGrad instruction computes d loss / d input for them, and it is stored.
// Whole planes keep every window's cells inside its tile.
#include <cstdint>

#include "arch/npu_config.h"
#include "common/op_attributes.h"
#include "common/shape.h"
#include "sim/compiler/program_builder.h"

namespace npu {

struct PoolGradJob {
    bool max = true;  // max pooling (needs the input), else average
    Shape in, out;    // the pool's input and output (N x C planes each)
    Window2d window;
    bool count_include_pad = false;
    uint64_t input = 0, output_grad = 0, input_grad = 0;  // DRAM addresses (input: max only)
    Precision precision = Precision::Fp32;
};

// Planes per tile, or 0 when not even one plane fits the buffers.
int64_t pool_grad_planes(const NpuConfig& config, const PoolGradJob& job);

// Appends the job's instructions (tensor id 0: the input gradient). Throws CompileError when no
// plane fits.
void lower_pool_grad(const NpuConfig& config, const PoolGradJob& job, ProgramBuilder& builder);

}  // namespace npu
