#pragma once
// The arithmetic of a training run. FP32: everything binary32. FP16 (mixed precision, Micikevicius
// et al. 2018, "Mixed Precision Training", arXiv:1710.03740): weights used by the GEMMs,
// activations and activation gradients are stored in binary16, products accumulate in FP32, the
// weight gradients and the FP32 master weights stay FP32, and the loss is scaled so that small
// gradients survive binary16. BF16 (Kalamkar et al. 2019): the same with bfloat16 storage and no
// loss scaling (bfloat16 has FP32's range).
#include <string>

#include "kernels/numerics/bf16.h"
#include "kernels/numerics/fp16.h"
#include "kernels/numerics/precision.h"

namespace npu {

enum class TrainPrecision { Fp32, Fp16, Bf16 };

const char* train_precision_name(TrainPrecision p);
bool parse_train_precision(const std::string& name, TrainPrecision& out);  // false if unknown

// The element format a run's compute-precision tensors are stored in.
inline Precision storage_precision(TrainPrecision p) {
    if (p == TrainPrecision::Fp16) return Precision::Fp16;
    if (p == TrainPrecision::Bf16) return Precision::Bf16;
    return Precision::Fp32;
}

// A store in the run's compute precision.
inline float round_compute(float v, TrainPrecision p) {
    if (p == TrainPrecision::Fp16) return round_to_half(v);
    if (p == TrainPrecision::Bf16) return round_to_bf16(v);
    return v;
}

}  // namespace npu
