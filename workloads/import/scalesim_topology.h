#pragma once
// SCALE-Sim v2 topology CSVs (github.com/scalesim-project/scale-sim-v2, topology_utils.py):
//   conv format: Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels,
//                Num Filter, Strides[, Stride width],   (rows end with a comma)
//   GEMM format: Layer Name, M, N, K,   read as a conv of an M x K ifmap with one 1 x K filter
//                per output column: M output pixels, K reduction, N filters.
// Layers whose name contains "DP" are depthwise: SCALE-Sim splits them into one single-channel
// layer per channel. Conventions: no padding (SCALE-Sim's output is ceil((H - F + S) / S)), batch
// 1, each layer with its own input.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/ir/graph.h"

namespace npu {

struct ScaleSimLayer {
    std::string name;
    int64_t ifmap_h = 0, ifmap_w = 0, filter_h = 0, filter_w = 0;
    int64_t channels = 0, filters = 0, stride_h = 1, stride_w = 1;
    bool depthwise = false;  // "DP" in the name: `channels` independent single-channel layers
    int line = 0;

    // SCALE-Sim's output size: ceil((ifmap - filter + stride) / stride).
    int64_t ofmap_h() const { return (ifmap_h - filter_h + stride_h + stride_h - 1) / stride_h; }
    int64_t ofmap_w() const { return (ifmap_w - filter_w + stride_w + stride_w - 1) / stride_w; }
};

struct ScaleSimTopology {
    std::string name;  // file stem
    bool gemm_format = false;
    std::vector<ScaleSimLayer> layers;
};

// Throws WorkloadError naming file, line and column on malformed rows.
ScaleSimTopology load_scalesim_topology(const std::string& path);
ScaleSimTopology parse_scalesim_topology(const std::string& text, const std::string& source);

// Each layer as an input and a convolution without padding. Where SCALE-Sim's output size
// ceil((H - F + S) / S) exceeds a plain convolution's floor((H - F) / S) + 1, the ifmap grows to
// (ofmap - 1) x S + F rows (columns) so the output sizes and MAC counts agree; a depthwise
// layer becomes a grouped conv (groups = channels).
Graph topology_graph(const ScaleSimTopology& topology, const Limits& limits = Limits{});

}  // namespace npu
