#pragma once
// The non-convolution ops on the GPU, with the signatures of their CPU reference counterparts
// (kernels/cpu/reference_ops.h): each uploads its inputs, runs one kernel over vector_ops.h's
// arithmetic (one thread per output element, or per softmax row), and downloads the result.
// One kernel per op serves every backend: the backends differ in their convolutions and GEMMs.
#include <vector>

#include "common/op_attributes.h"
#include "kernels/model/host_tensor.h"
#include "kernels/numerics/int8.h"

namespace npu {

HostTensor gpu_max_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w);
HostTensor gpu_avg_pool(const HostTensor& in, const Shape& out_shape, const Window2d& w, bool count_include_pad);
HostTensor gpu_global_avg_pool(const HostTensor& in);
// INT8: rescaled by `r`, clamped to `clamp`; floats: the fused activation `act`.
HostTensor gpu_add(const HostTensor& a, const HostTensor& b, AddRescale r, Int8Clamp clamp, Activation act);
HostTensor gpu_clamp(const HostTensor& in, Int8Clamp int8_bounds, float min, float max);
HostTensor gpu_softmax(const HostTensor& in, const SoftmaxAttrs& attrs, float int8_scale);
// One thread per pixel: its channels normalized, then gamma and beta per channel.
HostTensor gpu_layer_norm(const HostTensor& in, float epsilon, float in_scale, float out_scale,
                          const std::vector<float>& gamma, const std::vector<float>& beta);
HostTensor gpu_unary(const HostTensor& in, const UnaryAttrs& attrs, const std::vector<int8_t>& table);
// b equal in shape to a, or N x C x 1 x 1 (one value per channel).
HostTensor gpu_multiply(const HostTensor& a, const HostTensor& b, QuantMultiplier m);
HostTensor gpu_channel_affine(const HostTensor& in, const std::vector<float>& scale, const std::vector<float>& shift);
HostTensor gpu_slice(const HostTensor& in, const Shape& out_shape, const SliceAttrs& slice);
HostTensor gpu_channel_shuffle(const HostTensor& in, int64_t groups);
HostTensor gpu_concat(const std::vector<const HostTensor*>& in, const Shape& out_shape, int axis,
                      const std::vector<QuantMultiplier>& rescale);

}  // namespace npu
