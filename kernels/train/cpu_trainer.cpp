#include "kernels/train/cpu_trainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "kernels/train/gemm_order.h"
#include "kernels/train/loss.h"
#include "kernels/train/train_op.h"
#include "workloads/ir/float_model.h"
#include "workloads/model_loader.h"
#include "workloads/ops/op_def.h"

namespace npu {
Graph training_graph(const Graph& model) {
    Graph g = model;
    if (g.layers.size() > 1 && g.output().kind == LayerKind::Softmax) g.layers.pop_back();
    for (size_t i = 0; i < g.layers.size(); ++i)
        if (train_op(g.layers[i].kind).forward == nullptr)
            throw WorkloadError(fmt::format(
                "{}: {} layers are not supported in training{}", g.where(int(i)), kind_name(g.layers[i].kind),
                g.layers[i].kind == LayerKind::Softmax ? " (only as the final softmax of a classifier)"
                                                       : " (inference only, for now)"));
    const Shape out = g.output().output;
    if (out.h != 1 || out.w != 1 || out.c < 2)
        throw WorkloadError(fmt::format("{}: training needs class scores (N x classes x 1 x 1) last, got {}",
                                        g.where(int(g.layers.size()) - 1), out.str()));
    return g;
}

namespace {

void zero_all(std::vector<LayerParams>& params) {  // not scale_all(0): inf * 0 is NaN
    for (LayerParams& p : params) {
        std::fill(p.weight.begin(), p.weight.end(), 0.0f);
        std::fill(p.bias.begin(), p.bias.end(), 0.0f);
    }
}

void scale_all(std::vector<LayerParams>& params, float factor) {
    for (LayerParams& p : params) {
        for (float& v : p.weight) v *= factor;
        for (float& v : p.bias) v *= factor;
    }
}

bool all_finite(const std::vector<LayerParams>& params) {
    for (const LayerParams& p : params) {
        for (float v : p.weight)
            if (!std::isfinite(v)) return false;
        for (float v : p.bias)
            if (!std::isfinite(v)) return false;
    }
    return true;
}

}  // namespace

std::vector<LayerParams> initial_params(const Graph& graph, uint64_t seed) {
    const FloatModel fm = make_float_model(graph, seed);
    std::vector<LayerParams> params(graph.layers.size());
    for (size_t i = 0; i < graph.layers.size(); ++i) {
        const Layer& l = graph.layers[i];
        if (l.kind == LayerKind::BatchNorm) {
            // Given scale and shift become gamma and beta over unit statistics (the same map);
            // else PyTorch's start: gamma 1, beta 0.
            const size_t channels = size_t(l.output.c);
            params[i].weight = l.weights.empty() ? std::vector<float>(channels, 1.0f) : l.weights;
            params[i].bias = l.bias_values.empty() ? std::vector<float>(channels, 0.0f) : l.bias_values;
            params[i].running_mean.assign(channels, 0.0f);
            params[i].running_var.assign(channels, 1.0f);
            continue;
        }
        if (l.kind != LayerKind::Conv2d && l.kind != LayerKind::FullyConnected) continue;
        params[i].weight = fm.tensors[i].weight;
        const bool bias = l.kind == LayerKind::Conv2d ? l.conv.bias : l.fc.bias;
        if (bias) params[i].bias = fm.tensors[i].bias;
    }
    return params;
}

std::vector<LayerTensors> trained_tensors(const CpuTrainer& trainer, const Graph& model) {
    std::vector<LayerTensors> out(model.layers.size());
    for (size_t i = 0; i < trainer.master().size() && i < out.size(); ++i) {
        const LayerParams& p = trainer.master()[i];
        out[i].weight = p.weight;
        out[i].bias = p.bias;
        if (model.layers[i].kind != LayerKind::BatchNorm) continue;
        for (size_t c = 0; c < p.weight.size(); ++c) {  // the inference form: scale and shift
            const float scale = p.weight[c] / std::sqrt(p.running_var[c] + kBatchNormEps);
            out[i].weight[c] = scale;
            out[i].bias[c] = p.bias[c] - p.running_mean[c] * scale;
        }
    }
    return out;
}

CpuTrainer::CpuTrainer(const Graph& model, const TrainerConfig& config)
    : m_config(config),
      m_graph(training_graph(model)),
      m_master(initial_params(m_graph, config.seed)),
      m_optimizer(config.optimizer, m_master),
      m_scaler(config.loss_scaling, config.precision == TrainPrecision::Fp16) {
    if (config.micro_batch < 1) throw UsageError(fmt::format("--batch: must be >= 1, got {}", config.micro_batch));
    if (config.accumulate < 1) throw UsageError(fmt::format("--accumulate: must be >= 1, got {}", config.accumulate));
    m_grads = m_master;
    for (LayerParams& g : m_grads) g.running_mean.clear(), g.running_var.clear();
}

Graph& CpuTrainer::graph_for(int64_t n) {
    if (m_graph.input().output.n != n) reshape_input(m_graph, n);
    return m_graph;
}

void CpuTrainer::round_params() {
    m_compute = m_master;
    for (LayerParams& p : m_compute)
        for (float& w : p.weight) w = round_compute(w, m_config.precision);  // biases stay FP32
}

const std::vector<float>& CpuTrainer::forward(const float* images, int64_t n, bool on_device, bool training) {
    const Graph& g = graph_for(n);
    const size_t layers = g.layers.size();
    m_pass.out.resize(layers);
    m_pass.grad.resize(layers);
    m_pass.argmax.resize(layers);
    m_pass.batch_stats.resize(layers);
    const int64_t per_image = g.input().output.per_image();
    m_pass.out[0].resize(size_t(n * per_image));
    for (size_t k = 0; k < m_pass.out[0].size(); ++k) m_pass.out[0][k] = round_compute(images[k], m_config.precision);
    if (on_device) {
        m_device->forward(g, m_compute, m_config.precision, m_pass);
        // Max pools: which input each output took, for the backward pass (the values are the same).
        for (size_t i = 1; i < layers; ++i)
            if (g.layers[i].kind == LayerKind::MaxPool)
                train_op(g.layers[i].kind).forward({g, int(i), m_pass, m_compute[i], m_grads[i], m_config.precision});
        return m_pass.out.back();
    }
    for (size_t i = 1; i < layers; ++i)
        train_op(g.layers[i].kind)
            .forward({g, int(i), m_pass, m_compute[i], m_grads[i], m_config.precision, training, m_config.sum_order});
    return m_pass.out.back();
}

void CpuTrainer::update_running_stats() {
    for (size_t i = 0; i < m_graph.layers.size(); ++i) {
        if (m_graph.layers[i].kind != LayerKind::BatchNorm) continue;
        const Shape s = m_graph.layers[size_t(m_graph.layers[i].inputs[0])].output;
        const double m = double(s.n * s.h * s.w);
        const std::vector<float>& stats = m_pass.batch_stats[i];
        LayerParams& p = m_master[i];
        for (int64_t c = 0; c < s.c; ++c) {
            const double inv_std = stats[size_t(s.c + c)];
            const double var = 1.0 / (inv_std * inv_std) - kBatchNormEps;
            const double unbiased = m > 1.0 ? var * m / (m - 1.0) : var;  // as PyTorch keeps it
            float& mean = p.running_mean[size_t(c)];
            float& running_var = p.running_var[size_t(c)];
            mean = float((1.0 - kBatchNormMomentum) * mean + kBatchNormMomentum * stats[size_t(c)]);
            running_var = float((1.0 - kBatchNormMomentum) * running_var + kBatchNormMomentum * unbiased);
        }
    }
}

void CpuTrainer::backward(const std::vector<float>& dlogits) {
    const Graph& g = m_graph;
    for (size_t i = 0; i < g.layers.size(); ++i) m_pass.grad[i].assign(m_pass.out[i].size(), 0.0f);
    add_rounded(m_pass.grad.back(), dlogits, m_config.precision);
    for (size_t i = g.layers.size() - 1; i >= 1; --i) {
        if ((m_device || m_config.sum_order) && op_def(g.layers[i].kind).unit == OpUnit::Array)
            array_backward_as_gemms(int(i));
        else if (!m_device || !m_device->vector_backward(g, int(i), m_pass, m_compute[i], m_grads[i]))
            train_op(g.layers[i].kind).backward({g, int(i), m_pass, m_compute[i], m_grads[i], m_config.precision});
    }
}

void CpuTrainer::array_backward_as_gemms(int i) {
    const Layer& l = m_graph.layers[size_t(i)];
    const std::vector<float>& y = m_pass.out[size_t(i)];
    const std::vector<float>& dy = m_pass.grad[size_t(i)];
    std::vector<float> dz(dy.size());  // stored in the compute precision, as the CPU op does
    if (l.activation == Activation::None || !m_device || !m_device->activation_gradient(m_graph, i, y, dy, dz))
        for (size_t k = 0; k < dz.size(); ++k)
            dz[k] = round_compute(activation_grad(y[k], dy[k], l.activation), m_config.precision);
    const std::vector<float>& x = m_pass.out[size_t(l.inputs[0])];
    LayerGradients r;
    if (m_device) {
        r = m_device->array_backward(m_graph, i, x, dz, m_compute[size_t(i)]);
    } else {  // the host in sum_order
        OrderedMultiplier host(*m_config.sum_order, m_config.precision);
        r = gemm_layer_backward(host, m_graph, i, x, dz, m_compute[size_t(i)]);
    }
    LayerParams& g = m_grads[size_t(i)];
    for (size_t k = 0; k < g.weight.size(); ++k) g.weight[k] += r.weight[k];
    for (size_t k = 0; k < g.bias.size(); ++k) g.bias[k] += r.bias[k];
    if (!r.input.empty()) add_rounded(m_pass.grad[size_t(l.inputs[0])], r.input, m_config.precision);
}

StepResult CpuTrainer::step(const float* images, const int32_t* labels) {
    const int64_t b = m_config.micro_batch, k = m_config.accumulate;
    round_params();
    zero_all(m_grads);
    StepResult r;
    r.loss_scale = m_scaler.scale();
    r.lr = m_optimizer.lr_at(m_updates);
    const int64_t per_image = m_graph.input().output.per_image();
    for (int64_t micro = 0; micro < k; ++micro) {
        const std::vector<float>& logits = forward(images + micro * b * per_image, b, m_device != nullptr, true);
        update_running_stats();
        LossResult loss;
        if (!m_device || !m_device->loss(logits, labels + micro * b, b, classes(), r.loss_scale, loss))
            loss = m_config.sum_order ? softmax_cross_entropy_vector(logits, labels + micro * b, b, classes(),
                                                                     r.loss_scale, m_config.precision)
                                      : softmax_cross_entropy(logits, labels + micro * b, b, classes(), r.loss_scale);
        r.loss += loss.loss / double(k);
        r.correct += loss.correct;
        backward(loss.dlogits);
        if (m_device) m_device->micro_batch_done(m_graph);
    }
    scale_all(m_grads, 1.0f / (r.loss_scale * float(k)));
    bool finite = true;
    if (!m_device || !m_device->check_gradients(m_master, m_grads, m_config.optimizer, finite))
        finite = all_finite(m_grads);
    r.skipped = !m_scaler.update(!finite);
    if (!r.skipped) {
        const bool on_device =
            m_device && m_device->apply_update(m_master, m_grads, m_config.optimizer, r.lr, m_updates);
        if (!on_device) m_optimizer.apply(m_master, m_grads, m_updates);
        ++m_updates;
    }
    if (m_device) m_device->update_done(m_graph, !r.skipped);
    return r;
}

EvalResult CpuTrainer::evaluate(const float* images, const int32_t* labels, int64_t count) {
    round_params();
    EvalResult r;
    int64_t correct = 0;
    const int64_t per_image = m_graph.input().output.per_image();
    for (int64_t start = 0; start < count; start += m_config.micro_batch) {
        const int64_t n = std::min(m_config.micro_batch, count - start);
        // The oracle judges the trained weights, whatever device trained them.
        const std::vector<float>& logits = forward(images + start * per_image, n, false, false);
        const LossResult loss = softmax_cross_entropy(logits, labels + start, n, classes());
        r.loss += loss.loss * double(n);
        correct += loss.correct;
    }
    r.loss /= double(count);
    r.accuracy = double(correct) / double(count);
    return r;
}

}  // namespace npu

namespace npu {

double CpuTrainer::batch_loss(const float* images, const int32_t* labels) {
    round_params();
    const int64_t b = m_config.micro_batch, per_image = m_graph.input().output.per_image();
    double loss = 0.0;
    for (int64_t micro = 0; micro < m_config.accumulate; ++micro) {
        const std::vector<float>& logits = forward(images + micro * b * per_image, b, false, true);
        loss += softmax_cross_entropy(logits, labels + micro * b, b, classes()).loss / double(m_config.accumulate);
    }
    return loss;
}

}  // namespace npu
