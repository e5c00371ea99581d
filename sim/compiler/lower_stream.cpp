#include "sim/compiler/lower_stream.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "common/error.h"
#include "kernels/numerics/element.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/dram_box.h"

namespace npu {
namespace {

// The widest element of the job's streams, for its output slots.
int64_t output_element_bytes(const StreamJob& job) {
    int64_t e = int64_t(element_bytes(job.precision));
    for (size_t s = 0; s < job.outputs.size(); ++s) e = std::max(e, int64_t(element_bytes(job.output_precision(s))));
    return e;
}

// Inputs in the ifmap slots and outputs in the output slots, two tiles of each stream.
OperandNeeds needs_of(const StreamJob& job, int64_t tile, int64_t e) {
    OperandNeeds n;
    n.slot_bytes[size_t(Operand::Ifmap)] = tile * e;
    n.slots[size_t(Operand::Ifmap)] = 2 * int(job.inputs.size());
    n.slot_bytes[size_t(Operand::Weight)] = 0;
    n.slot_bytes[size_t(Operand::Output)] = tile * std::max(e, output_element_bytes(job));
    n.slots[size_t(Operand::Output)] = 2 * std::max<int>(1, int(job.outputs.size()));
    return n;
}

// The job's instructions, or its stand-ins: Add over the inputs (Clamp for one), writing the outputs.
std::vector<StreamOp> ops_of(const StreamJob& job) {
    if (!job.ops.empty()) return job.ops;
    const int ins = int(job.inputs.size()), outs = std::max<int>(1, int(job.outputs.size()));
    std::vector<StreamOp> ops;
    for (int k = 0; k < job.ops_per_element; ++k)
        ops.push_back({ins > 1 ? isa::VectorOp::Add : isa::VectorOp::Clamp, k % ins, (k + 1) % ins, ins + k % outs});
    return ops;
}

// Elements [first, first + count) of output stream s: a range of a dense stream, or of a column
// of records (stride elements apart).
isa::DramBox output_box(const StreamJob& job, size_t s, int64_t first, int64_t count) {
    const int64_t e = int64_t(element_bytes(job.output_precision(s))), stride = job.output_stride(s);
    if (stride == 1) return flat_box(job.outputs[s], job.elements, first, count, e);
    isa::DramBox box = flat_box(job.outputs[s], job.elements, first, count, e);
    box.dims = {1, 1, job.elements, stride};
    box.start = {0, 0, first, 0};
    box.extent = {1, 1, count, 1};
    return box;
}

}  // namespace

int64_t choose_stream_tile(const NpuConfig& config, const StreamJob& job) {
    const int64_t e = int64_t(element_bytes(job.precision));
    int64_t tile = std::max<int64_t>(1, job.elements);
    while (!fits(config, needs_of(job, tile, e))) {
        if (tile == 1)
            throw CompileError(fmt::format("element-wise pass of {} streams: no tile fits design '{}'",
                                           job.inputs.size() + job.outputs.size(), config.name));
        tile = (tile + 1) / 2;
    }
    return tile;
}

int64_t lower_stream_means(const NpuConfig& config, uint64_t input, int64_t elements, uint64_t means,
                           Precision precision, ProgramBuilder& builder) {
    StreamJob job;
    job.elements = elements;
    job.inputs = {input};
    job.outputs = {means};
    job.precision = precision;
    const int64_t e = int64_t(element_bytes(precision));
    const int64_t tile = choose_stream_tile(config, job);
    const BufferPlan buffers(config, needs_of(job, tile, e));
    const int64_t tiles = (elements + tile - 1) / tile;
    for (int64_t k = 0; k < tiles; ++k) {
        const int64_t count = std::min(tile, elements - k * tile);
        isa::Vector v;
        v.op = isa::VectorOp::GlobalAvgPool;
        v.src = buffers.slot(Operand::Ifmap, k, count * e);
        v.dst = buffers.slot(Operand::Output, k, e);
        v.src_extent = {1, 1, 1, count};
        builder.load(flat_box(input, elements, k * tile, count, e), v.src, -1);
        builder.vector(v);
        builder.store(v.dst, flat_box(means, tiles, k, 1, e), 0);
    }
    return tiles;
}

void lower_stream(const NpuConfig& config, const StreamJob& job, ProgramBuilder& builder) {
    if (job.inputs.empty() || (job.ops.empty() && job.ops_per_element < 1))
        throw CompileError("element-wise pass: needs an input stream and at least one operation");
    const std::vector<StreamOp> ops = ops_of(job);
    const int tiles = int(job.inputs.size() + std::max<size_t>(1, job.outputs.size()));
    for (const StreamOp& op : ops)
        if (std::max({op.src, op.src2, op.dst}) >= tiles || std::min({op.src, op.src2, op.dst}) < 0)
            throw CompileError(fmt::format("element-wise pass: an operand outside its {} tiles", tiles));
    const int64_t e = int64_t(element_bytes(job.precision));
    const int64_t tile = choose_stream_tile(config, job);
    const BufferPlan buffers(config, needs_of(job, tile, e));
    const int64_t ins = int64_t(job.inputs.size()), outs = std::max<int64_t>(1, int64_t(job.outputs.size()));
    int64_t in_slot = 0, out_slot = 0;
    for (int64_t first = 0; first < job.elements; first += tile) {
        const int64_t count = std::min(tile, job.elements - first);
        std::vector<isa::Region> in(static_cast<size_t>(ins)), out(static_cast<size_t>(outs));
        for (int64_t s = 0; s < ins; ++s) {
            in[size_t(s)] = buffers.slot(Operand::Ifmap, in_slot++, count * e);
            builder.load(flat_box(job.inputs[size_t(s)], job.elements, first, count, e), in[size_t(s)], -1);
        }
        for (int64_t s = 0; s < outs; ++s) {
            const int64_t bytes = count * int64_t(element_bytes(job.output_precision(size_t(s))));
            out[size_t(s)] = buffers.slot(Operand::Output, out_slot++, bytes);
        }
        std::vector<isa::Region> tiles = in;
        tiles.insert(tiles.end(), out.begin(), out.end());
        for (const StreamOp& op : ops) {
            isa::Vector v;
            v.op = op.op;
            v.src = tiles[size_t(op.src)];
            v.src2 = tiles[size_t(op.src2)];
            v.dst = tiles[size_t(op.dst)];
            v.src_extent = v.dst_extent = {1, 1, 1, count};
            v.alpha = op.alpha;
            v.beta = op.beta;
            v.clamp_min = op.lo;
            v.clamp_max = op.hi;
            v.convert_to = op.convert_to;
            builder.vector(v);
        }
        for (size_t s = 0; s < job.outputs.size(); ++s)
            builder.store(out[s], output_box(job, s, first, count), int32_t(s));
    }
}

}  // namespace npu
