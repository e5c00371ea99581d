#pragma once
// The values side of the systolic array (DESIGN.md 5.7: values and timing separable): what one
// GEMM instruction computes, reading its operands from SRAM the way the array's operand feeders
// do (im2col addressing over the loaded input box, zeros for padding) and adding into the
// accumulator. Accumulation order follows the array (kernels/numerics/fold_gemm.h): within a
// fold of at most `fold_rows` reduction elements a partial sum starts at zero and adds one
// product per row in order; the fold's sum then goes to the accumulator (written by the first
// fold unless the instruction accumulates, added after). INT8 sums are exact, so any order gives
// the same bits; FP32 sums are bit-identical to the detailed PE model's.
#include <cstdint>
#include <vector>

#include "arch/isa.h"
#include "arch/npu_config.h"
#include "kernels/numerics/element.h"

namespace npu {

// A[m][k] of one group of the GEMM from the input box (im2col view), as T.
template <class T>
void gather_a(const isa::Gemm& g, int64_t group, const uint8_t* input_tile, Precision p, T* a);
// B[k][f] of one group (the weights stored [f][k]), as T.
template <class T>
void gather_b(const isa::Gemm& g, int64_t group, const uint8_t* weights, Precision p, T* b);

void gemm_int8(const isa::Gemm& g, const int8_t* input_tile, const int8_t* weights, int32_t* acc);
// FP16 or FP32 operands, FP32 partial sums and accumulator.
void gemm_float(const isa::Gemm& g, const uint8_t* input_tile, const uint8_t* weights, float* acc, int64_t fold_rows,
                Precision p);
// The products per fold of a float GEMM on this array: ws and is fold the reduction over the
// rows; os streams all of an instruction's K into one PE (0: one fold per instruction).
inline int64_t accumulation_fold(Dataflow dataflow, int64_t array_rows) {
    return dataflow == Dataflow::OutputStationary ? 0 : array_rows;
}

}  // namespace npu
