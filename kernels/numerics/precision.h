#pragma once
#include <cstddef>
#include <string>

namespace npu {

// Arithmetic of a run: INT8 (int8 operands, int32 accumulation, integer requantization) or
// FP16 (binary16 operands, FP32 accumulation, round to nearest even on store).
enum class Precision { Int8, Fp16 };

inline size_t element_bytes(Precision p) { return p == Precision::Int8 ? 1 : 2; }
inline size_t accumulator_bytes(Precision) { return 4; }  // int32 or fp32
inline const char* precision_name(Precision p) { return p == Precision::Int8 ? "int8" : "fp16"; }
// Returns false for an unknown name.
bool parse_precision(const std::string& name, Precision& out);

}  // namespace npu
