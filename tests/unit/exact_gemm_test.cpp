// The INT8 reference's exact integer GEMM (kernels/cpu/exact_gemm.h) against sums in int64, through
// Eigen and through OpenBLAS (skipped where it is not installed), with K long enough to cut into
// several chunks; and choose_scale, whose maximum runs on the floats' bit patterns.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kernels/cpu/exact_gemm.h"
#include "kernels/cpu/ops/calibration.h"
#include "tests/test_skip.h"
#include "workloads/ir/seeded_rng.h"

using namespace npu;

namespace {

std::vector<float> integers(size_t count, int lo, int hi, uint64_t seed) {
    SeededRng rng(seed);
    std::vector<float> v(count);
    for (float& x : v) x = float(lo + int(rng.next() % uint64_t(hi - lo + 1)));
    return v;
}

std::vector<int32_t> int64_sums(const std::vector<float>& a, const std::vector<float>& b, int64_t m, int64_t k,
                                int64_t n) {
    std::vector<int32_t> c(size_t(m * n));
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
            int64_t s = 0;
            for (int64_t p = 0; p < k; ++p) s += int64_t(a[size_t(i * k + p)]) * int64_t(b[size_t(p * n + j)]);
            c[size_t(i * n + j)] = int32_t(s);
        }
    return c;
}

}  // namespace

TEST_CASE("exact_integer_gemm equals int64 sums past the 2^24 chunk bound", "[reference][gemm]") {
    // int8 x uint8-range operands: bound 128 * 255, chunk 514, so K = 2100 takes 5 chunks; every
    // full-length sum may pass 2^24, where one binary32 GEMM over all of K would round.
    const int64_t m = 7, k = 2100, n = 13;
    const std::vector<float> a = integers(size_t(m * k), -128, 127, 1), b = integers(size_t(k * n), 0, 255, 2);
    const std::vector<int32_t> expected = int64_sums(a, b, m, k, n);
    std::vector<int32_t> c(size_t(m * n), -1);
    exact_integer_gemm(a.data(), b.data(), c.data(), m, k, n, GemmLibrary::Eigen);
    CHECK(c == expected);
    std::fill(c.begin(), c.end(), -1);
    exact_integer_gemm(a.data(), b.data(), c.data(), m, k, n, GemmLibrary::Best);
    CHECK(c == expected);
    // The extremes in every product: 128 * 255 * 2100 = 68.5 M, past 2^26.
    const std::vector<float> low(size_t(m * k), -128.0f), high(size_t(k * n), 255.0f);
    exact_integer_gemm(low.data(), high.data(), c.data(), m, k, n, GemmLibrary::Best);
    CHECK(c == std::vector<int32_t>(size_t(m * n), int32_t(-128 * 255 * k)));
}

TEST_CASE("exact_integer_gemm through OpenBLAS equals Eigen", "[reference][gemm]") {
    if (!openblas_available()) NPUSIM_SKIP("OpenBLAS (libopenblas0-serial) is not installed");
    CHECK(reference_gemm_library().find("OpenBLAS") != std::string::npos);
    for (const auto& [m, k, n] : {std::array<int64_t, 3>{1, 1, 1}, {64, 576, 196}, {3, 4608, 49}, {1000, 2048, 1}}) {
        const std::vector<float> a = integers(size_t(m * k), -127, 127, 3), b = integers(size_t(k * n), -128, 127, 4);
        std::vector<int32_t> eigen(size_t(m * n)), blas(size_t(m * n));
        exact_integer_gemm(a.data(), b.data(), eigen.data(), m, k, n, GemmLibrary::Eigen);
        exact_integer_gemm(a.data(), b.data(), blas.data(), m, k, n, GemmLibrary::OpenBlas);
        CHECK(blas == eigen);
    }
}

TEST_CASE("exact_integer_gemm handles empty dimensions", "[reference][gemm]") {
    const std::vector<float> a(6, 1.0f), b(6, 1.0f);
    std::vector<int32_t> c(4, -1);
    exact_integer_gemm(a.data(), b.data(), c.data(), 2, 0, 2);  // no products: zero sums
    CHECK(c == std::vector<int32_t>(4, 0));
    exact_integer_gemm(a.data(), b.data(), c.data(), 0, 3, 2);  // no rows: nothing written
    CHECK(c == std::vector<int32_t>(4, 0));
}

TEST_CASE("choose_scale takes max |x| / 127, ignoring NaN, or 1 for integers within +-127", "[calibration]") {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    const std::vector<float> mixed{0.5f, -254.0f, nan, 3.0f, -nan};
    CHECK(choose_scale(mixed.data(), mixed.size()) == 254.0f / 127.0f);
    const std::vector<float> ints{0.0f, -127.0f, 127.0f, 5.0f}, past{-128.0f, 3.0f};
    CHECK(choose_scale(ints.data(), ints.size()) == 1.0f);
    CHECK(choose_scale(past.data(), past.size()) == 128.0f / 127.0f);  // symmetric: 127 is the limit
    const std::vector<float> small{0.25f, -0.5f};
    CHECK(choose_scale(small.data(), small.size()) == 0.5f / 127.0f);
    const std::vector<float> nans{nan, nan}, zeros{0.0f, -0.0f};
    CHECK(choose_scale(nans.data(), nans.size()) == 1.0f);
    CHECK(choose_scale(zeros.data(), zeros.size()) == 1.0f);
    const std::vector<float> infinite{1.0f, -inf};
    CHECK(choose_scale(infinite.data(), infinite.size()) == inf);
    std::vector<float> long_run(1001, 0.001f);  // the vectorized loop's tail holds the maximum
    long_run.back() = -9.0f;
    CHECK(choose_scale(long_run.data(), long_run.size()) == 9.0f / 127.0f);
}
