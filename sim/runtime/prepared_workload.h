#pragma once
// The workload as the runtime needs it: the inference graph, its per-layer parameters and, in
// functional runs, weights and input. No SystemC here: tools that only compile (fuzz targets,
// the compiler tests) use it without elaborating an NPU.
#include <cstdint>
#include <functional>
#include <string>

#include "kernels/cpu/quantized_model.h"
#include "kernels/model/prepared_model.h"
#include "workloads/ir/pruning.h"

namespace npu {

struct PreparedWorkload {
    QuantModel model;
    bool has_values = false;
    uint64_t seed = 0;    // of the generated weights and inputs
    std::string pruning;  // PruneSpec::describe() of the pruning applied, empty without one
};

// Timing-only runs need only the inference graph; functional runs generate seeded weights and
// inputs, fold batchnorm, prune the conv/fc weights (`prune`, workloads/ir/pruning.h; after the
// fold, so the weights pruned are the ones the array multiplies) and calibrate INT8 scales.
// N:M pruning marks the layers it pruned (Layer::weight_nm), in timing-only runs too; magnitude
// pruning needs values: a timing-only one throws UsageError.
// `progress` (optional) hears of each layer done, phase by phase: "generating weights" (over
// the source graph's layers), then "calibrating INT8" or "converting weights" (over the
// inference graph's, given as its second argument).
using PrepareProgress = std::function<void(const char* phase, const Graph& graph, int layer)>;
PreparedWorkload prepare_workload(const Graph& source, Precision precision, bool functional, uint64_t seed,
                                  const PrepareProgress& progress = {}, const PruneSpec& prune = {});

}  // namespace npu
