#include "workloads/export/onnx_export.h"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <fstream>

#include "common/error.h"

namespace npu {
namespace {

class Exporter {
public:
    Exporter(const Graph& g, const std::vector<LayerTensors>& t) : m_graph(g), m_tensors(t) {}

    std::string bytes() {
        onnx::ModelProto model;
        model.set_ir_version(8);
        model.set_producer_name("npusim");
        onnx::OperatorSetIdProto* opset = model.add_opset_import();
        opset->set_domain("");
        opset->set_version(13);
        m_out = model.mutable_graph();
        m_out->set_name(m_graph.name);
        m_rank.assign(m_graph.layers.size(), 4);
        for (size_t i = 0; i < m_graph.layers.size(); ++i) layer(int(i));
        add_value_info(m_out->add_output(), m_graph.layers.size() - 1);
        std::string out;
        if (!model.SerializeToString(&out)) throw Error("ONNX export: serialization failed");
        return out;
    }

private:
    const Layer& at(int i) const { return m_graph.layers[size_t(i)]; }
    const std::string& name(int i) const { return at(i).name; }
    std::string in(int i, size_t k = 0) const { return name(at(i).inputs[k]); }
    [[noreturn]] void unsupported(int i, const std::string& what) const {
        throw UnsupportedError(fmt::format("{}: cannot export to ONNX: {}", m_graph.where(i), what));
    }

