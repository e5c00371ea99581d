#pragma once
// The forward program of a training step, run and booked layer by layer (Forward phase) under
// the training-graph layers its inference layers compute.
#include "sim/train/npu_programs.h"

namespace npu {

// Executes `compiled` (of `w`, prepared from `training_graph`), books it in `programs`, and
// returns the run's figures.
RunResult book_forward(NpuPrograms& programs, Simulation& simulation, const Graph& training_graph,
                       const PreparedWorkload& w, const CompiledModel& compiled);

}  // namespace npu
