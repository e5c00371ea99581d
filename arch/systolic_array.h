#pragma once
// The systolic array (fast fidelity): one SystemC thread that takes GEMM instructions in order,
// computes their values (functional runs) and waits the cycles of systolic_timing.
#include <systemc>

#include "arch/buffer_set.h"
#include "arch/controller.h"
#include "arch/npu_config.h"
#include "arch/per_layer.h"
#include "arch/scoreboard.h"
#include "arch/systolic_timing.h"
#include "arch/trace_recorder.h"

namespace npu {

struct ArrayStats {
    PerLayer busy_cycles;
    PerLayer macs;
    PerLayer folds;
    void reset(size_t layers);
};

class SystolicArray : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(SystolicArray);
    SystolicArray(sc_core::sc_module_name name, const NpuConfig& config, Precision precision,
                  Controller& controller, Scoreboard& scoreboard, const BufferSet& buffers,
                  TraceRecorder* trace);

    // Cycles the array is busy with one GEMM instruction (all its groups, back to back).
    Cycles instruction_cycles(const isa::Gemm& g) const;

    void reset_stats(size_t layers) { m_stats.reset(layers); }
    const ArrayStats& stats() const { return m_stats; }

private:
    void run_thread();
    void compute(const isa::Gemm& g, int32_t layer);

    Dataflow m_dataflow;
    ArrayShape m_shape;
    Precision m_precision;
    double m_cycle_ns;
    Controller& m_controller;
    Scoreboard& m_scoreboard;
    BufferSet m_buffers;
    TraceRecorder* m_trace;
    ArrayStats m_stats;
};

}  // namespace npu
