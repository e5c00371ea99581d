#include "sim/runtime/prepared_workload.h"

#include "common/error.h"
#include "workloads/ir/float_model.h"

namespace npu {

PreparedWorkload prepare_workload(const Graph& source, Precision precision, bool functional, uint64_t seed,
                                  const PrepareProgress& progress, const PruneSpec& prune) {
    if (prune.active() && !functional)
        throw UsageError(
            "--prune needs the weights' values: a timing-only run has none (and the arrays' timing does "
            "not depend on them yet); drop --timing-only");
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
        const char* phase = precision == Precision::Int8 ? "calibrating INT8" : "converting weights";
        w.model = quantize_model(inference, precision, report(phase, inference.graph));
        w.has_values = true;
    } else {
        w.model.precision = precision;
        w.model.graph = inference_graph(source).graph;
        w.model.layers.resize(w.model.graph.layers.size());
    }
    return w;
}

}  // namespace npu
