#include "sim/compiler/lower_batchnorm_grad.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "kernels/numerics/element.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/dram_box.h"

namespace npu {
namespace {

int64_t record_bytes(const BatchNormGradJob& job) {
    return job.sums ? isa::kChannelParamBytes : isa::kBatchNormGradParamBytes;
}

// x and dz in the ifmap slots (two each); the records, then the sums or dx, in the output slots.
OperandNeeds needs_of(const BatchNormGradJob& job, int64_t channels, int64_t e) {
    const Shape& s = job.shape;
    OperandNeeds n;
    n.slot_bytes[size_t(Operand::Ifmap)] = s.n * channels * s.h * s.w * e;
    n.slots[size_t(Operand::Ifmap)] = 4;
    n.slot_bytes[size_t(Operand::Weight)] = 0;
    n.slot_bytes[size_t(Operand::Output)] =
        channels * record_bytes(job) + (job.sums ? channels * 16 : s.n * channels * s.h * s.w * e);
    return n;
}

// Records [c0, c0 + k) of C records of `bytes` each.
isa::DramBox records_box(uint64_t address, int64_t channels, int64_t c0, int64_t k, int64_t bytes) {
    isa::DramBox box;
    box.base = address;
    box.element_bytes = 1;
    box.dims = {channels, 1, 1, bytes};
    box.start = {c0, 0, 0, 0};
    box.extent = {k, 1, 1, bytes};
    return box;
}

}  // namespace

int64_t batchnorm_grad_tile(const NpuConfig& config, const BatchNormGradJob& job) {
    const int64_t e = int64_t(element_bytes(job.precision));
    int64_t channels = job.shape.c;
    while (channels > 0 && !fits(config, needs_of(job, channels, e))) channels = channels == 1 ? 0 : (channels + 1) / 2;
    return channels;
}

void lower_batchnorm_grad(const NpuConfig& config, const BatchNormGradJob& job, ProgramBuilder& builder) {
    const int64_t tile = batchnorm_grad_tile(config, job);
    const Shape& s = job.shape;
    if (tile == 0)
        throw CompileError(
            fmt::format("batchnorm gradient: one channel of {} does not fit design '{}'", s.str(), config.name));
    const int64_t e = int64_t(element_bytes(job.precision)), rb = record_bytes(job);
    const BufferPlan buffers(config, needs_of(job, tile, e));
    int64_t slot = 0;
    for (int64_t c0 = 0; c0 < s.c; c0 += tile, ++slot) {
        const int64_t k = std::min(tile, s.c - c0), box_bytes = s.n * k * s.h * s.w * e;
        isa::Vector v;
        v.op = job.sums ? isa::VectorOp::BatchNormSums : isa::VectorOp::BatchNormGrad;
        v.src_extent = v.dst_extent = {s.n, k, s.h, s.w};
        v.src = buffers.slot(Operand::Ifmap, 2 * slot, box_bytes);
        v.src2 = buffers.slot(Operand::Ifmap, 2 * slot + 1, box_bytes);
        const isa::Region out = buffers.slot(Operand::Output, slot, k * rb + (job.sums ? k * 16 : box_bytes));
        v.params = {out.buffer, out.offset, k * rb};
        v.dst = {out.buffer, out.offset + k * rb, job.sums ? k * 16 : box_bytes};
        builder.load(channels_box(job.x, s, c0, k, e), v.src, -1);
        builder.load(channels_box(job.dz, s, c0, k, e), v.src2, -1);
        builder.load(records_box(job.records, s.c, c0, k, rb), v.params, -1);
        builder.vector(v);
        if (job.sums)
            builder.store(v.dst, records_box(job.out, s.c, c0, k, 16), 0);
        else
            builder.store(v.dst, channels_box(job.out, s, c0, k, e), 0);
    }
}

}  // namespace npu
