#pragma once
#include <cstddef>
#include <string>

namespace npu {

// Arithmetic of an instruction: INT8 (int8 operands, int32 accumulation, integer requantization),
// FP16 (binary16 operands, FP32 accumulation, round to nearest even on store), BF16 (bfloat16
// operands, FP32 accumulation, round to nearest even on store: TPU v2+ training) or FP32 (binary32
// operands and accumulation: the mode for checking float models against their references).
enum class Precision { Int8, Fp16, Fp32, Bf16 };

inline size_t element_bytes(Precision p) { return p == Precision::Int8 ? 1 : p == Precision::Fp32 ? 4 : 2; }
inline size_t accumulator_bytes(Precision) { return 4; }  // int32 or fp32
inline bool is_float(Precision p) { return p != Precision::Int8; }
const char* precision_name(Precision p);
// Returns false for an unknown name.
bool parse_precision(const std::string& name, Precision& out);

}  // namespace npu
