#pragma once
// A Simulation owns one elaborated NPU (SystemC elaborates once per process) and runs programs
// on it, one after another, gathering per-layer statistics and checking functional outputs.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "arch/npu_system.h"
#include "arch/trace_recorder.h"
#include "common/limits.h"
#include "sim/compiler/compiler.h"
#include "sim/compiler/dram_allocator.h"
#include "sim/runtime/prepared_workload.h"
#include "sim/runtime/run_result.h"

namespace npu {

struct SimulationOptions {
    bool functional = true;  // real bytes and arithmetic; false: timing only (same cycles)
    bool trace = false;      // record busy intervals for a timeline
    Fidelity fidelity = Fidelity::Fast;
    bool check = true;  // functional runs: compare every layer with the CPU reference
    Limits limits;      // on the compiled program's size
    // SystemC name of the NPU system: several simulations may share one elaboration.
    std::string instance_name = "npu";
};

// The driver's view of one NPU: compile a workload, place and write tensors in its DRAM, execute
// programs, read tensors back, collect the statistics, check against the CPU reference.
// `npusim run` composes these once (run()); a training driver composes them per step, with the
// weights staying in DRAM between programs.
class Simulation {
public:
    Simulation(const NpuConfig& config, const SimulationOptions& options);
    ~Simulation();

    // Called when a layer's last instruction completes (progress display).
    using Progress = std::function<void(int32_t layer, int32_t layers)>;
    void on_progress(Progress progress) { m_progress = std::move(progress); }

    // One inference: forgets earlier placements, then compiles, loads, executes, collects and
    // (functional runs) checks every layer against the CPU reference.
    RunResult run(const PreparedWorkload& workload);

    // Compiles for this design, placing the workload's tensors in DRAM after those already there.
    // Activations stay on chip and convs fuse with their residual adds as the design's memory
    // policy allows, or every layer's output goes through DRAM (training: its backward programs
    // read the forward's activations there).
    enum class Activations { Planned, InDram };
    CompiledModel compile(const PreparedWorkload& workload, Activations activations = Activations::Planned);
    // Writes the model's inputs, weights and channel parameters at their places (functional).
    void load(const QuantModel& model, const CompiledModel& compiled);
    // The same but for the layers marked `resident` (per layer of the model's graph), whose
    // weights and channel parameters are already in DRAM and stay as they are.
    void load(const QuantModel& model, const CompiledModel& compiled, const std::vector<bool>& resident);
    // Runs one program to completion; returns the simulated time it started at, in ns.
    double execute(const isa::Program& program);
    RunResult collect(const PreparedWorkload& workload, const CompiledModel& compiled, double start_ns) const;
    // The totals of the program execute() last ran (started at `start_ns`, its vector and GEMM
    // instructions in `precision`), for programs without a workload.
    ProgramTotals program_totals(double start_ns, Precision precision) const;
    void check(const PreparedWorkload& workload, const CompiledModel& compiled, RunResult& result) const;
    // Raw DRAM access (functional simulations): tensors persist across programs.
    void write_dram(uint64_t address, const std::vector<uint8_t>& bytes);
    std::vector<uint8_t> read_dram(uint64_t address, uint64_t bytes) const;
    // A layer's output as a compiled model's program left it in DRAM.
    HostTensor read_tensor(const CompiledModel& compiled, const Graph& graph, int layer) const;
    // `bytes` of DRAM after everything placed so far (a driver's own tensors).
    uint64_t allocate_dram(uint64_t bytes) { return m_dram.allocate(bytes); }
    // The simulated time now, in ns (after execute(): when the program finished).
    double now_ns() const;
    // Forgets every placement but the kept ones: the next compile places after those.
    void release_dram() { m_dram.release(); }
    // What is placed so far stays across release_dram() (training's resident master weights and
    // optimizer state); run() still places its workload after it.
    void keep_dram() { m_dram.keep(); }
    uint64_t dram_end() const { return m_dram.end(); }

    // The most instructions the last timing-only run() held at once (its program streamed).
    size_t peak_held_instructions() const { return m_peak_held_instructions; }

    const TraceRecorder& trace() const { return m_trace; }
    const NpuConfig& config() const { return m_config; }
    const CompiledModel& last_compiled() const { return m_compiled; }
    // A layer's output as the last run() left it.
    HostTensor layer_output(const Graph& graph, int layer) const { return read_tensor(m_compiled, graph, layer); }

private:
    std::vector<CounterDump> dump_stats(const Graph& graph) const;
    void require_functional(const char* what) const;
    // Runs the program started on core 0 to completion; returns the time it started at, in ns.
    double run_started(int32_t layers);
    void write_raw(uint64_t address, const uint8_t* bytes, size_t size);  // functional runs only

    NpuConfig m_config;
    SimulationOptions m_options;
    TraceRecorder m_trace;
    StatsRegistry m_stats;                // owned here, filled by the NPU's blocks
    DramAllocator m_dram;                 // where tensors live, across programs
    std::unique_ptr<NpuSystem> m_system;  // one core today; programs run on core 0
    CompiledModel m_compiled;             // of the last run()
    Progress m_progress;
    size_t m_peak_held_instructions = 0;
};

}  // namespace npu
