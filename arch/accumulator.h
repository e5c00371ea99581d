#pragma once
// The accumulator SRAM below the array: `depth` rows of `cols` 32-bit partial sums (int32 for
// INT8 runs, fp32 for FP16 runs). Regions are addressed in entries.
#include <systemc>

#include <cstdint>
#include <vector>

#include "arch/npu_config.h"
#include "arch/stats_registry.h"

namespace npu {

class Accumulator : public sc_core::sc_module {
public:
    Accumulator(sc_core::sc_module_name name, const BufferConfig& config, bool functional, StatsRegistry& stats);

    int32_t* int32(int64_t offset, int64_t entries);
    float* fp32(int64_t offset, int64_t entries);
    void count_reads(int32_t layer, int64_t entries) { m_reads.add(layer, entries); }
    void count_writes(int32_t layer, int64_t entries) { m_writes.add(layer, entries); }

    int64_t entries() const { return m_config.size_bytes / 4; }
    const BufferConfig& config() const { return m_config; }

private:
    void check(int64_t offset, int64_t entries) const;

    BufferConfig m_config;
    bool m_functional;
    // One of the two is allocated, on first use: a run is either INT8 or FP16.
    std::vector<int32_t> m_int32;
    std::vector<float> m_fp32;
    TaggedCounter& m_reads;  // entries
    TaggedCounter& m_writes;
};

}  // namespace npu
