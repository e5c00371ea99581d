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

namespace {

// A Slice's starts, ends, axes or steps: a constant input (opset 10) or an attribute (before),
// clamped into int64 range (exporters write INT64_MAX for "to the end").
std::vector<int64_t> slice_values(const Converter::SliceArgs& a, int which) {
    std::vector<int64_t> v;
    for (double d : a.given[size_t(which)]) v.push_back(int64_t(std::clamp(d, -4.0e18, 4.0e18)));
    return v;
}

}  // namespace

void Converter::slice(const onnx::NodeProto& n) {
    const Value& x = value(n, 0);
    const int64_t rank = int64_t(x.dims.size());
    SliceArgs args;
    const char* names[4] = {"starts", "ends", "axes", "steps"};
    for (int k = 0; k < 4; ++k) {
        if (m_opset < 10) {  // raw: exporters write INT64_MAX for "to the end", clamped below
            if (const onnx::AttributeProto* a = attribute(n, names[k]))
                for (int64_t v : a->ints()) args.given[size_t(k)].push_back(double(v));
        } else if (attribute(n, names[k])) {
            throw WorkloadError(fmt::format("{}: {} is an input from opset 10, not an attribute", where(n), names[k]));
        } else if (const OnnxTensor* t = constant(n, k + 1)) {
            args.given[size_t(k)] = t->values;
        } else if (k < 2) {
            throw WorkloadError(fmt::format("{}: missing input '{}'", where(n), names[k]));
        }
    }
    const std::vector<int64_t> starts = slice_values(args, 0), ends = slice_values(args, 1);
    std::vector<int64_t> axes = slice_values(args, 2), steps = slice_values(args, 3);
    if (starts.size() != ends.size())
        throw WorkloadError(fmt::format("{}: starts and ends differ in length", where(n)));
    if (axes.empty())
        for (size_t k = 0; k < starts.size(); ++k) axes.push_back(int64_t(k));
    if (axes.size() != starts.size() || (!steps.empty() && steps.size() != starts.size()))
        throw WorkloadError(fmt::format("{}: axes and steps need one value per start", where(n)));
    std::vector<int64_t> dims = x.dims;
    Layer l;
    l.kind = LayerKind::Slice;
    l.inputs = {x.layer};
    int sliced = 0;
    for (size_t k = 0; k < starts.size(); ++k) {
        const int64_t a = axes[k] < 0 ? axes[k] + rank : axes[k];
        if (a < 0 || a >= rank)
            throw WorkloadError(fmt::format("{}: axis {} out of range for rank {}", where(n), axes[k], rank));
        if (!steps.empty() && steps[k] != 1) throw UnsupportedError(fmt::format("{}: steps other than 1", where(n)));
        const int64_t size = x.dims[size_t(a)];
        const auto clamp = [size](int64_t v) { return std::clamp(v < 0 ? v + size : v, int64_t(0), size); };
        const int64_t begin = clamp(starts[k]), end = clamp(ends[k]);
        if (end <= begin) throw UnsupportedError(fmt::format("{}: an empty slice", where(n)));
        if (begin == 0 && end == size) continue;
        ++sliced;
        l.slice = SliceAttrs{onnx_axis(a, size_t(rank), where(n)), begin, end};
        dims[size_t(a)] = end - begin;
    }
    if (sliced > 1) throw UnsupportedError(fmt::format("{}: a slice of several axes (one axis at a time)", where(n)));
    if (sliced == 0) {
        m_values[n.output(0)] = x;  // the whole tensor
        return;
    }
    add_layer(std::move(l), n, dims);
}

void Converter::begin_shuffle(const onnx::NodeProto& n, const Value& x, const std::vector<int64_t>& dims) {
    const std::vector<int64_t>& in = x.dims;
    if (in.size() != 4 || dims[0] != in[0] || dims[1] < 1 || dims[1] * dims[2] != in[1] || dims[3] != in[2] ||
        dims[4] != in[3])
        throw UnsupportedError(
            fmt::format("{}: a reshape of [{}] to rank 5 [{}] (only a channel shuffle's N x g x C/g x H x W)", where(n),
                        fmt::join(in, ", "), fmt::join(dims, ", ")));
    m_shuffles[n.output(0)] = PendingShuffle{Value{x.layer, dims}, in, dims[1], false};
}

