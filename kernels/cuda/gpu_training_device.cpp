#include "kernels/cuda/gpu_training_device.h"

#include <fmt/format.h>

#include <limits>

#include "kernels/cuda/direct_conv_geometry.h"
#include "kernels/cuda/gpu_conv.h"
#include "kernels/cuda/gpu_conv_backward.h"
#include "kernels/cuda/gpu_loss.h"
#include "kernels/cuda/gpu_matrix.h"
#include "kernels/cuda/host_values.h"
#include "kernels/train/train_op.h"
#include "workloads/ops/op_def.h"

namespace npu {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

}  // namespace

GpuTrainingDevice::GpuTrainingDevice(ConvKernel kernel, TrainPrecision precision)
    : m_kernel(kernel), m_precision(precision) {
    if (!conv_kernel_supports(kernel, storage_precision(precision)))
        throw GpuError(fmt::format("the {} backend has no {} (tensor cores would round FP32 to TF32)",
                                   conv_kernel_name(kernel), train_precision_name(precision)));
}

// The layer's output after its fused activation, rounded to the compute precision.
std::vector<float> GpuTrainingDevice::conv_forward(const Graph& graph, int layer, const std::vector<float>& x,
                                                   const LayerParams& params) const {
    const Layer& l = graph.layers[size_t(layer)];
    const DirectConvShape s = direct_shape(ConvGeometry::from_layer(l, graph.layers[size_t(l.inputs[0])].output));
    const float lo = l.activation == Activation::None ? -kInf : 0.0f;
    const float hi = l.activation == Activation::Relu6 ? 6.0f : kInf;
    const std::vector<float> bias = params.bias.empty() ? std::vector<float>(size_t(s.f), 0.0f) : params.bias;
    GpuTiming once;
    once.timed_calls = 0;  // values only
    if (m_precision == TrainPrecision::Fp16)
        return decoded(gpu_conv_fp16(m_kernel, s, encoded<Half>(x, float_to_half),
                                     encoded<Half>(params.weight, float_to_half), bias, lo, hi, once),
                       half_to_float);
    if (m_precision == TrainPrecision::Bf16)
        return decoded(gpu_conv_bf16(m_kernel, s, encoded<Bf16>(x, float_to_bf16),
                                     encoded<Bf16>(params.weight, float_to_bf16), bias, lo, hi, once),
                       bf16_to_float);
    return gpu_conv_fp32(m_kernel, s, x, params.weight, bias, lo, hi, once);
}

void GpuTrainingDevice::forward(const Graph& graph, const std::vector<LayerParams>& params, TrainPrecision precision,
                                PassTensors& pass) {
    m_unused_grads.resize(graph.layers.size());
    for (size_t i = 1; i < graph.layers.size(); ++i) {
        const Layer& l = graph.layers[i];
        if (op_def(l.kind).unit == OpUnit::Array)
            pass.out[i] = conv_forward(graph, int(i), pass.out[size_t(l.inputs[0])], params[i]);
        else
            train_op(l.kind).forward({graph, int(i), pass, params[i], m_unused_grads[i], precision});
    }
}

// vendor: cuDNN's backward convolutions; the own backends: the GEMM decomposition the NPU runs.
LayerGradients GpuTrainingDevice::array_backward(const Graph& graph, int layer, const std::vector<float>& x,
                                                 const std::vector<float>& dz, const LayerParams& params) {
    if (m_kernel != ConvKernel::Vendor) return gemm_layer_backward(*this, graph, layer, x, dz, params);
    const Layer& l = graph.layers[size_t(layer)];
    const DirectConvShape s = direct_shape(ConvGeometry::from_layer(l, graph.layers[size_t(l.inputs[0])].output));
    ConvGradients g = cudnn_conv_backward(s, storage_precision(m_precision), x, params.weight, dz, !params.bias.empty(),
                                          l.inputs[0] != 0);
    return {std::move(g.weight), std::move(g.bias), std::move(g.input)};
}

HostMatrix GpuTrainingDevice::multiply(GradientGemm, int, const HostMatrix& a, bool transpose_a, const HostMatrix& b,
                                       bool transpose_b) {
    MatrixProduct s;
    s.m = transpose_a ? a.cols : a.rows;
    s.k = transpose_a ? a.rows : a.cols;
    s.n = transpose_b ? b.rows : b.cols;
    s.a_transposed = transpose_a, s.b_transposed = transpose_b;
    return {s.m, s.n, gpu_matrix_product(m_kernel, storage_precision(m_precision), s, a.values, b.values)};
}

bool GpuTrainingDevice::activation_gradient(const Graph& graph, int layer, const std::vector<float>& y,
                                            const std::vector<float>& dy, std::vector<float>& dz) {
    dz = gpu_activation_gradient(y, dy, graph.layers[size_t(layer)].activation);
    return true;
}

bool GpuTrainingDevice::loss(const std::vector<float>& logits, const int32_t* labels, int64_t batch, int64_t classes,
                             float scale, LossResult& out) {
    out = gpu_softmax_cross_entropy(logits, labels, batch, classes, scale);
    return true;
}

bool GpuTrainingDevice::check_gradients(const std::vector<LayerParams>&, const std::vector<LayerParams>& grads,
                                        const OptimizerConfig&, bool& finite) {
    finite = gpu_all_finite(grads);
    return true;
}

bool GpuTrainingDevice::apply_update(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                                     const OptimizerConfig& optimizer, double lr, int64_t update) {
    m_optimizer.apply(master, grads, optimizer, lr, update);
    return true;
}

}  // namespace npu
