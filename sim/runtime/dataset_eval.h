#pragma once
// A classifier run over a labelled data set on the simulated NPU (`npusim run --dataset`): the
// model's weights as given (a trained model saved by `npusim train --save`, any ONNX file),
// INT8 scales calibrated on training images, the test images in batches through the compiled
// program, the top-1 class of each read back, and the same images through the FP32 CPU
// reference for comparison.
#include <cstdint>
#include <functional>

#include "sim/runtime/simulation.h"
#include "workloads/data/dataset.h"

namespace npu {

struct DatasetEvaluation {
    int64_t images = 0;
    int64_t correct = 0;            // top-1 on the NPU, in the run's precision
    int64_t reference_correct = 0;  // top-1 of the FP32 CPU reference
    int64_t agree = 0;              // images where the two pick the same class
    int64_t batches = 0;
    double simulated_ns = 0.0, energy_pj = 0.0;  // of every batch together
    int64_t classes = 0;

    double accuracy() const { return images ? double(correct) / double(images) : 0.0; }
    double reference_accuracy() const { return images ? double(reference_correct) / double(images) : 0.0; }
    double agreement() const { return images ? double(agree) / double(images) : 0.0; }
};

// Called after every batch with the images done so far and the total.
using EvalProgress = std::function<void(int64_t done, int64_t total)>;

// `model`: the loaded graph, its input batch the evaluation batch, its output N x classes
// scores; `split`: the data set, padded to the model's input. Evaluates the first `images` test
// images (0: all). Throws WorkloadError when the model scores fewer classes than the data has.
// `prune`: the conv/fc weights pruned (workloads/ir/pruning.h) for the NPU and the reference.
DatasetEvaluation evaluate_on_dataset(Simulation& simulation, const Graph& model, Precision precision,
                                      const DatasetSplit& split, int64_t images, uint64_t seed,
                                      const EvalProgress& progress = {}, const PruneSpec& prune = {});

}  // namespace npu
