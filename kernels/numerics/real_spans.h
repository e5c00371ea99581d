#pragma once
// Whole buffers of float-precision elements at once: the same values as load_real / store_real /
// round_to element by element (element.h), in loops that run on the CPU's conversion
// instructions where it has them (F16C for binary16: IEEE round-to-nearest-even in hardware; a
// signaling binary16 NaN, which F16C would quiet, is widened by half_to_float, which keeps it)
// and on the scalar functions elsewhere.
// Host only: the CUDA kernels convert element by element with the NPU_HD functions.
#include <cstddef>
#include <cstdint>

#include "kernels/numerics/precision.h"

namespace npu {

// out[i] = load_real(bytes, i, p) for i < count.
void load_reals(const uint8_t* bytes, size_t count, Precision p, float* out);
// store_real(bytes, i, values[i], p) for i < count.
void store_reals(const float* values, size_t count, Precision p, uint8_t* bytes);
// values[i] = round_to(values[i], p) in place.
void round_reals(float* values, size_t count, Precision p);

// Whether the binary16 loops use F16C on this CPU (for tests and reports).
bool has_f16c();

}  // namespace npu
