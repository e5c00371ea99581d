#pragma once
// Lowering of one matrix GEMM C = A B (M x K times K x N) whose operands are matrices in DRAM:
// the weight and data gradients of training (dW = dZ col(X)^T, dcol = W^T dZ, for fc
// dW = dZ^T X and dX = dZ W). Tiles of A and B are loaded into their buffers, multiplied into an
// accumulator slot over the K tiles (isa::Gemm::matrix), and written out in the run's float
// precision through the vector unit.
#include <cstdint>

#include "arch/npu_config.h"
#include "sim/compiler/program_builder.h"

namespace npu {

// A rows x cols operand in DRAM, stored row-major as itself or (transposed) as its cols x rows
// transpose, in `element_bytes` per element.
struct DramMatrix {
    uint64_t address = 0;
    int64_t rows = 0, cols = 0;
    bool transposed = false;
    int32_t tensor = -1;  // DRAM read-after-write: the tensor id that wrote it (-1: before the run)
};

struct MatrixGemmJob {
    DramMatrix a, b;                        // A: M x K, B: K x N
    uint64_t c_address = 0;                 // C: M x N, row-major
    int32_t c_tensor = 0;                   // its tensor id
    uint64_t zero_records = 0;              // N channel records of zeros (no bias)
    Precision precision = Precision::Fp32;  // operands and C (a float precision)
};

// The tile shape chosen: rows of A, columns of B, and the K slice, each fitting half its buffer.
struct MatrixTiling {
    int64_t m = 0, n = 0, k = 0;
};
MatrixTiling choose_matrix_tiling(const NpuConfig& config, const MatrixGemmJob& job);

// Appends the job's instructions; throws CompileError when not even a 1 x 1 x 1 tile fits.
void lower_matrix_gemm(const NpuConfig& config, const MatrixGemmJob& job, ProgramBuilder& builder);

}  // namespace npu
