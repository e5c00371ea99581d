#pragma once
// The backward pass of a conv2d or fc layer as two matrix GEMMs, whoever multiplies: the
// simulated NPU (sim/train/npu_programs.h) or the host in the NPU's order of sums
// (gemm_order.h). The CPU trainer's own conv2d and fc ops (train_conv_ops.cpp) stay the
// independent oracle: they compute the same gradients image by image with Eigen.
#include <cstdint>
#include <vector>

#include "kernels/model/conv_geometry.h"
#include "kernels/train/training_device.h"

namespace npu {

struct HostMatrix {
    int64_t rows = 0, cols = 0;
    std::vector<float> values;  // row-major
    // >= 0: the matrix is its layer's weights from this element on (a group's slice), which a
    // device may hold resident instead of taking them from `values`.
    int64_t weight_offset = -1;
};

enum class GradientGemm { Weight, Data };

class MatrixMultiplier {
public:
    virtual ~MatrixMultiplier() = default;
    // op(A) op(B), op = transpose where asked (A and B given as stored), for `layer`'s
    // weight or data gradient; the product stored in the compute precision.
    virtual HostMatrix multiply(GradientGemm gemm, int layer, const HostMatrix& a, bool transpose_a,
                                const HostMatrix& b, bool transpose_b) = 0;
};

// One GEMM of a layer's backward pass: C (M x N) = op(A) op(B) with K inner, as
// gemm_layer_backward runs it (and the timing-only estimate times it).
struct BackwardGemm {
    GradientGemm gemm;
    int64_t m, k, n;
    bool transpose_a, transpose_b;
};
// A conv2d's (per group) or fc layer's backward GEMMs, in order: the weight gradient (one output
// more per filter with a bias), then the data gradient unless the layer reads the graph's
// input. Empty for other kinds.
std::vector<BackwardGemm> backward_gemms(const Graph& graph, int layer);

// The pieces of a conv2d's backward GEMMs per group, for every multiplier that builds them
// (gemm_layer_backward, the NPU's npu_conv_backward): dZ of the group as Fg x (N P) (the batch
// side by side), the group's weights as Fg x Kc (weight_offset set), and the Fg x (Kc + bias)
// weight-gradient product unpacked into the layer's weight (and bias) gradients.
HostMatrix conv_group_dz(const ConvGeometry& g, int64_t group, const std::vector<float>& dz);
HostMatrix conv_group_weights(const ConvGeometry& g, int64_t group, const LayerParams& params);
void unpack_conv_weight_gradient(const ConvGeometry& g, int64_t group, bool bias, const HostMatrix& dw,
                                 LayerGradients& r);

// The gradients of one conv2d or fc layer from what the trainer's pass saved: x (the layer's
// input), dz (d loss / d pre-activation output) and the weights in compute precision. The
// weight and data gradients are GEMMs over the whole micro-batch (dW = dZ col(X)^T,
// dcol = W^T dZ; fc: dW = dZ^T X, dX = dZ W), the bias gradient a column of the weight
// gradient's (its operand gets a row or column of ones); im2col and col2im run on the host.
// The input gradient is skipped (left empty) for a layer that reads the graph's input.
LayerGradients gemm_layer_backward(MatrixMultiplier& gemm, const Graph& graph, int layer, const std::vector<float>& x,
                                   const std::vector<float>& dz, const LayerParams& params);

}  // namespace npu
