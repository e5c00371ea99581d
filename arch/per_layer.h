#pragma once
// A typed counter kept per workload layer: modules own these and add to them with an index on
// the hot path; totals and derived metrics are computed at dump time.
#include <cstdint>
#include <numeric>
#include <vector>

namespace npu {

class PerLayer {
public:
    void reset(size_t layers) { m_values.assign(layers, 0); }
    void add(int32_t layer, int64_t amount) { m_values[size_t(layer)] += amount; }
    int64_t at(size_t layer) const { return layer < m_values.size() ? m_values[layer] : 0; }
    int64_t total() const { return std::accumulate(m_values.begin(), m_values.end(), int64_t(0)); }

private:
    std::vector<int64_t> m_values;
};

}  // namespace npu
