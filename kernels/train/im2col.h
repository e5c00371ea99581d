#pragma once
// The im2col view of a convolution, shared by the CPU trainer and the NPU training driver:
// col[k][p] of one image and group, k = (c, i, j) over the group's channels and the kernel rows
// and columns, p = an output pixel; padding reads 0. col2im is its adjoint (every column cell
// adds into the input cell it was read from).
#include "kernels/model/conv_geometry.h"

namespace npu {

// `col`: k_per_group() x (output h * w), overwritten. `x`: one image (C x H x W).
void im2col(const float* x, const ConvGeometry& g, int64_t group, float* col);
// `dx`: one image's input gradient, added to.
void col2im(const float* col, const ConvGeometry& g, int64_t group, float* dx);

}  // namespace npu
