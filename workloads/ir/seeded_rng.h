#pragma once
// Portable seeded random numbers: the same seed gives the same weights and inputs on every
// platform and standard library (std::normal_distribution is implementation-defined).
#include <cmath>
#include <cstdint>
#include <random>

namespace npu {

class SeededRng {
public:
    explicit SeededRng(uint64_t seed) : m_engine(seed) {}

    // Uniform in [0, 1) from the top 53 bits.
    double uniform() { return double(m_engine() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Box-Muller; one value per call keeps the stream easy to reason about.
    double normal(double mean, double stddev) {
        const double u1 = 1.0 - uniform();  // (0, 1]
        const double u2 = uniform();
        return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    std::mt19937_64 m_engine;
};

}  // namespace npu
