#pragma once
// Softmax cross-entropy on the NPU: the logits through a softmax program on the vector unit, the
// gradient (softmax - onehot) x scale / batch as an Axpby program, both in the compute
// precision, read back for the backward pass; the driver logs the loss value from the logits.
#include <cstdint>
#include <vector>

#include "kernels/train/loss.h"
#include "sim/train/npu_programs.h"

namespace npu {

// Booked under the Forward phase at graph layer `layer` (the logits' layer).
LossResult npu_softmax_cross_entropy(Simulation& simulation, NpuPrograms& programs, Precision precision, int layer,
                                     const std::vector<float>& logits, const int32_t* labels, int64_t batch,
                                     int64_t classes, float scale);

}  // namespace npu
