#pragma once
// A conv2d layer's backward pass on the NPU with its layout work there too: the driver writes
// the layer's input X (compute precision) and dZ, an Im2col program builds each group's
// im2col matrix in DRAM (with the bias gradient's row of ones), the weight-gradient GEMM
// multiplies dZ by it, the data-gradient GEMM multiplies the resident weights by the dZ already
// in DRAM, a Col2im program folds its product back into d loss / d X (FP32), and the driver
// reads the weight, bias and input gradients back. The same GEMMs and sums as
// gemm_layer_backward's (kernels/train/gemm_backward.h), so the same bits; a design whose
// buffers cannot hold one channel's planes for the layout programs gets gemm_layer_backward
// (im2col and col2im on the host).
#include <vector>

#include "kernels/train/training_device.h"
#include "sim/train/npu_programs.h"

namespace npu {

// Whether the layout programs of conv2d layer `layer` fit the design.
bool conv_layout_fits(const NpuConfig& config, const Graph& graph, int layer, Precision precision);

LayerGradients npu_conv_backward(Simulation& sim, NpuPrograms& programs, const Graph& graph, int layer,
                                 const std::vector<float>& x, const std::vector<float>& dz, const LayerParams& params);

// The layout programs' time alone for a timing-only estimate (booked under the weight- and
// data-gradient phases of `layer`), where they fit.
void time_conv_layout(Simulation& sim, NpuPrograms& programs, const Graph& graph, int layer);

}  // namespace npu
