#pragma once
// A convolution's gradients on the GPU through cuDNN (the vendor backend's training): the weight
// gradient by cudnnConvolutionBackwardFilter, the input gradient by
// cudnnConvolutionBackwardData where asked, the bias gradient as the sum of dz over the batch
// and the pixels (on the host, as the GEMM decomposition sums it: FP32 in image, row, column
// order). Operands and results stored in the float precision p, FP32 sums. An fc layer is a 1x1
// convolution of a 1x1 image.
#include <vector>

#include "kernels/cuda/direct_conv.h"
#include "kernels/numerics/precision.h"

namespace npu {

struct ConvGradients {
    std::vector<float> weight, bias, input;  // bias, input: empty unless asked
};

// x: the layer's input (NCHW), w: its weights, dz: d loss / d its output before the activation.
ConvGradients cudnn_conv_backward(const DirectConvShape& s, Precision p, const std::vector<float>& x,
                                  const std::vector<float>& w, const std::vector<float>& dz, bool bias, bool input);

}  // namespace npu
