#pragma once
// The backward pass of a conv2d or fc layer as NPU GEMMs (npu_programs.h).
#include <cstdint>
#include <vector>

#include "kernels/train/training_device.h"
#include "sim/train/npu_programs.h"

namespace npu {

// One GEMM of a layer's backward pass: C (M x N) = op(A) op(B) with K inner, as npu_layer_backward
// runs it (and the timing-only estimate times it).
struct BackwardGemm {
    TrainPhase phase;
    int64_t m, k, n;
    bool transpose_a, transpose_b;
};
// A conv2d's (per group) or fc layer's backward GEMMs, in order: the weight gradient (one output
// more per filter with a bias), then the data gradient unless the layer reads the graph's
// input. Empty for other kinds.
std::vector<BackwardGemm> backward_gemms(const Graph& graph, int layer);

// The gradients of one conv2d or fc layer computed on the NPU from what the CPU trainer's pass
// saved: x (the layer's input), dz (d loss / d pre-activation output) and the weights in compute
// precision. The weight and data gradients are NPU GEMMs (dW = dZ col(X)^T, dcol = W^T dZ; fc:
// dW = dZ^T X, dX = dZ W), the bias gradient a column of the weight gradient's (its operand gets
// a row or column of ones); im2col and col2im stay on the host.
// The input gradient is skipped (left empty) for a layer that reads the graph's input.
LayerGradients npu_layer_backward(NpuPrograms& gemm, const Graph& graph, int layer, const std::vector<float>& x,
                                  const std::vector<float>& dz, const LayerParams& params);

}  // namespace npu
