#include "workloads/ir/seeded_rng.h"

namespace npu {
namespace {

// Draw k of the stream is the scrambled counter state + k * gamma, so the loop has no carried
// dependency; cloned for AVX-512 (64-bit vector multiplies) and the baseline.
[[gnu::target_clones("arch=x86-64-v4", "default")]] void normals(uint64_t state, float* out, size_t count, double mean,
                                                                 double stddev) {
    for (size_t i = 0; i < count; ++i) {
        const uint64_t k = 3 * uint64_t(i);
        out[i] = float(mean + stddev * irwin_hall_12(splitmix64_mix(state + (k + 1) * kSplitMix64Gamma),
                                                     splitmix64_mix(state + (k + 2) * kSplitMix64Gamma),
                                                     splitmix64_mix(state + (k + 3) * kSplitMix64Gamma)));
    }
}

}  // namespace

void SeededRng::fill_normal(float* out, size_t count, double mean, double stddev) {
    normals(m_state, out, count, mean, stddev);
    m_state += 3 * uint64_t(count) * kSplitMix64Gamma;
}

}  // namespace npu
