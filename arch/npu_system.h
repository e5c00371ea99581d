#pragma once
// The NPU chip: N cores, the memory port in front of the DRAM they share, and the DRAM.
//
//   +--------+   +--------+
//   | core 0 |...| core N |  (npu_core.h: controller, buffers, DMA, array, vector unit)
//   +---+----+   +---+----+
//       | DMA (TLM) |
//   +---v-----------v---+     +------+
//   |    memory port    |---->| DRAM |  bursts, channels, latency, contention
//   +-------------------+     +------+
//
// Each core registers its counters under "<system>.core<i>." in the stats registry.
#include <systemc>

#include <memory>
#include <vector>

#include "arch/dram.h"
#include "arch/memory_port.h"
#include "arch/npu_core.h"

namespace npu {

class NpuSystem : public sc_core::sc_module {
public:
    NpuSystem(sc_core::sc_module_name name, const NpuConfig& config, int cores, Fidelity fidelity, bool functional,
              StatsRegistry& stats, TraceRecorder* trace);

    // Clears every counter (one tag per layer), grows DRAM to the program's addresses (keeping
    // its contents: tensors persist across programs) and queues the program on one core. The
    // caller runs sc_start() until it completes.
    void start(const isa::Program& program, int core = 0);
    // The same for a streamed program, which `feed` appends while it runs (Controller::start_streamed).
    void start_streamed(isa::Program& program, std::function<void()> feed, int core = 0);

    int cores() const { return int(m_cores.size()); }
    NpuCore& core(int index) { return *m_cores.at(size_t(index)); }
    const NpuCore& core(int index) const { return *m_cores.at(size_t(index)); }

private:
    StatsRegistry& m_stats;
    std::vector<std::unique_ptr<NpuCore>> m_cores;

public:
    MemoryPort port;
    Dram dram;
};

}  // namespace npu
