#pragma once
// What one simulated run produced: per-layer and total statistics, and the functional check.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "arch/area_model.h"
#include "arch/energy_model.h"
#include "arch/npu_config.h"
#include "common/clock.h"
#include "common/shape.h"
#include "workloads/ir/graph.h"

namespace npu {

// A conv/fc layer's tiles (sim/compiler/conv_tiler.h): which tiling the compiler chose and why.
struct LayerTiling {
    std::string shape;  // "g1 c64 f128 box 1x28x28": groups, channels, filters, output box per tile
    std::string order;  // "m-outer" (output boxes outside filter blocks) or "n-outer"
    std::string bound;  // the estimate's largest term: "array", "dram" or "onchip"
    std::string reason;
    int64_t tiles = 0, fitting = 0;  // output tiles; tilings that fit
    int64_t estimated_cycles = 0, estimated_dram_bytes = 0;
    std::string runner_up;  // the next best tiling's shape ("" when only one fits)
    int64_t runner_up_cycles = 0;
};

// A conv/fc layer as the GEMM the array computes, per group: M output pixels (over the batch)
// x K reduction (input channels of the group x kernel) x N output channels of the group.
struct LayerGemm {
    int64_t m = 0, k = 0, n = 0, groups = 0;  // groups 0: not a GEMM layer
};

// What a sparse array (arch/sparse_gemm.h) made of the zeros: dense MACs it did not execute,
// executed MACs it clock-gated, and the DRAM bytes of N:M-packed weights with their metadata.
struct SparsityCounts {
    int64_t skipped_macs = 0, gated_macs = 0, packed_weight_bytes = 0;
    SparsityCounts& operator+=(const SparsityCounts& o) {
        skipped_macs += o.skipped_macs;
        gated_macs += o.gated_macs;
        packed_weight_bytes += o.packed_weight_bytes;
        return *this;
    }
};

// A conv/fc layer's weights as the array gets them (after quantization) and how many are
// nonzero: known in functional runs only (timing-only runs have no weight values).
struct WeightCount {
    int64_t values = 0, nonzero = 0;
    double density() const { return values ? double(nonzero) / double(values) : 1.0; }
    WeightCount& operator+=(const WeightCount& o) {
        values += o.values;
        nonzero += o.nonzero;
        return *this;
    }
};

struct LayerResult {
    int graph_index = 0;  // the layer's index in the inference graph
    std::string name;
    std::string kind;
    std::string unit;  // "array" or "vector" (which block computes it), "" for none
    Shape output;
    LayerGemm gemm;
    int64_t macs = 0;  // executed on the array (a sparse array skips some)
    SparsityCounts sparsity;
    WeightCount weights;         // conv/fc, functional runs
    int64_t cycles = 0;          // from the previous layer's end to this layer's end
    int64_t compute_cycles = 0;  // busy cycles of the computing block
    int64_t stall_cycles = 0;    // cycles - compute, when positive: waiting for memory
    double end_ns = 0.0;
    int64_t instructions = 0;
    int64_t folds = 0;
    int64_t dram_read_bytes = 0;
    int64_t dram_write_bytes = 0;
    // The memory planner's view (sim/compiler/footprint.h): where its data lived, its on-chip
    // occupancy, and the bytes it moved to and from resident tensors instead of DRAM.
    std::string input_home, weights_home, output_home;
    int64_t onchip_bytes = 0;
    int64_t onchip_read_bytes = 0, onchip_write_bytes = 0;
    LayerTiling tiling;                              // conv/fc layers (tiles > 0)
    std::map<std::string, int64_t> sram_read_bytes;  // by buffer
    std::map<std::string, int64_t> sram_write_bytes;
    int64_t accumulator_reads = 0;
    int64_t accumulator_writes = 0;
    int64_t vector_ops = 0;
    ActivityCounts activity;
    EnergyBreakdown energy;
    // Functional check against the CPU reference.
    bool checked = false;
    int64_t mismatches = 0;  // INT8: elements that differ; FP16: outside tolerance
    double max_abs_error = 0.0;
    double relative_error = 0.0;  // ||npu - ref|| / ||ref||

    int64_t occupied_cycles() const { return cycles > compute_cycles ? cycles : compute_cycles; }
    // MACs / (occupied cycles x PEs): where parallel branches make a layer's own cycles shorter
    // than its array time, the array time counts, so this never exceeds 1.
    double utilization(int64_t pes) const {
        return macs ? double(macs) / (double(occupied_cycles()) * double(pes)) : 0.0;
    }
};

// The figures of one program a driver built itself (the training GEMMs and element-wise passes,
// which have no workload graph): summed over the program's layer tags.
struct ProgramTotals {
    double ns = 0.0;
    int64_t cycles = 0, macs = 0;
    int64_t array_busy_cycles = 0, vector_busy_cycles = 0;
    int64_t dram_read_bytes = 0, dram_write_bytes = 0;
    EnergyBreakdown energy;

