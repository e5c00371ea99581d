#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/numerics/bf16.h"
#include "kernels/numerics/check_rule.h"
#include "kernels/numerics/element.h"
#include "kernels/numerics/fold_gemm.h"
#include "kernels/numerics/fp16.h"
#include "kernels/numerics/int8.h"
#include "kernels/numerics/vector_math.h"

using namespace npu;

TEST_CASE("saturate_int8 clamps to [-128, 127]", "[numerics][int8]") {
    CHECK(saturate_int8(127) == 127);
    CHECK(saturate_int8(128) == 127);
    CHECK(saturate_int8(-128) == -128);
    CHECK(saturate_int8(-129) == -128);
    CHECK(saturate_int8(int64_t(1) << 40) == 127);
    CHECK(saturate_int8(-(int64_t(1) << 40)) == -128);
}

TEST_CASE("make_multiplier represents ratios with a 31-bit multiplier", "[numerics][int8]") {
    const QuantMultiplier half = make_multiplier(0.5);
    CHECK(half.multiplier == (1 << 30));
    CHECK(half.shift == 31);
    const QuantMultiplier one = make_multiplier(1.0);
    CHECK(one.multiplier == (1 << 30));
    CHECK(one.shift == 30);
    const QuantMultiplier small = make_multiplier(0.001);
    CHECK(small.multiplier >= (1 << 30));
    CHECK(std::fabs(double(small.multiplier) * std::ldexp(1.0, -small.shift) - 0.001) < 1e-12);
    // A ratio just below a power of two rounds its fraction up to 1.0 and renormalizes.
    const QuantMultiplier nearly = make_multiplier(0.99999999999);
    CHECK(nearly.multiplier == (1 << 30));
    CHECK(nearly.shift == 30);
    CHECK(make_multiplier(0.0).multiplier == 0);
    CHECK(make_multiplier(-1.0).multiplier == 0);
}

TEST_CASE("requantize rounds half toward +infinity", "[numerics][int8]") {
    const QuantMultiplier half = make_multiplier(0.5);
    CHECK(requantize(3, half) == 2);    // 1.5 -> 2
    CHECK(requantize(-3, half) == -1);  // -1.5 -> -1 (toward +inf)
    CHECK(requantize(5, half) == 3);    // 2.5 -> 3
    CHECK(requantize(-5, half) == -2);  // -2.5 -> -2
    CHECK(requantize(4, half) == 2);
    CHECK(requantize(-4, half) == -2);
    const QuantMultiplier quarter = make_multiplier(0.25);
    CHECK(requantize(1, quarter) == 0);   // 0.25
    CHECK(requantize(2, quarter) == 1);   // 0.5 tie -> 1
    CHECK(requantize(-2, quarter) == 0);  // -0.5 tie -> 0
    CHECK(requantize(3, quarter) == 1);   // 0.75
}

TEST_CASE("requantize saturates and never overflows in 64 bits", "[numerics][int8]") {
    const QuantMultiplier one = make_multiplier(1.0);
    CHECK(requantize(1000, one) == 127);
    CHECK(requantize(-1000, one) == -128);
    const QuantMultiplier big = make_multiplier(1000.0);
    CHECK(requantize(std::numeric_limits<int32_t>::max(), big) == 127);
    CHECK(requantize(std::numeric_limits<int32_t>::min(), big) == -128);
    const QuantMultiplier tiny = make_multiplier(1e-12);
    CHECK(requantize(std::numeric_limits<int32_t>::max(), tiny) == 0);
}

TEST_CASE("quantize_int8 rounds half away from zero and saturates", "[numerics][int8]") {
    CHECK(quantize_int8(0.5f, 1.0f) == 1);
    CHECK(quantize_int8(-0.5f, 1.0f) == -1);
    CHECK(quantize_int8(1.49f, 1.0f) == 1);
    CHECK(quantize_int8(300.0f, 1.0f) == 127);
    CHECK(quantize_int8(-300.0f, 1.0f) == -128);
    CHECK(quantize_int8(std::nanf(""), 1.0f) == 0);
    CHECK(quantize_int8(1.0f, 0.0f) == 0);
}

