#include "sim/runtime/prepared_workload.h"

#include "workloads/ir/float_model.h"

namespace npu {

PreparedWorkload prepare_workload(const Graph& source, Precision precision, bool functional, uint64_t seed) {
    PreparedWorkload w;
    w.seed = seed;
    if (functional) {
        w.model = quantize_model(prepare_for_inference(make_float_model(source, seed)), precision);
        w.has_values = true;
    } else {
        w.model.precision = precision;
        w.model.graph = inference_graph(source).graph;
        w.model.layers.resize(w.model.graph.layers.size());
    }
    return w;
}

}  // namespace npu
