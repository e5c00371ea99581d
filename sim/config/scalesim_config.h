#pragma once
// SCALE-Sim v2 architecture configs (.cfg INI files) as npusim designs. Field mapping:
//   [architecture_presets] ArrayHeight, ArrayWidth -> array rows, cols; Dataflow -> dataflow;
//   IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB -> ifmap, weight, output buffers (KiB), each
//   with MemoryBanks banks and max(rows, cols) bytes per cycle; Bandwidth (words per cycle) ->
//   DRAM bandwidth at one byte per word and the clock below; IfmapOffset, FilterOffset,
//   OfmapOffset are addresses npusim assigns itself (ignored); [run_presets]
//   InterfaceBandwidth CALC or USER, and [general] run_name, are accepted and ignored.
// What a .cfg does not say, npusim assumes (and says so in the design's description): int8
// MACs, a 1 GHz clock, an accumulator of 4 x the ofmap SRAM (32-bit sums for as many outputs),
// LPDDR4 energy, ArrayWidth vector lanes, the 45 nm energy table.
#include <string>

#include "arch/npu_config.h"
#include "common/limits.h"

namespace npu {

NpuConfig load_scalesim_config(const std::string& path, const std::string& energy_dir, const Limits& limits = Limits{});
NpuConfig parse_scalesim_config(const std::string& text, const std::string& source, const std::string& energy_dir,
                                const Limits& limits = Limits{});

}  // namespace npu
