#pragma once
// Memory a training step needs, by kind of tensor: what gradient accumulation trades. Saved
// activations and activation gradients scale with the micro-batch; weights, master weights,
// optimizer state and weight gradients do not.
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/train/cpu_trainer.h"

namespace npu {

struct FootprintItem {
    std::string name;
    int64_t bytes = 0;
    std::string lives_in;          // where the NPU keeps it
    bool per_micro_batch = false;  // scales with the micro-batch (what --accumulate shrinks)
};

struct TrainingFootprint {
    std::vector<FootprintItem> items;
    int64_t total_bytes() const;
    int64_t per_micro_batch_bytes() const;
};

// For the trainer's graph (batch = its micro-batch), precision and optimizer.
TrainingFootprint training_footprint(const CpuTrainer& trainer);

}  // namespace npu
