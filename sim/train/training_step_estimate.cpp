#include "sim/train/training_step_estimate.h"

#include "kernels/model/conv_geometry.h"
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
    for (size_t i = 1; i < graph.layers.size(); ++i) {
        const Layer& l = graph.layers[i];
        const Shape in = graph.layers[size_t(l.inputs[0])].output;
        if (l.kind == LayerKind::FullyConnected) {
            const int64_t n = in.n, features = in.per_image(), outs = l.fc.out_features;
            e.weight_gradient_ns += gemm.time_only(outs, n, features, true, false);                       // dZ^T X
            if (l.inputs[0] != 0) e.data_gradient_ns += gemm.time_only(n, outs, features, false, false);  // dZ W
        } else if (l.kind == LayerKind::Conv2d) {
            const ConvGeometry g = ConvGeometry::from_layer(l, in);
            const int64_t columns = g.input.n * g.output.h * g.output.w;
            for (int64_t group = 0; group < g.groups; ++group) {
                e.weight_gradient_ns += gemm.time_only(g.out_per_group(), columns, g.k_per_group(), false, true);
                // The first layer's input gradient is not needed.
                if (l.inputs[0] != 0)
                    e.data_gradient_ns += gemm.time_only(g.k_per_group(), g.out_per_group(), columns, true, false);
            }
        }
    }
    e.gradient_macs = gemm.macs();
    e.programs = 1 + gemm.programs();
    return e;
}

}  // namespace npu