    void add_value_info(onnx::ValueInfoProto* v, size_t i) {
        const Shape s = m_graph.layers[i].output;
        v->set_name(m_graph.layers[i].name);
        onnx::TypeProto_Tensor* t = v->mutable_type()->mutable_tensor_type();
        t->set_elem_type(onnx::TensorProto::FLOAT);
        t->mutable_shape()->add_dim()->set_dim_param("batch");
        const std::vector<int64_t> dims =
            m_rank[i] == 2 ? std::vector<int64_t>{s.c} : std::vector<int64_t>{s.c, s.h, s.w};
        for (int64_t d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
    }

    onnx::NodeProto* node(const std::string& op, const std::string& node_name, std::vector<std::string> inputs,
                          const std::string& output) {
        onnx::NodeProto* n = m_out->add_node();
        n->set_op_type(op);
        n->set_name(node_name);
        for (const std::string& i : inputs) n->add_input(i);
        n->add_output(output);
        return n;
    }

    static void ints(onnx::NodeProto* n, const std::string& key, std::vector<int64_t> values) {
        onnx::AttributeProto* a = n->add_attribute();
        a->set_name(key);
        a->set_type(onnx::AttributeProto::INTS);
        for (int64_t v : values) a->add_ints(v);
    }
    static void integer(onnx::NodeProto* n, const std::string& key, int64_t value) {
        onnx::AttributeProto* a = n->add_attribute();
        a->set_name(key);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(value);
    }
    static void real(onnx::NodeProto* n, const std::string& key, float value) {
        onnx::AttributeProto* a = n->add_attribute();
        a->set_name(key);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(value);
    }

    std::string initializer(const std::string& tensor_name, const std::vector<int64_t>& dims,
                            const std::vector<float>& values) {
        onnx::TensorProto* t = m_out->add_initializer();
        t->set_name(tensor_name);
        t->set_data_type(onnx::TensorProto::FLOAT);
        for (int64_t d : dims) t->add_dims(d);
        t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
        return tensor_name;
    }
    std::string int64_initializer(const std::string& tensor_name, const std::vector<int64_t>& values) {
        onnx::TensorProto* t = m_out->add_initializer();
        t->set_name(tensor_name);
        t->set_data_type(onnx::TensorProto::INT64);
        t->add_dims(int64_t(values.size()));
        for (int64_t v : values) t->add_int64_data(v);
        return tensor_name;
    }

    static void window(onnx::NodeProto* n, const Window2d& w, bool dilations) {
        ints(n, "kernel_shape", {w.kernel_h, w.kernel_w});
        ints(n, "strides", {w.stride_h, w.stride_w});
        ints(n, "pads", {w.pad_top, w.pad_left, w.pad_bottom, w.pad_right});
        if (dilations) ints(n, "dilations", {w.dilation_h, w.dilation_w});
    }

    // The node computing layer i writes `output`; a fused activation follows it into the layer's name.
    std::string before_activation(int i) const {
        return at(i).activation == Activation::None ? name(i) : name(i) + "_preact";
    }
    void activation(int i) {
        const Activation a = at(i).activation;
        if (a == Activation::Relu) node("Relu", name(i) + "_relu", {name(i) + "_preact"}, name(i));
        if (a == Activation::Relu6) clip(name(i) + "_relu6", name(i) + "_preact", name(i), 0.0f, 6.0f);
    }
    void clip(const std::string& node_name, const std::string& input, const std::string& output, float lo, float hi) {
        node("Clip", node_name,
             {input, initializer(node_name + "_min", {}, {lo}), initializer(node_name + "_max", {}, {hi})}, output);
    }

    // The layer's scale and shift as BatchNormalization over unit statistics with epsilon 0, so
    // that an importer folding scale / sqrt(var + epsilon) gets the scale back exactly.
    void batchnorm(int i) {
        const LayerTensors& t = m_tensors[size_t(i)];
        const int64_t c = at(i).output.c;
        const std::vector<int64_t> dims = {c};
        onnx::NodeProto* n =
            node("BatchNormalization", name(i),
                 {in(i), initializer(name(i) + "_scale", dims, t.weight), initializer(name(i) + "_shift", dims, t.bias),
                  initializer(name(i) + "_mean", dims, std::vector<float>(size_t(c), 0.0f)),
                  initializer(name(i) + "_var", dims, std::vector<float>(size_t(c), 1.0f))},
                 before_activation(i));
        onnx::AttributeProto* eps = n->add_attribute();
        eps->set_name("epsilon");
        eps->set_type(onnx::AttributeProto::FLOAT);
        eps->set_f(0.0f);
        activation(i);
    }

    void conv(int i) {
        const Layer& l = at(i);
        const LayerTensors& t = m_tensors[size_t(i)];
        const Shape x = at(l.inputs[0]).output;
        std::vector<std::string> inputs = {
            in(i), initializer(l.name + "_weight",
                               {l.conv.filters, x.c / l.conv.groups, l.conv.window.kernel_h, l.conv.window.kernel_w},
                               t.weight)};
        if (l.conv.bias) inputs.push_back(initializer(l.name + "_bias", {l.conv.filters}, t.bias));
        onnx::NodeProto* n = node("Conv", l.name, inputs, before_activation(i));
        window(n, l.conv.window, true);
        integer(n, "group", l.conv.groups);
        activation(i);
    }

    void fc(int i) {
        const Layer& l = at(i);
        const LayerTensors& t = m_tensors[size_t(i)];
        std::string a = in(i);
        if (m_rank[size_t(l.inputs[0])] != 2) {
            a = l.name + "_flat";
            integer(node("Flatten", a, {in(i)}, a), "axis", 1);
        }
        const int64_t features = at(l.inputs[0]).output.per_image();
        std::vector<std::string> inputs = {a, initializer(l.name + "_weight", {l.fc.out_features, features}, t.weight)};
        if (l.fc.bias) inputs.push_back(initializer(l.name + "_bias", {l.fc.out_features}, t.bias));
        integer(node("Gemm", l.name, inputs, before_activation(i)), "transB", 1);
        m_rank[size_t(i)] = 2;
        activation(i);
    }

    void pool(int i) {
        const Layer& l = at(i);
        const bool max = l.kind == LayerKind::MaxPool;
        const Window2d& w = l.pool.window;
        if (!max && (w.dilation_h != 1 || w.dilation_w != 1)) unsupported(i, "dilated average pooling (opset 13)");
        onnx::NodeProto* n = node(max ? "MaxPool" : "AveragePool", l.name, {in(i)}, l.name);
        window(n, w, max);
        if (!max) integer(n, "count_include_pad", l.pool.count_include_pad ? 1 : 0);
    }

    void layer(int i);
    void unary(int i);
    void channel_shuffle(int i);
    void layer_norm(int i);

    const Graph& m_graph;
    const std::vector<LayerTensors>& m_tensors;
    onnx::GraphProto* m_out = nullptr;
    std::vector<int> m_rank;  // ONNX rank of each layer's output: 4 (N, C, H, W) or 2 (N, features)
};

void Exporter::layer(int i) {
    const Layer& l = at(i);
    if (i > 0) m_rank[size_t(i)] = m_rank[size_t(l.inputs[0])];
    switch (l.kind) {
        case LayerKind::Input:
            if (i != 0) unsupported(i, "a graph with several inputs");
            add_value_info(m_out->add_input(), size_t(i));
            break;
        case LayerKind::Conv2d: conv(i); break;
        case LayerKind::FullyConnected: fc(i); break;
        case LayerKind::MaxPool:
        case LayerKind::AvgPool: pool(i); break;
        case LayerKind::GlobalAvgPool: node("GlobalAveragePool", l.name, {in(i)}, l.name); break;
        case LayerKind::Relu: node("Relu", l.name, {in(i)}, l.name); break;
        case LayerKind::Relu6: clip(l.name, in(i), l.name, 0.0f, 6.0f); break;
        case LayerKind::Clip: clip(l.name, in(i), l.name, l.clip.min, l.clip.max); break;
        case LayerKind::Add:
            node("Add", l.name, {in(i, 0), in(i, 1)}, before_activation(i));
            activation(i);
            break;
        case LayerKind::Flatten:
            integer(node("Flatten", l.name, {in(i)}, l.name), "axis", 1);
            m_rank[size_t(i)] = 2;
            break;
        case LayerKind::Reshape:
            node("Reshape", l.name,
                 {in(i), int64_initializer(l.name + "_shape", {-1, l.output.c, l.output.h, l.output.w})}, l.name);
            m_rank[size_t(i)] = 4;
            break;
        case LayerKind::Softmax: {
            int64_t after = 1;  // elements per position of the axis in the later dimensions
            for (int d = l.softmax.axis + 1; d < 4; ++d) after *= l.output.dim(d);
            if (l.softmax.flatten && after != 1) unsupported(i, "a softmax over several axes (before opset 13)");
            const int axis = m_rank[size_t(i)] == 2 ? std::min(l.softmax.axis, 1) : l.softmax.axis;
            integer(node("Softmax", l.name, {in(i)}, l.name), "axis", axis);
            break;
        }
        case LayerKind::Concat: {
            std::vector<std::string> inputs;
            for (size_t k = 0; k < l.inputs.size(); ++k) inputs.push_back(in(i, k));
            integer(node("Concat", l.name, inputs, l.name), "axis", l.concat_axis);
            break;
        }
        case LayerKind::BatchNorm: batchnorm(i); break;
        case LayerKind::Unary: unary(i); break;
        case LayerKind::LayerNorm: layer_norm(i); break;
        case LayerKind::Mul:  // ONNX broadcasts an N x C x 1 x 1 second input as npusim does
            if (m_rank[size_t(l.inputs[0])] != m_rank[size_t(l.inputs[1])])
                unsupported(i, "a product of a rank-2 and a rank-4 tensor");
            node("Mul", l.name, {in(i, 0), in(i, 1)}, l.name);
            break;
        case LayerKind::Slice: {
            const int axis = m_rank[size_t(i)] == 2 ? std::min(l.slice.axis, 1) : l.slice.axis;
            node("Slice", l.name,
                 {in(i), int64_initializer(l.name + "_starts", {l.slice.begin}),
                  int64_initializer(l.name + "_ends", {l.slice.end}), int64_initializer(l.name + "_axes", {axis})},
                 l.name);
            break;
        }
        case LayerKind::ChannelShuffle: channel_shuffle(i); break;
    }
}

// As PyTorch writes it (ShuffleNet): a reshape to N x g x C/g x H x W, a transpose of the two
// channel axes, a reshape back.
void Exporter::channel_shuffle(int i) {
    const Layer& l = at(i);
    if (m_rank[size_t(i)] != 4) unsupported(i, "a channel shuffle of a rank-2 tensor");
    const Shape& s = l.output;
    const int64_t g = l.shuffle_groups;
    node("Reshape", l.name + "_groups", {in(i), int64_initializer(l.name + "_grouped", {-1, g, s.c / g, s.h, s.w})},
         l.name + "_grouped");
    onnx::NodeProto* t = node("Transpose", l.name + "_transpose", {l.name + "_grouped"}, l.name + "_transposed");
    onnx::AttributeProto* perm = t->add_attribute();
    perm->set_name("perm");
    perm->set_type(onnx::AttributeProto::INTS);
    for (int64_t p : {0, 2, 1, 3, 4}) perm->add_ints(p);
    node("Reshape", l.name, {l.name + "_transposed", int64_initializer(l.name + "_shape", {-1, s.c, s.h, s.w})},
         l.name);
}

// As PyTorch writes ConvNeXt's LayerNorm (opset 13): channels last through a Transpose, the
// normalization over the last axis in ReduceMean, Sub, Pow, Add, Sqrt and Div, the scale and
// shift, and the Transpose back (the importer reads the same nodes back as one layer).
void Exporter::layer_norm(int i) {
    const Layer& l = at(i);
    const LayerTensors& t = m_tensors[size_t(i)];
    const std::string& p = l.name;
    const bool rank4 = m_rank[size_t(i)] == 4;
    const auto transpose = [&](const std::string& from, const std::string& to, std::vector<int64_t> perm) {
        ints(node("Transpose", to, {from}, to), "perm", std::move(perm));
    };
    std::string x = in(i);
    if (rank4) {
        transpose(x, p + "_nhwc", {0, 2, 3, 1});
        x = p + "_nhwc";
    }
    ints(node("ReduceMean", p + "_mean", {x}, p + "_mean"), "axes", {-1});
    node("Sub", p + "_centred", {x, p + "_mean"}, p + "_centred");
    node("Pow", p + "_square", {p + "_centred", initializer(p + "_two", {}, {2.0f})}, p + "_square");
    ints(node("ReduceMean", p + "_variance", {p + "_square"}, p + "_variance"), "axes", {-1});
    node("Add", p + "_plus_eps", {p + "_variance", initializer(p + "_eps", {}, {l.norm_epsilon})}, p + "_plus_eps");
    node("Sqrt", p + "_root", {p + "_plus_eps"}, p + "_root");
    node("Div", p + "_normalized", {p + "_centred", p + "_root"}, p + "_normalized");
    const std::vector<int64_t> dims = {l.output.c};
    node("Mul", p + "_scaled", {p + "_normalized", initializer(p + "_gamma", dims, t.weight)}, p + "_scaled");
    const std::string shifted = rank4 ? p + "_shifted" : p;
    node("Add", shifted, {p + "_scaled", initializer(p + "_beta", dims, t.bias)}, shifted);
    if (rank4) transpose(shifted, p, {0, 3, 1, 2});
}

void Exporter::unary(int i) {
    const Layer& l = at(i);
    switch (l.unary.fn) {
        case UnaryFn::Sigmoid: node("Sigmoid", l.name, {in(i)}, l.name); break;
        case UnaryFn::Tanh: node("Tanh", l.name, {in(i)}, l.name); break;
        case UnaryFn::Erf: node("Erf", l.name, {in(i)}, l.name); break;
        case UnaryFn::Sqrt: node("Sqrt", l.name, {in(i)}, l.name); break;
        case UnaryFn::HardSigmoid: {
            onnx::NodeProto* n = node("HardSigmoid", l.name, {in(i)}, l.name);
            real(n, "alpha", l.unary.alpha);
            real(n, "beta", l.unary.beta);
            break;
        }
        case UnaryFn::Gelu: {  // as PyTorch writes nn.GELU before opset 20 (Gelu), which the importer reads back
            const std::string& x = in(i);
            node("Div", l.name + "_div", {x, initializer(l.name + "_sqrt2", {}, {1.41421354f})}, l.name + "_scaled");
            node("Erf", l.name + "_erf", {l.name + "_scaled"}, l.name + "_erf");
            node("Add", l.name + "_add", {l.name + "_erf", initializer(l.name + "_one", {}, {1.0f})}, l.name + "_gate");
            node("Mul", l.name + "_mul", {x, l.name + "_gate"}, l.name + "_twice");
            node("Mul", l.name, {l.name + "_twice", initializer(l.name + "_half", {}, {0.5f})}, l.name);
            break;
        }
    }
}

}  // namespace

std::string onnx_model_bytes(const Graph& graph, const std::vector<LayerTensors>& tensors) {
    if (tensors.size() != graph.layers.size())
        throw Error(fmt::format("ONNX export: {} tensors for {} layers", tensors.size(), graph.layers.size()));
    return Exporter(graph, tensors).bytes();
}

void save_onnx(const std::string& path, const Graph& graph, const std::vector<LayerTensors>& tensors) {
    const std::string bytes = onnx_model_bytes(graph, tensors);
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw Error(fmt::format("{}: cannot write the ONNX model", path));
}

}  // namespace npu
