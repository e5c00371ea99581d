#include "workloads/ir/graph.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "common/limits.h"

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

void check_window(const Graph& g, int i, const Window2d& w) {
    auto fail = [&](const std::string& what) { throw WorkloadError(fmt::format("{}: {}", g.where(i), what)); };
    if (w.kernel_h < 1 || w.kernel_w < 1) fail("kernel must be >= 1");
    if (w.stride_h < 1 || w.stride_w < 1) fail("stride must be >= 1");
    if (w.dilation_h < 1 || w.dilation_w < 1) fail("dilation must be >= 1");
    if (w.pad_top < 0 || w.pad_left < 0 || w.pad_bottom < 0 || w.pad_right < 0) fail("padding must be >= 0");
    // A window that sees only padding has no defined value (and no hardware reads it).
    if (std::max(w.pad_top, w.pad_bottom) >= w.extent_h() || std::max(w.pad_left, w.pad_right) >= w.extent_w())
        fail(fmt::format("padding {},{},{},{} must be smaller than the {}x{} window extent", w.pad_top, w.pad_left,
                         w.pad_bottom, w.pad_right, w.extent_h(), w.extent_w()));
}

Shape window_shape(const Graph& g, int i, const Shape& in, const Window2d& w, int64_t channels) {
    check_window(g, i, w);
    Shape out{in.n, channels, window_output(in.h, w.pad_top, w.pad_bottom, w.extent_h(), w.stride_h),
              window_output(in.w, w.pad_left, w.pad_right, w.extent_w(), w.stride_w)};
    if (out.h < 1 || out.w < 1)
        throw WorkloadError(
            fmt::format("{}: a {}x{} window (dilated extent {}x{}) does not fit the {}x{} input with padding "
                        "{},{},{},{}",
                        g.where(i), w.kernel_h, w.kernel_w, w.extent_h(), w.extent_w(), in.h, in.w, w.pad_top,
                        w.pad_left, w.pad_bottom, w.pad_right));
    return out;
}

size_t expected_inputs(LayerKind kind) {
    if (kind == LayerKind::Input) return 0;
    if (kind == LayerKind::Add) return 2;
    return 1;
}

Shape concat_shape(const Graph& g, int i) {
    const Layer& l = g.layers[size_t(i)];
    const int axis = l.concat_axis;
    Shape out = g.layers[size_t(l.inputs[0])].output;
    for (size_t k = 1; k < l.inputs.size(); ++k) {
        const Shape s = g.layers[size_t(l.inputs[k])].output;
        for (int d = 0; d < 4; ++d)
            if (d != axis && s.dim(d) != out.dim(d))
                throw WorkloadError(fmt::format("{}: concat along axis {} needs equal other dimensions, got {} and {}",
                                                g.where(i), axis, out.str(), s.str()));
        out.dim(axis) += s.dim(axis);
    }
    return out;
}

