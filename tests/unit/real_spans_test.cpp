// The bulk conversions (kernels/numerics/real_spans.h) against the element-by-element contract
// (fp16.h, bf16.h, element.h), compared bit for bit (NaN included): every binary16 pattern, and
// binary32 patterns around every rounding boundary of every exponent, in counts that are not a
// multiple of the eight lanes, so that the vector loop and its scalar tail both run.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "kernels/numerics/element.h"
#include "kernels/numerics/real_spans.h"
#include "workloads/ir/seeded_rng.h"

using namespace npu;

namespace {

uint32_t bits_of(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

float float_of(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// For each sign and exponent: the dropped 13 (FP16) or 16 (BF16) bits at and around the halfway
// point, below and above it, with even and odd kept bits, and random mantissas.
std::vector<float> boundary_floats() {
    std::vector<float> v;
    SeededRng rng(7);
    for (uint32_t sign = 0; sign < 2; ++sign)
        for (uint32_t exponent = 0; exponent < 256; ++exponent) {
            const uint32_t base = sign << 31 | exponent << 23;
            for (uint32_t kept : {0u, 1u, 0x3FEu, 0x3FFu, 0x155u})
                for (uint32_t dropped : {0u, 1u, 0xFFFu, 0x1000u, 0x1001u, 0x1FFFu})
                    v.push_back(float_of(base | kept << 13 | dropped));
            for (uint32_t dropped : {0x7FFFu, 0x8000u, 0x8001u, 0x18000u}) v.push_back(float_of(base | dropped));
            for (int i = 0; i < 40; ++i) v.push_back(float_of(base | uint32_t(rng.next() & 0x7FFFFFu)));
        }
    for (uint32_t u = 0x477FE000u; u < 0x47800100u; u += 7) v.push_back(float_of(u));  // 65504 -> inf
    while (v.size() % 8 != 5) v.push_back(1.0f);  // a tail of 5 after the vector loop
    return v;
}

}  // namespace

TEST_CASE("load_reals decodes every binary16 pattern as half_to_float does", "[numerics][fp16]") {
    std::vector<uint8_t> bytes(65536 * 2 + 6);  // 65539 values: a tail of 3
    for (uint32_t h = 0; h < 65539; ++h) {
        const uint16_t b = uint16_t(h);
        std::memcpy(&bytes[2 * h], &b, 2);
    }
    std::vector<float> out(65539);
    load_reals(bytes.data(), out.size(), Precision::Fp16, out.data());
    for (uint32_t h = 0; h < 65539; ++h) REQUIRE(bits_of(out[h]) == bits_of(half_to_float(Half{uint16_t(h)})));
    load_reals(bytes.data(), 32768, Precision::Bf16, out.data());
    for (uint32_t h = 0; h < 32768; ++h) REQUIRE(bits_of(out[h]) == bits_of(bf16_bits_to_float(uint16_t(h))));
}

TEST_CASE("store_reals and round_reals round as float_to_half and round_to do", "[numerics][fp16]") {
    const std::vector<float> values = boundary_floats();
    REQUIRE(values.size() % 8 != 0);
    for (const Precision p : {Precision::Fp16, Precision::Bf16, Precision::Fp32}) {
        CAPTURE(precision_name(p));
        std::vector<uint8_t> bytes(values.size() * element_bytes(p));
        store_reals(values.data(), values.size(), p, bytes.data());
        std::vector<float> rounded = values;
        round_reals(rounded.data(), rounded.size(), p);
        std::vector<uint8_t> one(4);
        for (size_t i = 0; i < values.size(); ++i) {
            CAPTURE(i, bits_of(values[i]));
            store_real(one.data(), 0, values[i], p);
            REQUIRE(std::memcmp(&bytes[i * element_bytes(p)], one.data(), element_bytes(p)) == 0);
            REQUIRE(bits_of(rounded[i]) == bits_of(round_to(values[i], p)));
        }
        REQUIRE(decode_reals(encode_reals(values, p), values.size(), p).size() == values.size());
    }
    INFO("F16C in use: " << has_f16c());
    SUCCEED();
}
