#pragma once
// One element of a float-precision buffer (FP16, BF16 or FP32 storage), always computed in FP32:
// loads widen exactly, stores round to the storage format (nearest even for FP16 and BF16).
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/numerics/bf16.h"
#include "kernels/numerics/fp16.h"
#include "kernels/numerics/precision.h"
#include "kernels/numerics/real_spans.h"

namespace npu {

inline float load_real(const uint8_t* base, int64_t index, Precision p) {
    if (p == Precision::Fp16) {
        Half h;
        std::memcpy(&h, base + index * 2, 2);
        return half_to_float(h);
    }
    if (p == Precision::Bf16) {
        uint16_t b;
        std::memcpy(&b, base + index * 2, 2);
        return bf16_bits_to_float(b);
    }
    float f;
    std::memcpy(&f, base + index * 4, 4);
    return f;
}

inline void store_real(uint8_t* base, int64_t index, float value, Precision p) {
    if (p == Precision::Fp16) {
        const Half h = float_to_half(value);
        std::memcpy(base + index * 2, &h, 2);
    } else if (p == Precision::Bf16) {
        const uint16_t b = float_to_bf16_bits(value);
        std::memcpy(base + index * 2, &b, 2);
    } else {
        std::memcpy(base + index * 4, &value, 4);
    }
}

// A buffer of `values` in storage format `p` (each rounded as a store rounds it), and the first
// `count` values of such a buffer.
inline std::vector<uint8_t> encode_reals(const std::vector<float>& values, Precision p) {
    std::vector<uint8_t> bytes(values.size() * element_bytes(p));
    store_reals(values.data(), values.size(), p, bytes.data());
    return bytes;
}
inline std::vector<float> decode_reals(const std::vector<uint8_t>& bytes, size_t count, Precision p) {
    std::vector<float> values(count);
    load_reals(bytes.data(), count, p, values.data());
    return values;
}

// What a store and a load give back: the value rounded to the storage format.
inline float round_to(float value, Precision p) {
    if (p == Precision::Fp16) return half_to_float(float_to_half(value));
    if (p == Precision::Bf16) return round_to_bf16(value);
    return value;
}

}  // namespace npu
