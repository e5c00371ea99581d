// Benchmark (not a test): PE register updates per second of the detailed, cycle-exact array
// model (arch/pe_array), per dataflow and precision, on square arrays (default 32x32 and 128x128).
// Usage: npusim_bench_pe_array [seconds per case, default 0.5] [side ...]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <vector>

#include "arch/pe_array.h"

namespace {

template <class T>
void measure(npu::Dataflow d, npu::ArrayShape shape, double budget_s, const char* precision) {
    // A GEMM of several folds: K and N twice the array, M long enough to reach steady state.
    const npu::GemmDims dims{4 * shape.rows, 2 * shape.rows, 2 * shape.cols};
    std::mt19937 rng(1);
    std::uniform_int_distribution<int> dist(-100, 100);
    std::vector<T> a(size_t(dims.m * dims.k)), b(size_t(dims.k * dims.n)), c(size_t(dims.m * dims.n));
    for (T& x : a) x = T(dist(rng));
    for (T& x : b) x = T(dist(rng));
    npu::PeArray pe(d, shape);
    const auto start = std::chrono::steady_clock::now();
    double elapsed = 0.0;
    int64_t cycles = 0;
    do {
        cycles += pe.run<T>(dims, a.data(), b.data(), c.data(), false);
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (elapsed < budget_s);
    fmt::print("{:>4}x{:<4} {:<3} {:<5} {:>12} cycles {:>8.3f} s {:>9.1f} M PE-updates/s {:>9.3f} M cycles/s\n",
               shape.rows, shape.cols, npu::dataflow_name(d), precision, cycles, elapsed,
               double(pe.pe_updates()) / elapsed / 1e6, double(cycles) / elapsed / 1e6);
}

}  // namespace

int main(int argc, char* argv[]) {
    const double budget = argc > 1 ? std::atof(argv[1]) : 0.5;
    if (!(budget > 0 && budget <= 600)) {
        fmt::print(stderr, "npusim_bench_pe_array: seconds per case must be in (0, 600], got '{}'\n", argv[1]);
        return 2;
    }
    std::vector<int64_t> sides;
    for (int i = 2; i < argc; ++i) {
        sides.push_back(std::atoll(argv[i]));
        if (sides.back() < 1 || sides.back() > 1024) {
            fmt::print(stderr, "npusim_bench_pe_array: an array side must be 1..1024, got '{}'\n", argv[i]);
            return 2;
        }
    }
    if (sides.empty()) sides = {32, 128};
    fmt::print("detailed PE array speed (one thread)\n");
    for (int64_t side : sides)
        for (npu::Dataflow d :
             {npu::Dataflow::WeightStationary, npu::Dataflow::OutputStationary, npu::Dataflow::InputStationary}) {
            measure<int32_t>(d, npu::ArrayShape{side, side}, budget, "int8");
            measure<float>(d, npu::ArrayShape{side, side}, budget, "fp16");
        }
    return 0;
}
