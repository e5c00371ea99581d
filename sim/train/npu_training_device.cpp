#include "sim/train/npu_training_device.h"

#include "workloads/ir/float_model.h"

namespace npu {

Precision npu_precision(TrainPrecision p) {
    if (p == TrainPrecision::Fp16) return Precision::Fp16;
    if (p == TrainPrecision::Bf16) return Precision::Bf16;
    return Precision::Fp32;
}

NpuTrainingDevice::NpuTrainingDevice(Simulation& simulation, Precision precision)
    : m_sim(simulation), m_precision(precision), m_gemm(simulation, precision) {}

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
    m_gemm.reset();
    const CompiledModel compiled = m_sim.compile(w);
    m_sim.load(w.model, compiled);
    const double start = m_sim.execute(compiled.program);
    const RunResult r = m_sim.collect(w, compiled, start);
    m_time.forward_ns += m_sim.now_ns() - start;
    m_time.forward_energy_pj += r.energy.total_pj();
    m_time.forward_macs += r.macs;
    ++m_time.forward_programs;
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
    return npu_layer_backward(m_gemm, graph, layer, x, dz, params);
}

NpuTrainingTime NpuTrainingDevice::time() const {
    NpuTrainingTime t = m_time;
    t.gradient_ns = m_gemm.simulated_ns();
    t.weight_gradient_ns = m_gemm.simulated_ns(GemmPhase::WeightGradient);
    t.data_gradient_ns = m_gemm.simulated_ns(GemmPhase::DataGradient);
    t.gradient_programs = m_gemm.programs();
    t.gradient_macs = m_gemm.macs();
    return t;
}

}  // namespace npu
