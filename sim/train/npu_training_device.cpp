#include "sim/train/npu_training_device.h"

#include <fmt/format.h>

#include "common/error.h"
#include "sim/train/forward_booking.h"
#include "sim/train/npu_layer_backward.h"
#include "workloads/ir/float_model.h"

namespace npu {

Precision npu_precision(TrainPrecision p) {
    if (p == TrainPrecision::Fp16) return Precision::Fp16;
    if (p == TrainPrecision::Bf16) return Precision::Bf16;
    return Precision::Fp32;
}

void require_npu_trainable(const Graph& graph) {
    for (size_t i = 0; i < graph.layers.size(); ++i)
        if (graph.layers[i].kind == LayerKind::BatchNorm)
            throw UnsupportedError(
                fmt::format("{}: batchnorm in training mode runs on the CPU reference only: use --device cpu, or "
                            "--timing-only for the NPU's step time",
                            graph.where(int(i))));
}

NpuTrainingDevice::NpuTrainingDevice(Simulation& simulation, Precision precision, const UpdateRule& rule)
    : m_sim(simulation),
      m_precision(precision),
      m_rule(rule),
      m_programs(simulation, precision),
      m_sgd(simulation, m_programs) {}

void NpuTrainingDevice::forward(const Graph& graph, const std::vector<LayerParams>& params, TrainPrecision,
                                PassTensors& pass) {
    // The step's weights as the model's own values; the input is overwritten with the batch.
    Graph g = graph;
    for (size_t i = 0; i < g.layers.size(); ++i) {
        g.layers[i].weights = params[i].weight;
        g.layers[i].bias_values = params[i].bias;
    }
    PreparedWorkload w = prepare_workload(g, m_precision, true, 1);
    HostTensor& in = w.model.inputs[0];
    for (int64_t k = 0; k < in.elements(); ++k) in.set_real(k, pass.out[0][size_t(k)]);
    // A fresh placement per step: the forward program's tensors, then the GEMMs' scratch.
    m_sim.release_dram();
    m_programs.reset();
    const CompiledModel compiled = m_sim.compile(w);
    m_sim.load(w.model, compiled);
    book_forward(m_programs, m_sim, graph, w, compiled);
    ++m_forward_programs;
    // Each training layer's value: the inference layer holding it (a fused relu's output is its
    // conv's, which gives the relu's backward pass the same mask).
    // The structure is the same every step: the map is found once per graph and batch.
    if (m_index_of.size() != g.layers.size() || m_index_batch != g.input().output.n) {
        m_index_of = inference_graph(g).index_of;
        m_index_batch = g.input().output.n;
    }
    for (size_t i = 1; i < g.layers.size(); ++i) {
        const HostTensor t = m_sim.read_tensor(compiled, w.model.graph, m_index_of[i]);
        pass.out[i].resize(size_t(t.elements()));
        for (int64_t k = 0; k < t.elements(); ++k) pass.out[i][size_t(k)] = t.value(k);
    }
}

LayerGradients NpuTrainingDevice::array_backward(const Graph& graph, int layer, const std::vector<float>& x,
                                                 const std::vector<float>& dz, const LayerParams& params) {
    return npu_layer_backward(m_programs, graph, layer, x, dz, params);
}

void NpuTrainingDevice::micro_batch_done(const Graph& graph) {
    m_programs.time_pass(loss_pass(graph));
    for (size_t i = graph.layers.size() - 1; i >= 1; --i)
        for (const VectorPass& p : layer_passes(graph, int(i))) m_programs.time_pass(p);
}

void NpuTrainingDevice::update_done(const Graph& graph, bool applied) {
    // The micro-batches' gradient sums always; the update's pass where the host ran it.
    const bool timed_update = applied && m_rule.optimizer != OptimizerKind::Sgd;
    for (size_t i = 1; i < graph.layers.size(); ++i)
        for (const VectorPass& p : update_passes(int(i), layer_params(graph, int(i)), m_rule))
            if (p.phase != TrainPhase::Update || timed_update) m_programs.time_pass(p);
}

bool NpuTrainingDevice::apply_update(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                                     const OptimizerConfig& optimizer, double lr) {
    if (optimizer.kind != OptimizerKind::Sgd) return false;
    m_sgd.apply(master, grads, optimizer, lr);
    return true;
}

}  // namespace npu