void Converter::transpose(const onnx::NodeProto& n) {
    std::vector<int64_t> perm = attr_ints(n, "perm");
    const auto pending = m_shuffles.find(n.input(0));
    if (pending != m_shuffles.end() && !pending->second.transposed && perm == std::vector<int64_t>{0, 2, 1, 3, 4}) {
        PendingShuffle p = pending->second;
        p.transposed = true;
        std::swap(p.view.dims[1], p.view.dims[2]);
        m_shuffles[n.output(0)] = p;
        return;
    }
    if (channels_transpose(n, perm)) return;
    const Value& x = value(n, 0);
    std::vector<int64_t> identity(x.dims.size());
    for (size_t d = 0; d < identity.size(); ++d) identity[d] = int64_t(d);
    if (perm.empty() || perm != identity)
        throw UnsupportedError(
            fmt::format("{}: perm [{}] (a Transpose moves data only as a channel shuffle: a reshape to N x g x C/g x H "
                        "x W, perm [0, 2, 1, 3, 4], a reshape back)",
                        where(n), fmt::join(perm, ", ")));
    m_values[n.output(0)] = x;
}

void Converter::finish_shuffle(const onnx::NodeProto& n, const PendingShuffle& p, const std::vector<int64_t>& dims) {
    if (!p.transposed || dims != p.original)
        throw UnsupportedError(
            fmt::format("{}: a reshape of a grouped [{}] tensor to [{}] (a channel shuffle transposes the groups, then "
                        "reshapes back to [{}])",
                        where(n), fmt::join(p.view.dims, ", "), fmt::join(dims, ", "), fmt::join(p.original, ", ")));
    Layer l;
    l.kind = LayerKind::ChannelShuffle;
    l.inputs = {p.view.layer};
    l.shuffle_groups = p.groups;
    add_layer(std::move(l), n, dims);
}

std::vector<int64_t> Converter::split_sizes(const onnx::NodeProto& n, int64_t size) const {
    std::vector<int64_t> sizes = attr_ints(n, "split");  // before opset 13: an attribute
    if (const OnnxTensor* given = m_opset >= 13 ? constant(n, 1) : nullptr)
        for (double v : given->values) sizes.push_back(int64_t(v));
    const int64_t parts = sizes.empty() ? attr_int(n, "num_outputs", n.output_size()) : int64_t(sizes.size());
    if (parts != n.output_size())
        throw WorkloadError(fmt::format("{}: {} parts for {} outputs", where(n), parts, n.output_size()));
    if (sizes.empty()) {
        // Equal parts; from opset 18 the last may be smaller (each ceil(size / parts)).
        const int64_t part = (size + parts - 1) / parts;
        if (m_opset < 18 && size % parts != 0)
            throw WorkloadError(fmt::format("{}: {} elements do not split in {} equal parts", where(n), size, parts));
        for (int64_t k = 0, left = size; k < parts; ++k, left -= part) sizes.push_back(std::min(part, left));
    }
    int64_t total = 0;
    for (int64_t s : sizes) {
        if (s <= 0)
            throw UnsupportedError(fmt::format("{}: an empty part (split [{}])", where(n), fmt::join(sizes, ", ")));
        total += s;
    }
    if (total != size)
        throw WorkloadError(
            fmt::format("{}: parts [{}] do not add up to the axis' {}", where(n), fmt::join(sizes, ", "), size));
    return sizes;
}

void Converter::split(const onnx::NodeProto& n) {
    const Value& x = value(n, 0);
    const int64_t rank = int64_t(x.dims.size());
    int64_t axis = attr_int(n, "axis", 0);
    if (axis < -rank || axis >= rank)
        throw WorkloadError(fmt::format("{}: axis {} out of range for rank {}", where(n), axis, rank));
    if (axis < 0) axis += rank;
    const std::vector<int64_t> sizes = split_sizes(n, x.dims[size_t(axis)]);
    if (sizes.size() == 1) {
        m_values[n.output(0)] = x;  // one part: the tensor itself
        return;
    }
    int64_t begin = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
        Layer l;
        l.kind = LayerKind::Slice;
        l.inputs = {x.layer};
        l.slice = SliceAttrs{onnx_axis(axis, size_t(rank), where(n)), begin, begin + sizes[k]};
        std::vector<int64_t> dims = x.dims;
        dims[size_t(axis)] = sizes[k];
        begin += sizes[k];
        if (!n.output(int(k)).empty()) add_layer(std::move(l), n, std::move(dims), int(k));
    }
}

}  // namespace npu::onnx_convert
