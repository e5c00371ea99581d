#pragma once
// The CPU reference: whole-tensor operators on Eigen, independent of any tiling, used to check
// every other backend. INT8 results are bit-exact by construction of the numerics contract.
#include <cstdint>
#include <vector>

#include "kernels/cpu/host_tensor.h"
#include "kernels/numerics/int8.h"
#include "workloads/ir/layer.h"

namespace npu {

// A convolution seen as a GEMM per group; fully connected layers are 1x1 convolutions on an
// N x (C*H*W) x 1 x 1 input.
struct ConvGeometry {
    Shape input;
    Shape output;
    int64_t groups = 1;
    Window2d window;

    static ConvGeometry from_layer(const Layer& layer, const Shape& input);
    int64_t in_per_group() const { return input.c / groups; }
    int64_t out_per_group() const { return output.c / groups; }
    int64_t k_per_group() const { return in_per_group() * window.kernel_h * window.kernel_w; }
};

// Int32 accumulators (products plus bias), NCHW over the output shape.
std::vector<int32_t> conv_accumulate_int8(const HostTensor& in, const ConvGeometry& g,
                                          const int8_t* weights, const int32_t* bias);
// FP32 accumulators of FP16 operands (products exact in FP32) plus bias.
std::vector<float> conv_accumulate_fp16(const HostTensor& in, const ConvGeometry& g,
                                        const Half* weights, const float* bias);

// Per-output-channel requantization with a fused activation clamp.
HostTensor requantize_int8(const std::vector<int32_t>& acc, const Shape& shape,
                           const std::vector<QuantMultiplier>& per_channel, Int8Clamp clamp);
HostTensor round_fp16(const std::vector<float>& acc, const Shape& shape, Activation act);

HostTensor max_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w);
HostTensor avg_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w,
                    bool count_include_pad);
HostTensor global_avg_pool(const HostTensor& in);
HostTensor add_int8(const HostTensor& a, const HostTensor& b, AddRescale r, Int8Clamp clamp);
HostTensor add_fp16(const HostTensor& a, const HostTensor& b, Activation act);
HostTensor relu(const HostTensor& in, Int8Clamp int8_clamp, Activation fp16_act);
HostTensor softmax(const HostTensor& in, float int8_scale);

}  // namespace npu
