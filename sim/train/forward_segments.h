#pragma once
// A training graph's forward pass cut into segments, one NPU program each, so that batchnorm can
// normalize with the statistics of the batch: a segment ends where the next batchnorm's input is
// complete; the driver reads that input back, computes its mean and variance, and hands the
// batchnorm to the next segment as a per-channel scale and shift (a standalone batchnorm on the
// vector unit). A graph without batchnorm is one segment: the whole forward program.
#include <vector>

#include "workloads/ir/graph.h"

namespace npu {

struct ForwardSegment {
    // Input layers first, one per tensor it reads from an earlier segment (layer 0 of the first
    // segment is the graph's input), then the layers it computes.
    Graph graph;
    std::vector<int> source;  // per segment layer: the training-graph layer it is or stands for
    int first_computed = 0;
};

std::vector<ForwardSegment> forward_segments(const Graph& training_graph);

}  // namespace npu
