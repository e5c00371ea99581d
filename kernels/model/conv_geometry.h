#pragma once
// The geometry of a convolution or fully connected layer, shared by every backend and by the
// NPU compiler (which tiles it).
#include <cstdint>

#include "common/op_attributes.h"
#include "common/shape.h"
#include "workloads/ir/layer.h"

namespace npu {

// A convolution seen as a GEMM per group; fully connected layers are 1x1 convolutions on an
// N x (C*H*W) x 1 x 1 input.
struct ConvGeometry {
    Shape input;
    Shape output;
    int64_t groups = 1;
    Window2d window;
    NmPattern weight_nm;  // the weights' N:M structure, if pruning gave one (an nm array maps it compressed)

    static ConvGeometry from_layer(const Layer& layer, const Shape& input);
    int64_t in_per_group() const { return input.c / groups; }
    int64_t out_per_group() const { return output.c / groups; }
    int64_t k_per_group() const { return in_per_group() * window.kernel_h * window.kernel_w; }
};

}  // namespace npu
