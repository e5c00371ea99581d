#pragma once
// A training step's element-wise work on the GPU: the softmax cross-entropy of a micro-batch
// (one thread per image over loss_row.h, the host's formula in binary64; the loss summed on the
// host in image order, as the host sums it) and a fused activation's gradient dz = act'(y) dy
// (one thread per element).
#include <cstdint>
#include <vector>

#include "common/op_attributes.h"
#include "kernels/train/loss.h"

namespace npu {

LossResult gpu_softmax_cross_entropy(const std::vector<float>& logits, const int32_t* labels, int64_t batch,
                                     int64_t classes, float scale);

std::vector<float> gpu_activation_gradient(const std::vector<float>& y, const std::vector<float>& dy, Activation a);

}  // namespace npu
