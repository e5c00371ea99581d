// Slice and channel shuffle: DMA only, tile by tile through the input slot, with no vector work
// (the values move as they are, INT8 at its input's scale).
//
// A channel shuffle with g groups is a transpose of two axes, which a DMA box cannot express on
// the NCHW tensors, but can on views of them: the input viewed as N x g x C/g x HW and the output
// as N x C/g x g x HW. A box of group i, channels [j0, j0 + tj) of the input, stored densely on
// chip in (n, j, x) order, is the output's box (n, j0..j0 + tj, i, x) in the same order: one load
// and one store per group and tile, their runs HW elements long.
#include <fmt/format.h>

#include "common/error.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/lowering.h"
#include "sim/compiler/window_span.h"

namespace npu {
namespace {

using Box4 = std::array<int64_t, 4>;

int64_t elements(const Box4& b) { return b[0] * b[1] * b[2] * b[3]; }

// The largest tile of `dims` whose input slot fits the design (shrinking along the axes in order),
// and the slots it uses.
struct MoveTiles {
    Box4 tile;
    BufferPlan buffers;
};

MoveTiles move_tiles(const LoweringContext& ctx, const Layer& l, Box4 tile) {
    auto needs = [&](const Box4& t) {
        OperandNeeds n;
        n.slot_bytes[size_t(Operand::Ifmap)] = elements(t) * ctx.element_bytes();
        n.slot_bytes[size_t(Operand::Weight)] = 0;
        n.slot_bytes[size_t(Operand::Output)] = 0;
        return n;
    };
    if (!shrink_to_fit(
            tile, [&](const Box4& t) { return fits(ctx.config, needs(t)); }, [](int) { return true; }))
        throw CompileError(
            fmt::format("layer '{}': no {} tile fits design '{}'", l.name, kind_name(l.kind), ctx.config.name));
    return {tile, BufferPlan(ctx.config, needs(tile))};
}

// A tensor's box seen as other dims of the same elements (row-major).
isa::DramBox view(isa::DramBox box, const Box4& dims) {
    box.dims = box.extent = dims;
    return box;
}

}  // namespace

void lower_slice(const LoweringContext& ctx, int index) {
    const Layer& l = ctx.graph.layers[size_t(index)];
    const int producer = l.inputs[0];
    const Box4 dims{l.output.n, l.output.c, l.output.h, l.output.w};
    const MoveTiles m = move_tiles(ctx, l, dims);
    for_each_tile(dims, m.tile, [&](const Box4& start, const Box4& extent, int64_t slot) {
        const isa::Region r = m.buffers.slot(Operand::Ifmap, slot, elements(extent) * ctx.element_bytes());
        Box4 from = start;
        from[size_t(l.slice.axis)] += l.slice.begin;
        ctx.builder.load(sub_box(ctx.tensor_box(producer), from, extent), r, ctx.tensor_id(producer));
        ctx.builder.store(r, sub_box(ctx.tensor_box(index), start, extent), ctx.tensor_id(index));
    });
}

void lower_channel_shuffle(const LoweringContext& ctx, int index) {
    const Layer& l = ctx.graph.layers[size_t(index)];
    const int producer = l.inputs[0];
    const Shape& s = l.output;
    const int64_t g = l.shuffle_groups, per_group = s.c / g, plane = s.h * s.w;
    const isa::DramBox in = view(ctx.tensor_box(producer), {s.n, g, per_group, plane});
    const isa::DramBox out = view(ctx.tensor_box(index), {s.n, per_group, g, plane});
    const MoveTiles m = move_tiles(ctx, l, {s.n, 1, per_group, plane});
    for_each_tile({s.n, g, per_group, plane}, m.tile, [&](const Box4& start, const Box4& extent, int64_t slot) {
        const isa::Region r = m.buffers.slot(Operand::Ifmap, slot, elements(extent) * ctx.element_bytes());
        ctx.builder.load(sub_box(in, start, extent), r, ctx.tensor_id(producer));
        ctx.builder.store(r,
                          sub_box(out, {start[0], start[2], start[1], start[3]}, {extent[0], extent[2], 1, extent[3]}),
                          ctx.tensor_id(index));
    });
}

}  // namespace npu
