#include "sim/runtime/prepared_workload.h"

#include "workloads/ir/float_model.h"

namespace npu {

PreparedWorkload prepare_workload(const Graph& source, Precision precision, bool functional, uint64_t seed,
                                  const PrepareProgress& progress) {
    PreparedWorkload w;
    w.seed = seed;
    if (functional) {
        const auto report = [&](const char* phase, const Graph& g) {
            return progress ? std::function<void(int)>([&progress, phase, &g](int layer) { progress(phase, g, layer); })
                            : std::function<void(int)>();
        };
        const FloatModel inference =
            prepare_for_inference(make_float_model(source, seed, report("generating weights", source)));
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
