#pragma once
// Where a training step's forward pass and its array work (the conv2d and fc GEMMs of the
// backward pass) run. Without a device the CPU reference trainer computes everything; with one
// (the simulated NPU, sim/train/npu_training_device.h) the trainer hands those parts over and
// keeps the values of the element-wise backward ops, the loss and the optimizer update (and tells
// the device when it has done them).
#include <vector>

#include "kernels/train/loss.h"
#include "kernels/train/optimizer.h"
#include "kernels/train/train_model.h"

namespace npu {

struct LayerGradients {
    std::vector<float> weight, bias;  // d loss / d parameters, summed over the micro-batch
    std::vector<float> input;         // d loss / d the layer's input
};

class TrainingDevice {
public:
    virtual ~TrainingDevice() = default;
    // pass.out[0] holds the micro-batch; fills pass.out of every other layer of `graph` (values
    // in the compute precision).
    virtual void forward(const Graph& graph, const std::vector<LayerParams>& params, TrainPrecision precision,
                         PassTensors& pass) = 0;
    // A conv2d or fc layer's gradients from its input `x` and `dz` (d loss / d its output before
    // the fused activation); `input` may stay empty for a layer that reads the graph's input.
    virtual LayerGradients array_backward(const Graph& graph, int layer, const std::vector<float>& x,
                                          const std::vector<float>& dz, const LayerParams& params) = 0;
    // Layer `layer`'s element-wise backward step when the device runs it (adding d loss / d input
    // into pass.grad of its inputs and d loss / d params into `grads`, as the layer's TrainOp
    // would): true; false: the trainer runs the TrainOp on the host.
    virtual bool vector_backward(const Graph& graph, int layer, PassTensors& pass, const LayerParams& params,
                                 LayerParams& grads) {
        (void)graph, (void)layer, (void)pass, (void)params, (void)grads;
        return false;
    }
    // dz = act'(y) dy of a conv2d's or fc's fused activation, when the device computes it: true.
    virtual bool activation_gradient(const Graph& graph, int layer, const std::vector<float>& y,
                                     const std::vector<float>& dy, std::vector<float>& dz) {
        (void)graph, (void)layer, (void)y, (void)dy, (void)dz;
        return false;
    }
    // Softmax cross-entropy of a micro-batch's logits on the device: true; false: the trainer
    // computes it.
    virtual bool loss(const std::vector<float>& logits, const int32_t* labels, int64_t batch, int64_t classes,
                      float scale, LossResult& out) {
        (void)logits, (void)labels, (void)batch, (void)classes, (void)scale, (void)out;
        return false;
    }
    // Whether this step's gradients (FP32, unscaled, averaged) are all finite, checked on the
    // device before the update (the overflow flag a driver reads back): true when checked there.
    virtual bool check_gradients(const std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                                 const OptimizerConfig& optimizer, bool& finite) {
        (void)master, (void)grads, (void)optimizer, (void)finite;
        return false;
    }
    // The host's share of the step, done: the loss and the element-wise backward ops of a
    // micro-batch (after its backward pass), the optimizer update (after each step, applied or
    // skipped). A device may account for that work.
    virtual void micro_batch_done(const Graph& graph) { (void)graph; }
    virtual void update_done(const Graph& graph, bool applied) { (void)graph, (void)applied; }
    // Optimizer step number `update` (from 0), when the device runs it: updates `master` from
    // `grads` (FP32, unscaled, averaged over the step) at learning rate `lr` and returns true;
    // false: the trainer's own optimizer applies it.
    virtual bool apply_update(std::vector<LayerParams>& master, const std::vector<LayerParams>& grads,
                              const OptimizerConfig& optimizer, double lr, int64_t update) {
        (void)master, (void)grads, (void)optimizer, (void)lr, (void)update;
        return false;
    }
};

}  // namespace npu
