#pragma once
// Reads a design YAML (configs/arch/*.yaml) into a validated NpuConfig, with its energy table
// (configs/energy/*.yaml) scaled to the design's node. Every error names file, line and key.
#include <string>

#include "arch/npu_config.h"
#include "common/limits.h"

namespace npu {

NpuConfig load_design(const std::string& path, const std::string& energy_dir, const Limits& limits = Limits{});
NpuConfig parse_design(const std::string& yaml_text, const std::string& source_name, const std::string& energy_dir,
                       const Limits& limits = Limits{});

EnergyTable load_energy_table(const std::string& path);

}  // namespace npu
