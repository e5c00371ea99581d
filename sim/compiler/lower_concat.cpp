#include <fmt/format.h>

#include "common/error.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/lowering.h"
#include "sim/compiler/window_span.h"

namespace npu {
namespace {

using Box4 = std::array<int64_t, 4>;

int64_t elements(const Box4& b) { return b[0] * b[1] * b[2] * b[3]; }

bool is_identity(QuantMultiplier m) {
    const QuantMultiplier one = make_multiplier(1.0);
    return m.multiplier == one.multiplier && m.shift == one.shift;
}

}  // namespace

void lower_concat(const LoweringContext& ctx, int index) {
    const Layer& l = ctx.graph.layers[size_t(index)];
    const QuantLayer& q = ctx.quant[size_t(index)];
    const int64_t e = ctx.element_bytes();
    const int axis = l.concat_axis;
    int64_t offset = 0;  // where this input starts along the axis
    for (size_t k = 0; k < l.inputs.size(); ++k) {
        const int producer = l.inputs[k];
        const Shape in = ctx.graph.layers[size_t(producer)].output;
        // Timing-only runs have no calibrated scales: assume each INT8 input is rescaled (inputs
        // of a concat usually carry different scales), so its timing is an upper bound.
        const bool calibrated = k < q.input_rescale.size();
        const bool rescale = ctx.precision == Precision::Int8 && (!calibrated || !is_identity(q.input_rescale[k]));
        // The largest tile that fits: shrink batch, channels, rows, columns in that order.
        Box4 tile{in.n, in.c, in.h, in.w};
        auto needs = [&](const Box4& t) {
            OperandNeeds n;
            n.slot_bytes[size_t(Operand::Ifmap)] = elements(t) * e;
            n.slot_bytes[size_t(Operand::Weight)] = 0;
            n.slot_bytes[size_t(Operand::Output)] = rescale ? elements(t) * e : 0;
            return n;
        };
        if (!shrink_to_fit(
                tile, [&](const Box4& t) { return fits(ctx.config, needs(t)); }, [](int) { return true; }))
            throw CompileError(fmt::format("layer '{}': no concat tile fits design '{}'", l.name, ctx.config.name));
        const BufferPlan buffers(ctx.config, needs(tile));
        for_each_tile({in.n, in.c, in.h, in.w}, tile, [&](const Box4& start, const Box4& extent, int64_t slot) {
            const isa::Region src = buffers.slot(Operand::Ifmap, slot, elements(extent) * e);
            ctx.builder.load(sub_box(ctx.tensor_box(producer), start, extent), src, ctx.tensor_id(producer));
            isa::Region out = src;
            if (rescale) {
                isa::Vector v;
                v.op = isa::VectorOp::Copy;
                v.src = src;
                v.dst = out = buffers.slot(Operand::Output, slot, elements(extent) * e);
                v.src_extent = v.dst_extent = extent;
                v.rescale = calibrated ? q.input_rescale[k] : make_multiplier(1.0);
                ctx.builder.vector(v);
            }
            Box4 placed = start;
            placed[size_t(axis)] += offset;
            ctx.builder.store(out, sub_box(ctx.tensor_box(index), placed, extent), ctx.tensor_id(index));
        });
        offset += in.dim(axis);
    }
}

}  // namespace npu