TEST_CASE("quantize_int8 over a span rounds as std::lround, saturated", "[numerics][int8]") {
    // Halves on both sides, the largest float below one half, saturation, non-finite values.
    std::vector<float> values = {0.0f,  -0.0f,  0.5f,   -0.5f,         1.5f,     -1.5f,       2.5f,
                                 -2.5f, 126.5f, 127.5f, -128.5f,       -127.5f,  0.49999997f, -0.49999997f,
                                 1e30f, -1e30f, 1e-40f, std::nanf(""), INFINITY, -INFINITY};
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> spread(-140.0f, 140.0f);
    for (int i = 0; i < 20000; ++i) values.push_back(spread(rng));
    for (float scale : {1.0f, 0.37f, 1.0f / 127.0f, 1e-20f, 0.0f, -1.0f}) {
        INFO("scale " << scale);
        std::vector<int8_t> span(values.size());
        quantize_int8(values.data(), values.size(), scale, span.data());
        for (size_t i = 0; i < values.size(); ++i) {
            INFO(values[i]);
            const double x = double(values[i]) / double(scale);
            int expected = 0;  // non-finite values and scales quantize to 0
            if (scale > 0 && std::isfinite(values[i]))
                expected = std::fabs(x) > 1e15 ? (x > 0 ? 127 : -128) : int(saturate_int8(std::lround(x)));
            REQUIRE(int(span[i]) == expected);
            REQUIRE(int(quantize_int8(values[i], scale)) == expected);
        }
    }
}

TEST_CASE("add_requantize rounds the sum once", "[numerics][int8]") {
    const AddRescale r = make_add_rescale(0.5, 0.5);
    CHECK(add_requantize(1, 2, r) == 2);     // 1.5 -> 2
    CHECK(add_requantize(-1, -2, r) == -1);  // -1.5 -> -1
    CHECK(add_requantize(127, 127, make_add_rescale(1.0, 1.0)) == 127);
    CHECK(add_requantize(-128, -128, make_add_rescale(1.0, 1.0)) == -128);
    const AddRescale mixed = make_add_rescale(0.25, 1.0);
    CHECK(add_requantize(2, 3, mixed) == 4);  // 0.5 + 3 = 3.5 -> 4
}

TEST_CASE("average_multiplier divides with the same rounding rule", "[numerics][int8]") {
    CHECK(rounding_scale(10, average_multiplier(4)) == 3);    // 2.5 -> 3
    CHECK(rounding_scale(-10, average_multiplier(4)) == -2);  // -2.5 -> -2
    CHECK(rounding_scale(9, average_multiplier(9)) == 1);
    CHECK(rounding_scale(12, average_multiplier(9)) == 1);  // 1.33
}

TEST_CASE("float_to_half rounds to nearest even", "[numerics][fp16]") {
    CHECK(float_to_half(1.0f).bits == 0x3C00);
    CHECK(float_to_half(-2.0f).bits == 0xC000);
    CHECK(float_to_half(65504.0f).bits == 0x7BFF);
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1.0).
    CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)).bits == 0x3C00);
    // 1 + 3 * 2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even): rounds up.
    CHECK(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)).bits == 0x3C02);
    CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)).bits == 0x3C01);
}

TEST_CASE("float_to_half overflow, infinity and NaN", "[numerics][fp16]") {
    CHECK(float_to_half(65519.0f).bits == 0x7BFF);  // rounds down to max
    CHECK(float_to_half(65520.0f).bits == 0x7C00);  // tie goes to even: infinity
    CHECK(float_to_half(1e10f).bits == 0x7C00);
    CHECK(float_to_half(-1e10f).bits == 0xFC00);
    CHECK(float_to_half(std::numeric_limits<float>::infinity()).bits == 0x7C00);
    const Half nan = float_to_half(std::nanf(""));
    CHECK((nan.bits & 0x7C00) == 0x7C00);
    CHECK((nan.bits & 0x03FF) != 0);
    CHECK(std::isnan(half_to_float(nan)));
    CHECK(std::isinf(half_to_float(Half{0xFC00})));
}

TEST_CASE("float_to_half subnormals and underflow", "[numerics][fp16]") {
    const float smallest = std::ldexp(1.0f, -24);
    CHECK(float_to_half(smallest).bits == 0x0001);
    CHECK(half_to_float(Half{0x0001}) == smallest);
    CHECK(float_to_half(smallest / 2).bits == 0x0000);           // tie with 0: even
    CHECK(float_to_half(smallest * 0.75f).bits == 0x0001);       // above the tie
    CHECK(float_to_half(smallest * 1.5f).bits == 0x0002);        // tie between 1 and 2: even
    CHECK(float_to_half(std::ldexp(1.0f, -14)).bits == 0x0400);  // smallest normal
    CHECK(half_to_float(Half{0x03FF}) == std::ldexp(1023.0f, -24));
    CHECK(float_to_half(-smallest).bits == 0x8001);
    CHECK(float_to_half(-0.0f).bits == 0x8000);
}

TEST_CASE("every binary16 value survives a round trip through float", "[numerics][fp16]") {
    for (uint32_t bits = 0; bits < 0x10000; ++bits) {
        const Half h{uint16_t(bits)};
        const float f = half_to_float(h);
        if (std::isnan(f)) continue;
        REQUIRE(float_to_half(f).bits == h.bits);
    }
}

