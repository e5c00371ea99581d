// The four GPU convolution backends (naive, tiled, mma, vendor) against the CPU reference over
// the shared shape table: INT8 bit-exact, FP32, FP16 and BF16 within the check rule, a timing
// from CUDA events, and a clear error where a backend lacks a precision. Skipped, with the
// reason, where no GPU is usable (CI).
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

struct FloatCase {
    std::vector<float> x, w, bias;
};

FloatCase float_case(const DirectConvShape& s) {
    return {test::uniform_values(s.inputs(), 1), test::uniform_values(s.weights(), 2), test::uniform_values(s.f, 3)};
}

// The reference on the operands as rounded to the format, through relu, rounded to the format.
std::vector<float> relu_reference(const DirectConvShape& s, const std::vector<float>& x, const std::vector<float>& w,
                                  const std::vector<float>& bias, Precision p, float& scale) {
    std::vector<float> acc = conv_accumulate_float(test::float_tensor(s, x), conv_geometry(s), w.data(), bias.data());
    scale = test::rms(acc);
    for (float& v : acc) v = round_to(std::max(v, 0.0f), p);
    return acc;
}

}  // namespace

TEST_CASE("every backend's FP32, FP16 and BF16 convolutions equal the CPU reference", "[gpu][conv]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (ConvKernel kernel : kAllConvKernels)
        for (const test::ConvCase& c : test::conv_cases()) {
            INFO(c.name << ", " << conv_kernel_name(kernel) << " on " << gpu.name);
            const DirectConvShape& s = c.shape;
            const FloatCase f = float_case(s);
            GpuTiming timing;
            timing.timed_calls = 3;
            float scale = 0;
            if (conv_kernel_supports(kernel, Precision::Fp32)) {
                const std::vector<float> y = gpu_conv_fp32(kernel, s, f.x, f.w, f.bias, 0.0f, kInf, timing);
                const std::vector<float> want = relu_reference(s, f.x, f.w, f.bias, Precision::Fp32, scale);
                for (size_t i = 0; i < y.size(); ++i) REQUIRE(float_close(y[i], want[i], Precision::Fp32, scale));
                CHECK(timing.ms_per_call > 0);
            }
            const test::HalfOperands xh = test::to_half(f.x), wh = test::to_half(f.w);
            const std::vector<Half> yh = gpu_conv_fp16(kernel, s, xh.bits, wh.bits, f.bias, 0.0f, kInf, timing);
            const std::vector<float> want_h = relu_reference(s, xh.values, wh.values, f.bias, Precision::Fp16, scale);
            for (size_t i = 0; i < yh.size(); ++i)
                REQUIRE(float_close(half_to_float(yh[i]), want_h[i], Precision::Fp16, scale));
            const test::Bf16Operands xb = test::to_bf16(f.x), wb = test::to_bf16(f.w);
            const std::vector<Bf16> yb = gpu_conv_bf16(kernel, s, xb.bits, wb.bits, f.bias, 0.0f, kInf, timing);
            const std::vector<float> want_b = relu_reference(s, xb.values, wb.values, f.bias, Precision::Bf16, scale);
            for (size_t i = 0; i < yb.size(); ++i)
                REQUIRE(float_close(bf16_to_float(yb[i]), want_b[i], Precision::Bf16, scale));
        }
}

TEST_CASE("every backend's INT8 convolution is bit-exact with the CPU reference", "[gpu][conv][int8]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    for (ConvKernel kernel : kAllConvKernels)
        for (const test::ConvCase& c : test::conv_cases())
            for (const Int8Clamp clamp : {Int8Clamp{-128, 127}, Int8Clamp{0, 127}}) {
                INFO(c.name << ", " << conv_kernel_name(kernel) << ", clamp " << int(clamp.lo) << " on " << gpu.name);
                const DirectConvShape& s = c.shape;
                const test::Int8Case k = test::int8_case(s, clamp);
                GpuTiming timing;
                const std::vector<int8_t> y = gpu_conv_int8(kernel, s, k.x, k.w, k.bias, k.requant, clamp, timing);
                for (size_t i = 0; i < y.size(); ++i) {
                    INFO("output " << i);
                    REQUIRE(y[i] == k.reference.int8()[int64_t(i)]);
                }
            }
}

TEST_CASE("a backend without a precision says so", "[gpu][conv]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    const DirectConvShape s = test::conv_cases()[0].shape;
    const FloatCase f = float_case(s);
    GpuTiming timing;
    CHECK_THROWS_WITH(gpu_conv_fp32(ConvKernel::Mma, s, f.x, f.w, f.bias, -kInf, kInf, timing),
                      Catch::Contains("mma backend has no fp32"));
}

TEST_CASE("a layer measured on the GPU passes its check, with a time and, where NVML is, an energy", "[gpu][measure]") {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) NPUSIM_SKIP(gpu.reason);
    const NvmlEnergy nvml;
    for (ConvKernel kernel : kAllConvKernels)
        for (const test::ConvCase& c : test::conv_cases())
            for (Precision p : {Precision::Int8, Precision::Fp16, Precision::Bf16, Precision::Fp32}) {
                if (!conv_kernel_supports(kernel, p)) continue;
                INFO(c.name << ", " << conv_kernel_name(kernel) << ", " << precision_name(p) << " on " << gpu.name);
                const ConvMeasurement m = measure_conv(kernel, c.shape, p, 5.0, nvml);
                CHECK(m.check_passed);
                CHECK(m.ms_per_call > 0);
                CHECK(m.calls >= 1);
                CHECK(m.ms_per_call * m.calls >= 4.0);  // the loop lasted about min_ms
                if (nvml.available()) CHECK(m.energy_uj_per_call >= 0);
            }
}
