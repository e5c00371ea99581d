#include "sim/compiler/lower_im2col.h"

#include <fmt/format.h>

#include "common/error.h"
#include "kernels/numerics/element.h"
#include "sim/compiler/buffer_plan.h"
#include "sim/compiler/dram_box.h"

namespace npu {
namespace {

int64_t kernel_cells(const ConvGeometry& g) { return g.window.kernel_h * g.window.kernel_w; }
int64_t pixels(const ConvGeometry& g) { return g.output.h * g.output.w; }
int64_t plane(const ConvGeometry& g) { return g.input.h * g.input.w; }

// What `channels` channels need: their input side in the ifmap slots (planes for im2col, rows
// for col2im), their output side plus `extra_out_bytes` (the ones row) in the output slots; two
// slots each.
OperandNeeds needs_of(int64_t channels, int64_t in_bytes_per_channel, int64_t out_bytes_per_channel,
                      int64_t extra_out_bytes) {
    OperandNeeds n;
    n.slot_bytes[size_t(Operand::Ifmap)] = channels * in_bytes_per_channel;
    n.slot_bytes[size_t(Operand::Weight)] = 0;
    n.slot_bytes[size_t(Operand::Output)] = channels * out_bytes_per_channel + extra_out_bytes;
    return n;
}

OperandNeeds im2col_needs(const Im2colJob& job, int64_t channels) {
    const ConvGeometry& g = job.geometry;
    const int64_t e = int64_t(element_bytes(job.precision));
    return needs_of(channels, plane(g) * e, kernel_cells(g) * pixels(g) * e, job.ones_row ? pixels(g) * e : 0);
}

OperandNeeds col2im_needs(const Col2imJob& job, int64_t channels) {
    const ConvGeometry& g = job.geometry;
    return needs_of(channels, kernel_cells(g) * pixels(g) * int64_t(element_bytes(job.precision)), plane(g) * 4, 0);
}

template <class Needs>
int64_t largest_fit(const NpuConfig& config, int64_t channels, Needs needs) {
    while (channels > 0 && !fits(config, needs(channels))) channels = channels == 1 ? 0 : (channels + 1) / 2;
    return channels;
}

// Rows [row0, row0 + rows) of image n's columns of a rows_total x (N * pixels) matrix.
isa::DramBox matrix_box(uint64_t address, const ConvGeometry& g, int64_t rows_total, int64_t row0, int64_t rows,
                        int64_t n, int64_t e) {
    isa::DramBox box;
    box.base = address;
    box.element_bytes = e;
    box.dims = {1, 1, rows_total, g.input.n * pixels(g)};
    box.start = {0, 0, row0, n * pixels(g)};
    box.extent = {1, 1, rows, pixels(g)};
    return box;
}

void no_fit(const NpuConfig& config, const char* what, const ConvGeometry& g) {
    throw CompileError(fmt::format("{}: one channel of a {}x{} input does not fit design '{}'", what, g.input.h,
                                   g.input.w, config.name));
}

}  // namespace

int64_t im2col_channels(const NpuConfig& config, const Im2colJob& job) {
    return largest_fit(config, job.geometry.in_per_group(), [&](int64_t c) { return im2col_needs(job, c); });
}

int64_t col2im_channels(const NpuConfig& config, const Col2imJob& job) {
    return largest_fit(config, job.geometry.in_per_group(), [&](int64_t c) { return col2im_needs(job, c); });
}

void lower_im2col(const NpuConfig& config, const Im2colJob& job, ProgramBuilder& builder) {
    const ConvGeometry& g = job.geometry;
    const int64_t block = im2col_channels(config, job), cg = g.in_per_group(), kk = kernel_cells(g);
    if (block == 0) no_fit(config, "im2col", g);
    const int64_t e = int64_t(element_bytes(job.precision)), rows_total = cg * kk + (job.ones_row ? 1 : 0);
    const BufferPlan buffers(config, im2col_needs(job, block));
    int64_t slot = 0;
    for (int64_t n = 0; n < g.input.n; ++n)
        for (int64_t c0 = 0; c0 < cg; c0 += block, ++slot) {
            const int64_t channels = std::min(block, cg - c0);
            const int64_t rows = channels * kk + (job.ones_row && c0 + channels == cg ? 1 : 0);
            isa::Vector v;
            v.op = isa::VectorOp::Im2col;
            v.window = g.window;
            v.src_extent = {1, channels, g.input.h, g.input.w};
            v.dst_extent = {1, rows, g.output.h, g.output.w};
            v.src = buffers.slot(Operand::Ifmap, slot, channels * plane(g) * e);
            v.dst = buffers.slot(Operand::Output, slot, rows * pixels(g) * e);
            builder.load(planes_box(job.x, g.input, n * g.input.c + job.group * cg + c0, channels, e), v.src, -1);
            builder.vector(v);
            builder.store(v.dst, matrix_box(job.columns, g, rows_total, c0 * kk, rows, n, e), 0);
        }
}

void lower_col2im(const NpuConfig& config, const Col2imJob& job, ProgramBuilder& builder) {
    const ConvGeometry& g = job.geometry;
    const int64_t block = col2im_channels(config, job), cg = g.in_per_group(), kk = kernel_cells(g);
    if (block == 0) no_fit(config, "col2im", g);
    const int64_t e = int64_t(element_bytes(job.precision));
    const BufferPlan buffers(config, col2im_needs(job, block));
    int64_t slot = 0;
    for (int64_t n = 0; n < g.input.n; ++n)
        for (int64_t c0 = 0; c0 < cg; c0 += block, ++slot) {
            const int64_t channels = std::min(block, cg - c0);
            isa::Vector v;
            v.op = isa::VectorOp::Col2im;
            v.window = g.window;
            v.src_extent = {1, channels * kk, g.output.h, g.output.w};
            v.dst_extent = {1, channels, g.input.h, g.input.w};
            v.src = buffers.slot(Operand::Ifmap, slot, channels * kk * pixels(g) * e);
            v.dst = buffers.slot(Operand::Output, slot, channels * plane(g) * 4);
            builder.load(matrix_box(job.columns, g, cg * kk, c0 * kk, channels * kk, n, e), v.src, -1);
            builder.vector(v);
            builder.store(v.dst, planes_box(job.dx, g.input, n * g.input.c + job.group * cg + c0, channels, 4), 0);
        }
}

}  // namespace npu
