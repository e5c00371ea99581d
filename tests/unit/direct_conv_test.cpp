// The direct convolution the naive CUDA kernel runs per thread (kernels/cuda/direct_conv.h), run
// here on the CPU over the shared shape table: INT8 bit-exact with the CPU reference after the
// NPU's requantization, FP32, FP16 and BF16 within the check rule (another order of sums).
#include <catch2/catch.hpp>

#include "kernels/conv_cases.h"
#include "kernels/numerics/check_rule.h"
#include "kernels/numerics/fp16.h"

using namespace npu;

TEST_CASE("the direct convolution's index math and sums equal the CPU reference", "[numerics][conv]") {
    for (const test::ConvCase& c : test::conv_cases()) {
        INFO(c.name);
        const DirectConvShape& s = c.shape;
        const ConvGeometry g = conv_geometry(s);
        const std::vector<float> x = test::uniform_values(s.inputs(), 1);
        const std::vector<float> w = test::uniform_values(s.weights(), 2);
        const std::vector<float> bias = test::uniform_values(s.f, 3);
        const std::vector<float> reference = conv_accumulate_float(test::float_tensor(s, x), g, w.data(), bias.data());
        REQUIRE(int64_t(reference.size()) == s.outputs());
        const float scale = test::rms(reference);
        for (int64_t i = 0; i < s.outputs(); ++i) {
            const OutputCoords o = output_coords(s, i);
            const float direct = direct_conv_sum<float>(s, o, x.data(), w.data(), WidenFloat{}) + bias[size_t(o.f)];
            INFO("output " << i);
            REQUIRE(float_close(direct, reference[size_t(i)], Precision::Fp32, scale));
        }
        // FP16: binary16 operands, FP32 sums, the result rounded to binary16.
        const test::HalfOperands xh = test::to_half(x), wh = test::to_half(w);
        const std::vector<float> half_ref =
            conv_accumulate_float(test::float_tensor(s, xh.values), g, wh.values.data(), bias.data());
        for (int64_t i = 0; i < s.outputs(); ++i) {
            const OutputCoords o = output_coords(s, i);
            const float direct = round_to_half(
                direct_conv_sum<float>(s, o, xh.bits.data(), wh.bits.data(), WidenHalf{}) + bias[size_t(o.f)]);
            REQUIRE(float_close(direct, round_to_half(half_ref[size_t(i)]), Precision::Fp16, test::rms(half_ref)));
        }
        // BF16 likewise, through bfloat16.
        const test::Bf16Operands xb = test::to_bf16(x), wb = test::to_bf16(w);
        const std::vector<float> bf16_ref =
            conv_accumulate_float(test::float_tensor(s, xb.values), g, wb.values.data(), bias.data());
        for (int64_t i = 0; i < s.outputs(); ++i) {
            const OutputCoords o = output_coords(s, i);
            const float direct = round_to_bf16(
                direct_conv_sum<float>(s, o, xb.bits.data(), wb.bits.data(), WidenBf16{}) + bias[size_t(o.f)]);
            REQUIRE(float_close(direct, round_to_bf16(bf16_ref[size_t(i)]), Precision::Bf16, test::rms(bf16_ref)));
        }
    }
}

TEST_CASE("the direct convolution in INT8 is bit-exact with the CPU reference", "[numerics][conv][int8]") {
    for (const test::ConvCase& c : test::conv_cases()) {
        INFO(c.name);
        const DirectConvShape& s = c.shape;
        const Int8Clamp relu{0, 127};
        const test::Int8Case k = test::int8_case(s, relu);
        int64_t nonzero = 0;
        for (int64_t i = 0; i < s.outputs(); ++i) {
            const OutputCoords o = output_coords(s, i);
            const int8_t direct = requantize_output(direct_conv_sum<int32_t>(s, o, k.x.data(), k.w.data(), WidenInt8{}),
                                                    k.bias[size_t(o.f)], k.requant[size_t(o.f)], relu);
            INFO("output " << i);
            REQUIRE(direct == k.reference.int8()[i]);
            nonzero += direct != 0;
        }
        CHECK(nonzero > 0);  // the scales leave values to compare, not all zeros
    }
}

TEST_CASE("the implicit GEMM view of a convolution is the direct sum, bit for bit", "[numerics][conv]") {
    for (const test::ConvCase& c : test::conv_cases()) {
        INFO(c.name);
        const DirectConvShape& s = c.shape;
        const std::vector<float> x = test::uniform_values(s.inputs(), 1);
        const std::vector<float> w = test::uniform_values(s.weights(), 2);
        const test::Int8Case q = test::int8_case(s, Int8Clamp{-128, 127});
        std::vector<bool> written(size_t(s.outputs()), false);
        for (int64_t group = 0; group < s.groups; ++group)
            for (int64_t m = 0; m < implicit_m(s); ++m)
                for (int64_t j = 0; j < s.out_per_group(); ++j) {
                    float sum = 0.0f;  // k in the direct sum's order: the same bits
                    int32_t isum = 0;
                    for (int64_t k = 0; k < implicit_k(s); ++k) {
                        const int64_t a = implicit_a_index(s, group, m, k), b = implicit_b_index(s, group, k, j);
                        if (a < 0) continue;
                        sum += x[size_t(a)] * w[size_t(b)];
                        isum += int32_t(q.x[size_t(a)]) * int32_t(q.w[size_t(b)]);
                    }
                    const int64_t out = implicit_c_index(s, group, m, j);
                    const OutputCoords o = output_coords(s, out);
                    REQUIRE(sum == direct_conv_sum<float>(s, o, x.data(), w.data(), WidenFloat{}));
                    REQUIRE(isum == direct_conv_sum<int32_t>(s, o, q.x.data(), q.w.data(), WidenInt8{}));
                    REQUIRE(!written[size_t(out)]);
                    written[size_t(out)] = true;
                }
        CHECK(std::count(written.begin(), written.end(), true) == s.outputs());  // every output once
    }
}
