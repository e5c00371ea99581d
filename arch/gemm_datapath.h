#pragma once
// The values side of the systolic array (DESIGN.md 5.7: values and timing separable): what one
// GEMM instruction computes, reading its operands from SRAM the way the array's operand feeders
// do (im2col addressing over the loaded input box, zeros for padding) and adding into the
// accumulator. The order of accumulation follows the folds: partial sums of one fold of at most
// `rows` reduction elements are formed, then added to the accumulator (matters for FP32 only).
#include <cstdint>

#include "arch/isa.h"
#include "kernels/numerics/fp16.h"

namespace npu {

void gemm_int8(const isa::Gemm& g, const int8_t* input_tile, const int8_t* weights, int32_t* acc);
void gemm_fp16(const isa::Gemm& g, const Half* input_tile, const Half* weights, float* acc,
               int64_t fold_rows);

}  // namespace npu
