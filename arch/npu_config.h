#pragma once
// The typed description of one NPU design. Loaded and validated by sim/config/arch_loader; the
// defaults of optional keys live here, in one place.
#include <cstdint>
#include <string>
#include <vector>

#include "arch/area_model.h"
#include "arch/dram_timing.h"
#include "arch/energy_table.h"
#include "common/clock.h"
#include "kernels/numerics/precision.h"

namespace npu {

enum class Dataflow { WeightStationary, OutputStationary, InputStationary };
const char* dataflow_name(Dataflow d);  // "ws", "os", "is"
// The one reader of dataflow names (design files, the command line, sweeps); false if unknown.
bool parse_dataflow(const std::string& name, Dataflow& dataflow);

// How the array exploits zero weights (arch/systolic_timing.h gives the cycles of each):
//   none:      every MAC runs;
//   nm:        weights pruned N:M (the layer says N and M) are stored and mapped compressed: K
//              shrinks to the kept rows, with ceil(log2 M) bits of metadata per kept value, and
//              each PE row muxes its activation out of the M of its group;
//   zero_gate: a MAC with a zero weight is clock-gated: no energy, the same cycles;
//   zero_skip: a K row of a fold whose weights are zero in every column of the fold is skipped.
// nm and zero_skip need ws or os (a row of stationary or streamed weights); zero_skip and
// zero_gate read the weights' values, so a timing-only run times them as dense.
enum class ArraySparsity { None, NM, ZeroGate, ZeroSkip };
const char* sparsity_name(ArraySparsity s);  // "none", "nm", "zero_gate", "zero_skip"
bool parse_sparsity(const std::string& name, ArraySparsity& sparsity);
// Why `dataflow` cannot run `sparsity` ("" when it can).
std::string sparsity_dataflow_error(ArraySparsity sparsity, Dataflow dataflow);

struct BufferConfig {
    int64_t size_bytes = 0;  // 0: the design has no such buffer
    int64_t banks = 1;
    int64_t bytes_per_cycle = 0;  // read or write port width, all banks together

    bool present() const { return size_bytes > 0; }
    int64_t bank_bytes() const { return size_bytes / banks; }
};

// simple: bursts at a fixed rate per channel plus a fixed latency; banked: banks, rows and
// JEDEC timings (arch/dram_timing.h).
enum class DramModel { Simple, Banked };

struct DramConfig {
    DramModel model = DramModel::Simple;
    DramPreset preset;  // banked: the part (its timings, energies, burst)
    PagePolicy page_policy = PagePolicy::Open;
    int64_t queue_depth = 32;     // banked: requests the scheduler looks ahead
    std::string type;             // ddr3, ddr4, lpddr4, hbm2, gddr5, ...: sets energy per bit
    double bandwidth_gbps = 0.0;  // GB/s, all channels together (10^9 bytes per second)
    double latency_ns = 0.0;      // first-byte latency of one access
    int64_t channels = 1;         // independent channels, addresses interleaved by burst
    int64_t burst_bytes = 64;     // access granularity: a partial burst costs a whole one
    double energy_pj_per_bit = 0.0;
    double capacity_gib = 0.0;  // what training may keep in it; 0: not stated (no check)
};

// Where activations live (sim/compiler/residency_plan.h): with residency on, a tensor stays on
// chip from its producer to its last consumer when it fits into `resident_fraction` of the
// buffer that holds input tiles; otherwise it goes through DRAM (residency off: all do).
// With `fusion`, a conv or fc whose only reader is the residual add right after it adds the
// other operand to each output tile before storing it (sim/compiler/fusion_plan.h): the conv's
// output is never stored anywhere. The tile search (sim/compiler/conv_tiler.h) counts tilings
// estimated within `tiling_slack` of the fastest as equally fast and takes the one of them moving
// the fewest DRAM bytes: the estimate is not exact, and DRAM traffic is most of a layer's energy
// (0: the fastest estimate, whatever its traffic).
struct MemoryPolicy {
    bool residency = true;
    double resident_fraction = 0.5;
    bool fusion = true;
    double tiling_slack = 0.03;
};

struct NpuConfig {
    std::string name;
    std::string source;  // file it was read from
    std::string description;

    int64_t rows = 0;  // processing elements down (reduction side in ws)
    int64_t cols = 0;  // processing elements across
    Dataflow dataflow = Dataflow::WeightStationary;
    ArraySparsity sparsity = ArraySparsity::None;
    std::vector<Precision> precisions;  // supported MAC precisions; the first is the default
    double clock_mhz = 0.0;

    // On-chip SRAM. Operand classes without a dedicated buffer live in `unified`.
    BufferConfig unified;
    BufferConfig ifmap;
    BufferConfig weight;
    BufferConfig output;
    BufferConfig accumulator;  // int32/fp32 partial sums, `cols` wide

    DramConfig dram;
    MemoryPolicy memory;
    int64_t vector_lanes = 0;  // elements per cycle of the vector unit
    int64_t queue_depth = 32;  // entries of each block's instruction queue (back-pressure on dispatch)

    double technology_nm = 45.0;
    EnergyTable energy;  // per-operation energies scaled to technology_nm
    AreaTable area;      // silicon area per component, scaled to technology_nm

    Clock clock() const { return Clock{clock_mhz}; }
    double cycle_ns() const { return clock().cycle_ns(); }
    int64_t macs_per_cycle() const { return rows * cols; }
    int64_t accumulator_depth() const { return accumulator.size_bytes / (cols * 4); }
    bool supports(Precision p) const;
    // Peak: 2 ops per MAC per cycle, in tera-operations per second.
    double peak_tops() const { return 2.0 * double(rows * cols) * clock_mhz * 1e6 / 1e12; }
    double dram_bytes_per_cycle() const { return dram.bandwidth_gbps * 1e3 / clock_mhz; }
    double dram_latency_cycles() const { return dram.latency_ns / cycle_ns(); }
};

}  // namespace npu
