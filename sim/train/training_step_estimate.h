#pragma once
// A training step's time on the NPU without the arithmetic (npusim train --timing-only): the
// forward program of the training graph, then for every conv2d and fc layer its data-gradient
// and weight-gradient GEMMs, each as the program npu_gemm would run, on a timing-only simulation.
// Big models (VGG-16 at batch 32) take well under a second.
#include <cstdint>

#include "sim/runtime/simulation.h"

namespace npu {

struct TrainingStepEstimate {
    double forward_ns = 0.0, data_gradient_ns = 0.0, weight_gradient_ns = 0.0;
    double forward_energy_pj = 0.0;  // of the forward program (the GEMM programs' is not collected)
    int64_t forward_macs = 0, gradient_macs = 0, programs = 0;
    int64_t forward_cycles = 0;

    double total_ns() const { return forward_ns + data_gradient_ns + weight_gradient_ns; }
};

// `graph`: the training graph (no final softmax; CpuTrainer::graph()) at the step's batch;
// `simulation` timing-only, its design listing `precision`.
TrainingStepEstimate estimate_training_step(Simulation& simulation, const Graph& graph, Precision precision);

}  // namespace npu
