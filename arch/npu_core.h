#pragma once
// One NPU core: instantiates its blocks and binds them; nothing else. Its DMA's TLM initiator
// socket is bound by the system (npu_system.h) to the memory port in front of the DRAM.
//
//            +------------+   queues   +-----+   TLM
//  program ->| controller |----------->| DMA |-------> memory port -> DRAM (npu_system)
//            +------------+            +-----+
//                 |   |                   | loads / stores
//                 |   |     +-------------v------------+
//                 |   |     | SRAM: unified | ifmap |  |
//                 |   |     |       weight  | output   |
//                 |   |     +---+-----------------^----+
//                 |   +-------> systolic array    | vector unit <- accumulator
//                 +---------------------------------^
#include <systemc>

#include <memory>

#include "arch/accumulator.h"
#include "arch/buffer_set.h"
#include "arch/controller.h"
#include "arch/dma.h"
#include "arch/npu_config.h"
#include "arch/scoreboard.h"
#include "arch/scratchpad.h"
#include "arch/stats_registry.h"
#include "arch/systolic_array.h"
#include "arch/trace_recorder.h"
#include "arch/vector_unit.h"

namespace npu {

class NpuCore : public sc_core::sc_module {
public:
    // Every block registers its counters in `stats` under its hierarchical name.
    NpuCore(sc_core::sc_module_name name, const NpuConfig& config, Fidelity fidelity, bool functional,
            StatsRegistry& stats, TraceRecorder* trace);

    // Queues a program's dispatch (the system clears the counters first). The
    // caller runs sc_start() until the program completes.
    void start(const isa::Program& program);

    const NpuConfig& config() const { return m_config; }
    const BufferSet& buffers() const { return m_buffers; }

private:
    static std::unique_ptr<Scratchpad> make_buffer(const char* name, const BufferConfig& c, bool functional,
                                                   StatsRegistry& stats);

    NpuConfig m_config;
    StatsRegistry& m_stats;
    std::unique_ptr<Scratchpad> m_unified, m_ifmap, m_weight, m_output;

public:
    Scoreboard scoreboard;
    Accumulator accumulator;
    Controller controller;
    BufferSet m_buffers;
    Dma dma;
    SystolicArray array;
    VectorUnit vector;
};

}  // namespace npu
