#include "workloads/import/onnx_import.h"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <numeric>
#include <set>

#include "common/error.h"
#include "common/file_text.h"
#include "common/limits.h"

namespace npu {

const std::vector<std::string>& supported_onnx_operators() {
    static const std::vector<std::string> ops = {"Add",
                                                 "AveragePool",
                                                 "BatchNormalization",
                                                 "Clip",
                                                 "Concat",
                                                 "Constant",
                                                 "Conv",
                                                 "ConvInteger",
                                                 "Flatten",
                                                 "Gemm",
                                                 "GlobalAveragePool",
                                                 "MatMul",
                                                 "MaxPool",
                                                 "QLinearConv",
                                                 "QLinearMatMul",
                                                 "Relu",
                                                 "Reshape",
                                                 "Softmax"};
    return ops;
}

Shape onnx_shape(const std::vector<int64_t>& d, const std::string& where, const Limits& limits) {
    for (int64_t v : d) {
        if (v < 1) throw UnsupportedError(fmt::format("{}: dimension {} (empty tensors are unsupported)", where, v));
        if (v > kMaxFileInteger)
            throw WorkloadError(fmt::format("{}: dimension {} is out of range (below 2^31)", where, v));
    }
    int64_t elements = 1;
    for (int64_t v : d) elements = saturating_mul(elements, v);
    if (elements > limits.tensor_elements)
        throw WorkloadError(
            fmt::format("{}: a tensor of {} elements {}", where, elements, limits.hint("tensor_elements")));
    switch (d.size()) {
        case 1: return Shape{1, d[0], 1, 1};
        case 2: return Shape{d[0], d[1], 1, 1};
        case 3: return Shape{d[0], d[1], 1, d[2]};
        case 4: return Shape{d[0], d[1], d[2], d[3]};
        default:
            throw UnsupportedError(fmt::format("{}: rank {} tensors are unsupported (rank 1 to 4)", where, d.size()));
    }
}

int onnx_axis(int64_t axis, size_t rank, const std::string& where) {
    const int64_t a = axis < 0 ? axis + int64_t(rank) : axis;
    if (a < 0 || a >= int64_t(rank))
        throw WorkloadError(fmt::format("{}: axis {} out of range for rank {}", where, axis, rank));
    static const int map[5][4] = {{0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 3, 0}, {0, 1, 2, 3}};
    return map[rank][a];
}

namespace {

struct Value {
    int layer;
    std::vector<int64_t> dims;  // ONNX dims
};

class Converter {
public:
    Converter(const onnx::ModelProto& model, const std::string& path, const OnnxImportOptions& options)
        : m_model(model), m_path(path), m_options(options) {
        for (const auto& op : model.opset_import())
            if (op.domain().empty() || op.domain() == "ai.onnx") m_opset = op.version();
        m_out.graph.name = std::filesystem::path(path).stem().string();
        m_out.graph.source = path;
        m_out.opset = m_opset;
    }

    OnnxImport run() {
        const onnx::GraphProto& g = m_model.graph();
        check_operators(g);
        for (const auto& t : g.initializer()) m_constants[t.name()] = decode_tensor(t, m_path);
        const std::set<std::string> constant_slots = constant_inputs(g);
        for (const auto& in : g.input()) {
            if (m_constants.count(in.name())) continue;
            const auto bound = m_options.bound.find(in.name());
            if (constant_slots.count(in.name())) {
                if (bound == m_options.bound.end())
                    throw UnsupportedError(
                        fmt::format("{}: graph input '{}' is used as a weight but has no value "
                                    "(give it as an initializer)",
                                    m_path, in.name()));
                m_constants[in.name()] = bound->second;
                continue;
            }
            add_input(in, bound == m_options.bound.end() ? nullptr : &bound->second);
        }
        if (m_out.graph.layers.empty())
            throw UnsupportedError(fmt::format("{}: the model has no activation input", m_path));
        for (const auto& node : g.node()) convert(node);
        for (const auto& out : g.output()) {
            const auto v = m_values.find(out.name());
            if (v == m_values.end())
                throw UnsupportedError(
                    fmt::format("{}: graph output '{}' is not computed by a supported node", m_path, out.name()));
            m_out.output_names.push_back(out.name());
            m_out.output_layers.push_back(v->second.layer);
        }
        infer_shapes(m_out.graph, m_options.limits);
        return std::move(m_out);
    }

private:
    static std::string node_name(const onnx::NodeProto& n) {
        return n.name().empty() ? (n.output_size() ? n.output(0) : std::string("?")) : n.name();
    }
    std::string where(const onnx::NodeProto& n) const {
        return fmt::format("{}: node '{}' ({})", m_path, node_name(n), n.op_type());
    }

