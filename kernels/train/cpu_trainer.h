#pragma once
// The CPU reference trainer (the oracle for training on the NPU): forward through the graph,
// softmax cross-entropy, backward through every layer, gradient accumulation over micro-batches,
// dynamic loss scaling in FP16, and the optimizer update of FP32 master weights.
#include <cstdint>
#include <vector>

#include "kernels/train/loss_scaler.h"
#include "kernels/train/optimizer.h"
#include "kernels/train/train_model.h"
#include "kernels/train/training_device.h"
#include "workloads/ir/float_model.h"

namespace npu {

struct TrainerConfig {
    TrainPrecision precision = TrainPrecision::Fp32;
    OptimizerConfig optimizer;
    int64_t micro_batch = 32;       // B
    int64_t accumulate = 1;         // K: micro-batches per update (a step of K * B images)
    uint64_t seed = 1;              // initial weights (He-normal, as for inference)
    LossScalerConfig loss_scaling;  // used in FP16 only
    // Sums in an NPU's order (gemm_order.h; the caller keeps it alive), or nullptr: Eigen's.
    const GemmOrder* sum_order = nullptr;
};

struct StepResult {
    double loss = 0.0;        // mean over the step's images (unscaled)
    int64_t correct = 0;      // images classified right by the forward pass
    bool skipped = false;     // an FP16 gradient overflowed: no update, the loss scale halved
    float loss_scale = 1.0f;  // the scale this step used
    double lr = 0.0;
};

struct EvalResult {
    double loss = 0.0;
    double accuracy = 0.0;
};

class CpuTrainer {
public:
    // `model`: the graph as loaded (its batch is ignored). Every layer must have a training op;
    // a final softmax is fused into the loss. Throws WorkloadError naming an unsupported layer.
    CpuTrainer(const Graph& model, const TrainerConfig& config);

    // One update from accumulate() micro-batches: `images` holds accumulate() * micro_batch
    // images, `labels` as many labels.
    StepResult step(const float* images, const int32_t* labels);
    // Loss and accuracy of the current weights over `count` images, micro_batch at a time, on
    // the CPU reference (whatever device trains).
    EvalResult evaluate(const float* images, const int32_t* labels, int64_t count);
    // The loss step() would report for these images (batchnorm on batch statistics), with no
    // update and no running statistics changed: what finite-difference checks differentiate.
    double batch_loss(const float* images, const int32_t* labels);

    // Hands the forward pass and the conv2d/fc backward GEMMs to `device` (nullptr: the CPU).
    void set_device(TrainingDevice* device) { m_device = device; }

    const Graph& graph() const { return m_graph; }  // without the final softmax, batch = micro_batch
    std::vector<LayerParams>& master() { return m_master; }
    const std::vector<LayerParams>& master() const { return m_master; }
    const TrainerConfig& config() const { return m_config; }
    int64_t classes() const { return m_graph.output().output.c; }
    int64_t updates() const { return m_updates; }
    // The gradients of the last step, unscaled and averaged (FP32), for checks.
    const std::vector<LayerParams>& last_gradients() const { return m_grads; }
    // The tensors of the last micro-batch's pass, and the parameters it used (compute precision).
    const PassTensors& last_pass() const { return m_pass; }
    const std::vector<LayerParams>& compute_params() const { return m_compute; }

private:
    // Forward over `n` images, on the device or on the CPU; returns the logits.
    // `training`: batchnorm normalizes with the batch's statistics, else with the running ones.
    const std::vector<float>& forward(const float* images, int64_t n, bool on_device, bool training);
    // Folds the last forward pass's batch statistics into the master's running averages.
    void update_running_stats();
    void backward(const std::vector<float>& dlogits);
    // A conv2d's or fc's backward pass as GEMMs: on the device, or on the host in sum_order.
    void array_backward_as_gemms(int layer);
    void round_params();
    Graph& graph_for(int64_t n);

    TrainerConfig m_config;
    Graph m_graph;
    std::vector<LayerParams> m_master, m_compute, m_grads;
    PassTensors m_pass;
    Optimizer m_optimizer;
    LossScaler m_scaler;
    int64_t m_updates = 0;
    TrainingDevice* m_device = nullptr;
};

// The graph training runs: `model` without a final softmax (fused into the loss); throws
// WorkloadError naming a layer training cannot run, or an output that is not class scores.
Graph training_graph(const Graph& model);

// The seeded initial parameters of a graph's conv2d and fc layers (the inference weights);
// weights given in the graph (a model file's values, an ONNX model's initializers) are used as
// they are.
std::vector<LayerParams> initial_params(const Graph& graph, uint64_t seed);

// The trained FP32 parameters in the layouts of a float model (for `model`, the graph the
// trainer was built from: its layers up to the fused softmax are the trainer's).
std::vector<LayerTensors> trained_tensors(const CpuTrainer& trainer, const Graph& model);

}  // namespace npu
