#include "kernels/cuda/gpu_backend.h"

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <limits>

#include "kernels/cpu/ops/cpu_op.h"
#include "kernels/cuda/direct_conv_geometry.h"
#include "kernels/cuda/gpu_conv.h"
#include "kernels/cuda/gpu_ops.h"
#include "kernels/cuda/gpu_runtime.h"
#include "kernels/numerics/element.h"
#include "workloads/ir/graph.h"
#include "workloads/ir/kind_table.h"

namespace npu {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// A layer's call as the CPU op table sees it, with the convolution backend.
struct GpuCall : CpuOpCall {
    ConvKernel kernel;
};

struct GpuOp {
    LayerKind kind;
    HostTensor (*run)(const GpuCall& call);
};

template <class T>
HostTensor as_tensor(const std::vector<T>& v, const Shape& shape, Precision p) {
    HostTensor out = HostTensor::zeros(shape, p);
    std::memcpy(out.bytes.data(), v.data(), out.bytes.size());
    return out;
}

template <class T>
std::vector<T> elements_of(const HostTensor& t) {
    std::vector<T> out(static_cast<size_t>(t.elements()));
    std::memcpy(out.data(), t.bytes.data(), t.bytes.size());
    return out;
}

HostTensor weighted_int8(const GpuCall& c, const DirectConvShape& s) {
    const QuantLayer& q = c.quant();
    if (q.out_int32 || q.onnx_rounding || q.out_zero_point != 0 || q.weight_zero_point != 0 ||
        c.producer().out_zero_point != 0)
        throw GpuError(
            fmt::format("{}: imported asymmetric INT8 (zero points, ONNX rounding or int32 outputs) runs "
                        "on the CPU reference and the NPU, not on the GPU",
                        c.model.graph.where(c.index)));
    GpuTiming once;
    once.timed_calls = 0;  // values only
    const std::vector<int8_t> y =
        gpu_conv_int8(c.kernel, s, elements_of<int8_t>(c.in()), q.weight_q, q.bias_q, q.requant, q.clamp, once);
    return as_tensor(y, c.layer().output, Precision::Int8);
}

HostTensor run_weighted(const GpuCall& c) {
    const Layer& l = c.layer();
    const QuantLayer& q = c.quant();
    const DirectConvShape s = direct_shape(ConvGeometry::from_layer(l, c.in().shape));
    const Precision p = c.model.precision;
    if (p == Precision::Int8) return weighted_int8(c, s);
    if (!conv_kernel_supports(c.kernel, p))
        throw GpuError(c.model.graph.where(c.index) + ": " + missing_precision(c.kernel, p));
    GpuTiming once;
    once.timed_calls = 0;  // values only
    const std::vector<float> y =
        gpu_conv_float(c.kernel, p, s, decode_reals(c.in().bytes, size_t(c.in().elements()), p), q.weight_f, q.bias_f,
                       activation_range(l.activation), once);
    HostTensor out = HostTensor::zeros(l.output, p);
    for (size_t i = 0; i < y.size(); ++i) out.set_real(int64_t(i), y[i]);  // exact: y is in p already
    return out;
}

// Input, flatten and reshape are views: no arithmetic, the CPU op table's entries as they are.
HostTensor host_view(const GpuCall& c) { return cpu_op(c.layer().kind).run(c); }

HostTensor run_concat(const GpuCall& c) {
    std::vector<const HostTensor*> parts;
    for (int k : c.layer().inputs) parts.push_back(&c.outputs[size_t(k)]);
    return gpu_concat(parts, c.layer().output, c.layer().concat_axis, c.quant().input_rescale);
}

using GpuOpTable = std::array<GpuOp, kLayerKindCount>;

GpuOpTable build_table() {
    const GpuOpTable table = {{
        {LayerKind::Input, host_view},
        {LayerKind::Conv2d, run_weighted},
        {LayerKind::FullyConnected, run_weighted},
        {LayerKind::Relu, [](const GpuCall& c) { return gpu_clamp(c.in(), c.quant().clamp, 0.0f, kInf); }},
        {LayerKind::Relu6, [](const GpuCall& c) { return gpu_clamp(c.in(), c.quant().clamp, 0.0f, 6.0f); }},
        {LayerKind::MaxPool,
         [](const GpuCall& c) { return gpu_max_pool(c.in(), c.layer().output, c.layer().pool.window); }},
        {LayerKind::AvgPool,
         [](const GpuCall& c) {
             return gpu_avg_pool(c.in(), c.layer().output, c.layer().pool.window, c.layer().pool.count_include_pad);
         }},
        {LayerKind::GlobalAvgPool, [](const GpuCall& c) { return gpu_global_avg_pool(c.in()); }},
        {LayerKind::Add,
         [](const GpuCall& c) {
             return gpu_add(c.in(0), c.in(1), c.quant().add, c.quant().clamp, c.layer().activation);
         }},
        {LayerKind::BatchNorm,
         [](const GpuCall& c) { return gpu_channel_affine(c.in(), c.quant().weight_f, c.quant().bias_f); }},
        {LayerKind::Softmax,
         [](const GpuCall& c) { return gpu_softmax(c.in(), c.layer().softmax, c.producer().out_scale); }},
        {LayerKind::Flatten, host_view},
        {LayerKind::Clip,
         [](const GpuCall& c) { return gpu_clamp(c.in(), c.quant().clamp, c.layer().clip.min, c.layer().clip.max); }},
        {LayerKind::Concat, run_concat},
        {LayerKind::Unary, [](const GpuCall& c) { return gpu_unary(c.in(), c.layer().unary, c.quant().unary_table); }},
        {LayerKind::Mul, [](const GpuCall& c) { return gpu_multiply(c.in(0), c.in(1), c.quant().mul); }},
        {LayerKind::Slice, [](const GpuCall& c) { return gpu_slice(c.in(), c.layer().output, c.layer().slice); }},
        {LayerKind::ChannelShuffle,
         [](const GpuCall& c) { return gpu_channel_shuffle(c.in(), c.layer().shuffle_groups); }},
        {LayerKind::LayerNorm,
         [](const GpuCall& c) {
             return gpu_layer_norm(c.in(), c.layer().norm_epsilon, c.producer().out_scale, c.quant().out_scale,
                                   c.quant().weight_f, c.quant().bias_f);
         }},
        {LayerKind::Reshape, host_view},
    }};
    return require_kind_order(table, "GPU op table", [](const GpuOp& op) { return op.run != nullptr; });
}

}  // namespace

HostTensor GpuBackend::run_layer(const QuantModel& model, int index, const std::vector<HostTensor>& outputs) {
    static const GpuOpTable table = build_table();
    const GpuCall call{{model, index, outputs}, m_kernel};
    return table[size_t(model.graph.layers[size_t(index)].kind)].run(call);
}

}  // namespace npu
