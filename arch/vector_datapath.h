#pragma once
// The values side of the vector unit: requantization (with bias and fused activation), pooling,
// residual add, relu and softmax on tiles in SRAM, under the shared numerics contract.
#include <cstdint>

#include "arch/cycles.h"
#include "arch/isa.h"
#include "kernels/numerics/precision.h"

namespace npu {

// Busy cycles of one vector instruction on `lanes` lanes: one element per lane per cycle for
// element-wise work, one window element per lane per cycle for pooling, three passes for
// softmax (max, exponent sum, normalize).
Cycles vector_cycles(const isa::Vector& v, int64_t lanes);
// Elements the instruction processes (energy: one vector op each).
int64_t vector_element_ops(const isa::Vector& v);

struct VectorOperands {
    const uint8_t* src = nullptr;       // input box, or nullptr for Requantize
    const uint8_t* src2 = nullptr;      // Add
    const void* accumulator = nullptr;  // Requantize: int32 or float entries
    const uint8_t* params = nullptr;    // Requantize and Affine channel records
    uint8_t* dst = nullptr;
};

void execute_vector(const isa::Vector& v, Precision precision, const VectorOperands& operands);

}  // namespace npu
