#pragma once
// Loading a design by file type: npusim design YAML or SCALE-Sim .cfg.
#include <string>

#include "arch/npu_config.h"
#include "common/limits.h"

namespace npu {

// .cfg: a SCALE-Sim architecture config; otherwise an npusim design YAML.
NpuConfig load_design_file(const std::string& path, const std::string& energy_dir, const Limits& limits = Limits{});

}  // namespace npu
