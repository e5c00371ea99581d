#pragma once
// A model being trained: its graph, FP32 master parameters, and the tensors of one pass.
#include <cstdint>
#include <vector>

#include "kernels/train/train_precision.h"
#include "workloads/ir/graph.h"

namespace npu {

class GemmOrder;  // gemm_order.h

// Learned parameters of one layer (conv2d: [filters][channels/groups][kh][kw], fc: [out][in]).
struct LayerParams {
    std::vector<float> weight;
    std::vector<float> bias;  // one per output channel; empty when the layer has no bias
    // Batchnorm: weight = gamma, bias = beta, and the running statistics per channel (not
    // learned: updated by the forward passes of training, read by evaluation).
    std::vector<float> running_mean, running_var;

    size_t size() const { return weight.size() + bias.size(); }
};

// Every tensor of one forward and backward pass over a micro-batch, per layer of the graph.
struct PassTensors {
    std::vector<std::vector<float>> out;       // the layer's output (after its fused activation)
    std::vector<std::vector<float>> grad;      // d loss / d output, summed over the layer's readers
    std::vector<std::vector<int64_t>> argmax;  // max pools: the input index each output took
    // Batchnorm in training mode: per channel the batch mean, then 1 / sqrt(variance + eps).
    std::vector<std::vector<float>> batch_stats;
};

// Batchnorm as trained (PyTorch's defaults): eps in the normalization, the running averages'
// momentum, and the folded inference form scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
constexpr float kBatchNormEps = 1e-5f;
constexpr float kBatchNormMomentum = 0.1f;

// What a layer's forward or backward step sees.
struct TrainCall {
    const Graph& graph;  // batch = the micro-batch
    int index;
    PassTensors& t;
    const LayerParams& params;  // in compute precision
    LayerParams& grads;         // FP32, accumulated over the micro-batches of a step
    TrainPrecision precision;
    bool training = true;              // batchnorm: batch statistics (training) or the running ones (evaluation)
    const GemmOrder* order = nullptr;  // conv2d and fc: sums in this NPU order (nullptr: Eigen's)

    const Layer& layer() const { return graph.layers[size_t(index)]; }
    const Shape& in_shape(size_t k = 0) const { return graph.layers[size_t(layer().inputs[k])].output; }
    const std::vector<float>& in(size_t k = 0) const { return t.out[size_t(layer().inputs[k])]; }
    std::vector<float>& in_grad(size_t k = 0) const { return t.grad[size_t(layer().inputs[k])]; }
    std::vector<float>& out() const { return t.out[size_t(index)]; }
    std::vector<float>& grad() const { return t.grad[size_t(index)]; }
    float round(float v) const { return round_compute(v, precision); }
};

}  // namespace npu
