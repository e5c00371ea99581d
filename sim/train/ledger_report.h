#pragma once
// A training ledger as people read it: the phase split of a step (time, energy, DRAM traffic,
// array utilization), the costliest layers, and the same as JSON.
#include <string>

#include <nlohmann/json.hpp>

#include "arch/npu_config.h"
#include "sim/train/step_ledger.h"

namespace npu {

// `steps`: how many steps the ledger holds (its figures are printed per step).
std::string phase_table(const StepLedger& ledger, const NpuConfig& config, double steps, int64_t images_per_step);
// The `count` layers of `graph` with the most simulated time, by phase.
std::string costliest_layers(const StepLedger& ledger, const Graph& graph, double steps, int count);
nlohmann::ordered_json ledger_json(const StepLedger& ledger, const Graph& graph, const NpuConfig& config, double steps);

}  // namespace npu
