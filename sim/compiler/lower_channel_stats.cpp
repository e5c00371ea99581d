#include "sim/compiler/lower_channel_stats.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "kernels/numerics/element.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/dram_box.h"

namespace npu {
namespace {

OperandNeeds needs_of(const Shape& s, int64_t channels, int64_t e) {
    OperandNeeds n;
    n.slot_bytes[size_t(Operand::Ifmap)] = s.n * channels * s.h * s.w * e;
    n.slot_bytes[size_t(Operand::Weight)] = 0;
    n.slot_bytes[size_t(Operand::Output)] = 2 * channels * 4;
    return n;
}

}  // namespace

int64_t channel_stats_tile(const NpuConfig& config, const Shape& s, Precision precision) {
    const int64_t e = int64_t(element_bytes(precision));
    int64_t channels = s.c;
    while (channels > 0 && !fits(config, needs_of(s, channels, e))) channels = channels == 1 ? 0 : (channels + 1) / 2;
    return channels;
}

void lower_channel_stats(const NpuConfig& config, uint64_t input, const Shape& s, uint64_t out, double eps,
                         Precision precision, ProgramBuilder& builder) {
    const int64_t tile = channel_stats_tile(config, s, precision);
    if (tile == 0)
        throw CompileError(
            fmt::format("batchnorm statistics: one channel of {} does not fit design '{}'", s.str(), config.name));
    const int64_t e = int64_t(element_bytes(precision));
    const BufferPlan buffers(config, needs_of(s, tile, e));
    int64_t slot = 0;
    for (int64_t c0 = 0; c0 < s.c; c0 += tile, ++slot) {
        const int64_t k = std::min(tile, s.c - c0);
        isa::Vector v;
        v.op = isa::VectorOp::ChannelStats;
        v.src_extent = {s.n, k, s.h, s.w};
        v.beta = eps;
        v.src = buffers.slot(Operand::Ifmap, slot, s.n * k * s.h * s.w * e);
        v.dst = buffers.slot(Operand::Output, slot, 2 * k * 4);
        builder.load(channels_box(input, s, c0, k, e), v.src, -1);
        builder.vector(v);
        builder.store({v.dst.buffer, v.dst.offset, k * 4}, flat_box(out, 2 * s.c, c0, k, 4), 0);
        builder.store({v.dst.buffer, v.dst.offset + k * 4, k * 4}, flat_box(out, 2 * s.c, s.c + c0, k, 4), 0);
    }
}

}  // namespace npu