    void check_operators(const onnx::GraphProto& g) {
        std::set<std::string> seen, missing;
        const auto& ok = supported_onnx_operators();
        for (const auto& n : g.node()) {
            seen.insert(n.op_type());
            if (!n.domain().empty() && n.domain() != "ai.onnx")
                missing.insert(n.domain() + "." + n.op_type());
            else if (std::find(ok.begin(), ok.end(), n.op_type()) == ok.end())
                missing.insert(n.op_type());
        }
        m_out.operators.assign(seen.begin(), seen.end());
        if (!missing.empty())
            throw UnsupportedError(fmt::format("{}: unsupported ONNX operators: {} (supported: {})", m_path,
                                               fmt::join(missing, ", "), fmt::join(ok, ", ")));
    }

    // Names that nodes read in weight positions: these must be constants.
    static std::set<std::string> constant_inputs(const onnx::GraphProto& g) {
        std::set<std::string> names;
        for (const auto& n : g.node()) {
            const std::string& op = n.op_type();
            int first = -1;
            if (op == "Conv" || op == "Gemm" || op == "MatMul" || op == "BatchNormalization" || op == "Clip" ||
                op == "Reshape" || op == "QLinearConv" || op == "QLinearMatMul" || op == "ConvInteger")
                first = 1;
            if (first < 0) continue;
            for (int i = first; i < n.input_size(); ++i)
                if (!n.input(i).empty()) names.insert(n.input(i));
        }
        return names;
    }

    void add_input(const onnx::ValueInfoProto& in, const OnnxTensor* value) {
        const std::string where = fmt::format("{}: input '{}'", m_path, in.name());
        const int32_t type = in.type().tensor_type().elem_type();
        if (type != onnx::TensorProto::FLOAT && type != onnx::TensorProto::UINT8 && type != onnx::TensorProto::INT8)
            throw UnsupportedError(fmt::format("{} has element type {} (float32, uint8 and int8 inputs)", where, type));
        std::vector<int64_t> dims;
        for (const auto& d : in.type().tensor_type().shape().dim())
            dims.push_back(d.has_dim_value() ? d.dim_value() : m_options.symbolic_dim);
        if (value && value->dims != dims) dims = value->dims;
        Layer l;
        l.name = in.name();
        l.kind = LayerKind::Input;
        l.output = onnx_shape(dims, where, m_options.limits);
        if (value) l.input_data.assign(value->values.begin(), value->values.end());
        if (type != onnx::TensorProto::FLOAT) {  // integers: scale and zero point come from the reader
            l.quant.present = true;
            l.quant.unsigned_values = type == onnx::TensorProto::UINT8;
            if (l.quant.unsigned_values)
                for (float& v : l.input_data) v -= 128.0f;
            m_unset_quant.insert(in.name());
        }
        m_values[in.name()] = Value{m_out.graph.add(std::move(l)), dims};
    }

    const Value& value(const onnx::NodeProto& n, int i) const {
        if (i >= n.input_size() || n.input(i).empty())
            throw WorkloadError(fmt::format("{}: input {} is missing", where(n), i));
        const auto v = m_values.find(n.input(i));
        if (v == m_values.end()) {
            if (m_constants.count(n.input(i)))
                throw UnsupportedError(fmt::format("{}: input '{}' is a constant where npusim needs a computed tensor",
                                                   where(n), n.input(i)));
            throw WorkloadError(fmt::format("{}: input '{}' is not produced by an earlier node", where(n), n.input(i)));
        }
        return v->second;
    }
    const OnnxTensor* constant(const onnx::NodeProto& n, int i) const {
        if (i >= n.input_size() || n.input(i).empty()) return nullptr;
        const auto c = m_constants.find(n.input(i));
        if (c == m_constants.end())
            throw UnsupportedError(
                fmt::format("{}: input '{}' must be a constant (initializer)", where(n), n.input(i)));
        return &c->second;
    }

