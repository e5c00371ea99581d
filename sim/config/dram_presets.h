#pragma once
// The JEDEC parts the banked DRAM model knows (configs/dram/jedec.yaml), read strictly: every
// key required, every timing a non-negative clock count, errors naming file, line and key.
#include <map>
#include <string>

#include "arch/dram_timing.h"
#include "arch/npu_config.h"
#include "common/yaml_reader.h"

namespace npu {

std::map<std::string, DramPreset> load_dram_presets(const std::string& path);

// A design's dram section with model: banked: `preset` (a part of `presets_path`),
// `page_policy` (open, closed), `queue_depth`; the bandwidth and the burst are the preset's (a
// stated bandwidth_gbps or burst_bytes must agree), the latency comes from its timings.
void read_banked_dram(const YamlMap& dram, const std::string& presets_path, DramConfig& d);

}  // namespace npu
