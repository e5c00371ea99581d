#pragma once
// The element-wise backward ops the NPU's vector unit computes for real: the gradients of relu,
// relu6, clip and of fused activations (ClampGrad), of residual adds (Add), each adding into the
// input's gradient where several layers read that input, and of max, average and global
// average pools (MaxPoolGrad, AvgPoolGrad over whole planes, where the pool's input has no other
// reader). The values equal the CPU trainer's TrainOps bit for bit. Batchnorm's backward:
// npu_batchnorm_backward.h.
#include <vector>

#include "kernels/train/train_model.h"
#include "sim/train/npu_programs.h"

namespace npu {

// Layer `layer`'s backward step on the vector unit, if it is one of the ops above: true.
bool npu_vector_backward(NpuPrograms& programs, const Graph& graph, int layer, PassTensors& pass);

// dz = act'(y) dy of a conv2d's or fc's fused activation, on the vector unit.
std::vector<float> npu_activation_gradient(NpuPrograms& programs, const Graph& graph, int layer,
                                           const std::vector<float>& y, const std::vector<float>& dy);

}  // namespace npu
