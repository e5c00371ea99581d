#pragma once
// The element-wise work of a training step on the vector unit, beyond the forward program and
// the gradient GEMMs, as passes over DRAM streams (sim/compiler/lower_stream.h): what each pass
// reads, writes and computes, per layer kind. The host computes the values; these passes give
// that work its simulated time, energy and DRAM traffic.
#include <cstdint>
#include <vector>

#include "kernels/train/optimizer.h"
#include "sim/train/step_ledger.h"
#include "workloads/ir/graph.h"

namespace npu {

// What a pass does, for a device that runs some of them for real and times the rest.
enum class VectorWork {
    Mask,                // an activation's, relu's, relu6's or clip's gradient (an add's: with the gathering)
    GradientAdd,         // a GEMM's data gradient added into a gradient several layers gather in
    Pool,                // a pool's gradient
    BatchNormStats,      // forward: per-channel sums of x and x^2
    BatchNormNormalize,  // forward: y = gamma (x - mean) / std + beta
    BatchNormSums,       // backward: d gamma, d beta
    BatchNormGrad,       // backward: dx
    Loss,
    Accumulate,  // the micro-batches' weight gradients summed
    Update,
};

struct VectorPass {
    TrainPhase phase = TrainPhase::DataGradient;
    int layer = 0;  // the graph layer it works for
    int64_t elements = 0;
    int inputs = 1, outputs = 1, ops = 1;  // streams read and written; vector operations per element
    bool fp32 = false;                     // FP32 streams (master weights, optimizer state), else compute precision
    VectorWork work = VectorWork::Mask;
};

// How the update runs: the optimizer, whether FP32 master weights are copied back to a lower
// compute precision, and the micro-batches whose weight gradients are summed first.
struct UpdateRule {
    OptimizerKind optimizer = OptimizerKind::Sgd;
    bool mixed = false;
    int64_t accumulate = 1;
};

// Layer `layer`'s passes of one micro-batch: batchnorm's batch statistics and normalization
// (forward), activation, pooling and batchnorm gradients, each adding into its input's gradient
// where several layers read that input (data gradients), bias and batchnorm parameter sums
// (weight gradients).
std::vector<VectorPass> layer_passes(const Graph& graph, int layer);
// The loss on the logits: softmax, cross-entropy and d loss / d logits (forward).
VectorPass loss_pass(const Graph& graph);
// The update of a layer's `params` parameters, after summing its weight gradients over the
// micro-batches (none for a layer without parameters).
std::vector<VectorPass> update_passes(int layer, int64_t params, const UpdateRule& rule);

}  // namespace npu
