#pragma once
// The CPU reference: whole-tensor operators on Eigen, independent of any tiling, used to check
// every other backend. INT8 results are bit-exact by construction of the numerics contract;
// float results (FP16, FP32) compute in FP32 and round on store.
#include <cstdint>
#include <vector>

#include "kernels/model/conv_geometry.h"
#include "kernels/model/host_tensor.h"
#include "kernels/numerics/int8.h"
#include "workloads/ir/layer.h"

namespace npu {

// Int32 accumulators (products plus bias), NCHW over the output shape. With zero points the
// products are (x - input_zero_point) * (w - weight_zero_point); padding contributes 0.
std::vector<int32_t> conv_accumulate_int8(const HostTensor& in, const ConvGeometry& g, const int8_t* weights,
                                          const int32_t* bias, int32_t input_zero_point = 0,
                                          int32_t weight_zero_point = 0);
// FP32 accumulators of float operands (weights already rounded to the run's precision).
std::vector<float> conv_accumulate_float(const HostTensor& in, const ConvGeometry& g, const float* weights,
                                         const float* bias);

// Per-output-channel requantization with a fused activation clamp.
HostTensor requantize_int8(const std::vector<int32_t>& acc, const Shape& shape,
                           const std::vector<QuantMultiplier>& per_channel, Int8Clamp clamp);
// ONNX's requantization (QLinearConv, QLinearMatMul): round_half_even(acc * scale[c]) + zero
// point, saturated to int8.
HostTensor requantize_onnx(const std::vector<int32_t>& acc, const Shape& shape, const std::vector<float>& per_channel,
                           int32_t zero_point);
HostTensor int32_tensor(const std::vector<int32_t>& acc, const Shape& shape);
// Activation, then rounding to the float precision.
HostTensor store_float(const std::vector<float>& acc, const Shape& shape, Activation act, Precision p);

HostTensor max_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w);
HostTensor avg_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w, bool count_include_pad);
HostTensor global_avg_pool(const HostTensor& in);
HostTensor add_int8(const HostTensor& a, const HostTensor& b, AddRescale r, Int8Clamp clamp);
HostTensor add_float(const HostTensor& a, const HostTensor& b, Activation act);
// INT8: clamp to [lo, hi] in the int8 domain; float: clamp to [min, max].
HostTensor clamp(const HostTensor& in, Int8Clamp int8_bounds, float min, float max);
HostTensor softmax(const HostTensor& in, const SoftmaxAttrs& attrs, float int8_scale);
// Layer norm over each pixel's channels with a per-channel scale and shift (vector_math.h);
// INT8: input at in_scale, output at out_scale.
HostTensor layer_norm(const HostTensor& in, float epsilon, float in_scale, float out_scale,
                      const std::vector<float>& gamma, const std::vector<float>& beta);
// Sigmoid, hard sigmoid, tanh: INT8 through the layer's table (unary_table), floats in FP32
// with the C library's functions (not vector_math's binary64 expression: the two paths may
// differ in the last bit, which the check rule allows).
HostTensor unary(const HostTensor& in, const UnaryAttrs& attrs, const std::vector<int8_t>& table);
// a * b, b equal in shape or N x C x 1 x 1 (one value per channel); INT8 rescaled once (mul_int8).
HostTensor multiply(const HostTensor& a, const HostTensor& b, QuantMultiplier m);
// Per-channel y = x * scale[c] + shift[c] (float precisions).
HostTensor channel_affine(const HostTensor& in, const std::vector<float>& scale, const std::vector<float>& shift);
// INT8: each input rescaled to the output scale (`rescale[k]`); float: copied.
HostTensor concat(const std::vector<const HostTensor*>& in, const Shape& out_shape, int axis,
                  const std::vector<QuantMultiplier>& rescale);
// The range [begin, end) of one axis, and ShuffleNet's channel shuffle (output channel
// j * groups + i is input channel i * (C / groups) + j): byte moves at the input's scale.
HostTensor slice(const HostTensor& in, const Shape& out_shape, const SliceAttrs& attrs);
HostTensor channel_shuffle(const HostTensor& in, int64_t groups);

}  // namespace npu
