#pragma once
// A training step's time on the NPU without the arithmetic (npusim train --timing-only): per
// micro-batch, the forward program of the training graph and every layer's element-wise passes
// (batchnorm's batch statistics, activation and pooling gradients, the loss) and its data- and
// weight-gradient GEMMs, each as the program the functional path would run; then, once per step,
// the optimizer update of every layer's parameters. Big models (ResNet-50, VGG-16 at batch 32)
// take well under a second.
#include <cstdint>

#include "sim/compiler/footprint.h"
#include "sim/runtime/simulation.h"
#include "sim/train/step_ledger.h"
#include "sim/train/vector_passes.h"

namespace npu {

struct TrainingStepEstimate {
    StepLedger step;  // every program of one step (accumulate micro-batches)
    int64_t programs_per_micro_batch = 0;
    int64_t forward_macs = 0, gradient_macs = 0;  // per step
    // The forward program's memory (sim/compiler/footprint.h): its tiles' on-chip peak and what
    // it keeps in DRAM (every activation: the backward programs read them).
    Footprint forward_memory;
};

// `graph`: the training graph (no final softmax; CpuTrainer::graph()) at the micro-batch;
// `simulation` timing-only, its design listing `precision`.
TrainingStepEstimate estimate_training_step(Simulation& simulation, const Graph& graph, Precision precision,
                                            const UpdateRule& rule);

}  // namespace npu
