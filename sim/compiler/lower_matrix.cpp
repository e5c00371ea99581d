#include "sim/compiler/lower_matrix.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "kernels/numerics/element.h"
#include "sim/compiler/buffer_plan.h"

namespace npu {
namespace {

OperandNeeds needs_of(const MatrixTiling& t, int64_t e) {
    OperandNeeds n;
    n.slot_bytes[size_t(Operand::Ifmap)] = t.m * t.k * e;
    n.slot_bytes[size_t(Operand::Weight)] = t.k * t.n * e;
    n.slot_bytes[size_t(Operand::Output)] = t.m * t.n * e + t.n * isa::kChannelParamBytes;
    return n;
}

bool tile_fits(const NpuConfig& config, const MatrixTiling& t, int64_t e) {
    // Half the accumulator (its entries), as accumulator_slot double-buffers it.
    return fits(config, needs_of(t, e)) && t.m * t.n <= buffer_capacity(config, isa::Buffer::Accumulator) / 2;
}

// A tile of a DRAM matrix: rows [r0, r0 + rows) and cols [c0, c0 + cols) of the operand, as the
// box of its storage (transposed storage swaps them).
isa::DramBox operand_box(const DramMatrix& m, int64_t r0, int64_t rows, int64_t c0, int64_t cols, int64_t e) {
    isa::DramBox box;
    box.base = m.address;
    box.element_bytes = e;
    if (m.transposed) std::swap(r0, c0), std::swap(rows, cols);
    box.dims = {1, 1, m.transposed ? m.cols : m.rows, m.transposed ? m.rows : m.cols};
    box.start = {0, 0, r0, c0};
    box.extent = {1, 1, rows, cols};
    return box;
}

isa::MatrixOperand operand_view(const DramMatrix& m, isa::Region region, int64_t rows, int64_t cols) {
    return m.transposed ? isa::MatrixOperand::transposed(region, cols, rows)
                        : isa::MatrixOperand::row_major(region, rows, cols);
}

}  // namespace

MatrixTiling choose_matrix_tiling(const NpuConfig& config, const MatrixGemmJob& job) {
    const int64_t e = int64_t(element_bytes(job.precision));
    // From the whole problem, halve the largest tile dimension until the tile fits: the tiles
    // stay balanced (halving one dimension down to 1 first would leave K = 1 GEMMs that use one
    // row of the array).
    MatrixTiling t{job.a.rows, job.b.cols, job.a.cols};
    while (!tile_fits(config, t, e)) {
        int64_t* largest = &t.k;
        if (t.n > *largest) largest = &t.n;
        if (t.m > *largest) largest = &t.m;
        if (*largest == 1)
            throw CompileError(fmt::format("matrix GEMM {}x{}x{}: no tile fits design '{}'", job.a.rows, job.a.cols,
                                           job.b.cols, config.name));
        *largest = (*largest + 1) / 2;
    }
    return t;
}

void lower_matrix_gemm(const NpuConfig& config, const MatrixGemmJob& job, ProgramBuilder& builder) {
    if (!is_float(job.precision)) throw CompileError("matrix GEMM: a float precision (training) is needed");
    if (job.a.cols != job.b.rows)
        throw CompileError(
            fmt::format("matrix GEMM: A is {}x{}, B {}x{}", job.a.rows, job.a.cols, job.b.rows, job.b.cols));
    const int64_t e = int64_t(element_bytes(job.precision));
    const int64_t M = job.a.rows, K = job.a.cols, N = job.b.cols;
    const MatrixTiling t = choose_matrix_tiling(config, job);
    const BufferPlan buffers(config, needs_of(t, e));
    int64_t slot = 0, acc_slot = 0;
    for (int64_t m0 = 0; m0 < M; m0 += t.m)
        for (int64_t n0 = 0; n0 < N; n0 += t.n) {
            const int64_t tm = std::min(t.m, M - m0), tn = std::min(t.n, N - n0);
            const isa::Region acc = accumulator_slot(config, acc_slot++, tm * tn);
            for (int64_t k0 = 0; k0 < K; k0 += t.k, ++slot) {
                const int64_t tk = std::min(t.k, K - k0);
                const isa::Region a = buffers.slot(Operand::Ifmap, slot, tm * tk * e);
                const isa::Region b = buffers.slot(Operand::Weight, slot, tk * tn * e);
                builder.load(operand_box(job.a, m0, tm, k0, tk, e), a, job.a.tensor);
                builder.load(operand_box(job.b, k0, tk, n0, tn, e), b, job.b.tensor);
                builder.gemm(
                    isa::Gemm::matrix(operand_view(job.a, a, tm, tk), operand_view(job.b, b, tk, tn), acc, k0 > 0));
            }
            // The accumulator [tm][tn] to C's rows: Requantize with one "channel" per column.
            const isa::Region out = buffers.slot(Operand::Output, acc_slot, tn * isa::kChannelParamBytes + tm * tn * e);
            isa::Vector v;
            v.op = isa::VectorOp::Requantize;
            v.src = acc;
            v.params = isa::Region{out.buffer, out.offset, tn * isa::kChannelParamBytes};
            v.dst = isa::Region{out.buffer, out.offset + v.params.size, tm * tn * e};
            v.src_extent = {1, tm, tn, 1};
            v.dst_extent = {tm, tn, 1, 1};
            isa::DramBox records;
            records.base = job.zero_records;
            records.dims = {N, 1, 1, isa::kChannelParamBytes};
            records.start = {n0, 0, 0, 0};
            records.extent = {tn, 1, 1, isa::kChannelParamBytes};
            builder.load(records, v.params, -1);
            builder.vector(v);
            DramMatrix c{job.c_address, M, N, false, job.c_tensor};
            builder.store(v.dst, operand_box(c, m0, tm, n0, tn, e), job.c_tensor);
        }
}

}  // namespace npu
