// The seeded generator: SplitMix64's published stream, the Irwin-Hall normals' moments and range,
// and the bulk fill equal to one value at a time.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "workloads/ir/seeded_rng.h"

using namespace npu;

TEST_CASE("SplitMix64 gives the reference implementation's stream", "[unit][rng]") {
    // splitmix64.c (Vigna, prng.di.unimi.it) from state 0 and from 1234567.
    SeededRng zero(0);
    CHECK(zero.next() == 0xE220A8397B1DCDAFull);
    CHECK(zero.next() == 0x6E789E6AA1B965F4ull);
    CHECK(zero.next() == 0x06C45D188009454Full);
    SeededRng other(1234567);
    CHECK(other.next() == 6457827717110365317ull);
    CHECK(other.next() == 3203168211198807973ull);
}

TEST_CASE("Irwin-Hall normals: mean 0, variance 1, within 6 standard deviations", "[unit][rng]") {
    SeededRng rng(42);
    const int n = 400000;
    double sum = 0, sum2 = 0, sum4 = 0, lo = 0, hi = 0;
    for (int i = 0; i < n; ++i) {
        const double x = rng.normal(0.0, 1.0);
        sum += x, sum2 += x * x, sum4 += x * x * x * x;
        lo = std::min(lo, x), hi = std::max(hi, x);
    }
    const double mean = sum / n, var = sum2 / n - mean * mean;
    CHECK(std::fabs(mean) < 0.01);  // 5 standard errors (1 / sqrt(n) = 0.0016)
    CHECK(std::fabs(var - 1.0) < 0.01);
    CHECK(sum4 / n == Approx(2.9).margin(0.05));  // the Irwin-Hall(12) kurtosis, 3 - 1/10
    CHECK(lo > -6.0);
    CHECK(hi < 6.0);
    CHECK(lo < -4.0);  // the tails are there
    CHECK(hi > 4.0);
    // The uniforms: [0, 1), from the top 53 bits.
    SeededRng u(7);
    for (int i = 0; i < 1000; ++i) {
        const double x = u.uniform(-0.1, 0.1);
        REQUIRE(x >= -0.1);
        REQUIRE(x < 0.1);
    }
}

TEST_CASE("fill_normal gives the values and leaves the state that one value at a time does", "[unit][rng]") {
    for (size_t count : {size_t(0), size_t(1), size_t(7), size_t(1000)}) {
        SeededRng bulk(99), single(99);
        std::vector<float> filled(count);
        // A mean and deviation whose products and sums round (a fused multiply-add would differ).
        bulk.fill_normal(filled.data(), count, 0.1, 0.3);
        for (size_t i = 0; i < count; ++i) REQUIRE(filled[i] == float(single.normal(0.1, 0.3)));
        CHECK(bulk.next() == single.next());
    }
}