    ProgramTotals& operator+=(const ProgramTotals& o);
};

// One raw counter of the hardware model under its hierarchical name (arch/stats_registry.h);
// by_tag[i] is the share of graph layer i.
struct CounterDump {
    std::string name;
    std::string unit;
    int64_t total = 0;
    std::vector<int64_t> by_tag;
};

// Where a report came from, so a figure can be traced back to the build and the run.
constexpr int kReportSchemaVersion = 3;  // 2: `stats` and `provenance`; 3: layers[].gemm
struct Provenance {
    std::string npusim_version;  // git describe of the build
    int schema_version = kReportSchemaVersion;
    uint64_t seed = 0;
    std::string fidelity;    // fast or detailed (npusim timing model only)
    std::string input_size;  // the input tensor, NxCxHxW
};

struct RunResult {
    std::string design;
    std::string workload;
    std::string precision;
    std::string dataflow;
    int64_t batch = 1;
    bool functional = false;
    std::string timing_model = "npusim";  // or "scalesim" (SCALE-Sim v2's ideal-memory formula)
    int64_t rows = 0, cols = 0;
    double clock_mhz = 0.0;
    double peak_tops = 0.0;
    double dram_bandwidth_gbps = 0.0;
    std::vector<LayerResult> layers;  // input layers excluded
    // Totals.
    int64_t macs = 0;
    int64_t cycles = 0;
    int64_t compute_cycles = 0;
    int64_t stall_cycles = 0;
    int64_t dram_read_bytes = 0;
    int64_t dram_write_bytes = 0;
    int64_t compulsory_dram_bytes = 0;  // weights, params, input and every output in DRAM once
    // Memory footprint (sim/compiler/footprint.h).
    bool residency = false;     // the memory planner kept activations on chip where they fit
    double tiling_slack = 0.0;  // the tile search's (MemoryPolicy::tiling_slack)
    int64_t onchip_peak_bytes = 0, resident_peak_bytes = 0;
    int64_t resident_tensors = 0, dram_tensors = 0;
    int64_t fused_tensors = 0;               // conv outputs handed to their residual add, never stored
    int64_t weight_bytes = 0, io_bytes = 0;  // weights and channel parameters; network inputs and outputs
    int64_t onchip_read_bytes = 0, onchip_write_bytes = 0;
    // The DRAM over the run: bandwidth achieved (bytes moved / run time, 10^9 bytes/s); with the
    // banked model, how long each bank was busy (activating, precharging or moving data,
    // channel-major) and the channel time refresh took, summed over channels.
    struct DramActivity {
        double achieved_gbps = 0.0;
        bool banked = false;
        double refresh_ns = 0.0;
        double bank_busy_max_ns = 0.0, bank_busy_mean_ns = 0.0;
        std::vector<double> bank_busy_ns;
    } dram;
    EnergyBreakdown energy;
    AreaBreakdown area;
    WeightCount weights;                 // all conv/fc layers' (functional runs)
    std::string pruning;                 // PruneSpec::describe() of the run's --prune, empty without one
    bool pruning_applied = false;        // false: asked for, but a timing-only run has no values to prune
    std::string sparsity_mode = "none";  // the design's array.sparsity
    SparsityCounts sparsity;
    int64_t instructions = 0;
    // Functional check.
    bool checked = false;
    bool check_passed = false;
    std::string check_rule;
    std::vector<CounterDump> stats;       // every raw counter (empty for the SCALE-Sim timing model)
    std::vector<std::string> stats_tags;  // what each tag of the counters is: the graph's layer names
    Provenance provenance;

    double time_ns() const { return Clock{clock_mhz}.ns(cycles); }
    double utilization() const { return cycles ? double(macs) / (double(cycles) * double(rows * cols)) : 0.0; }
    double achieved_tops() const { return time_ns() > 0 ? 2.0 * double(macs) / time_ns() / 1e3 : 0.0; }
    double tops_per_watt() const {
        const double pj = energy.total_pj();
        return pj > 0 ? 2.0 * double(macs) / pj : 0.0;  // ops per pJ = TOPS/W
    }
    double inferences_per_second() const { return time_ns() > 0 ? double(batch) * 1e9 / time_ns() : 0.0; }
};

// A layer's row before any statistics: index, name, kind (with its fused activation), output.
LayerResult layer_header(const Graph& graph, int layer);

// The fields every report starts with: design, workload, precision, array, clock.
RunResult run_header(const NpuConfig& config, const Graph& graph, Precision precision);

}  // namespace npu
