#include "sim/train/npu_training_device.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "kernels/train/gemm_backward.h"
#include "kernels/train/train_op.h"
#include "sim/compiler/lower_channel_stats.h"
#include "sim/train/forward_booking.h"
#include "sim/train/npu_batchnorm_backward.h"
#include "sim/train/npu_conv_backward.h"
#include "sim/train/npu_loss.h"
#include "sim/train/npu_vector_backward.h"
#include "workloads/ir/float_model.h"

namespace npu {

NpuTrainingDevice::NpuTrainingDevice(Simulation& simulation, Precision precision, const UpdateRule& rule)
    : m_sim(simulation),
      m_precision(precision),
      m_rule(rule),
      m_programs(simulation, precision),
      m_optimizer(simulation, m_programs) {}

void NpuTrainingDevice::forward(const Graph& graph, const std::vector<LayerParams>& params, TrainPrecision,
                                PassTensors& pass) {
    // The optimizer's resident state first (placed once, before anything of a step), then the
    // segments and their value maps, kept from step to step (same graph and batch).
    if (!m_state_placed) {
        m_optimizer.place(params, m_rule.optimizer == OptimizerKind::Adam);
        m_state_placed = true;
    }
    if (m_segments.empty() || m_segments_batch != graph.input().output.n) {
        m_segments = forward_segments(graph);
        m_compiled.clear();
        m_index_of.clear();
        for (const ForwardSegment& s : m_segments) m_index_of.push_back(inference_graph(s.graph).index_of);
        m_segments_batch = graph.input().output.n;
    }
    // The same placement every step, after the resident optimizer state: the forward programs'
    // tensors (compiled at the first step, their places taken again at the later ones), then
    // the GEMMs' scratch.
    m_sim.release_dram();
    m_programs.reset();
    m_logits_layer = int(graph.layers.size()) - 1;
    for (size_t k = 0; k < m_segments.size(); ++k) run_segment(k, graph, m_segments[k], m_index_of[k], params, pass);
}

// A segment's program depends on its shapes and its places, not on the step's values: compiled
// once, as a driver compiles a training graph once; the later steps take the same region again.
// Its conv and fc weights the driver writes once, when compiled; from then on the update's
// compute copies keep them (set_compute_copy), and the data-gradient GEMMs read them in place.
const CompiledModel& NpuTrainingDevice::compiled_segment(size_t k, const ForwardSegment& s,
                                                         const std::vector<int>& index_of,
                                                         const std::vector<LayerParams>& params,
                                                         const PreparedWorkload& w) {
    if (k < m_compiled.size() && m_sim.dram_end() == m_compiled[k].dram.base_address) {
        const DramPlan& plan = m_compiled[k].dram;
        m_sim.allocate_dram(plan.total_bytes - plan.base_address);
        m_sim.load(w.model, m_compiled[k], m_resident[k]);
        return m_compiled[k];
    }
    // The first step, or a new batch size: new places.
    m_compiled.resize(std::max(m_compiled.size(), k + 1));
    m_resident.resize(m_compiled.size());
    m_compiled[k] = m_sim.compile(w, Simulation::Activations::InDram);
    const DramPlan& plan = m_compiled[k].dram;
    if (m_sim.dram_end() != plan.total_bytes) throw std::logic_error("a training segment placed more than its plan");
    m_sim.load(w.model, m_compiled[k]);
    m_resident[k].assign(w.model.graph.layers.size(), false);
    for (size_t i = size_t(s.first_computed); i < s.graph.layers.size(); ++i) {
        const LayerKind kind = s.graph.layers[i].kind;
        if (kind != LayerKind::Conv2d && kind != LayerKind::FullyConnected) continue;
        const int t = s.source[i];
        const size_t j = size_t(index_of[i]);
        m_resident[k][j] = true;
        m_optimizer.set_compute_copy(t, false, plan.weight_address[j], m_precision);
        m_programs.set_resident_weights(t, plan.weight_address[j]);
        // The biases are word 0 of the layer's channel records (FP32, as the master values).
        if (!params[size_t(t)].bias.empty())
            m_optimizer.set_compute_copy(t, true, plan.param_address[j], Precision::Fp32,
                                         isa::kChannelParamBytes / int64_t(sizeof(float)));
    }
    return m_compiled[k];
}

std::vector<float> NpuTrainingDevice::batch_statistics(int layer, const std::vector<float>& x, const Shape& s) {
    if (channel_stats_tile(m_sim.config(), s, m_precision) == 0) return batchnorm_batch_stats(x, s);  // on the host
    m_ran.resize(size_t(layer) + 1, false);
    m_ran[size_t(layer)] = true;
    return m_programs.round_trip(
        TrainPhase::Forward, layer, {&x}, 2 * s.c,
        [&](const std::vector<uint64_t>& at, uint64_t out, ProgramBuilder& builder) {
            lower_channel_stats(m_sim.config(), at[0], s, out, double(kBatchNormEps), m_precision, builder);
        },
        true);
}

void NpuTrainingDevice::run_segment(size_t k, const Graph& graph, const ForwardSegment& s,
                                    const std::vector<int>& index_of, const std::vector<LayerParams>& params,
                                    PassTensors& pass) {
    // The step's weights as the model's own values; a batchnorm as the scale and shift of its
    // batch's statistics (its input was read back by an earlier segment).
    Graph g = s.graph;
    for (size_t i = size_t(s.first_computed); i < g.layers.size(); ++i) {
        const int t = s.source[i];
        Layer& l = g.layers[i];
        if (l.kind != LayerKind::BatchNorm) {
            l.weights = params[size_t(t)].weight;
            l.bias_values = params[size_t(t)].bias;
            continue;
        }
        const int in = graph.layers[size_t(t)].inputs[0];
        std::vector<float>& stats = pass.batch_stats[size_t(t)];
        stats = batch_statistics(t, pass.out[size_t(in)], graph.layers[size_t(in)].output);
        const int64_t channels = l.output.c;
        l.weights.resize(size_t(channels));
        l.bias_values.resize(size_t(channels));
        for (int64_t c = 0; c < channels; ++c) {
            const float scale = params[size_t(t)].weight[size_t(c)] * stats[size_t(channels + c)];
            l.weights[size_t(c)] = scale;
            l.bias_values[size_t(c)] = params[size_t(t)].bias[size_t(c)] - stats[size_t(c)] * scale;
        }
    }
    PreparedWorkload w = prepare_workload(g, m_precision, true, 1);
    for (int i = 0; i < s.first_computed; ++i) {
        HostTensor& in = w.model.inputs[size_t(i)];
        const std::vector<float>& values = pass.out[size_t(s.source[size_t(i)])];
        for (int64_t k = 0; k < in.elements(); ++k) in.set_real(k, values[size_t(k)]);
    }
    const CompiledModel& compiled = compiled_segment(k, s, index_of, params, w);
    book_forward(m_programs, m_sim, g, w, compiled, s.source);
    ++m_forward_programs;
    // Each computed layer's value: the inference layer holding it (a fused relu's output is its
    // conv's, which gives the relu's backward pass the same mask).
    for (size_t i = size_t(s.first_computed); i < g.layers.size(); ++i) {
        const HostTensor t = m_sim.read_tensor(compiled, w.model.graph, index_of[i]);
        std::vector<float>& out = pass.out[size_t(s.source[i])];
        out.resize(size_t(t.elements()));
        for (int64_t k = 0; k < t.elements(); ++k) out[size_t(k)] = t.value(k);
    }
}

LayerGradients NpuTrainingDevice::array_backward(const Graph& graph, int layer, const std::vector<float>& x,
                                                 const std::vector<float>& dz, const LayerParams& params) {
    // A conv2d's im2col and col2im on the vector unit where they fit, else on the host.
    if (graph.layers[size_t(layer)].kind == LayerKind::Conv2d &&
        conv_layout_fits(m_sim.config(), graph, layer, m_precision))
        return npu_conv_backward(m_sim, m_programs, graph, layer, x, dz, params);
    return gemm_layer_backward(m_programs, graph, layer, x, dz, params);
}

bool NpuTrainingDevice::vector_backward(const Graph& graph, int layer, PassTensors& pass, const LayerParams& params,
                                        LayerParams& grads) {
    const bool done = graph.layers[size_t(layer)].kind == LayerKind::BatchNorm
                          ? npu_batchnorm_backward(m_sim, m_programs, graph, layer, pass, params, grads)
                          : npu_vector_backward(m_programs, graph, layer, pass);
    if (!done) return false;
    m_masked.resize(graph.layers.size(), false);
    m_masked[size_t(layer)] = true;
    return true;
}

bool NpuTrainingDevice::activation_gradient(const Graph& graph, int layer, const std::vector<float>& y,
                                            const std::vector<float>& dy, std::vector<float>& dz) {
    dz = npu_activation_gradient(m_programs, graph, layer, y, dy);
    m_masked.resize(graph.layers.size(), false);
    m_masked[size_t(layer)] = true;
    return true;
}

bool NpuTrainingDevice::loss(const std::vector<float>& logits, const int32_t* labels, int64_t batch, int64_t classes,
                             float scale, LossResult& out) {
    out = npu_softmax_cross_entropy(m_sim, m_programs, m_precision, m_logits_layer, logits, labels, batch, classes,
                                    scale);
    return true;
}

void NpuTrainingDevice::micro_batch_done(const Graph& graph) {
    // The host's share, timed: what no program of this micro-batch did (the loss ran as programs).
    m_masked.resize(graph.layers.size(), false);
    for (size_t i = graph.layers.size() - 1; i >= 1; --i)
        for (const VectorPass& p : layer_passes(graph, int(i))) {
            const bool ran = p.work == VectorWork::Mask || p.work == VectorWork::Pool ||
                             p.work == VectorWork::BatchNormSums ||
                             p.work == VectorWork::BatchNormGrad;  // when m_masked
            const bool stats = p.work == VectorWork::BatchNormStats && i < m_ran.size() && m_ran[i];
            const bool done = p.work == VectorWork::BatchNormNormalize || stats || (ran && m_masked[i]);
            if (!done) m_programs.time_pass(p);
        }
    m_masked.assign(graph.layers.size(), false);
    m_ran.assign(graph.layers.size(), false);
}

void NpuTrainingDevice::update_done(const Graph& graph, bool) {
    // The micro-batches' gradient sums (the host's); the update itself ran as programs.
    for (size_t i = 1; i < graph.layers.size(); ++i)
        for (const VectorPass& p : update_passes(int(i), layer_params(graph, int(i)), m_rule))
            if (p.work != VectorWork::Update) m_programs.time_pass(p);
}

bool NpuTrainingDevice::check_gradients(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                                        const OptimizerConfig& optimizer, bool& finite) {
    finite = m_optimizer.gradients_finite(master, grads, optimizer);
    return true;
}

bool NpuTrainingDevice::apply_update(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                                     const OptimizerConfig& optimizer, double lr, int64_t update) {
    m_optimizer.apply(master, grads, optimizer, lr, update);
    return true;
}

}  // namespace npu
