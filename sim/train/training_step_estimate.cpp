#include "sim/train/training_step_estimate.h"

#include "kernels/train/gemm_backward.h"
#include "sim/train/forward_booking.h"
#include "sim/train/npu_conv_backward.h"
#include "sim/train/npu_programs.h"

namespace npu {

TrainingStepEstimate estimate_training_step(Simulation& simulation, const Graph& graph, Precision precision,
                                            const UpdateRule& rule) {
    simulation.release_dram();
    const PreparedWorkload w = prepare_workload(graph, precision, false, 1);
    const CompiledModel compiled = simulation.compile(w, Simulation::Activations::InDram);
    TrainingStepEstimate e;
    e.forward_memory = memory_footprint(w.model.graph, compiled);
    NpuPrograms micro(simulation, precision);
    book_forward(micro, simulation, graph, w, compiled);
    micro.time_pass(loss_pass(graph));
    for (size_t i = graph.layers.size() - 1; i >= 1; --i) {  // in backward order
        for (const VectorPass& p : layer_passes(graph, int(i))) micro.time_pass(p);
        if (graph.layers[i].kind == LayerKind::Conv2d &&
            conv_layout_fits(simulation.config(), graph, int(i), precision))
            time_conv_layout(simulation, micro, graph, int(i));
        for (const BackwardGemm& b : backward_gemms(graph, int(i))) {
            micro.at(b.gemm == GradientGemm::Weight ? TrainPhase::WeightGradient : TrainPhase::DataGradient, int(i));
            micro.time_gemm(b.m, b.k, b.n, b.transpose_a, b.transpose_b);
        }
    }
    NpuPrograms update(simulation, precision);
    for (size_t i = 1; i < graph.layers.size(); ++i)
        for (const VectorPass& p : update_passes(int(i), layer_params(graph, int(i)), rule)) update.time_pass(p);
    for (int64_t k = 0; k < rule.accumulate; ++k) e.step.add(micro.ledger());
    e.step.add(update.ledger());
    e.programs_per_micro_batch = micro.programs();
    e.forward_macs = e.step.phase(TrainPhase::Forward).macs;
    e.gradient_macs = e.step.phase(TrainPhase::DataGradient).macs + e.step.phase(TrainPhase::WeightGradient).macs;
    return e;
}

}  // namespace npu
