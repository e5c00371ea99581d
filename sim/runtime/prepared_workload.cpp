#include "sim/runtime/prepared_workload.h"

#include "common/error.h"
#include "workloads/ir/float_model.h"

namespace npu {
namespace {

// N:M pruning's structure on the layers it pruned, for nm arrays to map them compressed.
void mark_nm(Graph& graph, const PruneSpec& prune) {
    if (prune.kind != PruneSpec::Kind::NM) return;
    for (Layer& l : graph.layers)
        if (prunable(l.kind)) l.weight_nm = NmPattern{prune.n, prune.m};
}

}  // namespace

PreparedWorkload prepare_workload(const Graph& source, Precision precision, bool functional, uint64_t seed,
                                  const PrepareProgress& progress, const PruneSpec& prune) {
    if (prune.kind == PruneSpec::Kind::Density && !functional)
        throw UsageError("--prune " + prune.describe() +
                         ": magnitude pruning needs the weights' values, which a timing-only run has none of; drop "
                         "--timing-only (N:M pruning needs none: its structure is known)");
    PreparedWorkload w;
    w.seed = seed;
    if (prune.active()) w.pruning = prune.describe();
    if (functional) {
        const auto report = [&](const char* phase, const Graph& g) {
            return progress ? std::function<void(int)>([&progress, phase, &g](int layer) { progress(phase, g, layer); })
                            : std::function<void(int)>();
        };
        FloatModel inference =
            prepare_for_inference(make_float_model(source, seed, report("generating weights", source)));
        prune_weights(inference, prune);
        mark_nm(inference.graph, prune);
        const char* phase = precision == Precision::Int8 ? "calibrating INT8" : "converting weights";
        w.model = quantize_model(inference, precision, report(phase, inference.graph));
        w.has_values = true;
    } else {
        w.model.precision = precision;
        w.model.graph = inference_graph(source).graph;
        mark_nm(w.model.graph, prune);
        w.model.layers.resize(w.model.graph.layers.size());
    }
    return w;
}

}  // namespace npu
