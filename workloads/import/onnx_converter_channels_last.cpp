// ConvNeXt's channels-last islands: a Transpose [0, 2, 3, 1] makes a view of a layer's NCHW
// output in which the channels are the last axis; layer norm over that axis, GELU, a MatMul by a
// constant [C, C'] and a per-channel Add or Mul act on it; a Transpose [0, 3, 1, 2] ends it. Each
// becomes the NCHW layer that computes the same thing (a layer norm over channels, a 1x1 conv, a
// bias or a batchnorm), so the NPU never moves the transposed tensor.
#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <utility>

#include "common/error.h"
#include "workloads/import/onnx_converter.h"

namespace npu::onnx_convert {

void Converter::keep_layout(const onnx::NodeProto& n, const Value& like) {
    m_values[n.output(0)].channels_last = like.channels_last;
}

bool Converter::channels_transpose(const onnx::NodeProto& n, const std::vector<int64_t>& perm) {
    const Value& x = view(n, 0);
    if (x.dims.size() != 4) return false;
    const std::vector<int64_t>& d = x.dims;
    Value out = x;
    if (!x.channels_last && perm == std::vector<int64_t>{0, 2, 3, 1})
        out.dims = {d[0], d[2], d[3], d[1]};
    else if (x.channels_last && perm == std::vector<int64_t>{0, 3, 1, 2})
        out.dims = {d[0], d[3], d[1], d[2]};
    else
        return false;
    out.channels_last = !x.channels_last;
    m_values[n.output(0)] = out;
    return true;
}

void Converter::layer_norm(const onnx::NodeProto& n) {
    const Value& x = view(n, 0);
    for (int k = 1; k < n.output_size(); ++k)
        if (!n.output(k).empty())
            throw UnsupportedError(fmt::format("{}: the Mean and InvStdDev outputs are unsupported", where(n)));
    const int64_t rank = int64_t(x.dims.size());
    int64_t axis = attr_int(n, "axis", -1);
    if (axis < 0) axis += rank;
    const bool channels = (x.channels_last && rank == 4 && axis == 3) || (!x.channels_last && rank == 2 && axis == 1) ||
                          (!x.channels_last && rank == 4 && axis == 1 && x.dims[2] == 1 && x.dims[3] == 1);
    if (!channels)
        throw UnsupportedError(
            fmt::format("{}: normalizes axes {}.. of [{}] (npusim's layer_norm normalizes each pixel's channels: the "
                        "last axis of a channels-last view, or a [N, C] tensor)",
                        where(n), axis, fmt::join(x.dims, ", ")));
    const int64_t c = x.channels_last ? x.dims[3] : x.dims[1];
    Layer l;
    l.kind = LayerKind::LayerNorm;
    l.inputs = {x.layer};
    l.norm_epsilon = attr_float(n, "epsilon", 1e-5f);
    l.weights.assign(size_t(c), 1.0f);
    l.bias_values.assign(size_t(c), 0.0f);
    for (int k = 1; k <= 2; ++k) {
        const OnnxTensor* t = constant(n, k);
        if (!t) continue;
        if (t->elements() != c)
            throw WorkloadError(
                fmt::format("{}: '{}' holds {} values for {} channels", where(n), t->name, t->elements(), c));
        (k == 1 ? l.weights : l.bias_values).assign(t->values.begin(), t->values.end());
    }
    add_layer(std::move(l), n, x.dims);
    keep_layout(n, x);
}

void Converter::gelu(const onnx::NodeProto& n) {
    if (attr_string(n, "approximate", "none") != "none")
        throw UnsupportedError(fmt::format("{}: approximate = tanh (the exact GELU only)", where(n)));
    const Value& x = view(n, 0);
    Layer l;
    l.kind = LayerKind::Unary;
    l.unary.fn = UnaryFn::Gelu;
    l.inputs = {x.layer};
    add_layer(std::move(l), n, x.dims);
    keep_layout(n, x);
}

// [N, H, W, C] x [C, C'] is a 1x1 conv with C' filters on the NCHW layer; its bias comes from the
// Add that reads the product (constant_operand).
void Converter::pointwise(const onnx::NodeProto& n, const Value& a, const OnnxTensor& b) {
    const int64_t c = a.dims[3];
    if (b.dims.size() != 2 || b.dims[0] != c)
        throw UnsupportedError(fmt::format("{}: a channels-last [{}] times [{}] (a constant [{}, C'] only)", where(n),
                                           fmt::join(a.dims, ", "), fmt::join(b.dims, ", "), c));
    const int64_t filters = b.dims[1];
    Layer l;
    l.kind = LayerKind::Conv2d;
    l.inputs = {a.layer};
    l.conv.filters = filters;
    l.conv.bias = false;
    if (!b.elided) {
        l.weights.resize(size_t(filters * c));
        for (int64_t f = 0; f < filters; ++f)
            for (int64_t k = 0; k < c; ++k) l.weights[size_t(f * c + k)] = float(b.values[size_t(k * filters + f)]);
    }
    const int index = add_layer(std::move(l), n, {a.dims[0], a.dims[1], a.dims[2], filters});
    m_biasless[index] = n.output(0);
    keep_layout(n, a);
}

int64_t Converter::channels_of(const onnx::NodeProto& n, const Value& x, const OnnxTensor& c) const {
    const int64_t channels = x.channels_last ? x.dims.back() : x.dims.size() >= 2 ? x.dims[1] : 0;
    std::vector<int64_t> d = c.dims;
    while (!d.empty() && d.front() == 1 && d.size() > 1) d.erase(d.begin());
    const bool per_channel = x.channels_last || x.dims.size() == 2 ? d == std::vector<int64_t>{channels}
                                                                   : d == std::vector<int64_t>{channels, 1, 1};
    if (c.elements() != 1 && !per_channel)
        throw UnsupportedError(
            fmt::format("{}: broadcasting constant [{}] over [{}] (a scalar or one value per channel: [C] on a "
                        "channels-last view or an [N, C] tensor, [C, 1, 1] on N x C x H x W)",
                        where(n), fmt::join(c.dims, ", "), fmt::join(x.dims, ", ")));
    return channels;
}

// x + c: the bias of the conv or matrix product that computed x when nothing else reads that
// product, else a batchnorm's shift; x * c: a batchnorm's scale (which folds into a conv before it).
void Converter::constant_operand(const onnx::NodeProto& n) {
    const int ci = is_constant_input(n, 0) ? 0 : 1, xi = 1 - ci;
    if (n.input_size() != 2 || is_constant_input(n, xi))
        throw UnsupportedError(fmt::format("{}: needs one computed input", where(n)));
    const Value& x = view(n, xi);
    const OnnxTensor& c = *constant(n, ci);
    const int64_t channels = channels_of(n, x, c);
    std::vector<float> values(static_cast<size_t>(channels));
    for (int64_t k = 0; k < channels; ++k) values[size_t(k)] = float(c.values[size_t(c.elements() == 1 ? 0 : k)]);
    const bool add = n.op_type() == "Add";
    const auto biasless = m_biasless.find(x.layer);
    if (add && biasless != m_biasless.end() && biasless->second == n.input(xi) && m_reader_count[n.input(xi)] == 1) {
        Layer& producer = m_out.graph.layers[size_t(x.layer)];
        (producer.kind == LayerKind::Conv2d ? producer.conv.bias : producer.fc.bias) = true;
        producer.bias_values = std::move(values);
        m_biasless.erase(biasless);
        m_values[n.output(0)] = x;
        return;
    }
    Layer l;
    l.kind = LayerKind::BatchNorm;
    l.inputs = {x.layer};
    l.weights = add ? std::vector<float>(size_t(channels), 1.0f) : values;
    l.bias_values = add ? values : std::vector<float>(size_t(channels), 0.0f);
    add_layer(std::move(l), n, x.dims);
    keep_layout(n, x);
}

}  // namespace npu::onnx_convert
