#pragma once
// Portable seeded random numbers: the same seed gives the same weights, inputs and data order on
// every platform, compiler and C library, because only integer arithmetic and exactly rounded
// IEEE operations are used (std::normal_distribution is implementation-defined, and libm's log
// and cos may differ in the last bit between versions).
//
// The engine is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014): a 64-bit counter advanced by the golden-ratio increment, each value
// scrambled by two multiply-xorshift rounds; it passes BigCrush and costs a few cycles.
// Normal values are the Irwin-Hall sum of twelve uniforms (four 16-bit lanes from each of three
// draws) minus 6: mean 0 and variance 1 exactly (to 2^-32), tails cut at 6 standard deviations
// (a weight initializer truncates its normal far tighter), and no log or cos to compute.
#include <cstddef>
#include <cstdint>

namespace npu {

// SplitMix64's scrambler: the value of the counter `z`.
inline uint64_t splitmix64_mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
constexpr uint64_t kSplitMix64Gamma = 0x9E3779B97F4A7C15ull;

// Irwin-Hall: the sum of the four 16-bit lanes of three draws, centred (see SeededRng::normal).
inline double irwin_hall_12(uint64_t a, uint64_t b, uint64_t c) {
    const auto lanes = [](uint64_t x) {
        return int64_t((x & 0xFFFF) + ((x >> 16) & 0xFFFF) + ((x >> 32) & 0xFFFF) + (x >> 48));
    };
    return double(lanes(a) + lanes(b) + lanes(c) - 393210) * (1.0 / 65536.0);
}

class SeededRng {
public:
    explicit SeededRng(uint64_t seed) : m_state(seed) {}

    uint64_t next() { return splitmix64_mix(m_state += kSplitMix64Gamma); }
    // Uniform in [0, 1) from the top 53 bits.
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Irwin-Hall: u_i = (x_i + 1/2) / 2^16 for twelve 16-bit x_i, and sum(u_i) - 6 =
    // (sum(x_i) - 393210) / 2^16, an integer divided by a power of two: exact.
    double normal(double mean, double stddev) {
        const uint64_t a = next(), b = next();
        return mean + stddev * irwin_hall_12(a, b, next());
    }
    // `count` values of float(normal(mean, stddev)), the same stream, in one vectorizable loop.
    void fill_normal(float* out, size_t count, double mean, double stddev);

private:
    uint64_t m_state;
};

}  // namespace npu
