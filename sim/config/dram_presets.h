#pragma once
// The JEDEC parts the banked DRAM model knows (configs/dram/jedec.yaml), read strictly: every
// key required, every timing a non-negative clock count, errors naming file, line and key.
#include <map>
#include <string>

#include "arch/dram_timing.h"

namespace npu {

std::map<std::string, DramPreset> load_dram_presets(const std::string& path);

}  // namespace npu
