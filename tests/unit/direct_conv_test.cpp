// The direct convolution the naive CUDA kernel runs per thread (kernels/cuda/direct_conv.h), run
// here on the CPU over the shared shape table: INT8 bit-exact with the CPU reference after the
// NPU's requantization, FP32 and FP16 within the check rule (another order of sums).
#include <catch2/catch.hpp>

#include <cmath>

#include "kernels/conv_cases.h"
#include "kernels/numerics/check_rule.h"
#include "kernels/numerics/fp16.h"

using namespace npu;

namespace {

HostTensor input_tensor(const DirectConvShape& s, const std::vector<float>& x, Precision p) {
    HostTensor t = HostTensor::zeros(Shape{s.n, s.c, s.h, s.w}, p);
    for (size_t i = 0; i < x.size(); ++i) t.set_real(int64_t(i), x[i]);
    return t;
}

float rms(const std::vector<float>& v) {
    double squares = 0;
    for (float x : v) squares += double(x) * x;
    return float(std::sqrt(squares / double(std::max<size_t>(1, v.size()))));
}

}  // namespace

TEST_CASE("the direct convolution's index math and sums equal the CPU reference", "[numerics][conv]") {
    for (const test::ConvCase& c : test::conv_cases()) {
        INFO(c.name);
        const DirectConvShape& s = c.shape;
        const ConvGeometry g = test::geometry(s);
        const std::vector<float> x = test::uniform_values(s.n * s.c * s.h * s.w, 1);
        const std::vector<float> w = test::uniform_values(test::weight_count(s), 2);
        const std::vector<float> bias = test::uniform_values(s.f, 3);
        const std::vector<float> reference =
            conv_accumulate_float(input_tensor(s, x, Precision::Fp32), g, w.data(), bias.data());
        REQUIRE(int64_t(reference.size()) == s.outputs());
        const float scale = rms(reference);
        for (int64_t i = 0; i < s.outputs(); ++i) {
            const OutputCoords o = output_coords(s, i);
            const float direct = direct_conv_sum<float>(s, o, x.data(), w.data(), WidenFloat{}) + bias[size_t(o.f)];
            INFO("output " << i);
            REQUIRE(float_close(direct, reference[size_t(i)], Precision::Fp32, scale));
        }
        // FP16: binary16 operands, FP32 sums, the result rounded to binary16.
        std::vector<Half> xh, wh;
        std::vector<float> xr, wr;
        for (float v : x) xh.push_back(float_to_half(v)), xr.push_back(round_to_half(v));
        for (float v : w) wh.push_back(float_to_half(v)), wr.push_back(round_to_half(v));
        const std::vector<float> half_ref =
            conv_accumulate_float(input_tensor(s, xr, Precision::Fp32), g, wr.data(), bias.data());
        for (int64_t i = 0; i < s.outputs(); ++i) {
            const OutputCoords o = output_coords(s, i);
            const float direct =
                round_to_half(direct_conv_sum<float>(s, o, xh.data(), wh.data(), WidenHalf{}) + bias[size_t(o.f)]);
            REQUIRE(float_close(direct, round_to_half(half_ref[size_t(i)]), Precision::Fp16, rms(half_ref)));
        }
    }
}

TEST_CASE("the direct convolution in INT8 is bit-exact with the CPU reference", "[numerics][conv][int8]") {
    for (const test::ConvCase& c : test::conv_cases()) {
        INFO(c.name);
        const DirectConvShape& s = c.shape;
        const std::vector<int8_t> x = test::int8_values(s.n * s.c * s.h * s.w, 4);
        const std::vector<int8_t> w = test::int8_values(test::weight_count(s), 5);
        std::vector<int32_t> bias;
        std::vector<QuantMultiplier> requant;
        for (int64_t f = 0; f < s.f; ++f) {
            bias.push_back(int32_t(f * 97 - 300));
            requant.push_back(make_multiplier(0.002 + 0.0005 * double(f)));
        }
        HostTensor in = HostTensor::zeros(Shape{s.n, s.c, s.h, s.w}, Precision::Int8);
        std::copy(x.begin(), x.end(), in.int8());
        const Int8Clamp relu{0, 127};
        const HostTensor reference = requantize_int8(conv_accumulate_int8(in, test::geometry(s), w.data(), bias.data()),
                                                     Shape{s.n, s.f, s.oh, s.ow}, requant, relu);
        int64_t nonzero = 0;
        for (int64_t i = 0; i < s.outputs(); ++i) {
            const OutputCoords o = output_coords(s, i);
            const int8_t direct = requantize_output(direct_conv_sum<int32_t>(s, o, x.data(), w.data(), WidenInt8{}),
                                                    bias[size_t(o.f)], requant[size_t(o.f)], relu);
            INFO("output " << i);
            REQUIRE(direct == reference.int8()[i]);
            nonzero += direct != 0;
        }
        CHECK(nonzero > 0);  // the scales leave values to compare, not all zeros
    }
}
