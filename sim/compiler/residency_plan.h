#pragma once
// Which activations stay on chip: the compiler's memory planner.
//
// Policy (documented in the README, "Memory planner"): every tensor has a lifetime, from the
// layer that produces it to the last layer that reads it (through aliases such as flatten).
// Tensors are placed in the order they are produced, each at the lowest free place of a
// resident partition at the top of the buffer that holds input tiles, among the tensors live
// at the same time (first fit; a dead tensor's bytes are reused). A tensor that does not fit
// into `MemoryPolicy::resident_fraction` of that buffer next to the ones already live goes
// through DRAM for its whole life (no partial residency, no eviction). The network's inputs
// and outputs always live in DRAM (the host writes and reads them there), and so do weights:
// each layer's weights stream from DRAM once per run, since inference uses them in that layer
// only. A layer's tiles get the buffer below the partition's extent while it runs
// (`reserved_bytes`), so tiles and resident tensors never overlap; and a tensor stays on chip
// only where it leaves every layer of its lifetime the bytes that layer's tiles take when they
// have the whole buffer (`tile_demand`), so residency never shrinks a layer's tiles.
#include <cstdint>
#include <vector>

#include "arch/isa.h"
#include "arch/npu_config.h"
#include "sim/compiler/dram_plan.h"
#include "workloads/ir/graph.h"

namespace npu {

struct ResidencyPlan {
    isa::Buffer buffer = isa::Buffer::Unified;  // where resident tensors live
    int64_t capacity_bytes = 0;                 // of that buffer
    int64_t limit_bytes = 0;                    // the partition's largest extent
    std::vector<int64_t> offset;                // per layer: its output's byte offset in `buffer`; -1: DRAM
    std::vector<int64_t> bytes;                 // per layer: its output's size (aligned) when resident
    std::vector<int32_t> first_def;             // per layer: the layer whose instructions write its output
    std::vector<int32_t> last_use;              // per layer: the last layer reading its output (-1: none)
    std::vector<int64_t> reserved_bytes;        // per layer: top bytes held by tensors live while it runs
    // Per layer: the resident tensors whose bytes its output reuses after their last reader (the
    // stores that write it must wait for the loads of those).
    std::vector<std::vector<int32_t>> overwrites;
    int64_t peak_bytes = 0;  // the partition's largest extent over the run

    bool resident(int layer) const { return offset[size_t(layer)] >= 0; }
    // The on-chip address of a resident layer's output.
    uint64_t address(int layer) const { return isa::onchip_address(buffer, offset[size_t(layer)]); }
};

// Lifetimes and places of every activation; with `config.memory.residency` off every tensor is
// in DRAM (offsets -1, nothing reserved). `tile_demand`: per layer, the bytes its tiles take in
// the resident buffer when they have all of it (empty: none).
// `fusion`: which layers are fused (a fused conv's output is never stored; the add it feeds is
// written by the conv's instructions).
ResidencyPlan plan_residency(const Graph& graph, const DramPlan& dram, const NpuConfig& config,
                             const std::vector<int64_t>& tile_demand = {}, const struct FusionPlan* fusion = nullptr);

// The resident tensors as the program's table (sorted by layer): on-chip place and DRAM mirror.
std::vector<isa::ResidentTensor> resident_table(const ResidencyPlan& plan, const DramPlan& dram);

}  // namespace npu
