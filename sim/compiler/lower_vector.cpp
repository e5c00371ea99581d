#include <fmt/format.h>

#include <memory>
#include <tuple>

#include "common/error.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/lowering_table.h"
#include "sim/compiler/window_span.h"

namespace npu {
namespace {

using Box4 = std::array<int64_t, 4>;  // n, c, h, w

// The input box an output box of a vector layer reads.
struct VectorShape {
    const Layer& layer;
    Shape in;
    const VectorTraits& traits = lowering_for(layer.kind).vector;

    Box4 input_start(const Box4& start, const Box4& extent) const {
        if (traits.footprint == VectorFootprint::Window)
            return {start[0], start[1], rows(start, extent).begin, cols(start, extent).begin};
        if (traits.footprint == VectorFootprint::Plane) return {start[0], start[1], 0, 0};
        return start;
    }
    Box4 input_extent(const Box4& start, const Box4& extent) const {
        if (traits.footprint == VectorFootprint::Window)
            return {extent[0], extent[1], rows(start, extent).size(), cols(start, extent).size()};
        if (traits.footprint == VectorFootprint::Plane) return {extent[0], extent[1], in.h, in.w};
        return extent;
    }
    Span rows(const Box4& s, const Box4& e) const {
        const Window2d& w = layer.pool.window;
        return input_span(s[2], e[2], w.stride_h, w.pad_top, w.extent_h(), in.h);
    }
    Span cols(const Box4& s, const Box4& e) const {
        const Window2d& w = layer.pool.window;
        return input_span(s[3], e[3], w.stride_w, w.pad_left, w.extent_w(), in.w);
    }
    // The largest input box any output tile of this size reads (a tile away from the padded
    // border reads the full window span).
    Box4 max_input_extent(const Box4& tile) const {
        if (traits.footprint == VectorFootprint::Window) {
            const Window2d& w = layer.pool.window;
            return {tile[0], tile[1], std::min(in.h, (tile[2] - 1) * w.stride_h + w.extent_h()),
                    std::min(in.w, (tile[3] - 1) * w.stride_w + w.extent_w())};
        }
        return input_extent(Box4{0, 0, 0, 0}, tile);
    }
    int inputs() const { return int(layer.inputs.size()); }
    bool may_split(int dim) const { return traits.may_split == nullptr || traits.may_split(layer, dim); }
    std::pair<float, float> float_bounds() const {
        return traits.float_bounds ? traits.float_bounds(layer) : std::pair{layer.clip.min, layer.clip.max};
    }
};

int64_t elements(const Box4& b) { return b[0] * b[1] * b[2] * b[3]; }

OperandNeeds needs_for(const VectorShape& vs, const Box4& tile, int64_t e) {
    OperandNeeds n;
    n.slot_bytes[size_t(Operand::Ifmap)] = elements(vs.max_input_extent(tile)) * e;
    n.slots[size_t(Operand::Ifmap)] = 2 * vs.inputs();
    n.slot_bytes[size_t(Operand::Weight)] = 0;
    // A standalone batchnorm brings its channel records next to the output tile.
    const int64_t params = vs.traits.channel_records ? tile[1] * isa::kChannelParamBytes : 0;
    n.slot_bytes[size_t(Operand::Output)] = elements(tile) * e + params;
    return n;
}

// The DRAM records of channels [first, first + count) of a layer with channel records.
isa::DramBox channel_records_box(const LoweringContext& ctx, int index, int64_t first, int64_t count) {
    isa::DramBox records;
    records.base = ctx.dram.param_address[size_t(index)];
    records.element_bytes = 1;
    records.dims = {ctx.graph.layers[size_t(index)].output.c, 1, 1, isa::kChannelParamBytes};
    records.start = {first, 0, 0, 0};
    records.extent = {count, 1, 1, isa::kChannelParamBytes};
    return records;
}

// A mul's second input with one value per channel (N x C x 1 x 1 against a larger plane).
bool per_channel_second(const LoweringContext& ctx, const Layer& l) {
    if (l.kind != LayerKind::Mul) return false;
    const Shape b = ctx.graph.layers[size_t(l.inputs[1])].output;
    return b.h * b.w == 1 && l.output.h * l.output.w > 1;
}

struct TileBox {
    Box4 start, extent;
};

// Everything of a vector instruction but its operand regions: the tile's place in the tensors,
// the layer's attributes and its INT8 parameters.
void describe_tile(const LoweringContext& ctx, int index, const VectorShape& vs, const TileBox& in, const TileBox& out,
                   isa::Vector& v) {
    const Layer& l = vs.layer;
    const QuantLayer& q = ctx.quant[size_t(index)];
    v.src_extent = in.extent;
    v.dst_extent = out.extent;
    v.src_h0 = in.start[2];
    v.src_w0 = in.start[3];
    v.dst_h0 = out.start[2];
    v.dst_w0 = out.start[3];
    v.tensor_h = vs.in.h;
    v.tensor_w = vs.in.w;
    v.window = l.pool.window;
    v.count_include_pad = l.pool.count_include_pad;
    v.activation = l.activation;
    std::tie(v.clamp_min, v.clamp_max) = vs.float_bounds();
    v.clamp = q.clamp;
    v.softmax = l.softmax;
    v.add = q.add;
    v.in_scale = ctx.quant[size_t(l.inputs[0])].out_scale;
    v.norm_epsilon = l.norm_epsilon;
    v.norm_out_scale = q.out_scale;
    v.unary = l.unary;
    if (!q.unary_table.empty()) v.unary_table = std::make_shared<const std::vector<int8_t>>(q.unary_table);
    v.mul = q.mul;
    v.src2_per_channel = per_channel_second(ctx, l);
}

}  // namespace

isa::Vector vector_tile(const LoweringContext& ctx, int layer, const Box4& in_start, const Box4& in_extent,
                        const Box4& out_start, const Box4& out_extent) {
    const Layer& l = ctx.graph.layers[size_t(layer)];
    const VectorShape vs{l, ctx.graph.layers[size_t(l.inputs[0])].output};
    isa::Vector v;
    v.op = vs.traits.op;
    describe_tile(ctx, layer, vs, {in_start, in_extent}, {out_start, out_extent}, v);
    return v;
}

void lower_vector_layer(const LoweringContext& ctx, int index) {
    const Layer& l = ctx.graph.layers[size_t(index)];
    const VectorShape vs{l, ctx.graph.layers[size_t(l.inputs[0])].output};
    const Shape out = l.output;
    const int64_t e = ctx.element_bytes();
    // The largest tile that fits: shrink batch, channels, rows, columns in that order.
    Box4 tile{out.n, out.c, out.h, out.w};
    if (!shrink_to_fit(
            tile, [&](const Box4& t) { return fits(ctx.config, needs_for(vs, t, e)); },
            [&](int dim) { return vs.may_split(dim); }))
        throw CompileError(
            fmt::format("layer '{}': no {} tile fits design '{}' ({} bytes of input at the smallest "
                        "tile)",
                        l.name, kind_name(l.kind), ctx.config.name, needs_for(vs, tile, e).slot_bytes[0]));
    const BufferPlan buffers(ctx.config, needs_for(vs, tile, e));
    for_each_tile({out.n, out.c, out.h, out.w}, tile, [&](const Box4& start, const Box4& extent, int64_t slot) {
        const Box4 in_start = vs.input_start(start, extent);
        const Box4 in_extent = vs.input_extent(start, extent);
        isa::Vector v;
        v.op = vs.traits.op;
        for (int k = 0; k < vs.inputs(); ++k) {
            const int producer = l.inputs[size_t(k)];
            // A per-channel second input: the tile's channels, one value each.
            const bool channels_only = k == 1 && per_channel_second(ctx, l);
            const Box4 from = channels_only ? Box4{in_start[0], in_start[1], 0, 0} : in_start;
            const Box4 size = channels_only ? Box4{in_extent[0], in_extent[1], 1, 1} : in_extent;
            const isa::Region r = buffers.slot(Operand::Ifmap, slot * vs.inputs() + k, elements(size) * e);
            ctx.builder.load(sub_box(ctx.tensor_box(producer), from, size), r, ctx.tensor_id(producer));
            (k == 0 ? v.src : v.src2) = r;
        }
        const int64_t data_bytes = elements(extent) * e;
        if (vs.traits.channel_records) {  // channel records first, then the data
            const int64_t param_bytes = extent[1] * isa::kChannelParamBytes;
            const isa::Region whole = buffers.slot(Operand::Output, slot, param_bytes + data_bytes);
            v.params = isa::Region{whole.buffer, whole.offset, param_bytes};
            v.dst = isa::Region{whole.buffer, whole.offset + param_bytes, data_bytes};
            ctx.builder.load(channel_records_box(ctx, index, start[1], extent[1]), v.params, -1);
        } else {
            v.dst = buffers.slot(Operand::Output, slot, data_bytes);
        }
        describe_tile(ctx, index, vs, {in_start, in_extent}, {start, extent}, v);
        ctx.builder.vector(v);
        ctx.builder.store(v.dst, sub_box(ctx.tensor_box(index), start, extent), ctx.tensor_id(index));
    });
}

}  // namespace npu
