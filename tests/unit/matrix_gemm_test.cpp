// The matrix form of the GEMM instruction (the backward passes' dW = X^T dY and dX = dY W), worked
// by hand: values through the fast datapath and the cycle-exact PE grid, cycles by the formula
// and by the grid, on every dataflow.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "arch/gemm_datapath.h"
#include "arch/isa.h"
#include "arch/pe_array.h"
#include "arch/systolic_timing.h"

using namespace npu;

namespace {

const ArrayShape kArray{4, 4};

// The GEMM through the PE grid: operands gathered as the feeders would, as in the array's
// detailed fidelity. Returns its cycles.
template <class T>
int64_t detailed(const isa::Gemm& g, Dataflow d, const uint8_t* a, const uint8_t* b, Precision p, std::vector<T>& acc) {
    std::vector<T> ga(size_t(g.m() * g.k())), gb(size_t(g.k() * g.n()));
    gather_a(g, 0, a, p, ga.data());
    gather_b(g, 0, b, p, gb.data());
    acc.assign(size_t(g.m() * g.n()), T(0));
    PeArray pe(d, kArray);
    return pe.run(GemmDims{g.m(), g.k(), g.n()}, ga.data(), gb.data(), acc.data(), false);
}

}  // namespace

TEST_CASE("matrix GEMM: the weight gradient X^T dY, read transposed in place", "[isa][matrix]") {
    // X: 3 samples x 2 features, dY: 3 samples x 2 outputs, both stored row-major.
    const int8_t x[6] = {1, 2, 3, 4, 5, 6};
    const int8_t dy[6] = {1, 0, 0, 1, 1, 1};
    const isa::Gemm g = isa::Gemm::matrix(isa::MatrixOperand::transposed({isa::Buffer::Unified, 0, 6}, 3, 2),
                                          isa::MatrixOperand::row_major({isa::Buffer::Unified, 64, 6}, 3, 2),
                                          {isa::Buffer::Accumulator, 0, 4}, false);
    REQUIRE(g.m() == 2);
    REQUIRE(g.k() == 3);
    REQUIRE(g.n() == 2);
    CHECK(g.macs() == 12);
    CHECK(g.a_region().offset == 0);
    CHECK(g.b_region().offset == 64);
    // dW = [[1*1 + 3*0 + 5*1, 1*0 + 3*1 + 5*1], [2*1 + 4*0 + 6*1, 2*0 + 4*1 + 6*1]].
    const std::vector<int32_t> want = {6, 8, 8, 10};
    std::vector<int32_t> fast(4, -1);
    gemm_int8(g, x, dy, fast.data());
    CHECK(fast == want);
    for (Dataflow d : {Dataflow::WeightStationary, Dataflow::OutputStationary, Dataflow::InputStationary}) {
        INFO(dataflow_name(d));
        std::vector<int32_t> grid;
        const int64_t cycles = detailed(g, d, reinterpret_cast<const uint8_t*>(x), reinterpret_cast<const uint8_t*>(dy),
                                        Precision::Int8, grid);
        CHECK(grid == want);
        CHECK(cycles == gemm_cycles(d, GemmDims{2, 3, 2}, kArray).count());
    }
    // ws on 4x4, one fold: preload min(K, R) = 3, then M + R + N - 2 = 2 + 4 + 2 - 2 = 6.
    CHECK(gemm_cycles(Dataflow::WeightStationary, GemmDims{2, 3, 2}, kArray).count() == 9);
    CHECK_THROWS_AS(
        isa::Gemm::matrix(isa::MatrixOperand::row_major({}, 2, 3), isa::MatrixOperand::row_major({}, 2, 2), {}, false),
        std::logic_error);
}

TEST_CASE("matrix GEMM: the data gradient dY W in FP32, accumulating", "[isa][matrix]") {
    // dY: 3 x 2, W: 2 outputs x 2 inputs (an fc layer's [out][in]): dX = dY W, 3 x 2.
    const float dy[6] = {1, 0, 0, 1, 1, 1};
    const float w[4] = {1, 2, 3, 4};
    isa::Gemm g = isa::Gemm::matrix(isa::MatrixOperand::row_major({isa::Buffer::Unified, 0, 24}, 3, 2),
                                    isa::MatrixOperand::row_major({isa::Buffer::Unified, 64, 16}, 2, 2),
                                    {isa::Buffer::Accumulator, 0, 6}, false);
    g.precision = Precision::Fp32;
    const std::vector<float> want = {1, 2, 3, 4, 4, 6};
    std::vector<float> fast(6, -1.0f);
    gemm_float(g, reinterpret_cast<const uint8_t*>(dy), reinterpret_cast<const uint8_t*>(w), fast.data(), 4,
               Precision::Fp32);
    CHECK(fast == want);
    // Accumulating adds onto the partial sums (gradient accumulation over micro-batches).
    g.accumulate = true;
    gemm_float(g, reinterpret_cast<const uint8_t*>(dy), reinterpret_cast<const uint8_t*>(w), fast.data(), 4,
               Precision::Fp32);
    CHECK(fast == std::vector<float>{2, 4, 6, 8, 8, 12});
    for (Dataflow d : {Dataflow::WeightStationary, Dataflow::OutputStationary, Dataflow::InputStationary}) {
        INFO(dataflow_name(d));
        std::vector<float> grid;
        const int64_t cycles = detailed(g, d, reinterpret_cast<const uint8_t*>(dy), reinterpret_cast<const uint8_t*>(w),
                                        Precision::Fp32, grid);
        CHECK(grid == want);
        CHECK(cycles == gemm_cycles(d, GemmDims{3, 2, 2}, kArray).count());
    }
    // ws: preload min(K, R) = 2, then M + R + N - 2 = 3 + 4 + 2 - 2 = 7.
    CHECK(gemm_cycles(Dataflow::WeightStationary, GemmDims{3, 2, 2}, kArray).count() == 9);
}