    static const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& name) {
        for (const auto& a : n.attribute())
            if (a.name() == name) return &a;
        return nullptr;
    }
    // Integer attributes stay below 2^31 in magnitude, as in every npusim file (limits.h).
    static int64_t checked_int(const onnx::NodeProto& n, const std::string& name, int64_t v) {
        if (v > kMaxFileInteger || v < -kMaxFileInteger)
            throw WorkloadError(fmt::format("node '{}' ({}): attribute {} = {} is out of range (below 2^31)", n.name(),
                                            n.op_type(), name, v));
        return v;
    }
    static int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t fallback) {
        const auto* a = attribute(n, name);
        return a ? checked_int(n, name, a->i()) : fallback;
    }
    static float attr_float(const onnx::NodeProto& n, const std::string& name, float fallback) {
        const auto* a = attribute(n, name);
        return a ? a->f() : fallback;
    }
    static std::vector<int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name) {
        const auto* a = attribute(n, name);
        std::vector<int64_t> v;
        if (a)
            for (int64_t i : a->ints()) v.push_back(checked_int(n, name, i));
        return v;
    }
    static std::string attr_string(const onnx::NodeProto& n, const std::string& name, const std::string& fallback) {
        const auto* a = attribute(n, name);
        return a ? a->s() : fallback;
    }

    int add_layer(Layer l, const onnx::NodeProto& n, std::vector<int64_t> dims) {
        // Every computed tensor passes the same checks as a graph input (rank, positive sizes,
        // limits), so later nodes may multiply its dimensions safely.
        onnx_shape(dims, where(n), m_options.limits);
        l.name = node_name(n);
        while (m_out.graph.find(l.name) >= 0) l.name += "_";
        const int index = m_out.graph.add(std::move(l));
        m_values[n.output(0)] = Value{index, std::move(dims)};
        return index;
    }

    // Window attributes of Conv and the pools over a rank-3 or rank-4 input.
    Window2d window(const onnx::NodeProto& n, const std::vector<int64_t>& in, std::vector<int64_t> kernel) {
        const size_t spatial = in.size() - 2;
        if (spatial != 1 && spatial != 2)
            throw UnsupportedError(fmt::format("{}: {}-D windows are unsupported (1-D and 2-D)", where(n), spatial));
        if (kernel.empty()) kernel = attr_ints(n, "kernel_shape");
        if (kernel.size() != spatial)
            throw WorkloadError(fmt::format("{}: kernel_shape needs {} values", where(n), spatial));
        auto spatial_attr = [&](const char* name, int64_t fallback, size_t count) {
            std::vector<int64_t> v = attr_ints(n, name);
            if (v.empty()) v.assign(count, fallback);
            if (v.size() != count) throw WorkloadError(fmt::format("{}: {} needs {} values", where(n), name, count));
            return v;
        };
        const std::vector<int64_t> strides = spatial_attr("strides", 1, spatial);
        const std::vector<int64_t> dilations = spatial_attr("dilations", 1, spatial);
        std::vector<int64_t> pads = spatial_attr("pads", 0, 2 * spatial);  // begins, then ends
        for (size_t d = 0; d < spatial; ++d)
            if (kernel[d] < 1 || strides[d] < 1 || dilations[d] < 1 || pads[d] < 0 || pads[spatial + d] < 0)
                throw WorkloadError(
                    fmt::format("{}: kernel, strides and dilations must be >= 1 and pads >= 0", where(n)));
        const std::string auto_pad = attr_string(n, "auto_pad", "NOTSET");
        for (size_t d = 0; d < spatial; ++d) {
            const int64_t size = in[2 + d], extent = (kernel[d] - 1) * dilations[d] + 1;
            if (auto_pad == "VALID") {
                pads[d] = pads[spatial + d] = 0;
            } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
                const int64_t out = (size + strides[d] - 1) / strides[d];
                const int64_t total = std::max<int64_t>(0, (out - 1) * strides[d] + extent - size);
                const int64_t small = total / 2, large = total - small;
                pads[d] = auto_pad == "SAME_UPPER" ? small : large;
                pads[spatial + d] = auto_pad == "SAME_UPPER" ? large : small;
            } else if (auto_pad != "NOTSET") {
                throw WorkloadError(fmt::format("{}: unknown auto_pad '{}'", where(n), auto_pad));
            }
        }
        Window2d w;  // 1-D windows run along the width, height 1
        const size_t x = spatial - 1;
        w.kernel_w = kernel[x];
        w.stride_w = strides[x];
        w.dilation_w = dilations[x];
        w.pad_left = pads[x];
        w.pad_right = pads[spatial + x];
        if (spatial == 2) {
            w.kernel_h = kernel[0];
            w.stride_h = strides[0];
            w.dilation_h = dilations[0];
            w.pad_top = pads[0];
            w.pad_bottom = pads[2];
        }
        return w;
    }

    static std::vector<int64_t> window_dims(const std::vector<int64_t>& in, int64_t channels, const Window2d& w) {
        std::vector<int64_t> out = {in[0], channels};
        if (in.size() == 4) out.push_back(window_output(in[2], w.pad_top, w.pad_bottom, w.extent_h(), w.stride_h));
        out.push_back(window_output(in.back(), w.pad_left, w.pad_right, w.extent_w(), w.stride_w));
        return out;
    }

    void convert(const onnx::NodeProto& n) {
        const std::string& op = n.op_type();
        if (n.output_size() < 1 || n.output(0).empty())
            throw WorkloadError(fmt::format("{}: the node has no output", where(n)));
        if (op == "Constant") return constant_node(n);
        if (op == "QLinearConv" || op == "ConvInteger" || op == "QLinearMatMul") return quantized(n);
        if (op == "Conv") return conv(n);
        if (op == "Gemm" || op == "MatMul") return gemm(n);
        if (op == "MaxPool" || op == "AveragePool") return pool(n);
        if (op == "Relu" || op == "Clip") return clip(n);
        if (op == "GlobalAveragePool") return global_pool(n);
        if (op == "Add") return add(n);
        if (op == "BatchNormalization") return batchnorm(n);
        if (op == "Flatten" || op == "Reshape") return reshape(n);
        if (op == "Softmax") return softmax(n);
        if (op == "Concat") return concat(n);
        throw UnsupportedError(fmt::format("{}: unsupported operator", where(n)));
    }

    void constant_node(const onnx::NodeProto& n) {
        const auto* a = attribute(n, "value");
        if (!a || !a->has_t()) throw UnsupportedError(fmt::format("{}: only tensor-valued constants", where(n)));
        m_constants[n.output(0)] = decode_tensor(a->t(), where(n));
    }

    void conv(const onnx::NodeProto& n) {
        const Value& x = value(n, 0);
        const OnnxTensor* w = constant(n, 1);
        const OnnxTensor* b = constant(n, 2);
        if (!w || w->dims.size() != x.dims.size() || x.dims.size() < 3)
            throw WorkloadError(fmt::format("{}: W must be a constant of the input's rank (3 or 4)", where(n)));
        Layer l;
        l.kind = LayerKind::Conv2d;
        l.inputs = {x.layer};
        l.conv.filters = w->dims[0];
        l.conv.groups = attr_int(n, "group", 1);
        if (l.conv.groups < 1 || w->dims[1] * l.conv.groups != x.dims[1])
            throw WorkloadError(
                fmt::format("{}: W holds {} input channels per group for {} input channels in {} groups", where(n),
                            w->dims[1], x.dims[1], l.conv.groups));
        if (b && int64_t(b->values.size()) != w->dims[0])
            throw WorkloadError(
                fmt::format("{}: B holds {} values for {} filters", where(n), b->values.size(), w->dims[0]));
        l.conv.window = window(n, x.dims, std::vector<int64_t>(w->dims.begin() + 2, w->dims.end()));
        l.conv.bias = b != nullptr;
        l.weights.assign(w->values.begin(), w->values.end());
        if (b) l.bias_values.assign(b->values.begin(), b->values.end());
        add_layer(std::move(l), n, window_dims(x.dims, w->dims[0], l.conv.window));
    }

    // Gemm: alpha * A' * B' + beta * C; MatMul: A * B. A is [M, K]; the constant B is stored
    // as an fc layer's [out][in] weights.
    void gemm(const onnx::NodeProto& n) {
        const Value& a = value(n, 0);
        const OnnxTensor* b = constant(n, 1);
        const bool is_gemm = n.op_type() == "Gemm";
        if (a.dims.size() != 2 || !b || b->dims.size() != 2)
            throw UnsupportedError(
                fmt::format("{}: only a 2-D input times a constant 2-D matrix (batched MatMul is "
                            "unsupported)",
                            where(n)));
        if (is_gemm && attr_int(n, "transA", 0) != 0)
            throw UnsupportedError(fmt::format("{}: transA = 1 is unsupported", where(n)));
        const bool trans_b = is_gemm && attr_int(n, "transB", 0) != 0;
        const float alpha = is_gemm ? attr_float(n, "alpha", 1.0f) : 1.0f;
        const float beta = is_gemm ? attr_float(n, "beta", 1.0f) : 1.0f;
        const int64_t k = trans_b ? b->dims[1] : b->dims[0], outs = trans_b ? b->dims[0] : b->dims[1];
        if (k != a.dims[1])
            throw WorkloadError(fmt::format("{}: A is {}x{} but B has {} rows", where(n), a.dims[0], a.dims[1], k));
        Layer l;
        l.kind = LayerKind::FullyConnected;
        l.inputs = {a.layer};
        l.fc.out_features = outs;
        l.weights.resize(size_t(outs * k));
        for (int64_t o = 0; o < outs; ++o)
            for (int64_t i = 0; i < k; ++i)
                l.weights[size_t(o * k + i)] = float(alpha * b->values[size_t(trans_b ? o * k + i : i * outs + o)]);
        const OnnxTensor* c = is_gemm ? constant(n, 2) : nullptr;
        l.fc.bias = c != nullptr;
        if (c) {
            // A scalar or one value per output column; a full M x N matrix is unsupported.
            const bool row = c->elements() == outs && (c->dims.size() < 2 || c->dims[0] == 1);
            if (c->elements() != 1 && !row)
                throw UnsupportedError(fmt::format("{}: C of shape [{}] (only a scalar or one value per output)",
                                                   where(n), fmt::join(c->dims, ", ")));
            for (int64_t o = 0; o < outs; ++o)
                l.bias_values.push_back(float(beta * c->values[size_t(c->elements() == 1 ? 0 : o)]));
        }
        add_layer(std::move(l), n, {a.dims[0], outs});
    }

    void pool(const onnx::NodeProto& n) {
        const Value& x = value(n, 0);
        const bool is_max = n.op_type() == "MaxPool";
        if (n.output_size() > 1) throw UnsupportedError(fmt::format("{}: the Indices output is unsupported", where(n)));
        if (attr_int(n, "storage_order", 0) != 0)
            throw UnsupportedError(fmt::format("{}: storage_order = 1 is unsupported", where(n)));
        Layer l;
        l.kind = is_max ? LayerKind::MaxPool : LayerKind::AvgPool;
        l.inputs = {x.layer};
        l.pool.window = window(n, x.dims, {});
        l.pool.count_include_pad = attr_int(n, "count_include_pad", 0) != 0;
        if (attr_int(n, "ceil_mode", 0) != 0) {
            // Rounding the output size up adds windows that hang over the far edge: pad that
            // edge so the usual floor gives the same size. The extra cells are outside the
            // tensor, which max pooling and count_include_pad = 0 averaging skip anyway.
            Window2d& w = l.pool.window;
            auto extra = [&](int64_t size, int64_t before, int64_t& after, int64_t extent, int64_t stride) {
                int64_t out = (size + before + after - extent + stride - 1) / stride + 1;
                if ((out - 1) * stride >= size + before) --out;  // the last window must start inside
                const int64_t more = std::max<int64_t>(0, (out - 1) * stride + extent - (size + before + after));
                if (more > 0 && !is_max && l.pool.count_include_pad)
                    throw UnsupportedError(fmt::format("{}: ceil_mode = 1 with count_include_pad = 1", where(n)));
                after += more;
            };
            extra(x.dims.back(), w.pad_left, w.pad_right, w.extent_w(), w.stride_w);
            if (x.dims.size() == 4) extra(x.dims[2], w.pad_top, w.pad_bottom, w.extent_h(), w.stride_h);
        }
        add_layer(std::move(l), n, window_dims(x.dims, x.dims[1], l.pool.window));
    }

    void clip(const onnx::NodeProto& n) {
        const Value& x = value(n, 0);
        Layer l;
        l.inputs = {x.layer};
        if (n.op_type() == "Relu") {
            l.kind = LayerKind::Relu;
        } else {
            l.kind = LayerKind::Clip;
            if (m_opset < 11) {
                l.clip.min = attr_float(n, "min", l.clip.min);
                l.clip.max = attr_float(n, "max", l.clip.max);
            } else {
                for (int i : {1, 2}) {
                    const OnnxTensor* bound = constant(n, i);
                    if (!bound) continue;
                    if (bound->values.size() != 1)
                        throw WorkloadError(fmt::format("{}: '{}' must be a single value", where(n), bound->name));
                    (i == 1 ? l.clip.min : l.clip.max) = float(bound->values[0]);
                }
            }
        }
        add_layer(std::move(l), n, x.dims);
    }

    void global_pool(const onnx::NodeProto& n) {
        const Value& x = value(n, 0);
        if (x.dims.size() < 3) throw WorkloadError(fmt::format("{}: needs a rank 3 or 4 input", where(n)));
        Layer l;
        l.kind = LayerKind::GlobalAvgPool;
        l.inputs = {x.layer};
        std::vector<int64_t> dims(x.dims.size(), 1);
        dims[0] = x.dims[0];
        dims[1] = x.dims[1];
        add_layer(std::move(l), n, dims);
    }

    void add(const onnx::NodeProto& n) {
        const Value& a = value(n, 0);
        const Value& b = value(n, 1);
        if (a.dims != b.dims)
            throw UnsupportedError(fmt::format("{}: broadcasting [{}] with [{}] is unsupported (equal shapes only)",
                                               where(n), fmt::join(a.dims, ", "), fmt::join(b.dims, ", ")));
        Layer l;
        l.kind = LayerKind::Add;
        l.inputs = {a.layer, b.layer};
        add_layer(std::move(l), n, a.dims);
    }

    void batchnorm(const onnx::NodeProto& n) {
        const Value& x = value(n, 0);
        if (n.output_size() > 1 || attr_int(n, "training_mode", 0) != 0)
            throw UnsupportedError(fmt::format("{}: training mode is unsupported (inference only)", where(n)));
        const OnnxTensor *scale = constant(n, 1), *bias = constant(n, 2), *mean = constant(n, 3), *var = constant(n, 4);
        if (!scale || !bias || !mean || !var)
            throw WorkloadError(fmt::format("{}: needs scale, B, mean and var", where(n)));
        if (x.dims.size() < 2) throw WorkloadError(fmt::format("{}: needs an input of rank 2 or more", where(n)));
        for (const OnnxTensor* t : {scale, bias, mean, var})
            if (int64_t(t->values.size()) != x.dims[1])
                throw WorkloadError(fmt::format("{}: '{}' holds {} values for {} channels", where(n), t->name,
                                                t->values.size(), x.dims[1]));
        const double eps = attr_float(n, "epsilon", 1e-5f);
        Layer l;
        l.kind = LayerKind::BatchNorm;
        l.inputs = {x.layer};
        for (size_t c = 0; c < scale->values.size(); ++c) {
            const double s = scale->values[c] / std::sqrt(var->values[c] + eps);
            l.weights.push_back(float(s));
            l.bias_values.push_back(float(bias->values[c] - mean->values[c] * s));
        }
        add_layer(std::move(l), n, x.dims);
    }

    void reshape(const onnx::NodeProto& n) {
        const Value& x = value(n, 0);
        int64_t total = 1;  // the input passed onnx_shape, so this is within the limits
        for (int64_t d : x.dims) total *= d;
        std::vector<int64_t> dims;
        if (n.op_type() == "Flatten") {
            const int64_t rank = int64_t(x.dims.size());
            int64_t axis = attr_int(n, "axis", 1);
            if (axis < 0) axis += rank;
            if (axis < 0 || axis > rank)
                throw WorkloadError(
                    fmt::format("{}: axis {} out of range for rank {}", where(n), attr_int(n, "axis", 1), rank));
            int64_t rows = 1;
            for (int64_t d = 0; d < axis; ++d) rows *= x.dims[size_t(d)];
            dims = {rows, total / rows};
        } else {
            const OnnxTensor* shape = constant(n, 1);
            if (!shape) throw UnsupportedError(fmt::format("{}: the target shape must be a constant", where(n)));
            const bool allow_zero = attr_int(n, "allowzero", 0) != 0;
            int64_t known = 1, infer = -1;
            for (size_t d = 0; d < shape->values.size(); ++d) {
                const double value = shape->values[d];
                if (!(value >= -1 && value <= double(kMaxFileInteger)))
                    throw WorkloadError(fmt::format("{}: target dimension {} is out of range", where(n), value));
                int64_t v = int64_t(value);
                if (v == 0 && !allow_zero) {
                    if (d >= x.dims.size())
                        throw WorkloadError(
                            fmt::format("{}: target dimension {} copies an input dimension that does "
                                        "not exist (input rank {})",
                                        where(n), d, x.dims.size()));
                    v = x.dims[d];
                }
                if (v == -1) {
                    if (infer >= 0)
                        throw WorkloadError(fmt::format("{}: more than one target dimension is -1", where(n)));
                    infer = int64_t(d);
                } else {
                    known = saturating_mul(known, v);
                }
                dims.push_back(v);
            }
            if (infer >= 0) dims[size_t(infer)] = known > 0 && total % known == 0 ? total / known : 0;
        }
        Layer l;
        l.kind = LayerKind::Reshape;
        l.inputs = {x.layer};
        l.reshape_to = onnx_shape(dims, where(n), m_options.limits);
        add_layer(std::move(l), n, dims);
    }

    void softmax(const onnx::NodeProto& n) {
        const Value& x = value(n, 0);
        Layer l;
        l.kind = LayerKind::Softmax;
        l.inputs = {x.layer};
        // Before opset 13 the axis and all later ones form each row; from 13, one axis.
        l.softmax.flatten = m_opset < 13;
        l.softmax.axis = onnx_axis(attr_int(n, "axis", m_opset < 13 ? 1 : -1), x.dims.size(), where(n));
        add_layer(std::move(l), n, x.dims);
    }

    void concat(const onnx::NodeProto& n) {
        Layer l;
        l.kind = LayerKind::Concat;
        std::vector<int64_t> dims = value(n, 0).dims;
        const int64_t rank = int64_t(dims.size());
        int64_t axis = attr_int(n, "axis", 0);
        if (axis < 0) axis += rank;
        l.concat_axis = onnx_axis(axis, dims.size(), where(n));
        for (int i = 0; i < n.input_size(); ++i) {
            const Value& v = value(n, i);
            if (v.dims.size() != dims.size())
                throw WorkloadError(fmt::format("{}: inputs of different ranks", where(n)));
            l.inputs.push_back(v.layer);
            if (i > 0) dims[size_t(axis)] += v.dims[size_t(axis)];
        }
        add_layer(std::move(l), n, dims);
    }

    // Integer scalars (zero points) in npusim's int8 storage: uint8 shifted by -128.
    int32_t zero_point(const onnx::NodeProto& n, int i, bool* is_unsigned = nullptr) const {
        const OnnxTensor* t = constant(n, i);
        if (!t) {
            if (is_unsigned) *is_unsigned = true;  // ONNX's default zero point type is uint8
            return -128;
        }
        if (t->values.empty())
            throw WorkloadError(fmt::format("{}: zero point '{}' holds no value", where(n), t->name));
        for (double v : t->values)
            if (v != t->values.front())
                throw UnsupportedError(
                    fmt::format("{}: per-channel zero points (one zero point per tensor only)", where(n)));
        const bool u = t->type == OnnxType::Uint8;
        if (!u && t->type != OnnxType::Int8)
            throw UnsupportedError(fmt::format("{}: zero point of type {}", where(n), onnx_type_name(t->type)));
        if (is_unsigned) *is_unsigned = u;
        return int32_t(t->values.front()) - (u ? 128 : 0);
    }
    // A scale: one positive, finite float32 (a missing optional scale is 1).
    float scalar(const onnx::NodeProto& n, const OnnxTensor* t) const {
        if (!t) return 1.0f;
        if (t->values.size() != 1 || !(t->values[0] > 0 && t->values[0] <= 3.4e38))
            throw WorkloadError(fmt::format("{}: scale '{}' must be one positive finite value", where(n), t->name));
        return float(t->values[0]);
    }

    // The input's quantization must be what this node reads it with.
    void bind_input_quant(const onnx::NodeProto& n, const Value& x, float scale, int32_t zero_point) {
        Layer& producer = m_out.graph.layers[size_t(x.layer)];
        if (!producer.quant.present)
            throw UnsupportedError(fmt::format("{}: a quantized operator reading a float tensor", where(n)));
        if (m_unset_quant.erase(producer.name)) {
            producer.quant.scale = scale;
            producer.quant.zero_point = zero_point;
        } else if (producer.quant.scale != scale || producer.quant.zero_point != zero_point) {
            throw UnsupportedError(fmt::format("{}: reads '{}' with a scale or zero point other than its producer's",
                                               where(n), producer.name));
        }
    }

    // QLinearConv, QLinearMatMul and ConvInteger: integer operands with zero points.
    void quantized(const onnx::NodeProto& n) {
        const std::string& op = n.op_type();
        const bool integer_out = op == "ConvInteger", matmul = op == "QLinearMatMul";
        const Value& x = value(n, 0);
        // Operand positions: QLinear* (x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B);
        // ConvInteger (x, w, x_zp, w_zp).
        const int w_at = integer_out ? 1 : 3;
        const OnnxTensor* w = constant(n, w_at);
        if (!w || (w->type != OnnxType::Uint8 && w->type != OnnxType::Int8))
            throw UnsupportedError(fmt::format("{}: weights must be a constant uint8 or int8 tensor", where(n)));
        bool y_unsigned = false;
        const bool x_unsigned = m_out.graph.layers[size_t(x.layer)].quant.unsigned_values;
        const bool w_unsigned = w->type == OnnxType::Uint8;
        const int32_t x_zp = integer_out ? zero_point_or_zero(n, 2, x_unsigned) : zero_point(n, 2);
        const int32_t w_zp = integer_out ? zero_point_or_zero(n, 3, w_unsigned) : zero_point(n, 5);
        const float x_scale = integer_out ? 1.0f : scalar(n, constant(n, 1));
        bind_input_quant(n, x, x_scale, x_zp);
        Layer l;
        l.inputs = {x.layer};
        l.quant.present = true;
        l.quant.int32_output = integer_out;
        l.quant.weight_zero_point = w_zp;
        if (!integer_out) {
            l.quant.scale = scalar(n, constant(n, 6));
            l.quant.zero_point = zero_point(n, 7, &y_unsigned);
            l.quant.unsigned_values = y_unsigned;
            const OnnxTensor* ws = constant(n, 4);
            if (!ws || ws->values.empty()) throw WorkloadError(fmt::format("{}: needs the weight scale", where(n)));
            for (double s : ws->values) {
                if (!(s > 0 && s <= 3.4e38))
                    throw WorkloadError(fmt::format("{}: weight scales must be positive finite values", where(n)));
                l.quant.weight_scales.push_back(float(s));
            }
        } else {
            l.quant.weight_scales = {1.0f};
        }
        const int32_t shift = w_unsigned ? 128 : 0;
        std::vector<int64_t> dims;
        if (matmul) {
            if (x.dims.size() != 2 || w->dims.size() != 2)
                throw UnsupportedError(fmt::format("{}: only a 2-D input times a constant 2-D matrix", where(n)));
            const int64_t k = w->dims[0], outs = w->dims[1];
            if (k != x.dims[1])
                throw WorkloadError(fmt::format("{}: A is {}x{} but B has {} rows", where(n), x.dims[0], x.dims[1], k));
            l.kind = LayerKind::FullyConnected;
            l.fc.out_features = outs;
            l.fc.bias = false;
            for (int64_t o = 0; o < outs; ++o)
                for (int64_t i = 0; i < k; ++i)
                    l.quant.weights.push_back(int32_t(w->values[size_t(i * outs + o)]) - shift);
            dims = {x.dims[0], outs};
        } else {
            l.kind = LayerKind::Conv2d;
            if (w->dims.size() != x.dims.size() || x.dims.size() < 3)
                throw WorkloadError(fmt::format("{}: weights of rank {} for an input of rank {} (both 3 or 4)",
                                                where(n), w->dims.size(), x.dims.size()));
            l.conv.filters = w->dims[0];
            l.conv.groups = attr_int(n, "group", 1);
            if (l.conv.groups < 1 || w->dims[1] * l.conv.groups != x.dims[1])
                throw WorkloadError(
                    fmt::format("{}: W holds {} input channels per group for {} input channels in {} "
                                "groups",
                                where(n), w->dims[1], x.dims[1], l.conv.groups));
            l.conv.window = window(n, x.dims, std::vector<int64_t>(w->dims.begin() + 2, w->dims.end()));
            for (double v : w->values) l.quant.weights.push_back(int32_t(v) - shift);
            const OnnxTensor* b = integer_out ? nullptr : constant(n, 8);
            if (b && (b->type != OnnxType::Int32 || int64_t(b->values.size()) != w->dims[0]))
                throw WorkloadError(fmt::format("{}: the bias must be int32 with one value per filter", where(n)));
            l.conv.bias = b != nullptr;
            if (b)
                for (double v : b->values) l.quant.bias.push_back(int32_t(v));
            dims = window_dims(x.dims, w->dims[0], l.conv.window);
        }
        add_layer(std::move(l), n, dims);
    }

    // ConvInteger's optional zero points default to 0 of the operand's type (-128 in npusim's
    // storage for uint8).
    int32_t zero_point_or_zero(const onnx::NodeProto& n, int i, bool operand_unsigned) const {
        if (i >= n.input_size() || n.input(i).empty()) return operand_unsigned ? -128 : 0;
        return zero_point(n, i);
    }

    std::set<std::string> m_unset_quant;  // integer inputs whose scale a reader has yet to give
    const onnx::ModelProto& m_model;
    std::string m_path;
    const OnnxImportOptions& m_options;
    int64_t m_opset = 1;
    OnnxImport m_out;
    std::map<std::string, OnnxTensor> m_constants;
    std::map<std::string, Value> m_values;
};

}  // namespace

OnnxImport import_onnx(const std::string& path, const OnnxImportOptions& options) {
    return import_onnx_bytes(read_file_or_throw<WorkloadError>(path), path, options);
}

OnnxImport import_onnx_bytes(const std::string& bytes, const std::string& source, const OnnxImportOptions& options) {
    onnx::ModelProto model;
    if (!model.ParseFromString(bytes))
        throw WorkloadError(fmt::format("{}: not an ONNX model (protobuf parse failed)", source));
    return Converter(model, source, options).run();
}

}  // namespace npu
