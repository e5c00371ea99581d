#pragma once
// An on-chip SRAM buffer (unified, ifmap, weight or output): a byte array with access counters.
// It has no process of its own: the DMA, the array and the vector unit access it directly, the
// way their datapaths are wired to its ports; its bandwidth is charged by those blocks.
#include <systemc>

#include <cstdint>
#include <vector>

#include "arch/npu_config.h"
#include "arch/stats_registry.h"

namespace npu {

class Scratchpad : public sc_core::sc_module {
public:
    Scratchpad(sc_core::sc_module_name name, const BufferConfig& config, bool functional, StatsRegistry& stats);

    // Direct pointer for datapaths that read in place (the array's operand feeders).
    uint8_t* data(int64_t offset, int64_t bytes);
    // Access counting without data (timing-only runs, and datapaths that use data()).
    void count_read(int32_t layer, int64_t bytes) { m_read_bytes.add(layer, bytes); }
    void count_write(int32_t layer, int64_t bytes) { m_write_bytes.add(layer, bytes); }

    const BufferConfig& config() const { return m_config; }

private:
    void check(int64_t offset, int64_t bytes) const;

    BufferConfig m_config;
    std::vector<uint8_t> m_storage;  // empty in timing-only runs
    TaggedCounter& m_read_bytes;
    TaggedCounter& m_write_bytes;
};

}  // namespace npu
