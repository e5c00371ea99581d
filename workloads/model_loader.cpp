#include "workloads/model_loader.h"

#include <fmt/format.h>

#include <map>

#include "common/error.h"
#include "common/yaml_reader.h"

namespace npu {
namespace {

const std::map<std::string, LayerKind>& kinds_by_name() {
    static const std::map<std::string, LayerKind> table = {
        {"conv2d", LayerKind::Conv2d},
        {"fc", LayerKind::FullyConnected},
        {"relu", LayerKind::Relu},
        {"relu6", LayerKind::Relu6},
        {"maxpool", LayerKind::MaxPool},
        {"avgpool", LayerKind::AvgPool},
        {"global_avgpool", LayerKind::GlobalAvgPool},
        {"add", LayerKind::Add},
        {"batchnorm", LayerKind::BatchNorm},
        {"softmax", LayerKind::Softmax},
        {"flatten", LayerKind::Flatten},
        {"clip", LayerKind::Clip},
        {"concat", LayerKind::Concat},
        {"reshape", LayerKind::Reshape},
    };
    return table;
}

// kernel / stride / dilation: one value or [h, w].
void read_pair(const YamlMap& m, const std::string& key, int64_t& h, int64_t& w) {
    const std::vector<int64_t> v = m.get_int_or_list(key);
    if (v.size() == 1) {
        h = w = v[0];
    } else if (v.size() == 2) {
        h = v[0];
        w = v[1];
    } else {
        m.fail(key, "expected one value or [h, w]");
    }
}

// padding: one value, [h, w], or [top, left, bottom, right].
void read_padding(const YamlMap& m, Window2d& win) {
    if (!m.has("padding")) return;
    const std::vector<int64_t> v = m.get_int_or_list("padding");
    if (v.size() == 1) {
        win.pad_top = win.pad_bottom = win.pad_left = win.pad_right = v[0];
    } else if (v.size() == 2) {
        win.pad_top = win.pad_bottom = v[0];
        win.pad_left = win.pad_right = v[1];
    } else if (v.size() == 4) {
        win.pad_top = v[0];
        win.pad_left = v[1];
        win.pad_bottom = v[2];
        win.pad_right = v[3];
    } else {
        m.fail("padding", "expected one value, [h, w] or [top, left, bottom, right]");
    }
}

Window2d read_window(const YamlMap& m, bool stride_defaults_to_kernel) {
    Window2d win;
    read_pair(m, "kernel", win.kernel_h, win.kernel_w);
    if (m.has("stride")) {
        read_pair(m, "stride", win.stride_h, win.stride_w);
    } else if (stride_defaults_to_kernel) {
        win.stride_h = win.kernel_h;
        win.stride_w = win.kernel_w;
    }
    if (m.has("dilation")) read_pair(m, "dilation", win.dilation_h, win.dilation_w);
    read_padding(m, win);
    return win;
}

Activation read_activation(const YamlMap& m) {
    const std::string a = m.get_string_or("activation", "none");
    if (a == "none") return Activation::None;
    if (a == "relu") return Activation::Relu;
    if (a == "relu6") return Activation::Relu6;
    m.fail("activation", fmt::format("unknown activation '{}' (none, relu, relu6)", a));
}

std::vector<float> read_floats(const YamlMap& m, const std::string& key) {
    std::vector<float> out;
    for (const std::string& v : m.get_string_list(key)) {
        try {
            size_t used = 0;
            out.push_back(std::stof(v, &used));
            if (used != v.size()) throw std::invalid_argument(v);
        } catch (const std::exception&) {
            m.fail(key, fmt::format("expected numbers, got '{}'", v));
        }
    }
    return out;
}

Layer read_layer(const Graph& graph, const YamlMap& m) {
    Layer l;
    l.name = m.get_string("name");
    l.source_line = m.line();
    const std::string type = m.get_string("type");
    const auto kind = kinds_by_name().find(type);
    if (kind == kinds_by_name().end()) {
        std::string known;
        for (const auto& [name, k] : kinds_by_name()) known += (known.empty() ? "" : ", ") + name;
        m.fail("type", fmt::format("unknown layer type '{}' (known: {})", type, known));
    }
    l.kind = kind->second;
    switch (l.kind) {
        case LayerKind::Conv2d:
            l.conv.filters = m.get_int("filters");
            l.conv.groups = m.get_int_or("groups", 1);
            l.conv.bias = m.get_bool_or("bias", true);
            l.conv.window = read_window(m, false);
            l.activation = read_activation(m);
            break;
        case LayerKind::FullyConnected:
            l.fc.out_features = m.get_int("out_features");
            l.fc.bias = m.get_bool_or("bias", true);
            l.activation = read_activation(m);
            break;
        case LayerKind::MaxPool: l.pool.window = read_window(m, true); break;
        case LayerKind::AvgPool:
            l.pool.window = read_window(m, true);
            l.pool.count_include_pad = m.get_bool_or("count_include_pad", false);
            break;
        case LayerKind::Add: l.activation = read_activation(m); break;
        case LayerKind::Clip:
            l.clip.min = float(m.get_double_or("min", l.clip.min));
            l.clip.max = float(m.get_double_or("max", l.clip.max));
            break;
        case LayerKind::Concat: l.concat_axis = int(m.get_int_or("axis", 1)); break;
        case LayerKind::Softmax: l.softmax.axis = int(m.get_int_or("axis", 1)); break;
        case LayerKind::Reshape: {
            const std::vector<int64_t> s = m.get_int_list("shape");
            if (s.size() != 3 || s[0] < 1 || s[1] < 1 || s[2] < 1)
                m.fail("shape", "expected [channels, height, width] of one image, each >= 1");
            l.reshape_to = Shape{graph.input().output.n, s[0], s[1], s[2]};
            l.reshape_keeps_batch = true;
            break;
        }
        default: break;
    }
    if (has_weights(l.kind) && l.kind != LayerKind::BatchNorm) {
        if (m.has("weights")) l.weights = read_floats(m, "weights");
        if (m.has("bias_values")) l.bias_values = read_floats(m, "bias_values");
    }
    if (m.has("inputs")) {
        for (const std::string& name : m.get_string_list("inputs")) {
            const int index = graph.find(name);
            if (index < 0) m.fail("inputs", fmt::format("no earlier layer is named '{}'", name));
            l.inputs.push_back(index);
        }
    } else {
        l.inputs.push_back(int(graph.layers.size()) - 1);
    }
    m.finish();
    return l;
}

// Values given in the file must have exactly the sizes the shapes call for.
void check_given_values(const Graph& g) {
    for (size_t i = 0; i < g.layers.size(); ++i) {
        const Layer& l = g.layers[i];
        auto check = [&](const std::vector<float>& v, int64_t expected, const char* what) {
            if (!v.empty() && int64_t(v.size()) != expected)
                throw WorkloadError(
                    fmt::format("{}: {} has {} values, the shapes need {}", g.where(int(i)), what, v.size(), expected));
        };
        if (l.kind == LayerKind::Input) check(l.input_data, l.output.per_image(), "data");
        if (l.kind == LayerKind::Conv2d || l.kind == LayerKind::FullyConnected) {
            const int64_t outs = l.kind == LayerKind::Conv2d ? l.conv.filters : l.fc.out_features;
            const bool bias = l.kind == LayerKind::Conv2d ? l.conv.bias : l.fc.bias;
            check(l.weights, layer_weights(g, int(i)), "weights");
            if (!bias && !l.bias_values.empty())
                throw WorkloadError(fmt::format("{}: bias_values given but bias is false", g.where(int(i))));
            check(l.bias_values, outs, "bias_values");
        }
    }
}

Graph read_graph(const YamlMap& root, const Limits& limits) {
    Graph g;
    g.name = root.get_string("name");
    g.source = root.file();
    root.get_string_or("description", "");
    const YamlMap in = root.child("input");
    Layer input;
    input.name = in.get_string_or("name", "input");
    input.kind = LayerKind::Input;
    input.source_line = in.line();
    input.output = Shape{in.get_int_or("batch", 1), in.get_int("channels"), in.get_int("height"), in.get_int("width")};
    if (in.has("data")) input.input_data = read_floats(in, "data");
    in.finish();
    g.add(input);
    for (const YamlMap& m : root.map_list("layers")) {
        Layer l = read_layer(g, m);
        try {
            g.add(std::move(l));
        } catch (const WorkloadError&) {
            m.fail("name", fmt::format("duplicate layer name '{}'", m.get_string("name")));
        }
    }
    root.finish();
    if (g.layers.size() < 2) root.fail("layers", "a model needs at least one layer");
    infer_shapes(g, limits);
    check_given_values(g);
    return g;
}

}  // namespace

Graph load_model_file(const std::string& path, const Limits& limits) {
    return read_graph(YamlMap::load_file(path, YamlErrorKind::Workload), limits);
}

Graph parse_model_yaml(const std::string& text, const std::string& source_name, const Limits& limits) {
    return read_graph(YamlMap::load_string(text, source_name, YamlErrorKind::Workload), limits);
}

void reshape_input(Graph& graph, int64_t batch, int64_t height, int64_t width, const Limits& limits) {
    // The batch applies to every input; a new resolution to the first (the image).
    for (int i : graph.input_indices())
        if (batch > 0) graph.layers[size_t(i)].output.n = batch;
    for (Layer& l : graph.layers)
        if (l.kind == LayerKind::Reshape && l.reshape_keeps_batch && batch > 0) l.reshape_to.n = batch;
    Layer& in = graph.layers.front();
    if (height > 0) in.output.h = height;
    if (width > 0) in.output.w = width;
    infer_shapes(graph, limits);
}

}  // namespace npu
