// Benchmark (not a test): the mma kernel's FP16 GEMM against cuBLASLt's on the same operands,
// C = A B^T at M x K x N (default 4096 x 4096 x 4096), each in a loop of at least min_ms
// between CUDA events. Prints both rates in TFLOP/s, their ratio, and how far the two results
// and a sample of exact (double) sums lie apart. Exit 5 without a GPU.
// Usage: npusim_bench_gpu_gemm [M K N] [min_ms]
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "kernels/cuda/gpu_gemm.h"
#include "workloads/ir/seeded_rng.h"

namespace {

using namespace npu;

std::vector<Half> operand(int64_t count, uint64_t seed) {
    SeededRng rng(seed);
    std::vector<Half> v(static_cast<size_t>(count));
    for (Half& h : v) h = float_to_half(float(rng.uniform(-1.0, 1.0)));
    return v;
}

double run(ConvKernel kernel, int64_t m, int64_t k, int64_t n, const std::vector<Half>& a, const std::vector<Half>& b,
           double min_ms, std::vector<Half>& c) {
    GpuTiming timing;
    c = gpu_gemm_fp16(kernel, m, k, n, a, b, timing);  // calibrates the loop
    timing.timed_calls = int(std::clamp(std::ceil(min_ms / std::max(timing.ms_per_call, 1e-3)), 1.0, 1e5));
    c = gpu_gemm_fp16(kernel, m, k, n, a, b, timing);
    const double tflops = 2.0 * double(m) * double(k) * double(n) / (timing.ms_per_call * 1e-3) / 1e12;
    fmt::print("  {:<7} {:>9.4f} ms per GEMM ({} calls)  {:>7.1f} TFLOP/s\n", conv_kernel_name(kernel),
               timing.ms_per_call, timing.timed_calls, tflops);
    return tflops;
}

// The largest difference between the two results, and of each from exact sums at sampled places.
void compare(int64_t m, int64_t k, int64_t n, const std::vector<Half>& a, const std::vector<Half>& b,
             const std::vector<Half>& mma, const std::vector<Half>& vendor) {
    double between = 0, mma_exact = 0, vendor_exact = 0;
    for (size_t i = 0; i < mma.size(); ++i)
        between = std::max(between, double(std::fabs(half_to_float(mma[i]) - half_to_float(vendor[i]))));
    SeededRng rng(7);
    for (int sample = 0; sample < 256; ++sample) {
        const int64_t r = std::min(m - 1, int64_t(rng.uniform(0.0, double(m))));
        const int64_t col = std::min(n - 1, int64_t(rng.uniform(0.0, double(n))));
        double exact = 0;
        for (int64_t j = 0; j < k; ++j)
            exact += double(half_to_float(a[size_t(r * k + j)])) * double(half_to_float(b[size_t(col * k + j)]));
        const size_t at = size_t(r * n + col);
        mma_exact = std::max(mma_exact, std::fabs(double(half_to_float(mma[at])) - exact));
        vendor_exact = std::max(vendor_exact, std::fabs(double(half_to_float(vendor[at])) - exact));
    }
    fmt::print(
        "  max |mma - cuBLASLt| {:.3g}; at 256 sampled places, max error against exact sums: mma {:.3g}, "
        "cuBLASLt {:.3g} (sums spread about {:.3g})\n",
        between, mma_exact, vendor_exact, std::sqrt(double(k) / 9.0));
}

}  // namespace

int main(int argc, char** argv) {
    const GpuInfo gpu = query_gpu();
    if (!gpu.available) {
        fmt::print(stderr, "npusim_bench_gpu_gemm: no usable GPU here ({})\n", gpu.reason);
        return 5;
    }
    int64_t m = 4096, k = 4096, n = 4096;
    if (argc >= 4) m = std::atoll(argv[1]), k = std::atoll(argv[2]), n = std::atoll(argv[3]);
    const double min_ms = argc >= 5 ? std::atof(argv[4]) : 500.0;
    if (m < 1 || k < 1 || n < 1 || !(min_ms > 0)) {
        fmt::print(stderr, "usage: npusim_bench_gpu_gemm [M K N] [min_ms]  (all > 0)\n");
        return 2;
    }
    fmt::print("FP16 GEMM {} x {} x {} (FP32 sums) on {}\n", m, k, n, gpu.name);
    try {
        const std::vector<Half> a = operand(m * k, 1), b = operand(n * k, 2);
        std::vector<Half> c_mma, c_vendor;
        const double mma = run(ConvKernel::Mma, m, k, n, a, b, min_ms, c_mma);
        const double vendor = run(ConvKernel::Vendor, m, k, n, a, b, min_ms, c_vendor);
        fmt::print("  mma / cuBLASLt: {:.1f}% (target: at least 50%)\n", 100.0 * mma / vendor);
        compare(m, k, n, a, b, c_mma, c_vendor);
    } catch (const GpuError& e) {
        fmt::print(stderr, "npusim_bench_gpu_gemm: {}\n", e.what());
        return 3;
    }
    return 0;
}
