// The naive CUDA convolution against the CPU reference over the shared shape table: INT8
// bit-exact, FP32 and FP16 within the check rule, and a timing from CUDA events. Skipped, with
// the reason, where no GPU is usable (CI).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "kernels/conv_cases.h"
#include "kernels/cuda/gpu_runtime.h"
#include "kernels/cuda/naive_conv.h"
#include "kernels/numerics/check_rule.h"
#include "test_skip.h"

using namespace npu;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

HostTensor float_input(const DirectConvShape& s, const std::vector<float>& x) {
    HostTensor t = HostTensor::zeros(Shape{s.n, s.c, s.h, s.w}, Precision::Fp32);
    for (size_t i = 0; i < x.size(); ++i) t.set_real(int64_t(i), x[i]);
    return t;
}

float rms(const std::vector<float>& v) {
    double squares = 0;
    for (float x : v) squares += double(x) * x;
    return float(std::sqrt(squares / double(std::max<size_t>(1, v.size()))));
}

}  // namespace

TEST_CASE("the naive convolution in FP32 and FP16 equals the CPU reference", "[gpu][conv]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (const test::ConvCase& c : test::conv_cases()) {
        INFO(c.name << " on " << gpu.name);
        const DirectConvShape& s = c.shape;
        const std::vector<float> x = test::uniform_values(s.n * s.c * s.h * s.w, 1);
        const std::vector<float> w = test::uniform_values(test::weight_count(s), 2);
        const std::vector<float> bias = test::uniform_values(s.f, 3);
        GpuTiming timing;
        timing.timed_calls = 3;
        const std::vector<float> y = gpu_naive_conv_fp32(s, x, w, bias, 0.0f, kInf, timing);  // relu
        const std::vector<float> acc =
            conv_accumulate_float(float_input(s, x), test::geometry(s), w.data(), bias.data());
        for (size_t i = 0; i < y.size(); ++i)
            REQUIRE(float_close(y[i], std::max(acc[i], 0.0f), Precision::Fp32, rms(acc)));
        CHECK(timing.ms_per_call > 0);
        std::vector<Half> xh, wh;
        std::vector<float> xr, wr;
        for (float v : x) xh.push_back(float_to_half(v)), xr.push_back(round_to_half(v));
        for (float v : w) wh.push_back(float_to_half(v)), wr.push_back(round_to_half(v));
        const std::vector<Half> yh = gpu_naive_conv_fp16(s, xh, wh, bias, -kInf, kInf, timing);
        const std::vector<float> ref =
            conv_accumulate_float(float_input(s, xr), test::geometry(s), wr.data(), bias.data());
        for (size_t i = 0; i < yh.size(); ++i)
            REQUIRE(float_close(half_to_float(yh[i]), round_to_half(ref[i]), Precision::Fp16, rms(ref)));
    }
}

TEST_CASE("the naive convolution in INT8 is bit-exact with the CPU reference", "[gpu][conv][int8]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (const test::ConvCase& c : test::conv_cases()) {
        INFO(c.name << " on " << gpu.name);
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
        const Int8Clamp clamp{-128, 127};
        const HostTensor reference = requantize_int8(conv_accumulate_int8(in, test::geometry(s), w.data(), bias.data()),
                                                     Shape{s.n, s.f, s.oh, s.ow}, requant, clamp);
        GpuTiming timing;
        const std::vector<int8_t> y = gpu_naive_conv_int8(s, x, w, bias, requant, clamp, timing);
        for (size_t i = 0; i < y.size(); ++i) {
            INFO("output " << i);
            REQUIRE(y[i] == reference.int8()[int64_t(i)]);
        }
    }
}
