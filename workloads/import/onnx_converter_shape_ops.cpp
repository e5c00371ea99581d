// The ONNX operators that move no data or reduce to one npusim already has: Identity, Dropout in
// inference, ReduceMean over the spatial axes.
#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <algorithm>

#include "common/error.h"
#include "common/limits.h"
#include "workloads/import/onnx_converter.h"

namespace npu::onnx_convert {

void Converter::pass_through(const onnx::NodeProto& n) {
    if (n.input_size() < 1 || n.input(0).empty()) throw WorkloadError(fmt::format("{}: needs an input", where(n)));
    if (n.op_type() == "Dropout") {
        // Opset 12 made training a third input; before, training was never a graph's business.
        if (const OnnxTensor* training = n.input_size() > 2 ? constant(n, 2) : nullptr;
            training && !training->values.empty() && training->values.front() != 0)
            throw UnsupportedError(fmt::format("{}: training_mode = true (inference only)", where(n)));
        if (n.input_size() > 2 && !n.input(2).empty() && !constant(n, 2))
            throw UnsupportedError(fmt::format("{}: training_mode must be a constant", where(n)));
        if (n.output_size() > 1 && !n.output(1).empty())
            throw UnsupportedError(fmt::format("{}: the mask output (inference has none to give)", where(n)));
    }
    const auto constant_in = m_constants.find(n.input(0));
    if (constant_in != m_constants.end()) {
        m_constants[n.output(0)] = constant_in->second;
        return;
    }
    m_values[n.output(0)] = value(n, 0);
}

void Converter::reduce_mean(const onnx::NodeProto& n) {
    const Value& x = value(n, 0);
    const int64_t rank = int64_t(x.dims.size());
    // Opset 18 moved the axes from an attribute to an optional second input.
    std::vector<int64_t> axes = attr_ints(n, "axes");
    if (n.input_size() > 1 && !n.input(1).empty()) {
        const OnnxTensor* given = constant(n, 1);
        if (!given) throw UnsupportedError(fmt::format("{}: the axes must be a constant", where(n)));
        axes.assign(given->values.begin(), given->values.end());
    }
    for (int64_t& a : axes) {
        if (a < -rank || a >= rank)
            throw WorkloadError(fmt::format("{}: axis {} out of range for rank {}", where(n), a, rank));
        if (a < 0) a += rank;
    }
    std::sort(axes.begin(), axes.end());
    std::vector<int64_t> spatial;
    for (int64_t a = 2; a < rank; ++a) spatial.push_back(a);
    if (rank < 3 || axes != spatial)
        throw UnsupportedError(
            fmt::format("{}: a mean over axes [{}] of a rank {} tensor (only the spatial axes, a "
                        "global average pool)",
                        where(n), fmt::join(axes, ", "), rank));
    const int index = global_average(n, x);  // N x C x 1 x 1
    if (attr_int(n, "keepdims", 1) != 0) return;
    Layer flat;  // keepdims = 0: N x C
    flat.kind = LayerKind::Reshape;
    flat.inputs = {index};
    flat.reshape_to = onnx_shape({x.dims[0], x.dims[1]}, where(n), m_options.limits);
    flat.reshape_keeps_batch = true;
    add_layer(std::move(flat), n, {x.dims[0], x.dims[1]});
}

void Converter::pad(const onnx::NodeProto& n) {
    const Value& x = value(n, 0);
    const size_t rank = x.dims.size();
    if (attr_string(n, "mode", "constant") != "constant")
        throw UnsupportedError(
            fmt::format("{}: mode '{}' (constant zeros only)", where(n), attr_string(n, "mode", "")));
    // Opset 11 moved pads and the fill value from attributes to inputs; 18 added axes.
    std::vector<int64_t> pads = attr_ints(n, "pads");
    if (n.input_size() > 1 && !n.input(1).empty()) {
        const OnnxTensor* given = constant(n, 1);
        if (!given) throw UnsupportedError(fmt::format("{}: the pads must be a constant", where(n)));
        pads.assign(given->values.begin(), given->values.end());
    }
    const OnnxTensor* fill = n.input_size() > 2 && !n.input(2).empty() ? constant(n, 2) : nullptr;
    if ((n.input_size() > 2 && !n.input(2).empty() && !fill) ||
        (fill && !fill->values.empty() && fill->values[0] != 0) || attr_float(n, "value", 0.0f) != 0.0f)
        throw UnsupportedError(fmt::format("{}: a fill value other than 0", where(n)));
    if (n.input_size() > 3 && !n.input(3).empty()) throw UnsupportedError(fmt::format("{}: the axes input", where(n)));
    if (pads.size() != 2 * rank)
        throw WorkloadError(fmt::format("{}: {} pads for a rank {} tensor (2 per axis)", where(n), pads.size(), rank));
    PendingPad p{n.input(0), {}, {}};
    bool any = false;
    for (size_t a = 0; a < rank; ++a) {
        const int64_t before = pads[a], after = pads[rank + a];
        if (before < 0 || after < 0 || before > kMaxFileInteger || after > kMaxFileInteger)
            throw UnsupportedError(
                fmt::format("{}: pads [{}] (cropping and huge pads are unsupported)", where(n), fmt::join(pads, ", ")));
        if (a < 2 && (before || after))
            throw UnsupportedError(fmt::format("{}: padding the batch or channel axis", where(n)));
        if (a >= 2) p.begin.push_back(before), p.end.push_back(after);
        any = any || before || after;
    }
    if (!any) {
        m_values[n.output(0)] = x;  // a Pad of nothing
        return;
    }
    m_pads[n.output(0)] = std::move(p);
}

const Value& Converter::padded_input(const onnx::NodeProto& n) const {
    const auto found = n.input_size() > 0 ? m_pads.find(n.input(0)) : m_pads.end();
    if (found == m_pads.end()) return value(n, 0);
    const auto v = m_values.find(found->second.input);
    if (v == m_values.end()) throw WorkloadError(fmt::format("{}: the Pad before it reads no tensor", where(n)));
    return v->second;
}

const PendingPad* Converter::take_pad(const onnx::NodeProto& n, Window2d& w) const {
    const auto found = n.input_size() > 0 ? m_pads.find(n.input(0)) : m_pads.end();
    if (found == m_pads.end()) return nullptr;
    if (attr_string(n, "auto_pad", "NOTSET") != "NOTSET")
        throw UnsupportedError(fmt::format("{}: auto_pad after a Pad", where(n)));
    const PendingPad& p = found->second;
    const size_t x = p.begin.size() - 1;  // the last spatial axis is the width
    w.pad_left += p.begin[x];
    w.pad_right += p.end[x];
    if (p.begin.size() == 2) w.pad_top += p.begin[0], w.pad_bottom += p.end[0];
    return &p;
}

}  // namespace npu::onnx_convert
