#pragma once
// The epoch loop of `npusim train`: shuffled steps over the training set, a test evaluation after
// every epoch, and the logs the CLI prints and writes (CSV, JSON).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kernels/train/cpu_trainer.h"
#include "workloads/data/dataset.h"

namespace npu {

struct TrainingOptions {
    int64_t epochs = 1;
    uint64_t shuffle_seed = 1;  // the data order of epoch e comes from shuffle_seed + e
    // Every n-th step (and the first), the step's loss is also computed by the CPU reference from
    // the same weights and images (training on a device); 0: never.
    int64_t reference_every = 0;
};

struct StepLog {
    int64_t epoch = 0, step = 0;  // step counts from 1 over the whole run
    double loss = 0.0, accuracy = 0.0, lr = 0.0;
    float loss_scale = 1.0f;
    bool skipped = false;
    double reference_loss = -1.0;  // the CPU reference's loss on the same weights; < 0: not computed

    bool has_reference() const { return reference_loss >= 0.0; }
    double reference_difference() const;  // |loss - reference| / reference
};

struct EpochLog {
    int64_t epoch = 0;
    double train_loss = 0.0, train_accuracy = 0.0;  // over the epoch's steps
    double test_loss = 0.0, test_accuracy = 0.0;
    int64_t skipped_steps = 0;
    double wall_s = 0.0;
};

struct TrainingLog {
    int64_t steps_per_epoch = 0;
    int64_t images_per_step = 0;
    std::vector<StepLog> steps;
    std::vector<EpochLog> epochs;
    double wall_s = 0.0;

    const StepLog* worst_reference() const;  // the step farthest from its reference; nullptr: none
};

// Called after every step with the step and the run's total number of steps.
using StepProgress = std::function<void(const StepLog&, int64_t total_steps)>;

// Throws UsageError when the training set holds fewer images than one step.
TrainingLog run_training(CpuTrainer& trainer, const Dataset& train, const Dataset& test, const TrainingOptions& options,
                         const StepProgress& progress = {});

// The loss and accuracy curve: one row per step, then one per epoch (phase "test").
std::string training_csv(const TrainingLog& log);

}  // namespace npu
