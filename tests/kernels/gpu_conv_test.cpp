// The naive and tiled CUDA convolutions against the CPU reference over the shared shape table: INT8
// bit-exact, FP32 and FP16 within the check rule, and a timing from CUDA events. Skipped, with
// the reason, where no GPU is usable (CI).
#include <catch2/catch.hpp>

#include <limits>

#include "kernels/conv_cases.h"
#include "kernels/cuda/conv_measure.h"
#include "kernels/cuda/gpu_conv.h"
#include "kernels/cuda/gpu_runtime.h"
#include "kernels/numerics/check_rule.h"
#include "test_skip.h"

using namespace npu;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

}  // namespace

TEST_CASE("the naive and tiled convolutions in FP32 and FP16 equal the CPU reference", "[gpu][conv]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (ConvKernel kernel : {ConvKernel::Naive, ConvKernel::Tiled})
        for (const test::ConvCase& c : test::conv_cases()) {
            INFO(c.name << ", " << conv_kernel_name(kernel) << " on " << gpu.name);
            const DirectConvShape& s = c.shape;
            const std::vector<float> x = test::uniform_values(s.inputs(), 1);
            const std::vector<float> w = test::uniform_values(s.weights(), 2);
            const std::vector<float> bias = test::uniform_values(s.f, 3);
            GpuTiming timing;
            timing.timed_calls = 3;
            const std::vector<float> y = gpu_conv_fp32(kernel, s, x, w, bias, 0.0f, kInf, timing);  // relu
            const std::vector<float> acc =
                conv_accumulate_float(test::float_tensor(s, x), conv_geometry(s), w.data(), bias.data());
            for (size_t i = 0; i < y.size(); ++i)
                REQUIRE(float_close(y[i], std::max(acc[i], 0.0f), Precision::Fp32, test::rms(acc)));
            CHECK(timing.ms_per_call > 0);
            const test::HalfOperands xh = test::to_half(x), wh = test::to_half(w);
            const std::vector<Half> yh = gpu_conv_fp16(kernel, s, xh.bits, wh.bits, bias, -kInf, kInf, timing);
            const std::vector<float> ref = conv_accumulate_float(test::float_tensor(s, xh.values), conv_geometry(s),
                                                                 wh.values.data(), bias.data());
            for (size_t i = 0; i < yh.size(); ++i)
                REQUIRE(float_close(half_to_float(yh[i]), round_to_half(ref[i]), Precision::Fp16, test::rms(ref)));
        }
}

TEST_CASE("the naive and tiled convolutions in INT8 are bit-exact with the CPU reference", "[gpu][conv][int8]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (ConvKernel kernel : {ConvKernel::Naive, ConvKernel::Tiled})
        for (const test::ConvCase& c : test::conv_cases()) {
            INFO(c.name << ", " << conv_kernel_name(kernel) << " on " << gpu.name);
            const DirectConvShape& s = c.shape;
            const Int8Clamp clamp{-128, 127};
            const test::Int8Case k = test::int8_case(s, clamp);
            GpuTiming timing;
            const std::vector<int8_t> y = gpu_conv_int8(kernel, s, k.x, k.w, k.bias, k.requant, clamp, timing);
            for (size_t i = 0; i < y.size(); ++i) {
                INFO("output " << i);
                REQUIRE(y[i] == k.reference.int8()[int64_t(i)]);
            }
        }
}

TEST_CASE("a layer measured on the GPU passes its check, with a time and, where NVML is, an energy", "[gpu][measure]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    const NvmlEnergy nvml;
    for (ConvKernel kernel : {ConvKernel::Naive, ConvKernel::Tiled})
        for (const test::ConvCase& c : test::conv_cases())
            for (Precision p : {Precision::Int8, Precision::Fp16, Precision::Fp32}) {
                INFO(c.name << ", " << conv_kernel_name(kernel) << ", " << precision_name(p) << " on " << gpu.name);
                const ConvMeasurement m = measure_conv(kernel, c.shape, p, 5.0, nvml);
                CHECK(m.check_passed);
                CHECK(m.ms_per_call > 0);
                CHECK(m.calls >= 1);
                CHECK(m.ms_per_call * m.calls >= 4.0);  // the loop lasted about min_ms
                if (nvml.available()) CHECK(m.energy_uj_per_call >= 0);
            }
}
