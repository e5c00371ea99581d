#include "sim/train/training_step_estimate.h"

#include "sim/train/npu_gemm.h"

namespace npu {

TrainingStepEstimate estimate_training_step(Simulation& simulation, const Graph& graph, Precision precision) {
    TrainingStepEstimate e;
    simulation.release_dram();
    const PreparedWorkload w = prepare_workload(graph, precision, false, 1);
    const CompiledModel compiled = simulation.compile(w);
    const double start = simulation.execute(compiled.program);
    const RunResult r = simulation.collect(w, compiled, start);
    e.forward_ns = simulation.now_ns() - start;
    e.forward_energy_pj = r.energy.total_pj();
    e.forward_macs = r.macs;
    e.forward_cycles = r.cycles;
    NpuGemm gemm(simulation, precision);
    for (size_t i = 1; i < graph.layers.size(); ++i)
        for (const BackwardGemm& b : backward_gemms(graph, int(i))) {
            gemm.set_phase(b.phase);
            gemm.time_only(b.m, b.k, b.n, b.transpose_a, b.transpose_b);
        }
    e.weight_gradient_ns = gemm.simulated_ns(GemmPhase::WeightGradient);
    e.data_gradient_ns = gemm.simulated_ns(GemmPhase::DataGradient);
    e.gradient_macs = gemm.macs();
    e.programs = 1 + gemm.programs();
    return e;
}

}  // namespace npu
