#pragma once
// A forward program of a training step, run and booked layer by layer (Forward phase) under
// the training-graph layers its inference layers compute.
#include "sim/train/npu_programs.h"

namespace npu {

// Executes `compiled` (of `w`, prepared from `graph`), books it in `programs`, and returns the
// run's figures. `source[i]`: the training-graph layer that layer i of `graph` is (empty: the
// same index, `graph` being the training graph).
RunResult book_forward(NpuPrograms& programs, Simulation& simulation, const Graph& graph, const PreparedWorkload& w,
                       const CompiledModel& compiled, const std::vector<int>& source = {});

}  // namespace npu
