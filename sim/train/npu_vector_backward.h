#pragma once
// The element-wise backward ops the NPU's vector unit computes for real (ClampGrad, Add): the
// gradients of relu, relu6, clip and of fused activations, and of residual adds, each adding
// into the input's gradient where several layers read that input. The values equal the CPU
// trainer's TrainOps bit for bit (a mask and a rounded sum). Pools, batchnorm, bias sums and the
// loss stay on the host (timed as passes, vector_passes.h).
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
