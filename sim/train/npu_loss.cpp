#include "sim/train/npu_loss.h"

#include <fmt/format.h>

#include "sim/train/forward_booking.h"
#include "workloads/model_loader.h"

namespace npu {
namespace {

// batch x classes scores through a softmax over the classes.
Graph softmax_graph(int64_t batch, int64_t classes) {
    Graph g = parse_model_yaml(fmt::format("name: loss\ninput: {{channels: {}, height: 1, width: 1}}\nlayers:\n"
                                           "  - {{name: softmax, type: softmax}}\n",
                                           classes),
                               "loss");
    reshape_input(g, batch);
    return g;
}

}  // namespace

LossResult npu_softmax_cross_entropy(Simulation& sim, NpuPrograms& programs, Precision precision, int layer,
                                     const std::vector<float>& logits, const int32_t* labels, int64_t batch,
                                     int64_t classes, float scale) {
    const Graph g = softmax_graph(batch, classes);
    PreparedWorkload w = prepare_workload(g, precision, true, 1);
    HostTensor& in = w.model.inputs[0];
    for (int64_t k = 0; k < in.elements(); ++k) in.set_real(k, logits[size_t(k)]);
    const CompiledModel compiled = sim.compile(w, Simulation::Activations::InDram);
    sim.load(w.model, compiled);
    book_forward(programs, sim, g, w, compiled, {layer, layer});
    const HostTensor p = sim.read_tensor(compiled, w.model.graph, 1);
    std::vector<float> probabilities(size_t(p.elements())), onehot(probabilities.size(), 0.0f);
    for (int64_t k = 0; k < p.elements(); ++k) probabilities[size_t(k)] = p.value(k);
    for (int64_t n = 0; n < batch; ++n) onehot[size_t(n * classes + labels[n])] = 1.0f;
    // The loss value and the hits from the logits, as a driver logs them (log-sum-exp in double:
    // -log of a probability rounded to 1 would report 0 for any small loss).
    LossResult r = softmax_cross_entropy(logits, labels, batch, classes, scale);
    const double s = double(scale) / double(batch);
    r.dlogits =
        programs
            .compute(TrainPhase::Forward, layer, {&probabilities, &onehot}, 1, {{isa::VectorOp::Axpby, 0, 1, 2, s, -s}})
            .front();
    return r;
}

}  // namespace npu
