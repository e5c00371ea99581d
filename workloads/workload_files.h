#pragma once
// Loading a workload by file type: npusim model YAML, ONNX, SCALE-Sim topology CSV.
#include <string>

#include "common/limits.h"
#include "workloads/ir/graph.h"

namespace npu {

// .csv: a SCALE-Sim topology; .onnx: an ONNX model; otherwise an npusim model YAML.
Graph load_workload_file(const std::string& path, const Limits& limits = Limits{});

}  // namespace npu
