#pragma once
// A Simulation owns one elaborated NPU (SystemC elaborates once per process) and runs programs
// on it, one after another, gathering per-layer statistics and checking functional outputs.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "arch/npu.h"
#include "arch/trace_recorder.h"
#include "common/limits.h"
#include "sim/compiler/compiler.h"
#include "sim/runtime/prepared_workload.h"
#include "sim/runtime/run_result.h"

namespace npu {

struct SimulationOptions {
    Precision precision = Precision::Int8;
    bool functional = true;  // real bytes and arithmetic; false: timing only (same cycles)
    bool trace = false;      // record busy intervals for a timeline
    Fidelity fidelity = Fidelity::Fast;
    bool check = true;  // functional runs: compare every layer with the CPU reference
    Limits limits;      // on the compiled program's size
    // SystemC name of the NPU instance: several simulations may share one elaboration.
    std::string instance_name = "npu";
};

class Simulation {
public:
    Simulation(const NpuConfig& config, const SimulationOptions& options);
    ~Simulation();

    // Called when a layer's last instruction completes (progress display).
    using Progress = std::function<void(int32_t layer, int32_t layers)>;
    void on_progress(Progress progress) { m_progress = std::move(progress); }

    // Compiles and runs; in functional runs also checks every layer against the CPU reference.
    RunResult run(const PreparedWorkload& workload);
    const TraceRecorder& trace() const { return m_trace; }
    const NpuConfig& config() const { return m_config; }
    const CompiledModel& last_compiled() const { return m_compiled; }
    // A layer's output as the last functional run left it in the NPU's DRAM.
    HostTensor layer_output(const Graph& graph, int layer) const;

private:
    RunResult collect(const PreparedWorkload& w, double start_ns) const;
    std::vector<CounterDump> dump_stats(const Graph& graph) const;
    void check_outputs(const PreparedWorkload& w, RunResult& result) const;

    NpuConfig m_config;
    SimulationOptions m_options;
    TraceRecorder m_trace;
    StatsRegistry m_stats;  // owned here, filled by the NPU's blocks
    std::unique_ptr<Npu> m_npu;
    CompiledModel m_compiled;
    Progress m_progress;
};

}  // namespace npu