TEST_CASE("bfloat16 storage: two bytes, the upper half of FP32, rounded to nearest even", "[numerics][bf16]") {
    CHECK(element_bytes(Precision::Bf16) == 2);
    CHECK(is_float(Precision::Bf16));
    Precision p;
    REQUIRE(parse_precision("bf16", p));
    CHECK(p == Precision::Bf16);
    CHECK(std::string(precision_name(p)) == "bf16");
    uint8_t buffer[4] = {};
    store_real(buffer, 1, 3.14159f, Precision::Bf16);  // 0x40490FDB -> 0x4049 (0x0FDB < half)
    CHECK(buffer[2] == 0x49);
    CHECK(buffer[3] == 0x40);
    CHECK(load_real(buffer, 1, Precision::Bf16) == 3.140625f);
    CHECK(round_to(3.14159f, Precision::Bf16) == 3.140625f);
    CHECK(float_to_bf16_bits(1.0f + 1.0f / 128 + 1.0f / 256) == 0x3F82);  // a tie: 0x3F81 is odd, up to even
    CHECK(float_to_bf16_bits(-std::numeric_limits<float>::infinity()) == 0xFF80);
    CHECK(float_to_bf16_bits(3.4e38f) == 0x7F80);  // past bfloat16's largest finite value: rounds to inf
    // Every bfloat16 bit pattern that is not NaN survives a round trip through float.
    for (uint32_t b = 0; b < 0x10000; ++b) {
        const float f = bf16_bits_to_float(uint16_t(b));
        if (!std::isnan(f)) REQUIRE(float_to_bf16_bits(f) == b);
    }
}

TEST_CASE("the BF16 check rule allows 2 ulp of bfloat16 at the magnitude", "[numerics][bf16]") {
    // At 1.0 a bfloat16 ulp is 2^-7.
    CHECK(float_close(1.0f, 1.0f + 2.0f / 128, Precision::Bf16, 0.0f));
    CHECK_FALSE(float_close(1.0f, 1.0f + 3.0f / 128, Precision::Bf16, 0.0f));
    CHECK_FALSE(float_close(1.0f, 1.0f + 3.0f / 1024, Precision::Fp16, 0.0f));  // FP16 is tighter
    CHECK_THAT(check_rule(Precision::Bf16), Catch::Matchers::Contains("BF16 within 2 ulp"));
}

TEST_CASE("softmax_int8 outputs probabilities at scale 1/127", "[numerics]") {
    const int8_t logits[3] = {0, 0, 0};
    int8_t out[3];
    softmax_int8(logits, out, 3, 1, 0.1f);
    CHECK(out[0] == 42);  // 127 / 3 = 42.33
    CHECK(out[1] == 42);
    const int8_t peaked[2] = {127, -128};
    softmax_int8(peaked, out, 2, 1, 1.0f);
    CHECK(out[0] == 127);
    CHECK(out[1] == 0);
}

TEST_CASE("ordered_gemm adds in the array's folds and the compiler's K tiles", "[numerics][fp32]") {
    // 1 + 2^24 rounds back to 2^24 (ties to even) in binary32, so each grouping of the six
    // products 1, 2^24, 1, -2^24, 1, 1 gives its own, hand-worked sum.
    const float big = 16777216.0f;
    const std::vector<float> a = {1, 1, 1, 1, 1, 1}, b = {1, big, 1, -big, 1, 1};
    const auto sum = [&](SumOrder order) {
        float c = -7.0f;  // overwritten by the first fold
        ordered_gemm(a.data(), b.data(), &c, 1, 6, 1, order);
        return c;
    };
    CHECK(sum({0, 0}) == 2.0f);  // one after another: ((1 + 2^24) + 1) - 2^24 = 0, then + 1 + 1
    CHECK(sum({0, 2}) == 3.0f);  // folds of 2: 2^24, then 1 - 2^24 = -16777215: 1; then 2
    CHECK(sum({4, 0}) == 2.0f);  // tiles of 4 in one fold each: 0, then 2
    CHECK(sum({2, 0}) == 3.0f);  // tiles of 2: as folds of 2
    CHECK(sum({3, 0}) == 2.0f);  // tiles of 3: 2^24, then -2^24 + 2
    CHECK(sum({4, 2}) == 3.0f);  // tiles of 4 in folds of 2: 1, then 2
    // A 2 x 3 product is every row's and column's dot product in that order.
    const std::vector<float> m = {1, 2, 3, 4, 5, 6}, n = {1, 0, 0, 1, 1, 1};  // 2x3 times 3x2
    std::vector<float> c(4);
    ordered_gemm(m.data(), n.data(), c.data(), 2, 3, 2, SumOrder{2, 1});
    CHECK(c == std::vector<float>{4, 5, 10, 11});
}
