#include "workloads/model_loader.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/yaml_reader.h"
#include "workloads/ir/pruning.h"
#include "workloads/ops/op_def.h"
#include "workloads/ops/op_yaml.h"

namespace npu {
namespace {

Layer read_layer(const Graph& graph, const YamlMap& m) {
    Layer l;
    l.name = m.get_string("name");
    l.source_line = m.line();
    const std::string type = m.get_string("type");
    const OpDef* op = find_op(type);
    if (op == nullptr || !op->in_model_files)
        m.fail("type", fmt::format("unknown layer type '{}' (known: {})", type, model_file_op_names()));
    l.kind = op->kind;
    if (op->read_yaml) op->read_yaml(m, graph, l);
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
        const OpDef& op = op_def(g.layers[i].kind);
        if (op.check_given) op.check_given(LayerView{g, int(i)});
    }
}

Graph read_graph(const YamlMap& root, const Limits& limits) {
    Graph g;
    g.name = root.get_string("name");
    g.source = root.file();
    root.get_string_or("description", "");
    if (root.has("prune")) {
        g.prune = root.get_string("prune");
        if (const std::string error = prune_spec_error(g.prune); !error.empty()) root.fail("prune", error);
    }
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
