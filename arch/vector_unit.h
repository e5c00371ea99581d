#pragma once
// The vector unit: `lanes` elements per cycle of requantization, pooling, add, relu, softmax.
// One SystemC thread serving its queue in order.
#include <systemc>

#include "arch/buffer_set.h"
#include "arch/controller.h"
#include "arch/npu_config.h"
#include "arch/scoreboard.h"
#include "arch/stats_registry.h"
#include "arch/trace_recorder.h"

namespace npu {

struct VectorStats {
    TaggedCounter& busy_cycles;
    TaggedCounter& element_ops;
};

class VectorUnit : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(VectorUnit);
    VectorUnit(sc_core::sc_module_name name, const NpuConfig& config, Controller& controller, Scoreboard& scoreboard,
               const BufferSet& buffers, StatsRegistry& stats, TraceRecorder* trace);

private:
    void run_thread();
    void compute(const isa::Vector& v, int32_t layer);

    int64_t m_lanes;
    double m_cycle_ns;
    Controller& m_controller;
    Scoreboard& m_scoreboard;
    BufferSet m_buffers;
    TraceRecorder* m_trace;
    VectorStats m_stats;
};

}  // namespace npu
