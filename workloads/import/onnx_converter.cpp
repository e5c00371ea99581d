#include "workloads/import/onnx_converter.h"
#include "workloads/import/onnx_patterns.h"

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

namespace npu::onnx_convert {

namespace {

// Initializers read only as the weights of a Conv or the B of a Gemm or MatMul: what a
// structure-only import may leave undecoded.
std::set<std::string> weight_only_tensors(const onnx::GraphProto& g) {
    std::set<std::string> weights, other;
    for (const auto& n : g.node())
        for (int i = 0; i < n.input_size(); ++i) {
            const bool weight = i == 1 && (n.op_type() == "Conv" || n.op_type() == "Gemm" || n.op_type() == "MatMul");
            (weight ? weights : other).insert(n.input(i));
        }
    for (const std::string& name : other) weights.erase(name);
    return weights;
}

}  // namespace

OnnxImport Converter::run() {
    const onnx::GraphProto& g = m_model.graph();
    const FusedNodes fused = fuse_patterns(g);
    check_operators(fused.order);
    for (const onnx::NodeProto* n : fused.order)
        for (const std::string& in : n->input()) ++m_reader_count[in];
    for (const auto& out : g.output()) ++m_reader_count[out.name()];
    const std::set<std::string> elidable = m_options.structure_only ? weight_only_tensors(g) : std::set<std::string>{};
    for (int i = 0; i < g.initializer_size(); ++i) {
        const onnx::TensorProto& t = g.initializer(i);
        const std::string_view held = size_t(i) < m_held_back.size() ? m_held_back[size_t(i)] : std::string_view{};
        m_constants[t.name()] = decode_tensor(t, m_path, elidable.count(t.name()) > 0, held);
    }
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
    for (const onnx::NodeProto* node : fused.order) convert(*node);
    for (const auto& out : g.output()) {
        const auto v = m_values.find(out.name());
        if (v == m_values.end())
            throw UnsupportedError(
                fmt::format("{}: graph output '{}' is not computed by a supported node", m_path, out.name()));
        if (v->second.channels_last)
            throw UnsupportedError(
                fmt::format("{}: graph output '{}' is channels last (N x H x W x C)", m_path, out.name()));
        m_out.output_names.push_back(out.name());
        m_out.output_layers.push_back(v->second.layer);
    }
    infer_shapes(m_out.graph, m_options.limits);
    return std::move(m_out);
}

std::string Converter::node_name(const onnx::NodeProto& n) {
    return n.name().empty() ? (n.output_size() ? n.output(0) : std::string("?")) : n.name();
}

std::string Converter::where(const onnx::NodeProto& n) const {
    return fmt::format("{}: node '{}' ({})", m_path, node_name(n), n.op_type());
}

void Converter::check_operators(const std::vector<const onnx::NodeProto*>& nodes) {
    std::set<std::string> seen, missing;
    const auto& ok = supported_onnx_operators();
    for (const onnx::NodeProto* node : nodes) {
        const onnx::NodeProto& n = *node;
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

std::set<std::string> Converter::constant_inputs(const onnx::GraphProto& g) {
    std::set<std::string> names;
    for (const auto& n : g.node()) {
        const std::string& op = n.op_type();
        int first = -1;
        if (op == "Conv" || op == "Gemm" || op == "MatMul" || op == "BatchNormalization" || op == "Clip" ||
            op == "Reshape" || op == "QLinearConv" || op == "QLinearMatMul" || op == "ConvInteger" || op == "Slice" ||
            op == "Split" || op == "Unsqueeze" || op == "Squeeze" || op == "LayerNormalization")
            first = 1;
        if (first < 0) continue;
        for (int i = first; i < n.input_size(); ++i)
            if (!n.input(i).empty()) names.insert(n.input(i));
    }
    return names;
}

void Converter::add_input(const onnx::ValueInfoProto& in, const OnnxTensor* value) {
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

const Value& Converter::value(const onnx::NodeProto& n, int i) const {
    const Value& v = view(n, i);
    if (v.channels_last)
        throw UnsupportedError(
            fmt::format("{}: reads '{}', a channels-last view (Transpose [0, 2, 3, 1]); npusim follows one only "
                        "through LayerNormalization, Gelu, MatMul by a constant, Add and Mul of a per-channel "
                        "constant, and the Transpose [0, 3, 1, 2] back",
                        where(n), n.input(i)));
    return v;
}

bool Converter::is_constant_input(const onnx::NodeProto& n, int i) const {
    return i < n.input_size() && m_constants.count(n.input(i)) > 0;
}

const Value& Converter::view(const onnx::NodeProto& n, int i) const {
    if (i >= n.input_size() || n.input(i).empty())
        throw WorkloadError(fmt::format("{}: input {} is missing", where(n), i));
    const auto v = m_values.find(n.input(i));
    if (v == m_values.end()) {
        if (m_shuffles.count(n.input(i)))
            throw UnsupportedError(
                fmt::format("{}: reads '{}', a grouped view of a channel shuffle (a reshape to rank 5 and its "
                            "transpose are only supported as a channel shuffle's first two nodes)",
                            where(n), n.input(i)));
        if (m_pads.count(n.input(i)))
            throw UnsupportedError(
                fmt::format("{}: reads Pad output '{}' (a zero Pad folds only into the Conv or "
                            "AveragePool that reads it)",
                            where(n), n.input(i)));
        if (m_constants.count(n.input(i)))
            throw UnsupportedError(
                fmt::format("{}: input '{}' is a constant where npusim needs a computed tensor", where(n), n.input(i)));
        throw WorkloadError(fmt::format("{}: input '{}' is not produced by an earlier node", where(n), n.input(i)));
    }
    return v->second;
}

const OnnxTensor* Converter::constant(const onnx::NodeProto& n, int i) const {
    if (i >= n.input_size() || n.input(i).empty()) return nullptr;
    const auto c = m_constants.find(n.input(i));
    if (c == m_constants.end())
        throw UnsupportedError(fmt::format("{}: input '{}' must be a constant (initializer)", where(n), n.input(i)));
    return &c->second;
}

const onnx::AttributeProto* Converter::attribute(const onnx::NodeProto& n, const std::string& name) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return &a;
    return nullptr;
}

int64_t Converter::checked_int(const onnx::NodeProto& n, const std::string& name, int64_t v) {
    if (v > kMaxFileInteger || v < -kMaxFileInteger)
        throw WorkloadError(fmt::format("node '{}' ({}): attribute {} = {} is out of range (below 2^31)", n.name(),
                                        n.op_type(), name, v));
    return v;
}

int64_t Converter::attr_int(const onnx::NodeProto& n, const std::string& name, int64_t fallback) {
    const auto* a = attribute(n, name);
    return a ? checked_int(n, name, a->i()) : fallback;
}

float Converter::attr_float(const onnx::NodeProto& n, const std::string& name, float fallback) {
    const auto* a = attribute(n, name);
    return a ? a->f() : fallback;
}

std::vector<int64_t> Converter::attr_ints(const onnx::NodeProto& n, const std::string& name) {
    const auto* a = attribute(n, name);
    std::vector<int64_t> v;
    if (a)
        for (int64_t i : a->ints()) v.push_back(checked_int(n, name, i));
    return v;
}

std::string Converter::attr_string(const onnx::NodeProto& n, const std::string& name, const std::string& fallback) {
    const auto* a = attribute(n, name);
    return a ? a->s() : fallback;
}

int Converter::add_layer(Layer l, const onnx::NodeProto& n, std::vector<int64_t> dims, int output) {
    // Every computed tensor passes the same checks as a graph input (rank, positive sizes,
    // limits), so later nodes may multiply its dimensions safely.
    onnx_shape(dims, where(n), m_options.limits);
    l.name = output == 0 ? node_name(n) : fmt::format("{}_{}", node_name(n), output);
    while (m_out.graph.find(l.name) >= 0) l.name += "_";
    const int index = m_out.graph.add(std::move(l));
    m_values[n.output(output)] = Value{index, std::move(dims)};
    return index;
}

Window2d Converter::window(const onnx::NodeProto& n, const std::vector<int64_t>& in, std::vector<int64_t> kernel) {
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
            throw WorkloadError(fmt::format("{}: kernel, strides and dilations must be >= 1 and pads >= 0", where(n)));
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

std::vector<int64_t> Converter::window_dims(const std::vector<int64_t>& in, int64_t channels, const Window2d& w) {
    std::vector<int64_t> out = {in[0], channels};
    if (in.size() == 4) out.push_back(window_output(in[2], w.pad_top, w.pad_bottom, w.extent_h(), w.stride_h));
    out.push_back(window_output(in.back(), w.pad_left, w.pad_right, w.extent_w(), w.stride_w));
    return out;
}

void Converter::convert(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    if (n.output_size() < 1 || n.output(0).empty())
        throw WorkloadError(fmt::format("{}: the node has no output", where(n)));
    if (op == "Constant") return constant_node(n);
    if (fold_constant(n)) return;
    if (op == "Slice") return slice(n);
    if (op == "Split") return split(n);
    if (op == "Transpose") return transpose(n);
    if (op == "Identity" || op == "Dropout") return pass_through(n);
    if (op == "ReduceMean") return reduce_mean(n);
    if (op == "Pad") return pad(n);
    if (op == "Sigmoid" || op == "HardSigmoid" || op == "Tanh" || op == "HardSwish" || op == "Erf" || op == "Sqrt")
        return unary(n);
    if (op == "LayerNormalization") return layer_norm(n);
    if (op == "Gelu") return gelu(n);
    if ((op == "Mul" || op == "Add") && (is_constant_input(n, 0) || is_constant_input(n, 1)))
        return constant_operand(n);
    if (op == "Mul") return mul(n);
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
    if (op == "Cast" || op == "Div" || op == "Gather" || op == "Shape" || op == "Squeeze" || op == "Sub" ||
        op == "Unsqueeze")
        throw UnsupportedError(
            fmt::format("{}: on a computed tensor (npusim folds it on constants only: the shape "
                        "arithmetic exporters write)",
                        where(n)));
    throw UnsupportedError(fmt::format("{}: unsupported operator", where(n)));
}

void Converter::constant_node(const onnx::NodeProto& n) {
    const auto* a = attribute(n, "value");
    if (!a || !a->has_t()) throw UnsupportedError(fmt::format("{}: only tensor-valued constants", where(n)));
    m_constants[n.output(0)] = decode_tensor(a->t(), where(n));
}

int32_t Converter::zero_point(const onnx::NodeProto& n, int i, bool* is_unsigned) const {
    const OnnxTensor* t = constant(n, i);
    if (!t) {
        if (is_unsigned) *is_unsigned = true;  // ONNX's default zero point type is uint8
        return -128;
    }
    if (t->values.empty()) throw WorkloadError(fmt::format("{}: zero point '{}' holds no value", where(n), t->name));
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

float Converter::scalar(const onnx::NodeProto& n, const OnnxTensor* t) const {
    if (!t) return 1.0f;
    if (t->values.size() != 1 || !(t->values[0] > 0 && t->values[0] <= 3.4e38))
        throw WorkloadError(fmt::format("{}: scale '{}' must be one positive finite value", where(n), t->name));
    return float(t->values[0]);
}

void Converter::bind_input_quant(const onnx::NodeProto& n, const Value& x, float scale, int32_t zero_point) {
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

int32_t Converter::zero_point_or_zero(const onnx::NodeProto& n, int i, bool operand_unsigned) const {
    if (i >= n.input_size() || n.input(i).empty()) return operand_unsigned ? -128 : 0;
    return zero_point(n, i);
}

}  // namespace npu::onnx_convert
