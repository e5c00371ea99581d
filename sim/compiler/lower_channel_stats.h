#pragma once
// Lowering of batchnorm's batch statistics (ChannelStats): tiles of whole channels (all N
// images x k channels x H x W) of an N x C x H x W tensor are loaded and reduced; the per-channel
// means go to out[0 .. C) and the inverse deviations to out[C .. 2C), in FP32.
#include <cstdint>

#include "arch/npu_config.h"
#include "common/shape.h"
#include "sim/compiler/program_builder.h"

namespace npu {

// Channels per tile, or 0 when not even one channel of the batch fits the buffers.
int64_t channel_stats_tile(const NpuConfig& config, const Shape& s, Precision precision);

// Appends the instructions (tensor id 0: the statistics). `eps` joins the variance before the
// square root. Throws CompileError when no channel fits.
void lower_channel_stats(const NpuConfig& config, uint64_t input, const Shape& s, uint64_t out, double eps,
                         Precision precision, ProgramBuilder& builder);

}  // namespace npu
