#pragma once
// The YAML model format (see README "Model format"): an input shape and a list of layers, each
// reading the previous layer unless it names its inputs.
#include <string>

#include "workloads/ir/graph.h"

namespace npu {

Graph load_model_file(const std::string& path, const Limits& limits = Limits{});
Graph parse_model_yaml(const std::string& text, const std::string& source_name, const Limits& limits = Limits{});

// Sets the batch and, where non-zero, the input resolution, then re-runs shape inference.
void reshape_input(Graph& graph, int64_t batch, int64_t height = 0, int64_t width = 0, const Limits& limits = Limits{});

}  // namespace npu
