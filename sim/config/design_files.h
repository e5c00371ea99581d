#pragma once
// Loading a design or a workload by file type: npusim YAML, SCALE-Sim .cfg / .csv, ONNX.
#include <string>

#include "arch/npu_config.h"
#include "workloads/ir/graph.h"

namespace npu {

// .cfg: a SCALE-Sim architecture config; otherwise an npusim design YAML.
NpuConfig load_design_file(const std::string& path, const std::string& energy_dir);

// .csv: a SCALE-Sim topology; .onnx: an ONNX model; otherwise an npusim model YAML.
Graph load_workload_file(const std::string& path);

}  // namespace npu
