#pragma once
// The op registry's training layer: each layer kind's forward and backward step on the CPU (the
// reference trainer), one TrainOp per kind, beside its OpDef, CpuOp and Lowering. A kind without
// a forward step is refused in training with an error naming the layer.
#include "kernels/train/train_model.h"

namespace npu {

struct TrainOp {
    LayerKind kind;
    // Fills out() from the inputs and params (stores rounded to the compute precision).
    void (*forward)(const TrainCall& call) = nullptr;
    // From grad(): adds d loss / d input to in_grad(k) for every input, and d loss / d params to
    // grads. Called once per micro-batch, after every reader of the layer has added to grad().
    void (*backward)(const TrainCall& call) = nullptr;
};

const TrainOp& train_op(LayerKind kind);

// Fused activations (conv2d, fc, add): y = act(z), and d loss / d z from d loss / d y.
float apply_activation(float z, Activation a);
float activation_grad(float y, float dy, Activation a);

// Batchnorm's batch statistics of an NCHW tensor, per channel: the mean, then
// 1 / sqrt(biased variance + kBatchNormEps) (PassTensors::batch_stats).
std::vector<float> batchnorm_batch_stats(const std::vector<float>& x, const Shape& s);

// Adds `values` into `grad` element by element, rounding each sum to the compute precision.
void add_rounded(std::vector<float>& grad, const std::vector<float>& values, TrainPrecision p);

}  // namespace npu