Shape infer_one(const Graph& g, int i) {
    const Layer& l = g.layers[size_t(i)];
    auto fail = [&](const std::string& what) { throw WorkloadError(fmt::format("{}: {}", g.where(i), what)); };
    if (l.kind == LayerKind::Concat) {
        if (l.inputs.empty()) fail("concat needs at least one input");
        if (l.concat_axis < 0 || l.concat_axis > 3) fail("concat axis must be 0..3 (n, c, h, w)");
        return concat_shape(g, i);
    }
    if (l.inputs.size() != expected_inputs(l.kind))
        fail(fmt::format("{} takes {} input(s), got {}", kind_name(l.kind), expected_inputs(l.kind), l.inputs.size()));
    if (l.kind == LayerKind::Input) {
        if (l.output.n < 1 || l.output.c < 1 || l.output.h < 1 || l.output.w < 1)
            fail(fmt::format("input shape {} must be positive", l.output.str()));
        return l.output;
    }
    const Shape in = g.layers[size_t(l.inputs[0])].output;
    switch (l.kind) {
        case LayerKind::Conv2d: {
            const ConvAttrs& c = l.conv;
            if (c.filters < 1) fail("filters must be >= 1");
            if (c.groups < 1) fail("groups must be >= 1");
            if (in.c % c.groups != 0)
                fail(fmt::format("input channels {} are not divisible by groups {}", in.c, c.groups));
            if (c.filters % c.groups != 0)
                fail(fmt::format("filters {} are not divisible by groups {}", c.filters, c.groups));
            return window_shape(g, i, in, c.window, c.filters);
        }
        case LayerKind::FullyConnected:
            if (l.fc.out_features < 1) fail("out_features must be >= 1");
            return Shape{in.n, l.fc.out_features, 1, 1};
        case LayerKind::MaxPool:
        case LayerKind::AvgPool: return window_shape(g, i, in, l.pool.window, in.c);
        case LayerKind::GlobalAvgPool: return Shape{in.n, in.c, 1, 1};
        case LayerKind::Flatten: return Shape{in.n, in.per_image(), 1, 1};
        case LayerKind::Softmax:
            if (l.softmax.axis < 0 || l.softmax.axis > 3) fail("softmax axis must be 0..3 (n, c, h, w)");
            return in;
        case LayerKind::Clip:
            if (!(l.clip.min <= l.clip.max)) fail(fmt::format("clip min {} is above max {}", l.clip.min, l.clip.max));
            return in;
        case LayerKind::Reshape:
            if (saturating_product({l.reshape_to.n, l.reshape_to.c, l.reshape_to.h, l.reshape_to.w}) != in.elements())
                fail(fmt::format("reshape from {} to {} changes the element count", in.str(), l.reshape_to.str()));
            return l.reshape_to;
        case LayerKind::Concat: break;
        case LayerKind::Add: {
            const Shape other = g.layers[size_t(l.inputs[1])].output;
            if (other != in)
                fail(fmt::format("add needs equal shapes, got {} ('{}') and {} ('{}')", in.str(),
                                 g.layers[size_t(l.inputs[0])].name, other.str(), g.layers[size_t(l.inputs[1])].name));
            return in;
        }
        case LayerKind::Relu:
        case LayerKind::Relu6:
        case LayerKind::BatchNorm: return in;
        case LayerKind::Input: break;
    }
    return in;
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
        const int64_t elements = saturating_product({out.n, out.c, out.h, out.w});
        if (out.n < 1 || out.c < 1 || out.h < 1 || out.w < 1)
            throw WorkloadError(
                fmt::format("{}: output shape {} has an empty dimension", graph.where(int(i)), out.str()));
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

int64_t layer_macs(const Graph& graph, int i) {
    const Layer& l = graph.layers[size_t(i)];
    if (l.kind == LayerKind::Conv2d) {
        const Shape in = graph.layers[size_t(l.inputs[0])].output;
        const Window2d& w = l.conv.window;
        return saturating_product({l.output.elements(), in.c / l.conv.groups, w.kernel_h, w.kernel_w});
    }
    if (l.kind == LayerKind::FullyConnected) {
        const Shape in = graph.layers[size_t(l.inputs[0])].output;
        return saturating_product({in.n, in.per_image(), l.fc.out_features});
    }
    return 0;
}

int64_t layer_weights(const Graph& graph, int i) {
    const Layer& l = graph.layers[size_t(i)];
    if (l.inputs.empty()) return 0;
    const Shape in = graph.layers[size_t(l.inputs[0])].output;
    if (l.kind == LayerKind::Conv2d)
        return saturating_product(
            {l.conv.filters, in.c / l.conv.groups, l.conv.window.kernel_h, l.conv.window.kernel_w});
    if (l.kind == LayerKind::FullyConnected) return saturating_product({in.per_image(), l.fc.out_features});
    return 0;
}

int64_t layer_params(const Graph& graph, int i) {
    const Layer& l = graph.layers[size_t(i)];
    switch (l.kind) {
        case LayerKind::Conv2d: return layer_weights(graph, i) + (l.conv.bias ? l.conv.filters : 0);
        case LayerKind::FullyConnected: return layer_weights(graph, i) + (l.fc.bias ? l.fc.out_features : 0);
        case LayerKind::BatchNorm: return 2 * l.output.c;
        default: return 0;
    }
}

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
