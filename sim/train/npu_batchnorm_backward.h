#pragma once
// Batchnorm's backward pass on the NPU's vector unit: a BatchNormSums program (the per-channel
// sums of dz and dz xhat, read back by the driver: d beta and d gamma), then a BatchNormGrad
// program (dx from the sums, the batch statistics and gamma), both bit-exact with the CPU
// trainer's TrainOp.
#include "kernels/train/train_model.h"
#include "sim/train/npu_programs.h"

namespace npu {

// Layer `layer`'s backward step, where it runs there (no fused activation, an input no other
// layer reads, a channel of the batch fitting the buffers): adds d gamma and d beta into
// `grads`, sets the input's gradient, and returns true.
bool npu_batchnorm_backward(Simulation& simulation, NpuPrograms& programs, const Graph& graph, int layer,
                            PassTensors& pass, const LayerParams& params, LayerParams& grads);

}  // namespace npu
