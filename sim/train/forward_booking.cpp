#include "sim/train/forward_booking.h"

#include "workloads/ir/float_model.h"

namespace npu {

RunResult book_forward(NpuPrograms& programs, Simulation& simulation, const Graph& graph, const PreparedWorkload& w,
                       const CompiledModel& compiled, const std::vector<int>& source) {
    const double start = simulation.execute(compiled.program);
    const RunResult r = simulation.collect(w, compiled, start);
    // The inference graph folds batchnorm and fuses relu: each of its layers is booked under the
    // training layer it came from.
    const std::vector<int> origin = inference_graph(graph).origin;
    const NpuConfig& c = simulation.config();
    int64_t count = 1;
    for (const LayerResult& lr : r.layers) {
        ProgramTotals t;
        t.cycles = lr.cycles;
        t.ns = c.clock().ns(lr.cycles);
        t.macs = lr.macs;
        (lr.unit == "array" ? t.array_busy_cycles : t.vector_busy_cycles) = lr.compute_cycles;
        t.dram_read_bytes = lr.dram_read_bytes;
        t.dram_write_bytes = lr.dram_write_bytes;
        t.energy = lr.energy;
        const int layer = origin[size_t(lr.graph_index)];
        programs.book(TrainPhase::Forward, source.empty() ? layer : source[size_t(layer)], t, count);
        count = 0;  // one program, many layers
    }
    return r;
}

}  // namespace npu
