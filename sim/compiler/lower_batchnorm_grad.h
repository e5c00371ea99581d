#pragma once
// Lowering of batchnorm's backward pass over tiles of whole channels (all N images x k channels
// x H x W of x and dz): BatchNormSums writes each channel's sums of dz and dz xhat (two doubles,
// 16 bytes) from {mean, 1 / std} records; BatchNormGrad writes dx from kBatchNormGradParamBytes
// records (the sums, mean, 1 / std, gamma).
#include <cstdint>

#include "arch/npu_config.h"
#include "common/shape.h"
#include "sim/compiler/program_builder.h"

namespace npu {

struct BatchNormGradJob {
    bool sums = true;                              // BatchNormSums, else BatchNormGrad
    Shape shape;                                   // of x, dz and dx
    uint64_t x = 0, dz = 0, records = 0, out = 0;  // DRAM addresses; out: the sums or dx
    Precision precision = Precision::Fp32;
};

// Channels per tile, or 0 when not even one channel of the batch fits the buffers.
int64_t batchnorm_grad_tile(const NpuConfig& config, const BatchNormGradJob& job);

// Appends the instructions (tensor id 0: the output). Throws CompileError when no channel fits.
void lower_batchnorm_grad(const NpuConfig& config, const BatchNormGradJob& job, ProgramBuilder& builder);

}  // namespace npu
