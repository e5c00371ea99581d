#include "kernels/numerics/real_spans.h"

#include <immintrin.h>

#include <cstring>

#include "kernels/numerics/element.h"

namespace npu {
namespace {

// Eight values per instruction; the tail through the scalar functions, which round alike.
[[gnu::target("avx,f16c")]] void halves_to_floats_f16c(const uint8_t* bytes, size_t count, float* out) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + 2 * i));
        // F16C quiets a signaling NaN, half_to_float keeps it: eight values with a NaN among
        // them take the scalar way (|h| > 0x7C00 as a signed compare: |h| <= 0x7FFF).
        const __m128i nan = _mm_cmpgt_epi16(_mm_and_si128(h, _mm_set1_epi16(0x7FFF)), _mm_set1_epi16(0x7C00));
        if (_mm_movemask_epi8(nan)) {
            for (size_t j = i; j < i + 8; ++j) out[j] = load_real(bytes, int64_t(j), Precision::Fp16);
            continue;
        }
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(h));
    }
    for (; i < count; ++i) out[i] = load_real(bytes, int64_t(i), Precision::Fp16);
}

[[gnu::target("avx,f16c")]] void floats_to_halves_f16c(const float* values, size_t count, uint8_t* bytes) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(values + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(bytes + 2 * i), h);
    }
    for (; i < count; ++i) store_real(bytes, int64_t(i), values[i], Precision::Fp16);
}

[[gnu::target("avx,f16c")]] void round_halves_f16c(float* values, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(values + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_storeu_ps(values + i, _mm256_cvtph_ps(h));
    }
    for (; i < count; ++i) values[i] = round_to(values[i], Precision::Fp16);
}

}  // namespace

bool has_f16c() {
    static const bool present = __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
    return present;
}

void load_reals(const uint8_t* bytes, size_t count, Precision p, float* out) {
    if (p == Precision::Fp16 && has_f16c()) return halves_to_floats_f16c(bytes, count, out);
    if (p != Precision::Fp16 && p != Precision::Bf16) {  // read as FP32, as load_real reads them
        if (count) std::memcpy(out, bytes, count * 4);
        return;
    }
    for (size_t i = 0; i < count; ++i) out[i] = load_real(bytes, int64_t(i), p);
}

void store_reals(const float* values, size_t count, Precision p, uint8_t* bytes) {
    if (p == Precision::Fp16 && has_f16c()) return floats_to_halves_f16c(values, count, bytes);
    for (size_t i = 0; i < count; ++i) store_real(bytes, int64_t(i), values[i], p);
}

void round_reals(float* values, size_t count, Precision p) {
    if (p == Precision::Fp16 && has_f16c()) return round_halves_f16c(values, count);
    if (p == Precision::Fp16 || p == Precision::Bf16)
        for (size_t i = 0; i < count; ++i) values[i] = round_to(values[i], p);
}

}  // namespace npu
