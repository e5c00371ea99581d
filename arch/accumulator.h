#pragma once
// The accumulator SRAM below the array: `depth` rows of `cols` 32-bit partial sums (int32 for
// INT8 instructions, fp32 for FP16 and FP32 ones). Regions are addressed in entries.
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
    // 32-bit words, seen as int32 by INT8 instructions and as fp32 by the others: one run may
    // mix precisions (zero is all-zero bits in both). Allocated on first use.
    std::vector<uint32_t> m_words;
    TaggedCounter& m_reads;  // entries
    TaggedCounter& m_writes;
};

}  // namespace npu
