#pragma once
// A CNN as a list of layers in topological order. layers[0] is the input.
#include <string>
#include <vector>

#include "common/limits.h"
#include "workloads/ir/layer.h"

namespace npu {

class Graph {
public:
    std::string name;
    std::string source;  // file it came from, for error messages
    std::string prune;   // the model file's `prune:` (workloads/ir/pruning.h), "" for none
    std::vector<Layer> layers;

    // Appends a layer; its name must be new and its inputs must already exist.
    int add(Layer layer);
    int find(const std::string& layer_name) const;  // -1 if absent
    // layers[0] is always an input; graphs with several inputs (imported models, SCALE-Sim
    // topologies of independent layers) have more Input layers anywhere after it.
    const Layer& input() const { return layers.front(); }
    std::vector<int> input_indices() const;
    const Layer& output() const { return layers.back(); }
    // consumers()[i]: the layers that read layer i's output.
    std::vector<std::vector<int>> consumers() const;
    // How many layer inputs read layer `index`'s output (an add of x and x reads it twice).
    int readers(int index) const;

    // "model 'lenet5' (file.yaml:12), layer 'conv1'" for error messages.
    std::string where(int layer_index) const;
};

// Fills Layer::output for every layer; throws WorkloadError naming the layer on any mismatch or
// on a tensor past `limits`.
void infer_shapes(Graph& graph, const Limits& limits);

// Multiply-accumulates of one layer (conv2d and fully connected; 0 for the others).
int64_t layer_macs(const Graph& graph, int layer_index);
// Learned parameters of one layer (weights plus bias; batchnorm: scale and shift).
int64_t layer_params(const Graph& graph, int layer_index);
// Weights only (conv2d and fully connected; 0 for the others).
int64_t layer_weights(const Graph& graph, int layer_index);
int64_t total_macs(const Graph& graph);
int64_t total_params(const Graph& graph);

// Output spatial size of a sliding window: floor((in + pads - extent) / stride) + 1.
int64_t window_output(int64_t in, int64_t pad_before, int64_t pad_after, int64_t extent, int64_t stride);

}  // namespace npu
