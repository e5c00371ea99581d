#pragma once
// Loading a workload by file type: npusim model YAML, ONNX, SCALE-Sim topology CSV.
#include <string>

#include "common/limits.h"
#include "workloads/ir/graph.h"

namespace npu {

// .csv: a SCALE-Sim topology; .onnx: an ONNX model; otherwise an npusim model YAML.
// `structure_only` (timing-only runs): an ONNX model's conv and matrix weights are not decoded.
Graph load_workload_file(const std::string& path, const Limits& limits = Limits{}, bool structure_only = false);

}  // namespace npu
