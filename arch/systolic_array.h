#pragma once
// The systolic array (fast fidelity): one SystemC thread that takes GEMM instructions in order,
// computes their values (functional runs) and waits the cycles of systolic_timing.
#include <systemc>

#include "arch/buffer_set.h"
#include "arch/controller.h"
#include "arch/npu_config.h"
#include "arch/pe_array.h"
#include "arch/scoreboard.h"
#include "arch/sparse_gemm.h"
#include "arch/stats_registry.h"
#include "arch/systolic_timing.h"
#include "arch/trace_recorder.h"

namespace npu {

// fast: tile-level timing from systolic_timing and a vectorized datapath; detailed: the
// cycle-exact PE grid (pe_array.h) computes both the values and the cycles.
enum class Fidelity { Fast, Detailed };

struct ArrayStats {
    TaggedCounter& busy_cycles;
    TaggedCounter& macs;
    TaggedCounter& folds;
    TaggedCounter& skipped_macs;  // sparse arrays (arch/sparse_gemm.h)
    TaggedCounter& gated_macs;
};

class SystolicArray : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(SystolicArray);
    SystolicArray(sc_core::sc_module_name name, const NpuConfig& config, Fidelity fidelity, Controller& controller,
                  Scoreboard& scoreboard, const BufferSet& buffers, StatsRegistry& stats, TraceRecorder* trace);

    // PE register updates of detailed runs so far.
    int64_t pe_updates() const { return m_pe_array.pe_updates(); }

private:
    void run_thread();
    void count_traffic(const isa::Gemm& g, const GemmCost& cost, int32_t layer);
    void compute_fast(const isa::Gemm& g);
    // Runs the instruction through the PE grid; returns its cycles.
    Cycles compute_detailed(const isa::Gemm& g);

    Dataflow m_dataflow;
    ArraySparsity m_sparsity;
    ArrayShape m_shape;
    Fidelity m_fidelity;
    double m_cycle_ns;
    PeArray m_pe_array;
    Controller& m_controller;
    Scoreboard& m_scoreboard;
    BufferSet m_buffers;
    TraceRecorder* m_trace;
    ArrayStats m_stats;
};

}  // namespace npu
