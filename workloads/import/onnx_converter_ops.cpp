// The supported ONNX operators, each turned into npusim layers (Converter::convert dispatches).
#include "workloads/import/onnx_converter.h"

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

void Converter::conv(const onnx::NodeProto& n) {
    const Value& x = padded_input(n);
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
        throw WorkloadError(fmt::format("{}: W holds {} input channels per group for {} input channels in {} groups",
                                        where(n), w->dims[1], x.dims[1], l.conv.groups));
    if (b && b->elements() != w->dims[0])
        throw WorkloadError(fmt::format("{}: B holds {} values for {} filters", where(n), b->elements(), w->dims[0]));
    l.conv.window = window(n, x.dims, std::vector<int64_t>(w->dims.begin() + 2, w->dims.end()));
    take_pad(n, l.conv.window);  // a zero Pad before the conv is more of its padding
    l.conv.bias = b != nullptr;
    l.weights.assign(w->values.begin(), w->values.end());
    if (b) l.bias_values.assign(b->values.begin(), b->values.end());
    add_layer(std::move(l), n, window_dims(x.dims, w->dims[0], l.conv.window));
}

void Converter::gemm(const onnx::NodeProto& n) {
    if (n.op_type() == "MatMul" && view(n, 0).channels_last && constant(n, 1))
        return pointwise(n, view(n, 0), *constant(n, 1));
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
    if (!b->elided) {  // a structure-only import gives the layer its shape alone
        l.weights.resize(size_t(outs * k));
        for (int64_t o = 0; o < outs; ++o)
            for (int64_t i = 0; i < k; ++i)
                l.weights[size_t(o * k + i)] = float(alpha * b->values[size_t(trans_b ? o * k + i : i * outs + o)]);
    }
    const OnnxTensor* c = is_gemm ? constant(n, 2) : nullptr;
    l.fc.bias = c != nullptr;
    if (c) {
        // A scalar or one value per output column; a full M x N matrix is unsupported.
        const bool row = c->elements() == outs && (c->dims.size() < 2 || c->dims[0] == 1);
        if (c->elements() != 1 && !row)
            throw UnsupportedError(fmt::format("{}: C of shape [{}] (only a scalar or one value per output)", where(n),
                                               fmt::join(c->dims, ", ")));
        for (int64_t o = 0; o < outs; ++o)
            l.bias_values.push_back(float(beta * c->values[size_t(c->elements() == 1 ? 0 : o)]));
    }
    const bool biasless = !l.fc.bias;
    const int index = add_layer(std::move(l), n, {a.dims[0], outs});
    if (biasless) m_biasless[index] = n.output(0);
}

