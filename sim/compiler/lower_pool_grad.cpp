#include "sim/compiler/lower_pool_grad.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "kernels/numerics/element.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/dram_box.h"

namespace npu {
namespace {

// Input-side planes (the pool's input and its gradient) are the larger: an ifmap slot holds k of
// them; the output gradient's planes and the input's share the ifmap slots (two each).
OperandNeeds needs_of(const PoolGradJob& job, int64_t planes, int64_t e) {
    OperandNeeds n;
    n.slot_bytes[size_t(Operand::Ifmap)] = planes * std::max(job.in.h * job.in.w, job.out.h * job.out.w) * e;
    n.slots[size_t(Operand::Ifmap)] = job.max ? 4 : 2;
    n.slot_bytes[size_t(Operand::Weight)] = 0;
    n.slot_bytes[size_t(Operand::Output)] = planes * job.in.h * job.in.w * e;
    return n;
}

}  // namespace

int64_t pool_grad_planes(const NpuConfig& config, const PoolGradJob& job) {
    const int64_t e = int64_t(element_bytes(job.precision));
    int64_t planes = job.in.n * job.in.c;
    while (planes > 0 && !fits(config, needs_of(job, planes, e))) planes = planes == 1 ? 0 : (planes + 1) / 2;
    return planes;
}

void lower_pool_grad(const NpuConfig& config, const PoolGradJob& job, ProgramBuilder& builder) {
    const int64_t tile = pool_grad_planes(config, job);
    if (tile == 0)
        throw CompileError(
            fmt::format("pool gradient: a {}x{} plane does not fit design '{}'", job.in.h, job.in.w, config.name));
    const int64_t e = int64_t(element_bytes(job.precision));
    const BufferPlan buffers(config, needs_of(job, tile, e));
    const int64_t planes = job.in.n * job.in.c;
    int64_t slot = 0;
    for (int64_t first = 0; first < planes; first += tile, ++slot) {
        const int64_t count = std::min(tile, planes - first);
        isa::Vector v;
        v.op = job.max ? isa::VectorOp::MaxPoolGrad : isa::VectorOp::AvgPoolGrad;
        v.window = job.window;
        v.count_include_pad = job.count_include_pad;
        v.src_extent = {1, count, job.out.h, job.out.w};
        v.dst_extent = {1, count, job.in.h, job.in.w};
        v.src = buffers.slot(Operand::Ifmap, job.max ? 2 * slot : slot, count * job.out.h * job.out.w * e);
        builder.load(planes_box(job.output_grad, job.out, first, count, e), v.src, -1);
        if (job.max) {
            v.src2 = buffers.slot(Operand::Ifmap, 2 * slot + 1, count * job.in.h * job.in.w * e);
            builder.load(planes_box(job.input, job.in, first, count, e), v.src2, -1);
        }
        v.dst = buffers.slot(Operand::Output, slot, count * job.in.h * job.in.w * e);
        builder.vector(v);
        builder.store(v.dst, planes_box(job.input_grad, job.in, first, count, e), 0);
    }
}

}  // namespace npu
