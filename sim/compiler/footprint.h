#pragma once
// Where a compiled program keeps its data, layer by layer: where each layer's inputs, weights
// and output live, and how much on-chip SRAM it occupies (its tile slots' high-water mark in
// every buffer plus the resident tensors live while it runs); in total, the on-chip peak and
// the DRAM footprint. Read from the program and its plans, so it is the same for functional
// and timing-only runs.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/compiler/compiler.h"

namespace npu {

struct LayerFootprint {
    std::string input_home;      // "sram", "dram", "mixed" (several inputs), "fused" (a fused pool), "" (none)
    std::string weights_home;    // "dram" (weights stream), "" (no weights)
    std::string output_home;     // "sram", "dram" or "fused" (handed to the add after it, never stored)
    int64_t tile_bytes = 0;      // tile slots' high-water mark, all buffers but the accumulator
    int64_t resident_bytes = 0;  // the resident partition's extent while the layer runs
    int64_t onchip_bytes() const { return tile_bytes + resident_bytes; }
};

struct Footprint {
    std::vector<LayerFootprint> layers;              // per graph layer
    int64_t onchip_peak_bytes = 0;                   // the largest layer's on-chip occupancy
    int64_t resident_peak_bytes = 0;                 // of which resident tensors, at most
    int64_t resident_tensors = 0, dram_tensors = 0;  // outputs (and inputs) on chip or in DRAM
    int64_t fused_tensors = 0;                       // conv outputs never stored (fused adds)
    // Bytes the run keeps in DRAM: inputs, weights and channel parameters, and every output that
    // does not stay on chip (aliases excluded).
    int64_t dram_bytes = 0;
    int64_t weight_bytes = 0;  // of which weights and channel parameters
    int64_t io_bytes = 0;      // of which the network's inputs and outputs (they live in DRAM)
};

Footprint memory_footprint(const Graph& graph, const CompiledModel& compiled);

}  // namespace npu