void Converter::pool(const onnx::NodeProto& n) {
    const Value& x = padded_input(n);
    const bool is_max = n.op_type() == "MaxPool";
    if (n.output_size() > 1) throw UnsupportedError(fmt::format("{}: the Indices output is unsupported", where(n)));
    if (attr_int(n, "storage_order", 0) != 0)
        throw UnsupportedError(fmt::format("{}: storage_order = 1 is unsupported", where(n)));
    Layer l;
    l.kind = is_max ? LayerKind::MaxPool : LayerKind::AvgPool;
    l.inputs = {x.layer};
    l.pool.window = window(n, x.dims, {});
    l.pool.count_include_pad = attr_int(n, "count_include_pad", 0) != 0;
    const Window2d own = l.pool.window;
    if (take_pad(n, l.pool.window)) {
        // The Pad's zeros are cells the average counts; the pool's own padding must agree.
        const bool own_pads = own.pad_top || own.pad_left || own.pad_bottom || own.pad_right;
        if (is_max || (own_pads && !l.pool.count_include_pad))
            throw UnsupportedError(
                fmt::format("{}: a zero Pad before a {} (only before an AveragePool that counts "
                            "its padding, or a Conv)",
                            where(n), is_max ? "MaxPool" : "pool with count_include_pad = 0"));
        l.pool.count_include_pad = true;
    }
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

void Converter::clip(const onnx::NodeProto& n) {
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

void Converter::global_pool(const onnx::NodeProto& n) {
    const Value& x = value(n, 0);
    if (x.dims.size() < 3) throw WorkloadError(fmt::format("{}: needs a rank 3 or 4 input", where(n)));
    global_average(n, x);
}

int Converter::global_average(const onnx::NodeProto& n, const Value& x) {
    Layer l;
    l.kind = LayerKind::GlobalAvgPool;
    l.inputs = {x.layer};
    std::vector<int64_t> dims(x.dims.size(), 1);
    dims[0] = x.dims[0];
    dims[1] = x.dims[1];
    return add_layer(std::move(l), n, dims);
}

void Converter::add(const onnx::NodeProto& n) {
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

void Converter::batchnorm(const onnx::NodeProto& n) {
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

void Converter::reshape(const onnx::NodeProto& n) {
    const auto shuffle = n.op_type() == "Reshape" ? m_shuffles.find(n.input(0)) : m_shuffles.end();
    const Value x = shuffle != m_shuffles.end() ? shuffle->second.view : value(n, 0);
    int64_t total = 1;  // the input passed onnx_shape, so this is within the limits
    for (int64_t d : x.dims) total *= d;
    std::vector<int64_t> dims;
    bool follows_batch = false;  // the first output dimension is the input's batch (see reshape_input)
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
        follows_batch = axis == 1;
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
                if (infer >= 0) throw WorkloadError(fmt::format("{}: more than one target dimension is -1", where(n)));
                infer = int64_t(d);
            } else {
                known = saturating_mul(known, v);
            }
            dims.push_back(v);
        }
        if (infer >= 0) dims[size_t(infer)] = known > 0 && total % known == 0 ? total / known : 0;
        // [0, ...] copies the batch; [-1, ...] keeps it when the other dimensions are one image's.
        follows_batch = !dims.empty() && !x.dims.empty() && dims[0] == x.dims[0] &&
                        (shape->values[0] == -1 || (shape->values[0] == 0 && !allow_zero));
    }
    if (shuffle != m_shuffles.end()) return finish_shuffle(n, shuffle->second, dims);
    if (dims.size() == 5) return begin_shuffle(n, x, dims);
    Layer l;
    l.kind = LayerKind::Reshape;
    l.inputs = {x.layer};
    l.reshape_to = onnx_shape(dims, where(n), m_options.limits);
    l.reshape_keeps_batch = follows_batch;
    add_layer(std::move(l), n, dims);
}

void Converter::softmax(const onnx::NodeProto& n) {
    const Value& x = value(n, 0);
    Layer l;
    l.kind = LayerKind::Softmax;
    l.inputs = {x.layer};
    // Before opset 13 the axis and all later ones form each row; from 13, one axis.
    l.softmax.flatten = m_opset < 13;
    l.softmax.axis = onnx_axis(attr_int(n, "axis", m_opset < 13 ? 1 : -1), x.dims.size(), where(n));
    add_layer(std::move(l), n, x.dims);
}

void Converter::concat(const onnx::NodeProto& n) {
    Layer l;
    l.kind = LayerKind::Concat;
    std::vector<int64_t> dims = value(n, 0).dims;
    const int64_t rank = int64_t(dims.size());
    int64_t axis = attr_int(n, "axis", 0);
    if (axis < 0) axis += rank;
    l.concat_axis = onnx_axis(axis, dims.size(), where(n));
    for (int i = 0; i < n.input_size(); ++i) {
        const Value& v = value(n, i);
        if (v.dims.size() != dims.size()) throw WorkloadError(fmt::format("{}: inputs of different ranks", where(n)));
        l.inputs.push_back(v.layer);
        if (i > 0) dims[size_t(axis)] += v.dims[size_t(axis)];
    }
    add_layer(std::move(l), n, dims);
}

void Converter::quantized(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    const bool integer_out = op == "ConvInteger", matmul = op == "QLinearMatMul";
    const Value& x = value(n, 0);
    // Operand positions: QLinear* (x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B);
    // ConvInteger (x, w, x_zp, w_zp).
    const int w_at = integer_out ? 1 : 3;
    const OnnxTensor* w = constant(n, w_at);
    if (!w || (w->type != OnnxType::Uint8 && w->type != OnnxType::Int8))
        throw UnsupportedError(fmt::format("{}: weights must be a constant uint8 or int8 tensor", where(n)));
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
    if (!integer_out)
        quantized_output(n, l);
    else
        l.quant.weight_scales = {1.0f};
    const int32_t shift = w_unsigned ? 128 : 0;
    const std::vector<int64_t> dims =
        matmul ? quantized_matmul(n, x, *w, shift, l) : quantized_conv(n, x, *w, shift, integer_out, l);
    add_layer(std::move(l), n, dims);
}

void Converter::quantized_output(const onnx::NodeProto& n, Layer& l) {
    bool y_unsigned = false;
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
}

std::vector<int64_t> Converter::quantized_matmul(const onnx::NodeProto& n, const Value& x, const OnnxTensor& w,
                                                 int32_t shift, Layer& l) {
    if (x.dims.size() != 2 || w.dims.size() != 2)
        throw UnsupportedError(fmt::format("{}: only a 2-D input times a constant 2-D matrix", where(n)));
    const int64_t k = w.dims[0], outs = w.dims[1];
    if (k != x.dims[1])
        throw WorkloadError(fmt::format("{}: A is {}x{} but B has {} rows", where(n), x.dims[0], x.dims[1], k));
    l.kind = LayerKind::FullyConnected;
    l.fc.out_features = outs;
    l.fc.bias = false;
    for (int64_t o = 0; o < outs; ++o)
        for (int64_t i = 0; i < k; ++i) l.quant.weights.push_back(int32_t(w.values[size_t(i * outs + o)]) - shift);
    return {x.dims[0], outs};
}

std::vector<int64_t> Converter::quantized_conv(const onnx::NodeProto& n, const Value& x, const OnnxTensor& w,
                                               int32_t shift, bool integer_out, Layer& l) {
    l.kind = LayerKind::Conv2d;
    if (w.dims.size() != x.dims.size() || x.dims.size() < 3)
        throw WorkloadError(fmt::format("{}: weights of rank {} for an input of rank {} (both 3 or 4)", where(n),
                                        w.dims.size(), x.dims.size()));
    l.conv.filters = w.dims[0];
    l.conv.groups = attr_int(n, "group", 1);
    if (l.conv.groups < 1 || w.dims[1] * l.conv.groups != x.dims[1])
        throw WorkloadError(fmt::format("{}: W holds {} input channels per group for {} input channels in {} groups",
                                        where(n), w.dims[1], x.dims[1], l.conv.groups));
    l.conv.window = window(n, x.dims, std::vector<int64_t>(w.dims.begin() + 2, w.dims.end()));
    for (double v : w.values) l.quant.weights.push_back(int32_t(v) - shift);
    const OnnxTensor* b = integer_out ? nullptr : constant(n, 8);
    if (b && (b->type != OnnxType::Int32 || int64_t(b->values.size()) != w.dims[0]))
        throw WorkloadError(fmt::format("{}: the bias must be int32 with one value per filter", where(n)));
    l.conv.bias = b != nullptr;
    if (b)
        for (double v : b->values) l.quant.bias.push_back(int32_t(v));
    return window_dims(x.dims, w.dims[0], l.conv.window);
}

}  // namespace npu::onnx_convert
