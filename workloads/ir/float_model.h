#pragma once
// A graph with real-valued (FP32) parameters and one input: the workload before quantization.
#include <cstdint>
#include <functional>
#include <vector>

#include "workloads/ir/graph.h"

namespace npu {

struct LayerTensors {
    // conv2d: [filters][channels/groups][kh][kw]; fc: [out][in]; batchnorm: per-channel scale.
    std::vector<float> weight;
    // conv2d/fc: per output channel (zeros when the layer has no bias); batchnorm: shift.
    std::vector<float> bias;
};

struct FloatModel {
    Graph graph;
    std::vector<LayerTensors> tensors;       // one entry per layer (empty for layers without weights)
    std::vector<std::vector<float>> inputs;  // per layer: NCHW values of Input layers, else empty
};

// Seeded parameters: He-normal weights (std sqrt(2 / fan_in)), small random biases, batchnorm as
// an affine map from random statistics; inputs uniform in [-1, 1]. Values given in the model
// file (Layer::weights, bias_values, input_data) are used as they are.
// `layer_done` (optional) is called after each layer's parameters (progress on big models).
FloatModel make_float_model(const Graph& graph, uint64_t seed, const std::function<void(int layer)>& layer_done = {});

// The structural part of preparing for inference: which layers survive and which batchnorms
// fold into which producers. Needs no parameters, so timing-only runs skip weight generation.
struct InferenceGraph {
    Graph graph;
    std::vector<int> origin;                 // new layer index -> layer index in the source
    std::vector<int> index_of;               // source layer -> the new layer holding its value
    std::vector<std::pair<int, int>> folds;  // (batchnorm, producer) in source indices
};
InferenceGraph inference_graph(const Graph& graph);

// The inference graph: batchnorm folded into the conv/fc before it, relu/relu6 fused into the
// conv/fc/add before it when that layer has no other consumer. A batchnorm that cannot fold
// stays as a per-channel scale and shift.
FloatModel prepare_for_inference(FloatModel model);  // by value: pass a temporary to save its copy

}  // namespace npu
