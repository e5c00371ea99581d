#pragma once
// The NPU top level: instantiates the blocks and binds them; nothing else.
//
//            +------------+   queues   +-----+   TLM   +------+
//  program ->| controller |----------->| DMA |<------->| DRAM |
//            +------------+            +-----+         +------+
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
#include "arch/dram.h"
#include "arch/npu_config.h"
#include "arch/scoreboard.h"
#include "arch/scratchpad.h"
#include "arch/stats_registry.h"
#include "arch/systolic_array.h"
#include "arch/trace_recorder.h"
#include "arch/vector_unit.h"

namespace npu {

class Npu : public sc_core::sc_module {
public:
    // Every block registers its counters in `stats` under its hierarchical name.
    Npu(sc_core::sc_module_name name, const NpuConfig& config, Fidelity fidelity, bool functional, StatsRegistry& stats,
        TraceRecorder* trace);

    // Loads a program: grows DRAM to the program's addresses (keeping its contents), clears the
    // counters (one tag per layer), queues the dispatch. The
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
    Dram dram;
    BufferSet m_buffers;
    Dma dma;
    SystolicArray array;
    VectorUnit vector;
};

}  // namespace npu
