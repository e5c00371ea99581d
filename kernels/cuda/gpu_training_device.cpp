#include "kernels/cuda/gpu_training_device.h"

#include <fmt/format.h>

#include "kernels/cuda/direct_conv_geometry.h"
#include "kernels/cuda/gpu_conv.h"
#include "kernels/cuda/gpu_conv_backward.h"
#include "kernels/cuda/gpu_loss.h"
#include "kernels/cuda/gpu_matrix.h"
#include "kernels/cuda/host_values.h"
#include "kernels/train/train_op.h"
#include "workloads/ops/op_def.h"

namespace npu {
namespace {}  // namespace

GpuTrainingDevice::GpuTrainingDevice(ConvKernel kernel, TrainPrecision precision)
    : m_kernel(kernel), m_precision(precision) {
    if (!conv_kernel_supports(kernel, storage_precision(precision)))
        throw GpuError(missing_precision(kernel, storage_precision(precision)));
}

// The layer's output after its fused activation, rounded to the compute precision.
std::vector<float> GpuTrainingDevice::conv_forward(const Graph& graph, int layer, const std::vector<float>& x,
                                                   const LayerParams& params) const {
    const Layer& l = graph.layers[size_t(layer)];
    const DirectConvShape s = direct_shape(ConvGeometry::from_layer(l, graph.layers[size_t(l.inputs[0])].output));
    const std::vector<float> bias = params.bias.empty() ? std::vector<float>(size_t(s.f), 0.0f) : params.bias;
    GpuTiming once;
    once.timed_calls = 0;  // values only
    return gpu_conv_float(m_kernel, storage_precision(m_precision), s, x, params.weight, bias,
                          activation_range(l.activation), once);
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

bool GpuTrainingDevice::check_gradients(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                                        const OptimizerConfig& optimizer, bool& finite) {
    finite = m_optimizer.gradients_finite(master, grads, optimizer);
    return true;
}

bool GpuTrainingDevice::apply_update(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                                     const OptimizerConfig& optimizer, double lr, int64_t update) {
    m_optimizer.apply(master, grads, optimizer, lr, update);
    return true;
}

}  // namespace npu
