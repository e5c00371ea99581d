#include "workloads/ir/graph.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "common/limits.h"
#include "workloads/ops/op_def.h"

namespace npu {

int Graph::add(Layer layer) {
    if (find(layer.name) >= 0) throw WorkloadError(fmt::format("{}: duplicate layer name '{}'", where(-1), layer.name));
    for (int in : layer.inputs)
        if (in < 0 || in >= int(layers.size()))
            throw WorkloadError(
                fmt::format("{}: layer '{}' reads a layer that does not precede it", where(-1), layer.name));
    layers.push_back(std::move(layer));
    return int(layers.size()) - 1;
}

std::vector<int> Graph::input_indices() const {
    std::vector<int> out;
    for (size_t i = 0; i < layers.size(); ++i)
        if (layers[i].kind == LayerKind::Input) out.push_back(int(i));
    return out;
}

int Graph::find(const std::string& layer_name) const {
    for (size_t i = 0; i < layers.size(); ++i)
        if (layers[i].name == layer_name) return int(i);
    return -1;
}

std::vector<std::vector<int>> Graph::consumers() const {
    std::vector<std::vector<int>> out(layers.size());
    for (size_t i = 0; i < layers.size(); ++i)
        for (int in : layers[i].inputs) out[size_t(in)].push_back(int(i));
    return out;
}

int Graph::readers(int index) const {
    int count = 0;
    for (const Layer& l : layers)
        for (int in : l.inputs) count += in == index ? 1 : 0;
    return count;
}

std::string Graph::where(int layer_index) const {
    std::string text = fmt::format("model '{}'", name);
    const int line = layer_index >= 0 ? layers[size_t(layer_index)].source_line : 0;
    if (!source.empty()) text += line > 0 ? fmt::format(" ({}:{})", source, line) : fmt::format(" ({})", source);
    if (layer_index >= 0) text += fmt::format(", layer '{}'", layers[size_t(layer_index)].name);
    return text;
}

int64_t window_output(int64_t in, int64_t pad_before, int64_t pad_after, int64_t extent, int64_t stride) {
    const int64_t span = in + pad_before + pad_after - extent;
    if (span < 0 || stride < 1) return 0;  // callers report an empty output
    return span / stride + 1;
}

namespace {

Shape infer_one(const Graph& g, int i) {
    const Layer& l = g.layers[size_t(i)];
    const OpDef& op = op_def(l.kind);
    const LayerView view{g, i};
    const int given = int(l.inputs.size());
    if (op.max_inputs < 0 && given < op.min_inputs)
        view.fail(fmt::format("{} needs at least {} input(s), got {}", op.name, op.min_inputs, given));
    if (op.max_inputs >= 0 && (given < op.min_inputs || given > op.max_inputs))
        view.fail(fmt::format("{} takes {} input(s), got {}", op.name, op.min_inputs, given));
    return op.infer_shape(view);
}

}  // namespace

void infer_shapes(Graph& graph, const Limits& limits) {
    if (graph.layers.empty() || graph.layers[0].kind != LayerKind::Input)
        throw WorkloadError(fmt::format("{}: the first layer must be the input", graph.where(-1)));
    // Every tensor is checked against the limits as soon as its shape is known, so a hostile
    // model is refused here, before anything sized by it is allocated or multiplied further.
    int64_t total = 0;
    for (size_t i = 0; i < graph.layers.size(); ++i) {
        const Shape out = infer_one(graph, int(i));
        if (out.n < 1 || out.c < 1 || out.h < 1 || out.w < 1)
            throw WorkloadError(
                fmt::format("{}: output shape {} has an empty dimension", graph.where(int(i)), out.str()));
        const int64_t elements = saturating_product({limits.per_image_activations ? 1 : out.n, out.c, out.h, out.w});
        if (elements > limits.tensor_elements)
            throw WorkloadError(fmt::format("{}: output {} has {} elements {}", graph.where(int(i)), out.str(),
                                            count_text(elements), limits.hint("tensor_elements")));
        graph.layers[i].output = out;
        const int64_t weights = layer_weights(graph, int(i));
        if (weights > limits.tensor_elements)
            throw WorkloadError(fmt::format("{}: {} weights {}", graph.where(int(i)), count_text(weights),
                                            limits.hint("tensor_elements")));
        total = std::min(total + elements + weights, limits.model_elements + 1);
        if (total > limits.model_elements)
            throw WorkloadError(fmt::format("{}: the model's tensors up to here hold over {} elements {}",
                                            graph.where(int(i)), limits.model_elements, limits.hint("model_elements")));
    }
}

namespace {

// A counting hook of the layer's op, or 0 when the op has none (and for inputs).
using CountHook = int64_t (*)(const LayerView&);
int64_t count(const Graph& graph, int i, CountHook OpDef::*hook) {
    const OpDef& op = op_def(graph.layers[size_t(i)].kind);
    return op.*hook ? (op.*hook)(LayerView{graph, i}) : 0;
}

}  // namespace

int64_t layer_macs(const Graph& graph, int i) { return count(graph, i, &OpDef::macs); }
int64_t layer_weights(const Graph& graph, int i) { return count(graph, i, &OpDef::weights); }
int64_t layer_params(const Graph& graph, int i) { return count(graph, i, &OpDef::params); }

int64_t total_macs(const Graph& graph) {
    int64_t sum = 0;
    for (size_t i = 0; i < graph.layers.size(); ++i) sum += layer_macs(graph, int(i));
    return sum;
}

int64_t total_params(const Graph& graph) {
    int64_t sum = 0;
    for (size_t i = 0; i < graph.layers.size(); ++i) sum += layer_params(graph, int(i));
    return sum;
}

}  // namespace npu
